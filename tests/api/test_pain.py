from __future__ import annotations

import pytest
from django.test import Client

from supine.outcomes.models import PainReport
from tests.api.helpers import bearer_client, post_json


def test_a_pain_rating_is_recorded(patient):
    response = post_json(
        bearer_client(patient.user), "/api/v1/me/pain", {"score": 3, "note": "stiff"}
    )
    assert response.status_code == 201
    report = PainReport.objects.get(patient=patient)
    assert (report.score, report.note) == (3, "stiff")
    assert response.json()["id"] == str(report.id)


@pytest.mark.parametrize("score", [0, 10])
def test_the_ends_of_the_scale_are_accepted(patient, score):
    response = post_json(bearer_client(patient.user), "/api/v1/me/pain", {"score": score})
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({"score": "5"}, "score"),
        ({"score": 4.5}, "score"),
        ({"score": True}, "score"),
        ({"score": None}, "score"),
        ({}, "score"),
        ({"score": 3, "note": 7}, "note"),
        ({"score": 3, "note": "x" * 1001}, "note"),
        ({"score": 3, "mood": "fine"}, "mood"),
        ({"score": 3, "moment": "yesterday"}, "moment"),
    ],
)
def test_bad_values_are_refused_by_field_and_nothing_is_stored(patient, body, field):
    response = post_json(bearer_client(patient.user), "/api/v1/me/pain", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors]
    assert field in response.json()["detail"]
    assert not PainReport.objects.exists()


@pytest.mark.parametrize("raw", ["{score: 3", "", "[1, 2]", "null", "\x00"])
def test_malformed_json_is_a_4xx_not_a_500(patient, raw):
    response = post_json(bearer_client(patient.user), "/api/v1/me/pain", raw)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert not PainReport.objects.exists()


def test_an_oversized_body_is_refused(patient):
    body = '{"score": 3, "note": "' + "x" * (2 * 1024 * 1024) + '"}'
    response = post_json(bearer_client(patient.user), "/api/v1/me/pain", body)
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert not PainReport.objects.exists()


def test_pain_needs_a_signed_in_patient(db):
    response = post_json(Client(), "/api/v1/me/pain", {"score": 3})
    assert response.status_code == 401


def test_a_clinician_cannot_record_pain_as_if_a_patient(clinician):
    response = post_json(bearer_client(clinician.user), "/api/v1/me/pain", {"score": 3})
    assert response.status_code == 403
    assert not PainReport.objects.exists()


def test_a_cookie_session_post_needs_the_csrf_token(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)
    response = post_json(client, "/api/v1/me/pain", {"score": 3})
    assert response.status_code == 403
    assert not PainReport.objects.exists()


def test_an_anonymous_write_is_told_to_sign_in_not_refused_for_csrf(db):
    response = post_json(Client(enforce_csrf_checks=True), "/api/v1/me/pain", {"score": 3})
    assert response.status_code == 401
    assert "Sign in first" in response.json()["detail"]
    assert not PainReport.objects.exists()
