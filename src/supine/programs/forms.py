"""The forms of the patient's own pages."""

from __future__ import annotations

from django import forms


class MorningCheckinForm(forms.Form):
    """ "How was your back when you woke up today?": one number from 0 to 10."""

    score = forms.IntegerField(
        min_value=0,
        max_value=10,
        error_messages={
            "required": "Choose a number from 0 to 10.",
            "invalid": "Choose a number from 0 to 10.",
            "min_value": "Choose a number from 0 to 10.",
            "max_value": "Choose a number from 0 to 10.",
        },
    )
