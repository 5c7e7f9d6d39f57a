from __future__ import annotations

import uuid

import pytest

from supine.outcomes.models import PainReport
from supine.sessions.models import ExerciseSession, SessionEvent
from tests.api.helpers import bearer_client, post_json
from tests.sessions.helpers import event, send, start, whole_session_events


@pytest.fixture
def api(patient):
    return bearer_client(patient.user)


def test_starting_a_session_returns_its_id_and_todays_plan(api, patient):
    session_id = str(uuid.uuid4())
    response = post_json(api, "/api/v1/me/sessions", {"id": session_id})
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == session_id
    assert body["status"] == "in_progress"
    assert body["plan"]["steps"][-1]["kind"] == "done"


def test_starting_again_with_the_same_id_returns_the_same_session(api):
    session_id = str(uuid.uuid4())
    post_json(api, "/api/v1/me/sessions", {"id": session_id})
    again = post_json(api, "/api/v1/me/sessions", {"id": session_id})
    assert again.status_code == 200
    assert ExerciseSession.objects.count() == 1


def test_a_session_without_an_id_gets_one(api):
    response = post_json(api, "/api/v1/me/sessions", {})
    assert response.status_code == 201
    uuid.UUID(response.json()["id"])


def test_a_whole_session_is_recorded_rep_for_rep(api):
    session_id = start(api)
    plan = ExerciseSession.objects.get(id=session_id).plan
    response = send(api, session_id, whole_session_events(plan))
    assert response.status_code == 200
    record = api.get(f"/api/v1/me/sessions/{session_id}").json()
    assert record["status"] == "completed"
    assert record["feeling"] == "about_right"
    by_slug = {e["exercise"]: e for e in record["exercises"]}
    assert by_slug["deep-abdominal-strengthening"]["reps_planned"] == 5
    assert by_slug["knee-rolls"]["holds_planned"] == 10
    for progress in record["exercises"]:
        assert progress["reps_done"] == progress["reps_planned"]
        assert progress["holds_done"] == progress["holds_planned"]
    assert [(p["score"], p["moment"]) for p in record["pains"]] == [(2, "before"), (1, "after")]


def test_the_same_batch_posted_twice_is_stored_once(api):
    session_id = start(api)
    batch = [event("started"), event("pain_reported", {"score": 3, "moment": "before"})]
    first = send(api, session_id, batch).json()
    second = send(api, session_id, batch).json()
    assert len(first["accepted"]) == 2 and first["duplicates"] == []
    assert second["accepted"] == [] and sorted(second["duplicates"]) == sorted(first["accepted"])
    assert SessionEvent.objects.count() == 2
    assert PainReport.objects.count() == 1


def test_a_repeated_id_inside_one_batch_is_stored_once(api):
    session_id = start(api)
    same = event("started")
    body = send(api, session_id, [same, same]).json()
    assert len(body["accepted"]) == 1 and len(body["duplicates"]) == 1
    assert SessionEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (event("rep_done", {"exercise": "bridge", "set": 1, "rep": 0}), "events.1"),
        (event("pain_reported", {"score": 11, "moment": "during"}), "score"),
        (event("pain_reported", {"score": 3, "moment": "tomorrow"}), "moment"),
        (event("stopped", {"score": 5, "reason": "bored"}), "reason"),
        (event("jumped"), "events.1"),
        ({**event("started"), "at": "yesterday"}, "at"),
        ({**event("started"), "at": "2026-11-26T09:00:00"}, "at"),
        ({**event("started"), "id": "42"}, "id"),
        (event("started", {"extra": 1}), "extra"),
    ],
)
def test_a_batch_with_one_bad_event_stores_nothing(api, bad, field):
    session_id = start(api)
    response = send(api, session_id, [event("started"), bad])
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert SessionEvent.objects.count() == 0


def test_an_empty_batch_is_refused(api):
    response = send(api, start(api), [])
    assert response.status_code == 422


def test_another_patients_session_is_a_404(api, clinic):
    from tests.factories import make_patient

    other = bearer_client(make_patient(clinic).user)
    session_id = start(api)
    assert other.get(f"/api/v1/me/sessions/{session_id}").status_code == 404
    assert send(other, session_id, [event("started")]).status_code == 404
    assert SessionEvent.objects.count() == 0


def test_another_patients_session_id_cannot_be_taken_over(api, clinic):
    from tests.factories import make_patient

    session_id = start(api)
    other = bearer_client(make_patient(clinic).user)
    response = post_json(other, "/api/v1/me/sessions", {"id": session_id})
    assert response.status_code == 409


def test_an_event_id_of_another_session_is_refused(api):
    first, second = start(api), start(api)
    shared = event("started")
    send(api, first, [shared])
    response = send(api, second, [shared])
    assert response.status_code == 422
    assert "events.0.id" in response.json()["detail"]


def test_stop_mid_hold_records_pain_and_reason(api):
    session_id = start(api)
    send(
        api,
        session_id,
        [event("started"), event("stopped", {"score": 7, "reason": "pain"}, seconds=40)],
    )
    record = api.get(f"/api/v1/me/sessions/{session_id}").json()
    assert record["status"] == "stopped"
    assert record["stop_reason"] == "pain"
    assert record["pains"][-1]["score"] == 7
    assert record["duration_ms"] == 40_000


def test_a_finish_arriving_after_a_stop_does_not_undo_the_stop(api):
    session_id = start(api)
    send(api, session_id, [event("stopped", {"score": 4, "reason": "tired"}, seconds=10)])
    send(api, session_id, [event("finished", seconds=20)])
    assert api.get(f"/api/v1/me/sessions/{session_id}").json()["status"] == "stopped"


def test_a_clinician_cannot_start_a_session(clinician):
    response = post_json(bearer_client(clinician.user), "/api/v1/me/sessions", {})
    assert response.status_code == 403
