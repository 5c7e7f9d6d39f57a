"""Who is calling: the patient or clinician behind an API request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError

from supine.clinic.access import patient_of
from supine.clinic.models import Patient
from supine.safety.services import safety_status


class Blocked(Exception):
    """The patient may not start a session now; the payload says why and what to do."""

    def __init__(self, status: dict[str, Any]) -> None:
        self.status = status


def require_patient(request: HttpRequest) -> Patient:
    patient = patient_of(request.user)
    if patient is None:
        raise HttpError(403, "This is for patients: sign in with a patient account.")
    return patient


def require_unblocked_patient(request: HttpRequest) -> Patient:
    patient = require_patient(request)
    status = safety_status(patient)
    if status.blocked:
        raise Blocked(status.as_dict())
    return patient
