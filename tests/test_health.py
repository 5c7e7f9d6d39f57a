from __future__ import annotations

from django.test import Client

from tests.api.helpers import bearer_client


def test_healthz_answers_when_the_database_does(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    # The worker's heartbeat: tests/ops/test_healthz_worker.py.
    assert set(response.json()["worker"]) == {"last_seen", "age_seconds", "ok"}


def test_the_openapi_schema_lists_the_contract_paths(stranger):
    schema = bearer_client(stranger).get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/exercises",
        "/api/v1/exercises/{slug}",
        "/api/v1/auth/token",
        "/api/v1/me/plan",
        "/api/v1/me/pain",
    ):
        assert path in schema["paths"], path


def test_the_api_docs_page_is_served_without_any_cdn(client, stranger):
    client.force_login(stranger)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content


def test_in_production_the_api_docs_and_schema_need_a_sign_in(db, settings):
    settings.DEBUG = False
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/")
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 401
    assert "Sign in first" in schema.json()["detail"]


def test_in_development_the_api_docs_are_open(db, settings):
    settings.DEBUG = True
    assert Client().get("/api/v1/openapi.json").status_code == 200
