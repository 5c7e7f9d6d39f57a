from __future__ import annotations

from django.test import Client


def test_healthz_answers_when_the_database_does(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_openapi_schema_lists_the_contract_paths(db):
    schema = Client().get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/exercises",
        "/api/v1/exercises/{slug}",
        "/api/v1/auth/token",
        "/api/v1/me/plan",
        "/api/v1/me/pain",
    ):
        assert path in schema["paths"], path


def test_the_api_docs_page_is_served_without_any_cdn(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content
