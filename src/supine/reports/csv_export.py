"""A clinic's facts as CSV, one row per fact, streamed.

Sessions, pain ratings and questionnaire scores, each read with one query walked in
chunks (`iterator()`), and written a row at a time: a clinic of thousands of patients
is exported without its history ever being held in memory, and with the same three
queries whatever its size. Dates and times are ISO 8601, in UTC.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import QuerySet

from supine.outcomes.models import PainReport, QuestionnaireResponse
from supine.sessions.models import ExerciseSession

CHUNK = 2000
COLUMNS = ("patient_id", "patient_name", "fact", "at", "day", "kind", "value", "detail")


class _Line:
    """A file-like object whose write returns what was written, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _iso(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return value.isoformat()


def _number(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def session_rows(sessions: QuerySet[ExerciseSession]) -> Iterator[tuple]:
    for patient_id, name, started, created, day, status, reason in (
        sessions.order_by("patient_id", "created_at")
        .values_list(
            "patient_id",
            "patient__display_name",
            "started_at",
            "created_at",
            "plan_date",
            "status",
            "stop_reason",
        )
        .iterator(chunk_size=CHUNK)
    ):
        yield (patient_id, name, "session", _iso(started or created), _iso(day), "", status, reason)


def pain_rows(reports: QuerySet[PainReport]) -> Iterator[tuple]:
    for patient_id, name, at, day, moment, score, exercise in (
        reports.order_by("patient_id", "recorded_at")
        .values_list(
            "patient_id",
            "patient__display_name",
            "recorded_at",
            "day",
            "moment",
            "score",
            "exercise",
        )
        .iterator(chunk_size=CHUNK)
    ):
        yield (patient_id, name, "pain", _iso(at), _iso(day), moment, score, exercise)


def questionnaire_rows(responses: QuerySet[QuestionnaireResponse]) -> Iterator[tuple]:
    for patient_id, name, at, code, score, band in (
        responses.order_by("patient_id", "completed_at")
        .values_list("patient_id", "patient__display_name", "completed_at", "code", "score", "band")
        .iterator(chunk_size=CHUNK)
    ):
        yield (patient_id, name, "questionnaire", _iso(at), "", code, _number(score), band)


def clinic_rows(clinic_id) -> Iterator[tuple]:
    yield from session_rows(ExerciseSession.objects.filter(patient__clinic_id=clinic_id))
    yield from pain_rows(PainReport.objects.filter(patient__clinic_id=clinic_id))
    yield from questionnaire_rows(
        QuestionnaireResponse.objects.filter(patient__clinic_id=clinic_id)
    )


def patient_rows(patient) -> Iterator[tuple]:
    yield from session_rows(ExerciseSession.objects.filter(patient=patient))
    yield from pain_rows(PainReport.objects.filter(patient=patient))
    yield from questionnaire_rows(QuestionnaireResponse.objects.filter(patient=patient))


def csv_lines(rows: Iterable[tuple]) -> Iterator[str]:
    """The header, then one CSV line per row, as they are asked for."""
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow(row)
