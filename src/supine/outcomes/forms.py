from __future__ import annotations

from django import forms

PAIN_CHOICES = [(n, str(n)) for n in range(11)]


class DiaryForm(forms.Form):
    """A diary entry: pain now (0–10) and an optional note."""

    score = forms.TypedChoiceField(
        label="Your pain now",
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0 means no pain, 10 the worst pain you can imagine.",
        error_messages={
            "required": "Choose a number from 0 to 10 for your pain.",
            "invalid_choice": "Choose a number from 0 to 10 for your pain.",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the note to 1000 characters or fewer."},
    )
