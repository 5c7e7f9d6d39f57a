from __future__ import annotations

from django.test import Client

from supine.accounts.models import ApiToken
from tests.api.helpers import post_json
from tests.factories import PASSWORD


def test_a_token_is_issued_for_the_right_password_and_stored_hashed(patient):
    response = post_json(
        Client(), "/api/v1/auth/token", {"username": "patient", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=patient.user)
    assert token not in stored.key_hash
    assert len(stored.key_hash) == 64


def test_the_token_authenticates_api_calls(patient):
    token = post_json(
        Client(), "/api/v1/auth/token", {"username": "patient", "password": PASSWORD}
    ).json()["token"]
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me/plan")
    assert response.status_code == 200


def test_a_wrong_password_is_a_401_and_issues_nothing(patient):
    response = post_json(
        Client(), "/api/v1/auth/token", {"username": "patient", "password": "nope"}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "Wrong username or password."
    assert not ApiToken.objects.exists()


def test_a_revoked_token_no_longer_works(patient):
    token = post_json(
        Client(), "/api/v1/auth/token", {"username": "patient", "password": PASSWORD}
    ).json()["token"]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.delete("/api/v1/auth/token").status_code == 204
    assert client.get("/api/v1/me/plan").status_code == 401


def test_a_made_up_token_is_refused(patient):
    client = Client(headers={"Authorization": "Bearer not-a-real-token"})
    response = client.get("/api/v1/me/plan")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
