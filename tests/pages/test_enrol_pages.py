"""Add patient → the card; the patient joins by link or code; resend, withdraw, reset."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from supine.accounts.models import Invitation
from supine.clinic.models import AuditEvent, Patient
from tests.factories import PASSWORD

FORM = {
    "name": "Robin Patient",
    "email": "",
    "year_of_birth": "1970",
    "usual_pain": "4",
    "conditions": ["sciatica", "knee_problems"],
}


@pytest.fixture
def desk(client, clinician) -> Client:
    client.force_login(clinician.user)
    return client


def add_patient(desk: Client, **changes) -> tuple[str, str]:
    page = desk.post("/clinic/patients/new", {**FORM, **changes})
    assert page.status_code == 200, page.content
    html = page.content.decode()
    code = re.search(r'class="code"[^>]*>([A-Z2-9]{4}-[A-Z2-9]{4})<', html).group(1)
    link = re.search(r'id="join-link">([^<]+)<', html).group(1)
    return code, link.removeprefix("http://testserver")


def test_the_form_lists_the_conditions(desk):
    html = desk.get("/clinic/patients/new").content.decode()
    for condition in ("osteoporosis", "recent_abdominal_surgery", "spondylolisthesis"):
        assert f'value="{condition}"' in html


def test_adding_a_patient_shows_a_printable_card_with_a_qr_code(desk, clinician):
    page = desk.post("/clinic/patients/new", FORM)
    html = page.content.decode()
    assert "<svg" in html and "QR code" in html
    assert "supine/enrol.css" in html
    assert re.search(r'class="code"[^>]*>[A-Z2-9]{4}-[A-Z2-9]{4}<', html)
    patient = Patient.objects.get(display_name="Robin Patient")
    assert patient.clinic == clinician.clinic
    assert patient.conditions == ["knee_problems", "sciatica"]
    assert AuditEvent.objects.filter(patient=patient, action="patient.enrol").exists()


def test_bad_input_shows_the_form_again(desk):
    page = desk.post("/clinic/patients/new", {**FORM, "usual_pain": "12", "year_of_birth": "3000"})
    assert page.status_code == 422
    assert not Patient.objects.exists()


def test_the_patient_joins_by_link_and_lands_in_the_safety_questions(desk):
    _, link = add_patient(desk)
    patient_browser = Client()
    assert patient_browser.get(link).status_code == 200
    answer = patient_browser.post(link, {"username": "robin", "password": PASSWORD})
    assert answer.status_code == 302
    assert answer["Location"] == "/safety/screening/"
    assert patient_browser.get("/safety/screening/").status_code == 200


def test_the_patient_joins_by_code_typed_loosely(desk):
    code, _ = add_patient(desk)
    patient_browser = Client()
    typed = code.lower().replace("-", " ")
    answer = patient_browser.post(
        "/join/", {"code": typed, "username": "robin", "password": PASSWORD}
    )
    assert answer.status_code == 302 and answer["Location"] == "/safety/screening/"


def test_a_used_link_shows_a_calm_410_page(desk):
    _, link = add_patient(desk)
    Client().post(link, {"username": "robin", "password": PASSWORD})
    again = Client().get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert Client().get("/join/nonsense-token/").status_code == 410


def test_a_wrong_code_says_so_on_the_form(db):
    answer = Client().post("/join/", {"code": "ABCD-EFGH", "username": "x", "password": PASSWORD})
    assert answer.status_code == 422
    assert "already been used" in answer.content.decode()


def test_a_weak_password_is_refused_on_the_page(desk):
    _, link = add_patient(desk)
    answer = Client().post(link, {"username": "robin", "password": "short"})
    assert answer.status_code == 422
    assert "too short" in answer.content.decode()


def test_resend_gives_a_new_code_and_kills_the_old(desk):
    old_code, old_link = add_patient(desk)
    invitation = Invitation.objects.get()
    page = desk.post(f"/clinic/invitations/{invitation.id}/resend")
    new_code = re.search(r'class="code"[^>]*>([A-Z2-9-]{9})<', page.content.decode()).group(1)
    assert new_code != old_code
    assert Client().get(old_link).status_code == 410


def test_revoke_from_the_list(desk):
    _, link = add_patient(desk)
    invitation = Invitation.objects.get()
    assert "Robin Patient" in desk.get("/clinic/invitations/").content.decode()
    page = desk.post(f"/clinic/invitations/{invitation.id}/revoke", follow=True)
    assert "for Robin Patient is withdrawn" in page.content.decode()
    assert "<td>Robin Patient</td>" not in desk.get("/clinic/invitations/").content.decode()
    assert Client().get(link).status_code == 410
    assert AuditEvent.objects.filter(action="invitation.revoke").exists()


def test_another_clinics_invitation_is_404(desk, other_clinic_clinician):
    theirs = Client()
    theirs.force_login(other_clinic_clinician.user)
    _, link = add_patient(theirs)
    invitation = Invitation.objects.get()
    assert desk.post(f"/clinic/invitations/{invitation.id}/resend").status_code == 404
    assert desk.post(f"/clinic/invitations/{invitation.id}/revoke").status_code == 404
    assert Client().get(link).status_code == 200


def test_a_clinician_issues_a_reset_link_that_works_once(desk, patient):
    page = desk.post(f"/clinic/patients/{patient.id}/reset-link")
    link = re.search(r'id="reset-link">([^<]+)<', page.content.decode()).group(1)
    link = link.removeprefix("http://testserver")
    assert AuditEvent.objects.filter(patient=patient, action="patient.reset_link").exists()
    browser = Client()
    form_page = browser.get(link, follow=True)
    new = "a brand new sentence for robin"
    done = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.check_password(new)
    assert "already been used" in Client().get(link, follow=True).content.decode()


def test_a_patient_cannot_add_patients(client, patient):
    client.force_login(patient.user)
    assert client.post("/clinic/patients/new", FORM).status_code == 302
    assert Patient.objects.count() == 1
