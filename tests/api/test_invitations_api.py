"""POST /api/v1/clinic/invitations and POST /api/v1/auth/signup, as the issue gives them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from supine.accounts.models import Invitation
from supine.clinic.models import AuditEvent, Patient
from tests.api.helpers import bearer_client, post_json
from tests.factories import PASSWORD

BODY = {
    "name": "Robin Patient",
    "email": "robin@example.org",
    "year_of_birth": 1970,
    "usual_pain": 4,
    "conditions": ["sciatica", "pregnancy"],
}


@pytest.fixture
def api(clinician) -> Client:
    return bearer_client(clinician.user)


def invite(api: Client, **changes):
    return post_json(api, "/api/v1/clinic/invitations", {**BODY, **changes})


def test_an_invitation_is_made_with_its_code_link_and_patient(api, clinician):
    answer = invite(api)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert set(body) == {"id", "code", "url", "expires_at", "patient"}
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", body["code"])
    assert re.fullmatch(r"http://testserver/join/[\w-]{40,}/", body["url"])
    patient = Patient.objects.get(id=body["patient"]["id"])
    assert patient.clinic == clinician.clinic
    assert patient.conditions == ["pregnancy", "sciatica"]
    assert AuditEvent.objects.filter(patient=patient, action="patient.enrol").exists()


def test_email_and_conditions_may_be_left_out(api):
    body = {k: v for k, v in BODY.items() if k not in ("email", "conditions")}
    assert post_json(api, "/api/v1/clinic/invitations", body).status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"usual_pain": 11}, "usual_pain"),
        ({"conditions": ["vampirism"]}, "conditions"),
        ({"name": ""}, "name"),
        ({"email": "not an email"}, "email"),
        ({"year_of_birth": 2999}, "year_of_birth"),
    ],
)
def test_bad_input_is_refused_naming_the_field(api, change, field):
    answer = invite(api, **change)
    assert answer.status_code == 422
    assert field in answer.json()["detail"]
    assert not Patient.objects.exists()


def test_a_patient_cannot_invite(patient):
    assert invite(bearer_client(patient.user)).status_code == 403


def test_signup_with_the_code_gives_a_token_that_works(api):
    code = invite(api).json()["code"]
    answer = post_json(
        Client(), "/api/v1/auth/signup", {"code": code, "username": "robin", "password": PASSWORD}
    )
    assert answer.status_code == 201, answer.content
    token = answer.json()["token"]
    me = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me/plan")
    assert me.status_code != 401


def test_a_used_revoked_or_expired_code_is_410(api):
    signup = "/api/v1/auth/signup"
    used = invite(api).json()["code"]
    ok = {"username": "robin", "password": PASSWORD}
    assert post_json(Client(), signup, {"code": used, **ok}).status_code == 201
    again = post_json(Client(), signup, {"code": used, "username": "other1", "password": PASSWORD})
    assert again.status_code == 410

    revoked = invite(api).json()
    assert api.delete(f"/api/v1/clinic/invitations/{revoked['id']}").status_code == 204
    body = {"code": revoked["code"], "username": "other2", "password": PASSWORD}
    assert post_json(Client(), signup, body).status_code == 410

    expired = invite(api).json()["code"]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        body = {"code": expired, "username": "other3", "password": PASSWORD}
        assert post_json(Client(), signup, body).status_code == 410


def test_a_weak_password_is_422_naming_why(api):
    code = invite(api).json()["code"]
    answer = post_json(
        Client(), "/api/v1/auth/signup", {"code": code, "username": "robin", "password": "short"}
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["errors"][0]["field"] == "password"
    assert "too short" in body["detail"]


def test_pending_invitations_are_listed_and_revoked(api):
    first = invite(api).json()
    invite(api, name="Kim Patient")
    listed = api.get("/api/v1/clinic/invitations").json()
    assert {i["name"] for i in listed} == {"Robin Patient", "Kim Patient"}
    api.delete(f"/api/v1/clinic/invitations/{first['id']}")
    listed = api.get("/api/v1/clinic/invitations").json()
    assert [i["name"] for i in listed] == ["Kim Patient"]
    assert Invitation.objects.get(id=first["id"]).revoked_at is not None


def test_another_clinics_invitation_is_404(api, other_clinic_clinician):
    theirs = invite(bearer_client(other_clinic_clinician.user)).json()
    assert api.delete(f"/api/v1/clinic/invitations/{theirs['id']}").status_code == 404
    assert api.get("/api/v1/clinic/invitations").json() == []
    assert Invitation.objects.get(id=theirs["id"]).revoked_at is None


def test_signup_is_rate_limited_per_address(db, settings):
    settings.SUPINE_ENROL_ATTEMPTS_PER_HOUR = 3
    body = {"code": "ABCDEFGH", "username": "robin", "password": PASSWORD}
    answers = [post_json(Client(), "/api/v1/auth/signup", body).status_code for _ in range(4)]
    assert answers == [410, 410, 410, 429]
