"""A patient with something in every part of their record, and reading PDFs back."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from pypdf import PdfReader

from supine.appointments.services import book_visit
from supine.clinic.models import Clinic, Clinician, Patient
from supine.clinic.services import raise_alert
from supine.outcomes.models import PainMoment, PainReport
from supine.outcomes.questionnaire_services import record_questionnaire
from supine.sessions.models import ExerciseSession
from tests.factories import make_patient


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-"), content[:40]
    reader = PdfReader(io.BytesIO(content))
    # Lines broken in print are joined again, so a sentence can be looked for whole.
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(content: bytes) -> list:
    return list(PdfReader(io.BytesIO(content)).pages)


def first_page_png(content: bytes, out: Path) -> Path:
    """Page 1 as a PNG, drawn by poppler's pdftoppm (`make pdf-tools` installs it)."""
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm is missing: run `make pdf-tools` (Debian's poppler-utils)"
    pdf = out.with_suffix(".pdf")
    pdf.write_bytes(content)
    subprocess.run(
        [tool, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)],
        check=True,
    )
    return out.with_suffix(".png")


def rmdq_answers(ticked: int) -> dict[str, bool]:
    from supine.outcomes.questionnaires import QUESTIONNAIRES

    items = QUESTIONNAIRES["rmdq"].items
    return {item.id: n < ticked for n, item in enumerate(items)}


def patient_with_history(clinic: Clinic, clinician: Clinician) -> Patient:
    """Three weeks of sessions, pain, questionnaires, an alert and a visit."""
    patient = make_patient(clinic, username="history-patient")
    now = timezone.now()
    for days_ago, pain in ((20, 7), (13, 6), (6, 4), (1, 3)):
        at = now - timedelta(days=days_ago)
        PainReport.objects.create(
            patient=patient,
            score=pain,
            moment=PainMoment.MORNING,
            recorded_at=at,
            day=timezone.localdate(at),
        )
        ExerciseSession.objects.create(
            patient=patient,
            plan={},
            plan_date=timezone.localdate(at),
            status="completed",
            started_at=at,
            ended_at=at + timedelta(minutes=12),
        )
    first, _ = record_questionnaire(patient, "rmdq", rmdq_answers(14))
    first.completed_at = now - timedelta(days=20)
    first.save(update_fields=["completed_at"])
    record_questionnaire(patient, "rmdq", rmdq_answers(8))
    record_questionnaire(
        patient,
        "psfs",
        {
            "activities": [
                {"name": "Gardening", "score": 4},
                {"name": "Walking the dog", "score": 6},
                {"name": "Sitting at work", "score": 5},
            ]
        },
    )
    raise_alert(
        patient=patient, kind="pain_trend", severity="attention", reason="Morning pain rising."
    )
    book_visit(clinician=clinician, patient=patient, starts_at=now + timedelta(days=2))
    return patient
