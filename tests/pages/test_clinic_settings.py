"""The clinic's settings: for its admins only, every change audited."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from supine.accounts.models import ClinicianInvitation
from supine.clinic.models import AuditEvent, Clinic, Clinician
from tests.factories import PASSWORD, make_clinician

CLINIC = {
    "name": "Riverside Back Clinic",
    "phone": "+44 20 7946 0000",
    "region": "uk",
    "time_zone": "Europe/Dublin",
    "on_call_email": "on-call@riverside.example",
    "escalation_minutes": "15",
    "retention_years": "10",
}


@pytest.fixture
def admin(clinic) -> Clinician:
    admin = make_clinician(clinic, username="admin")
    admin.is_admin = True
    admin.save(update_fields=["is_admin"])
    return admin


@pytest.fixture
def desk(client, admin) -> Client:
    client.force_login(admin.user)
    return client


def test_a_new_clinic_takes_the_sites_time_zone(settings, db):
    settings.TIME_ZONE = "America/Los_Angeles"
    assert Clinic.objects.create(name="New").time_zone == "America/Los_Angeles"


def test_the_admin_edits_the_clinic_and_it_is_audited(desk, clinic):
    answer = desk.post("/clinic/settings/clinic", CLINIC)
    assert answer.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.name, clinic.region, clinic.time_zone) == (
        "Riverside Back Clinic",
        "uk",
        "Europe/Dublin",
    )
    assert clinic.escalation_minutes == 15
    assert clinic.retention_years == 10
    event = AuditEvent.objects.get(action="clinic.settings")
    assert "time_zone" in event.detail and "escalation_minutes" in event.detail


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Olympus_Mons"),
        ("escalation_minutes", "31"),
        ("escalation_minutes", "0"),
        ("retention_years", "0"),
    ],
)
def test_bad_settings_are_refused(desk, clinic, field, value):
    answer = desk.post("/clinic/settings/clinic", {**CLINIC, field: value})
    assert answer.status_code == 422
    clinic.refresh_from_db()
    assert clinic.name == "Riverside Clinic"
    assert not AuditEvent.objects.filter(action="clinic.settings").exists()


def test_a_clinician_who_is_not_an_admin_gets_403(client, clinician):
    client.force_login(clinician.user)
    assert client.get("/clinic/settings/").status_code == 403
    assert client.post("/clinic/settings/clinic", CLINIC).status_code == 403
    answer = client.post(f"/clinic/settings/clinicians/{clinician.id}", {})
    assert answer.status_code == 403


def test_the_admin_sets_who_may_clear_holds(desk, clinic):
    colleague = make_clinician(clinic, may_clear_holds=False)
    prefix = str(colleague.id)
    answer = desk.post(
        f"/clinic/settings/clinicians/{colleague.id}",
        {
            f"{prefix}-may_clear_holds": "on",
            f"{prefix}-assesses_red_flags": "on",
            f"{prefix}-profession": "doctor",
            f"{prefix}-registration_number": "GMC 1234567",
        },
    )
    assert answer.status_code == 302
    colleague.refresh_from_db()
    assert colleague.may_clear_holds and colleague.assesses_red_flags and colleague.is_doctor
    assert colleague.registration_number == "GMC 1234567"
    assert not colleague.is_admin
    assert str(colleague.id) in AuditEvent.objects.get(action="clinician.roles").detail


def test_the_last_admin_cannot_step_down(desk, admin):
    prefix = str(admin.id)
    desk.post(f"/clinic/settings/clinicians/{admin.id}", {f"{prefix}-profession": "doctor"})
    admin.refresh_from_db()
    assert admin.is_admin


def test_another_clinics_clinician_is_404(desk, other_clinic_clinician):
    answer = desk.post(f"/clinic/settings/clinicians/{other_clinic_clinician.id}", {})
    assert answer.status_code == 404


def test_a_colleague_joins_by_a_one_time_link(desk, clinic):
    page = desk.post("/clinic/settings/invite", {"name": "Jo Physio", "email": "jo@example.org"})
    link = re.search(r'id="colleague-link">([^<]+)<', page.content.decode()).group(1)
    link = link.removeprefix("http://testserver")
    assert AuditEvent.objects.filter(action="clinician.invite").exists()
    browser = Client()
    answer = browser.post(link, {"username": "jo", "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == "/clinic/"
    jo = Clinician.objects.get(user__username="jo")
    assert (jo.clinic, jo.email, jo.is_admin) == (clinic, "jo@example.org", False)
    assert Client().get(link).status_code == 410


def test_a_withdrawn_colleague_link_is_dead(desk):
    page = desk.post("/clinic/settings/invite", {"name": "Jo Physio", "email": "jo@example.org"})
    link = re.search(r'id="colleague-link">([^<]+)<', page.content.decode()).group(1)
    invitation = ClinicianInvitation.objects.get()
    desk.post(f"/clinic/settings/invitations/{invitation.id}/revoke")
    assert Client().get(link.removeprefix("http://testserver")).status_code == 410


def test_createclinic_makes_a_clinic_an_admin_and_a_password_link(db, capsys):
    call_command("createclinic", "Hilltop Physio", "--admin-email", "Boss@Hilltop.example")
    out = capsys.readouterr().out
    admin = Clinician.objects.get(user__username="boss@hilltop.example")
    assert admin.is_admin and admin.clinic.name == "Hilltop Physio"
    assert not admin.user.has_usable_password()
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", out).group(1)
    browser = Client()
    form_page = browser.get(link, follow=True)
    new = "the boss chooses a long one"
    browser.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert browser.login(username="boss@hilltop.example", password=new)
    assert "can't be used" in Client().get(link, follow=True).content.decode()


def test_createclinic_refuses_a_taken_email_or_a_bad_one(db):
    call_command("createclinic", "One", "--admin-email", "a@example.org")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createclinic", "Two", "--admin-email", "a@example.org")
    with pytest.raises(CommandError, match="Not an email"):
        call_command("createclinic", "Three", "--admin-email", "nope")
    assert Clinic.objects.count() == 1
