"""The progress report for the patient's doctor: made by WeasyPrint, read back."""

from __future__ import annotations

from django.test import Client

from supine.clinic.models import AuditEvent
from supine.reports.progress_report import report_pdf
from tests.factories import make_patient
from tests.reports.helpers import first_page_png, patient_with_history, pdf_text


def test_it_reports_program_adherence_changes_alerts_and_visits(clinic, clinician):
    patient = patient_with_history(clinic, clinician)
    text = pdf_text(report_pdf(patient))
    assert patient.display_name in text
    for name in ("Deep Abdominal Strengthening", "Knee Rolls", "Bridge"):
        assert name in text
    assert "4 sessions completed, of 28 planned" in text
    # Morning pain 7 → 3 and RMDQ 14 → 8 both reach §4's thresholds; PSFS has one score.
    assert "Morning pain (0–10) 7" in text
    assert "Better (57% improvement)" in text
    assert "Better (43% improvement)" in text
    assert "One score so far" in text
    assert "Morning pain rising." in text
    assert "Acupuncture" in text or "visit" in text.lower()
    assert "Roland–Morris Disability Questionnaire: 2 scores" in text


def test_a_worsening_is_marked_as_such(clinic, clinician):
    from datetime import timedelta

    from django.utils import timezone

    from supine.outcomes.models import PainMoment, PainReport

    patient = make_patient(clinic)
    for days_ago, score in ((10, 2), (1, 6)):
        at = timezone.now() - timedelta(days=days_ago)
        PainReport.objects.create(
            patient=patient,
            score=score,
            moment=PainMoment.MORNING,
            recorded_at=at,
            day=timezone.localdate(at),
        )
    assert "Worse (200% worse)" in pdf_text(report_pdf(patient))


def test_a_new_patient_still_gets_a_report_saying_there_is_nothing_yet(db):
    text = pdf_text(report_pdf(make_patient(program=False)))
    assert "No program prescribed yet." in text
    assert "No sessions recorded in the last 4 weeks." in text
    assert "No pain ratings or questionnaires to compare yet." in text
    assert "No alerts." in text and "No visits booked." in text


def test_the_clinician_downloads_it_and_the_read_is_audited(patient, clinician):
    client = Client()
    client.force_login(clinician.user)
    response = client.get(f"/clinic/patients/{patient.id}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(patient=patient, action="patient.report").exists()


def test_another_clinic_gets_404(patient, other_clinic_clinician):
    client = Client()
    client.force_login(other_clinic_clinician.user)
    assert client.get(f"/clinic/patients/{patient.id}/report.pdf").status_code == 404


def test_page_one_renders_to_an_image(clinic, clinician, tmp_path):
    png = first_page_png(report_pdf(patient_with_history(clinic, clinician)), tmp_path / "r")
    assert png.stat().st_size > 10_000


def test_the_verdict_reads_as_a_doctor_would_say_it():
    from supine.reports.progress_report import verdict

    assert verdict("better", 43) == "Better (43% improvement)"
    assert verdict("worse", -200) == "Worse (200% worse)"
    assert verdict(None, 10) == "Not a meaningful change (10% improvement)"
    assert verdict(None, None) == "Not a meaningful change"
    assert verdict("better", 50, count=1) == "One score so far"
