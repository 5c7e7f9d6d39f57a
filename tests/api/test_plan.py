from __future__ import annotations

import json

from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from tests.api.helpers import bearer_client


def test_the_plan_is_todays_timeline_for_the_seed_program(patient):
    body = bearer_client(patient.user).get("/api/v1/me/plan").json()
    assert body["date"] == timezone.localdate().isoformat()
    assert body["total_ms"] == sum(step["duration_ms"] for step in body["steps"])
    exercises = [s["exercise"] for s in body["steps"] if s["kind"] == "setup"]
    assert exercises == ["deep-abdominal-strengthening", "knee-rolls", "bridge"]
    assert body["steps"][-1]["kind"] == "done"
    assert set(body["steps"][0]) == {
        "kind", "exercise", "set", "rep", "side", "text", "cue", "duration_ms", "self_paced",
    }  # fmt: skip


def test_the_plan_starts_at_the_bottom_of_each_range(patient):
    steps = bearer_client(patient.user).get("/api/v1/me/plan").json()["steps"]
    holds = [s for s in steps if s["kind"] == "hold"]
    per_exercise = {slug: [h for h in holds if h["exercise"] == slug] for slug in
                    ("deep-abdominal-strengthening", "knee-rolls", "bridge")}  # fmt: skip
    assert len(per_exercise["deep-abdominal-strengthening"]) == 5
    assert len(per_exercise["knee-rolls"]) == 10
    assert len(per_exercise["bridge"]) == 5
    assert {h["duration_ms"] for h in per_exercise["bridge"]} == {5000}


def test_the_plan_works_with_the_session_cookie(patient, client):
    client.force_login(patient.user)
    assert client.get("/api/v1/me/plan").status_code == 200


def test_a_clinician_has_no_plan(clinician):
    response = bearer_client(clinician.user).get("/api/v1/me/plan")
    assert response.status_code == 403
    assert "patient" in response.json()["detail"]


def test_the_plan_needs_a_signed_in_caller(db):
    response = Client().get("/api/v1/me/plan")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_the_plan_is_written_out_as_built_and_matches_its_schema_exactly(patient):
    """The plan leaves without a second validation, so its shape is held here to PlanOut:
    every field the schema names, with the value the schema would give, and no other."""
    from django.test import RequestFactory

    import supine.api  # noqa: F401 — the API's routers, in the order the site loads them
    from supine.programs.api import PlanOut, my_plan

    request = RequestFactory().get("/api/v1/me/plan")
    request.user = patient.user
    response = my_plan(request)
    assert isinstance(response, HttpResponse)  # a finished response: not validated again
    body = json.loads(response.content)
    assert body == PlanOut.model_validate(body).model_dump(mode="json")
    assert body["limits"] and body["advice"] and len(body["steps"]) > 20
    assert bearer_client(patient.user).get("/api/v1/me/plan").json() == body
