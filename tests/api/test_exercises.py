from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_list_holds_the_whole_library_with_doses():
    response = Client().get("/api/v1/exercises")
    assert response.status_code == 200
    by_slug = {e["slug"]: e for e in response.json()}
    assert {"deep-abdominal-strengthening", "knee-rolls", "bridge"} <= set(by_slug)
    assert len(by_slug) >= 12
    assert by_slug["bridge"]["figure_url"] == "/exercises/bridge/figure.svg"
    assert by_slug["bridge"]["thumbnail_url"] == "/exercises/bridge/thumbnail.svg"


@pytest.mark.django_db
def test_one_exercise_has_steps_figure_and_the_exact_dose_shape():
    body = Client().get("/api/v1/exercises/bridge").json()
    assert body["dose"] == {
        "reps": {"min": 5, "max": 10},
        "hold_seconds": {"min": 5, "max": 10},
        "sets": {"min": 1, "max": 1},
        "per_side": False,
    }
    assert body["steps"][0].startswith("Lie on the floor")
    assert body["figure_url"].endswith(".svg")


@pytest.mark.django_db
def test_an_exercise_without_a_hold_has_a_null_hold():
    body = Client().get("/api/v1/exercises/cat-camel").json()
    assert body["dose"]["hold_seconds"] is None


@pytest.mark.django_db
def test_a_per_side_exercise_says_so():
    assert Client().get("/api/v1/exercises/bird-dog").json()["dose"]["per_side"] is True


@pytest.mark.django_db
def test_an_unknown_slug_is_a_404_with_a_message():
    response = Client().get("/api/v1/exercises/handstand")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.django_db
def test_the_figure_url_serves_an_svg():
    body = Client().get("/api/v1/exercises/knee-rolls").json()
    response = Client().get(body["figure_url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response.content.lstrip().startswith(b"<svg")


@pytest.mark.django_db
def test_one_exercise_gains_its_precautions_and_assessment_flag():
    body = Client().get("/api/v1/exercises/prone-press-up").json()
    assert body["assessment_only"] is True
    conditions = {p["condition"] for p in body["precautions"]}
    assert conditions == {
        "spinal_stenosis", "spondylolisthesis", "pregnancy", "recent_abdominal_surgery",
    }  # fmt: skip
    assert all(set(p) == {"condition", "advice"} and p["advice"] for p in body["precautions"])
    assert body["feel"]
    assert body["mistakes"]


@pytest.mark.django_db
def test_the_earlier_fields_are_all_still_there():
    body = Client().get("/api/v1/exercises/knee-rolls").json()
    assert {
        "slug", "name", "purpose", "body_regions", "figure_url", "page_url", "dose",
        "starting_position", "equipment", "steps", "breathing", "cautions", "sources",
        "alternate_sides",
    } <= set(body)  # fmt: skip
    assert body["assessment_only"] is False
    assert {p["condition"] for p in body["precautions"]} == {
        "osteoporosis", "hip_replacement", "pregnancy",
    }  # fmt: skip


def test_the_schema_documents_the_new_fields(stranger):
    from tests.api.helpers import bearer_client

    schema = bearer_client(stranger).get("/api/v1/openapi.json").json()
    exercise = schema["components"]["schemas"]["ExerciseOut"]["properties"]
    assert {"precautions", "assessment_only", "feel", "mistakes"} <= set(exercise)


@pytest.mark.django_db
def test_the_list_reads_only_the_columns_a_summary_shows():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/api/v1/exercises")
    assert response.status_code == 200
    assert len(response.json()) >= 12
    reads = [q["sql"] for q in queries if 'FROM "library_exercise"' in q["sql"]]
    assert len(reads) == 1, reads
    selected = reads[0].split(" FROM ")[0]
    for heavy in ("figure", "steps", "sources", "cautions", "mistakes", "notes", "feel"):
        assert f'"library_exercise"."{heavy}"' not in selected, heavy
    assert '"library_exercise"."purpose"' in selected
