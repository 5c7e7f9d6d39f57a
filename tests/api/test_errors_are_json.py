"""In production every API error is JSON with a `detail`, whatever produced it."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def test_an_unknown_api_address_is_a_json_404(production, db):
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "no such API address" in response.json()["detail"]


def test_a_method_not_allowed_is_json_and_says_which_are(production, patient):
    client = Client()
    client.force_login(patient.user)
    response = client.delete("/api/v1/me/plan")
    assert response.status_code == 405
    assert response.json()["detail"] == "Method Not Allowed."
    assert "GET" in response["Allow"]


def test_a_server_error_is_json(production, settings, db):
    settings.ROOT_URLCONF = "tests.urls_with_a_fault"
    response = Client(raise_request_exception=False).get("/api/v1/fault")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "went wrong" in response.json()["detail"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_keep_their_html_error_pages(production, db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
