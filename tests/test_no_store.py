"""Nothing a signed-in person is shown is kept by a browser or proxy cache."""

from __future__ import annotations

from tests.api.helpers import bearer_client


def test_a_patients_pages_and_api_answers_are_not_stored(client, patient):
    client.force_login(patient.user)
    for url in ("/today/", "/session/", "/api/v1/me/plan"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_a_bearer_tokens_answers_are_not_stored(patient):
    response = bearer_client(patient.user).get("/api/v1/me/plan")
    assert "no-store" in response["Cache-Control"]


def test_a_clinicians_view_of_a_patient_is_not_stored(client, clinician, patient):
    client.force_login(clinician.user)
    response = client.get(f"/clinic/patients/{patient.id}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_and_the_public_library_keep_their_caching(client, patient):
    client.force_login(patient.user)
    static = client.get("/static/supine/supine.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    figure = client.get("/exercises/bridge/figure.svg")
    assert "public" in figure["Cache-Control"]
