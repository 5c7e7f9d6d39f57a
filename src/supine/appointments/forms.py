"""The forms of the visit and reminder pages."""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from django import forms

from supine.appointments.models import VisitKind


class _LocalStart(forms.CharField):
    """A `datetime-local` field's value, in the clinic's time zone."""

    def __init__(self, *, zone: tzinfo, **kwargs) -> None:
        self.zone = zone
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError("choose a date and time.") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)


class MoveVisitForm(forms.Form):
    minutes = forms.IntegerField(
        label="Minutes", required=False, error_messages={"invalid": "give a number."}
    )

    def __init__(self, *args, zone: tzinfo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"] = _LocalStart(
            zone=zone, label="Starts at", error_messages={"required": "choose a date and time."}
        )


class VisitForm(MoveVisitForm):
    kind = forms.ChoiceField(label="Kind", choices=VisitKind.choices, required=False)

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or VisitKind.ACUPUNCTURE

    note = forms.CharField(label="Note", required=False, strip=False)


class RemindersForm(forms.Form):
    reminder_time = forms.TimeField(
        label="Time",
        error_messages={"required": "choose a time of day.", "invalid": "choose a time of day."},
    )
    email_reminders = forms.BooleanField(required=False)
    email = forms.CharField(required=False, strip=False)

    def clean_reminder_time(self) -> time:
        return self.cleaned_data["reminder_time"].replace(second=0, microsecond=0)
