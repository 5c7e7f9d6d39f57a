"""Tokens expire, are listed and revocable by their owner."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from tests.api.helpers import post_json
from tests.factories import PASSWORD

T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def new_token(username: str = "patient") -> tuple[Client, dict]:
    body = {"username": username, "password": PASSWORD}
    answer = post_json(Client(), "/api/v1/auth/token", body).json()
    return Client(headers={"Authorization": f"Bearer {answer['token']}"}), answer


def test_a_token_expires_after_30_days(patient):
    with time_machine.travel(T0, tick=False) as clock:
        api, answer = new_token()
        assert datetime.fromisoformat(answer["expires_at"]) == T0 + timedelta(days=30)
        clock.shift(timedelta(days=29, hours=23))
        assert api.get("/api/v1/me/plan").status_code == 200
        clock.shift(timedelta(hours=2))
        assert api.get("/api/v1/me/plan").status_code == 401


def test_the_token_lifetime_is_a_setting(patient, settings):
    settings.API_TOKEN_DAYS = 2
    with time_machine.travel(T0, tick=False) as clock:
        api, _ = new_token()
        clock.shift(timedelta(days=2, minutes=1))
        assert api.get("/api/v1/me/plan").status_code == 401


def test_a_person_lists_their_live_tokens(patient, clinician):
    api, first = new_token()
    _, second = new_token()
    revoked, _ = new_token()
    revoked.delete("/api/v1/auth/token")
    new_token("clinician")
    listed = api.get("/api/v1/auth/tokens").json()
    assert [t["id"] for t in listed] == [second["id"], first["id"]]
    assert [t["current"] for t in listed] == [False, True]
    assert listed[1]["prefix"] == first["token"][:8]
    assert "token" not in listed[0]


def test_a_person_revokes_one_of_their_tokens_by_id(patient):
    api, _ = new_token()
    lost_phone, lost = new_token()
    assert api.delete(f"/api/v1/auth/tokens/{lost['id']}").status_code == 204
    assert lost_phone.get("/api/v1/me/plan").status_code == 401
    assert api.get("/api/v1/me/plan").status_code == 200
    assert api.delete(f"/api/v1/auth/tokens/{lost['id']}").status_code == 404


def test_no_one_revokes_another_persons_token(patient, clinician):
    patients_app, answer = new_token()
    clinicians_app, _ = new_token("clinician")
    response = clinicians_app.delete(f"/api/v1/auth/tokens/{answer['id']}")
    assert response.status_code == 404
    assert patients_app.get("/api/v1/me/plan").status_code == 200
    assert clinicians_app.delete(f"/api/v1/auth/tokens/{uuid.uuid4()}").status_code == 404


def test_the_browser_session_lists_tokens_too(client, patient):
    new_token()
    client.force_login(patient.user)
    listed = client.get("/api/v1/auth/tokens").json()
    assert len(listed) == 1 and listed[0]["current"] is False


def test_strangers_list_nothing(db):
    assert Client().get("/api/v1/auth/tokens").status_code == 401
