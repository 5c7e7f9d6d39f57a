"""Who is calling: the patient or clinician behind an API request."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError

from supine.clinic.access import patient_of
from supine.clinic.models import Patient


def require_patient(request: HttpRequest) -> Patient:
    patient = patient_of(request.user)
    if patient is None:
        raise HttpError(403, "This is for patients: sign in with a patient account.")
    return patient
