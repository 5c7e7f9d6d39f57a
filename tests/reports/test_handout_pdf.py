"""The printed handout: made for real by WeasyPrint, read back with pypdf."""

from __future__ import annotations

import pytest
from django.test import Client

from supine.clinic.models import AuditEvent
from supine.programs.dosing import active_items, current_dose
from supine.reports.handout import handout_pdf
from supine.reports.pdf import paper_for
from tests.factories import make_clinic, make_patient
from tests.reports.helpers import first_page_png, pdf_pages, pdf_text

MM_PER_POINT = 25.4 / 72


def _page_mm(content: bytes) -> tuple[int, int]:
    box = pdf_pages(content)[0].mediabox
    return round(float(box.width) * MM_PER_POINT), round(float(box.height) * MM_PER_POINT)


def test_it_names_each_exercise_with_its_dose(patient):
    text = pdf_text(handout_pdf(patient))
    items = active_items(patient)
    assert items
    for item in items:
        assert item.exercise.name in text
        level = current_dose(item)
        assert f"{level.reps} reps" in text
    assert "Breathing:" in text


@pytest.mark.parametrize(
    ("region", "number", "route"),
    [
        ("us", "911", "urgent care"),
        ("uk", "999", "NHS 111"),
        ("eu", "112", "out-of-hours doctor"),
    ],
)
def test_it_gives_the_emergency_number_and_route_of_the_clinics_region(db, region, number, route):
    clinic = make_clinic()
    clinic.region = region
    clinic.phone = "+44 20 7946 0000"
    clinic.save()
    text = pdf_text(handout_pdf(make_patient(clinic)))
    assert f"In an emergency call {number}" in text
    assert route in text
    assert "cauda equina" in text
    assert "+44 20 7946 0000" in text
    others = {"911", "999", "112"} - {number}
    assert not any(f"call {other}" in text for other in others)


def test_it_prints_on_letter_in_the_us_and_a4_elsewhere_unless_asked(db):
    clinic = make_clinic()
    patient = make_patient(clinic)
    assert paper_for("us") == "letter" and paper_for("uk") == "a4"
    assert _page_mm(handout_pdf(patient)) == (216, 279)
    assert _page_mm(handout_pdf(patient, paper="a4")) == (210, 297)
    clinic.region = "eu"
    clinic.save()
    patient.refresh_from_db()
    assert _page_mm(handout_pdf(patient)) == (210, 297)


def test_a_patient_without_a_program_still_gets_a_handout_saying_so(db):
    text = pdf_text(handout_pdf(make_patient(program=False)))
    assert "No exercises are prescribed yet" in text
    assert "In an emergency call 911" in text


def test_a_patient_who_may_not_start_yet_is_told_so_first(db):
    held = pdf_text(handout_pdf(make_patient(screened=False)))
    assert "Don't start these exercises yet." in held
    assert "Bridge" in held


def test_a_patient_cleared_to_exercise_is_not_told_to_wait(patient):
    assert "Don't start these exercises yet." not in pdf_text(handout_pdf(patient))


def test_the_clinician_prints_it_from_the_patient_page_and_it_is_audited(patient, clinician):
    client = Client()
    client.force_login(clinician.user)
    response = client.get(f"/clinic/patients/{patient.id}/handout.pdf?paper=a4")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert str(patient.id) not in response["Content-Disposition"]
    assert _page_mm(response.content) == (210, 297)
    assert AuditEvent.objects.filter(
        patient=patient, actor=clinician.user, action="patient.handout"
    ).exists()


def test_another_clinics_clinician_gets_404(patient, other_clinic_clinician):
    client = Client()
    client.force_login(other_clinic_clinician.user)
    assert client.get(f"/clinic/patients/{patient.id}/handout.pdf").status_code == 404


def test_the_patient_prints_their_own(patient):
    client = Client()
    client.force_login(patient.user)
    response = client.get("/handout.pdf")
    assert response.status_code == 200
    assert "Bridge" in pdf_text(response.content)


def test_an_unknown_paper_size_is_a_400_that_says_which_exist(patient):
    client = Client()
    client.force_login(patient.user)
    response = client.get("/handout.pdf?paper=a3")
    assert response.status_code == 400
    assert b"a4" in response.content and b"letter" in response.content


def test_page_one_renders_to_an_image(patient, tmp_path):
    png = first_page_png(handout_pdf(patient), tmp_path / "handout")
    assert png.stat().st_size > 10_000
