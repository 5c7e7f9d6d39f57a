"""'Download my data': everything Supine holds about a patient, in files they can open.

A zip with `my-data.json` (the whole record, as Supine stores it), one CSV per kind of
fact (the same columns as the clinic's export), `fhir-bundle.json` (the FHIR Bundle a
clinic would send to another system) and a README saying what each file is.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.utils import timezone

from supine.appointments.models import Appointment
from supine.clinic.models import Patient
from supine.outcomes.models import PainReport, QuestionnaireResponse
from supine.programs.models import PrescribedExercise
from supine.reports.csv_export import csv_lines, pain_rows, questionnaire_rows, session_rows
from supine.reports.fhir import bundle_json
from supine.safety.models import Screening
from supine.sessions.models import ExerciseSession

README = """Your data from Supine, {clinic}, {made}.

my-data.json        everything Supine holds about you: your details, your programs, your
                    sessions, pain ratings, questionnaires, health screens and visits
sessions.csv        one row per exercise session
pain.csv            one row per pain rating
questionnaires.csv  one row per questionnaire you answered, with its score
fhir-bundle.json    the same record as a FHIR R4 (4.3.0) Bundle, the format clinics and
                    health record systems exchange

Dates and times are ISO 8601 (UTC). To have your account deleted, choose "Delete my
account" on the "Your data" page: your clinic confirms it, and keeps your health records
for as long as the law asks of it.
"""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(queryset, fields: list[str]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in queryset.values(*fields).iterator()]


# Each version of the program, one row per exercise with its ranges and current dose.
PROGRAM_FIELDS = [
    "prescription__version",
    "prescription__status",
    "prescription__active",
    "prescription__created_at",
    "exercise__slug",
    "exercise__name",
    "reps_min",
    "reps_max",
    "sets_min",
    "sets_max",
    "hold_seconds_min",
    "hold_seconds_max",
    "dose_reps",
    "dose_sets",
    "dose_hold_seconds",
    "dose_reason",
    "paused_at",
]
SESSION_FIELDS = [
    "id",
    "plan_date",
    "status",
    "started_at",
    "ended_at",
    "stop_reason",
    "feeling",
    "note",
]
PAIN_FIELDS = ["id", "recorded_at", "day", "moment", "score", "note", "exercise"]
QUESTIONNAIRE_FIELDS = ["id", "code", "completed_at", "answers", "score", "band"]
VISIT_FIELDS = ["id", "starts_at", "minutes", "kind", "note", "cancelled_at"]


def _patient_details(patient: Patient) -> dict[str, Any]:
    """Who the patient is, as Supine holds it: name, account, contact and health history."""
    return {
        "id": str(patient.id),
        "name": patient.display_name,
        "username": patient.user.get_username(),
        "email": patient.email,
        "birth_year": patient.birth_year,
        "birth_month": patient.birth_month,
        "usual_pain": patient.usual_pain,
        "conditions": patient.conditions,
        "health_history_details": patient.history_details,
        "joined": _plain(patient.created_at),
    }


def _screening_fields() -> list[str]:
    """Every stored answer and decision of a health screen (the patient is the record's)."""
    return [f.name for f in Screening._meta.concrete_fields if f.name not in ("patient",)]


def record_of(patient: Patient) -> dict[str, Any]:
    """The whole record, oldest first within each kind, as plain JSON values."""
    return {
        "patient": _patient_details(patient),
        "clinic": {"name": patient.clinic.name, "phone": patient.clinic.phone},
        "programs": _rows(
            PrescribedExercise.objects.filter(prescription__patient=patient).order_by(
                "prescription__version", "position"
            ),
            PROGRAM_FIELDS,
        ),
        "sessions": _rows(
            ExerciseSession.objects.filter(patient=patient).order_by("created_at"),
            SESSION_FIELDS,
        ),
        "pain_ratings": _rows(
            PainReport.objects.filter(patient=patient).order_by("recorded_at"), PAIN_FIELDS
        ),
        "questionnaires": _rows(
            QuestionnaireResponse.objects.filter(patient=patient).order_by("completed_at"),
            QUESTIONNAIRE_FIELDS,
        ),
        "health_screens": _rows(
            Screening.objects.filter(patient=patient).order_by("created_at"),
            _screening_fields(),
        ),
        "visits": _rows(
            Appointment.objects.filter(patient=patient).order_by("starts_at"), VISIT_FIELDS
        ),
    }


def my_data_zip(patient: Patient) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(clinic=patient.clinic.name, made=timezone.localdate().isoformat()),
        )
        archive.writestr(
            "my-data.json", json.dumps(record_of(patient), indent=2, ensure_ascii=False)
        )
        for name, rows in (
            ("sessions.csv", session_rows(ExerciseSession.objects.filter(patient=patient))),
            ("pain.csv", pain_rows(PainReport.objects.filter(patient=patient))),
            (
                "questionnaires.csv",
                questionnaire_rows(QuestionnaireResponse.objects.filter(patient=patient)),
            ),
        ):
            archive.writestr(name, "".join(csv_lines(rows)))
        archive.writestr("fhir-bundle.json", bundle_json(patient))
    return buffer.getvalue()
