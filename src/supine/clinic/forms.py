"""The forms of the clinic's own pages: enrolling a patient, the clinic's settings."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from supine.clinic.models import MAX_ESCALATION_MINUTES, Clinic, Clinician, Condition
from supine.safety.models import AssessedBy


class EnrolForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    email = forms.EmailField(
        required=False,
        label="Email (optional)",
        help_text="For “Forgot password?” and reminders; never shown to other patients.",
    )
    year_of_birth = forms.IntegerField(label="Year of birth")
    usual_pain = forms.IntegerField(
        min_value=0, max_value=10, label="Usual pain (0 = none, 10 = worst imaginable)"
    )
    conditions = forms.MultipleChoiceField(
        choices=Condition.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Conditions to take care with",
    )

    def clean_year_of_birth(self) -> int:
        year = self.cleaned_data["year_of_birth"]
        this_year = timezone.localdate().year
        if not this_year - 120 <= year <= this_year:
            raise forms.ValidationError(f"Give a year between {this_year - 120} and {this_year}.")
        return year


class ClinicSettingsForm(forms.ModelForm):
    escalation_minutes = forms.IntegerField(
        min_value=1,
        max_value=MAX_ESCALATION_MINUTES,
        label="Escalation delay (minutes)",
        help_text="Unacknowledged urgent alerts go to the clinic's admins after this long "
        f"(1–{MAX_ESCALATION_MINUTES}).",
    )

    retention_years = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="Records kept after an account is deleted (years)",
        help_text="Then the patient's name and details are removed from them. Set what your "
        "law asks; 8 years is common guidance for adults' health records.",
    )

    class Meta:
        model = Clinic
        fields = [
            "name",
            "phone",
            "region",
            "time_zone",
            "on_call_email",
            "escalation_minutes",
            "retention_years",
        ]
        labels = {"on_call_email": "On-call email", "time_zone": "Time zone"}
        help_texts = {"time_zone": "A name like Europe/London or America/Los_Angeles."}


class ClinicianRolesForm(forms.ModelForm):
    class Meta:
        model = Clinician
        fields = [
            "may_clear_holds",
            "profession",
            "registration_number",
            "is_admin",
            "assesses_red_flags",
        ]
        labels = {
            "may_clear_holds": "May clear safety holds",
            "is_admin": "Clinic admin",
            "assesses_red_flags": "Assesses red flags",
        }


class InviteClinicianForm(forms.Form):
    name = forms.CharField(max_length=200, label="Their name")
    email = forms.EmailField(label="Their email")


class ClearanceForm(forms.Form):
    """A clinician clears a patient held by the safety screen."""

    reason = forms.CharField(
        label="Why",
        error_messages={
            "required": "write why the patient is cleared; it is kept in their record."
        },
    )
    seen_at = forms.DateTimeField(
        label="Page",
        error_messages={
            "required": "the page was out of date; please look again and resubmit.",
            "invalid": "the page was out of date; please look again and resubmit.",
        },
    )
    assessed_by = forms.ChoiceField(
        label="Assessed by", choices=[("", "—"), *AssessedBy.choices], required=False
    )
    assessed_on = forms.DateField(
        label="Assessed on", required=False, error_messages={"invalid": "give a date."}
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"][:2000]


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label="Note", required=False)


class ProgramStatusForm(forms.Form):
    """Pause, resume or end a program, as of the version the clinician was looking at."""

    action = forms.ChoiceField(
        label="Action",
        choices=[("pause", "Pause"), ("resume", "Resume"), ("end", "End")],
        error_messages={"required": "choose pause, resume or end."},
    )
    version = forms.IntegerField(label="Version", required=False)


class ProgramForm(forms.Form):
    """The program builder: a row of fields for each exercise in the library, then the
    program's frequency, start and note. Ranges are checked by the program's own rules
    (supine.programs.builder); this form checks that each value is what it says."""

    version = forms.IntegerField(required=False)
    sessions_per_day = forms.IntegerField(label="Sessions a day", required=False)
    days_per_week = forms.IntegerField(label="Days a week", required=False)
    starts_on = forms.DateField(label="Starts on", required=False)
    status = forms.CharField(required=False)
    note = forms.CharField(label="Note", required=False)
    precautions_seen = forms.BooleanField(required=False)

    NUMBERS = {
        "order": "order",
        "reps_min": "reps from",
        "reps_max": "reps to",
        "hold_min": "hold from",
        "hold_max": "hold to",
        "sets_min": "sets from",
        "sets_max": "sets to",
    }

    def __init__(self, *args, exercises, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for exercise in exercises:
            slug = exercise.slug
            self.fields[f"include-{slug}"] = forms.BooleanField(required=False)
            for key, words in self.NUMBERS.items():
                self.fields[f"{key}-{slug}"] = forms.IntegerField(
                    label=f"{exercise.name} {words}",
                    required=False,
                    error_messages={"invalid": "give a whole number."},
                )
            self.fields[f"note-{slug}"] = forms.CharField(required=False)
            self.fields[f"assessed-{slug}"] = forms.BooleanField(required=False)

    def value(self, name: str):
        """A cleaned value, or None where it was missing or refused."""
        return (getattr(self, "cleaned_data", None) or {}).get(name)
