"""The clinic's CSV: one row per fact, parsed back with the csv module, and streamed."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from supine.clinic.models import AuditEvent
from supine.outcomes.models import PainReport, QuestionnaireResponse
from supine.reports.csv_export import COLUMNS, clinic_rows, csv_lines
from supine.sessions.models import ExerciseSession
from tests.factories import make_patient
from tests.reports.helpers import patient_with_history


def _export(client: Client) -> tuple:
    response = client.get("/api/v1/clinic/export.csv")
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return response, list(csv.DictReader(io.StringIO(body)))


def test_each_fact_is_one_row_with_iso_dates(clinic, clinician):
    patient = patient_with_history(clinic, clinician)
    client = Client()
    client.force_login(clinician.user)
    response, rows = _export(client)
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    assert tuple(rows[0].keys()) == COLUMNS
    facts = [row["fact"] for row in rows]
    assert facts.count("session") == ExerciseSession.objects.filter(patient=patient).count()
    assert facts.count("pain") == PainReport.objects.filter(patient=patient).count()
    assert (
        facts.count("questionnaire")
        == QuestionnaireResponse.objects.filter(patient=patient).count()
    )
    for row in rows:
        assert row["patient_id"] == str(patient.id)
        datetime.fromisoformat(row["at"])
    assert sorted(r["value"] for r in rows if r["kind"] == "rmdq") == ["14", "8"]
    assert AuditEvent.objects.filter(actor=clinician.user, action="clinic.export_csv").exists()


def test_it_holds_only_the_clinics_own_patients(clinic, clinician, other_clinic_clinician):
    patient_with_history(clinic, clinician)
    stranger = make_patient(other_clinic_clinician.clinic, username="elsewhere")
    PainReport.objects.create(patient=stranger, score=9)
    client = Client()
    client.force_login(other_clinic_clinician.user)
    _, rows = _export(client)
    assert {row["patient_id"] for row in rows} == {str(stranger.id)}


def test_patients_are_refused(patient):
    client = Client()
    client.force_login(patient.user)
    assert client.get("/api/v1/clinic/export.csv").status_code == 403


def test_it_streams_with_the_same_queries_however_many_patients(clinic, clinician):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as queries:
            lines = csv_lines(clinic_rows(clinic.id))
            first = next(lines)
            assert first.startswith("patient_id,")
            count = sum(1 for _ in lines)
        return len(queries), count

    for n in range(3):
        p = make_patient(clinic, username=f"few{n}", program=False, screened=False)
        PainReport.objects.create(patient=p, score=n)
    few_queries, few_rows = queries_for_export()
    for n in range(30):
        p = make_patient(clinic, username=f"many{n}", program=False, screened=False)
        PainReport.objects.create(patient=p, score=n % 11)
    many_queries, many_rows = queries_for_export()
    assert (few_rows, many_rows) == (3, 33)
    assert many_queries == few_queries <= 3


def test_rows_are_made_one_at_a_time(clinic, clinician):
    """Nothing is read until the response is read: a generator, not a list."""
    patient_with_history(clinic, clinician)
    with CaptureQueriesContext(connection) as queries:
        lines = csv_lines(clinic_rows(clinic.id))
        assert len(queries) == 0
        next(lines)
        next(lines)
        assert len(queries) == 1
