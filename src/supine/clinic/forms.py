"""The forms of the clinic's own pages: enrolling a patient, the clinic's settings."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from supine.clinic.models import MAX_ESCALATION_MINUTES, Clinic, Clinician, Condition


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
