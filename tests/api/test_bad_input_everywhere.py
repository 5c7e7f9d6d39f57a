"""Every write endpoint answers malformed JSON, oversized bodies and missing sign-in with a
4xx and a message, never a 500, and writes nothing."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from supine.accounts.models import ApiToken
from supine.clinic.models import Alert
from supine.outcomes.models import PainReport
from supine.safety.models import Clearance, Screening
from supine.sessions.models import ExerciseSession, SessionEvent
from tests.api.helpers import bearer_client, post_json

ALL_RECORDS = (ApiToken, PainReport, Screening, Clearance, ExerciseSession, SessionEvent, Alert)


@pytest.fixture
def endpoints(patient, clinician):
    session_id = post_json(bearer_client(patient.user), "/api/v1/me/sessions", {}).json()["id"]
    alert = Alert.objects.create(patient=patient, kind="red_flag", severity="urgent", reason="x")
    patient_api, clinician_api = bearer_client(patient.user), bearer_client(clinician.user)
    return [
        (Client(), "/api/v1/auth/token", False),
        (patient_api, "/api/v1/me/pain", True),
        (patient_api, "/api/v1/me/sessions", True),
        (patient_api, f"/api/v1/me/sessions/{session_id}/events", True),
        (patient_api, "/api/v1/me/screening", True),
        (clinician_api, f"/api/v1/clinic/alerts/{alert.id}/ack", True),
        (clinician_api, f"/api/v1/clinic/patients/{patient.id}/clearance", True),
    ]


def counts() -> list[int]:
    return [model.objects.count() for model in ALL_RECORDS]


@pytest.mark.parametrize("raw", ["{not json", "[1, 2", "\x00", "null", '"text"'])
def test_malformed_json_is_a_4xx_everywhere(endpoints, raw):
    before = counts()
    for client, url, _ in endpoints:
        response = post_json(client, url, raw)
        if url.endswith("/ack"):
            continue  # takes no body: acknowledging ignores it
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response.json()["detail"], url
    assert counts()[:-1] == before[:-1]


def test_an_oversized_body_is_a_413_everywhere(endpoints):
    body = '{"x": "' + "y" * (2 * 1024 * 1024) + '"}'
    before = counts()
    for client, url, _ in endpoints:
        response = post_json(client, url, body)
        assert response.status_code == 413, (url, response.status_code)
    assert counts() == before


def test_missing_sign_in_is_a_401_everywhere(endpoints):
    for _, url, needs_auth in endpoints:
        if needs_auth:
            response = post_json(Client(), url, {})
            assert response.status_code == 401, url
            assert "Sign in" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/me/sessions/not-a-uuid",
        f"/api/v1/me/sessions/{uuid.uuid4()}",
        "/api/v1/exercises/no-such-exercise",
    ],
)
def test_unknown_ids_are_a_4xx_with_a_message(patient, url):
    response = bearer_client(patient.user).get(url)
    assert response.status_code in (404, 422)
    assert response.json()["detail"]
