"""A session ends once; what it planned is what can be done in it."""

from __future__ import annotations

import pytest

from supine.sessions.models import ExerciseSession, SessionEvent
from tests.api.helpers import bearer_client
from tests.sessions.helpers import event, send, start


@pytest.fixture
def api(patient):
    return bearer_client(patient.user)


def record(api, session_id: str) -> dict:
    return api.get(f"/api/v1/me/sessions/{session_id}").json()


def test_a_second_finish_does_not_rewrite_the_note_or_the_end(api):
    session_id = start(api)
    send(api, session_id, [event("started"),
                           event("finished", {"feeling": "about_right", "note": "Fine."},
                                 seconds=60)])  # fmt: skip
    first = record(api, session_id)
    send(api, session_id, [event("finished", {"feeling": "too_hard", "note": "Changed."},
                                 seconds=600)])  # fmt: skip
    again = record(api, session_id)
    assert again["status"] == "completed"
    assert (again["note"], again["feeling"]) == ("Fine.", "about_right")
    assert again["ended_at"] == first["ended_at"]


def test_a_stop_after_the_finish_does_not_turn_it_into_a_stopped_session(api):
    session_id = start(api)
    send(api, session_id, [event("started"), event("finished", seconds=60)])
    send(api, session_id, [event("stopped", {"score": 2, "reason": "tired"}, seconds=90)])
    after = record(api, session_id)
    assert after["status"] == "completed"
    assert after["stop_reason"] is None
    assert after["duration_ms"] == 60_000
    # The rating given is still kept.
    assert [p["score"] for p in after["pains"]] == [2]


def test_a_note_written_after_the_server_ended_the_session_is_kept(api):
    session_id = start(api)
    send(api, session_id, [event("pain_reported", {"score": 2, "moment": "before"}),
                           event("pain_reported", {"score": 6, "moment": "during"},
                                 seconds=30)])  # fmt: skip
    assert record(api, session_id)["status"] == "stopped"
    send(api, session_id, [event("finished", {"note": "It hurt."}, seconds=60)])
    after = record(api, session_id)
    assert (after["status"], after["note"]) == ("stopped", "It hurt.")


def test_a_rep_beyond_the_plan_is_refused_and_not_counted(api):
    session_id = start(api)
    plan = ExerciseSession.objects.get(id=session_id).plan
    bridge_reps = max(s["rep"] or 0 for s in plan["steps"] if s["exercise"] == "bridge")
    beyond = event("rep_done", {"exercise": "bridge", "set": 1, "rep": bridge_reps + 1})
    answer = send(api, session_id, [event("started"), beyond]).json()
    assert answer["refused"] == [beyond["id"]]
    assert beyond["id"] not in answer["accepted"]
    assert not SessionEvent.objects.filter(id=beyond["id"]).exists()
    bridge = next(e for e in record(api, session_id)["exercises"] if e["exercise"] == "bridge")
    assert bridge["reps_done"] == 0
    # Sent again, it is refused again: never stored, never counted.
    assert send(api, session_id, [beyond]).json()["refused"] == [beyond["id"]]


@pytest.mark.parametrize(
    "data",
    [
        {"exercise": "not-in-the-plan", "set": 1, "rep": 1},
        {"exercise": "bridge", "set": 9, "rep": 1},
        {"exercise": "bridge", "set": 1, "rep": 1, "side": "left"},
    ],
)
def test_a_rep_of_another_exercise_set_or_side_is_refused(api, data):
    session_id = start(api)
    hold = event("hold_done", data)
    answer = send(api, session_id, [hold]).json()
    assert (answer["accepted"], answer["duplicates"], answer["refused"]) == ([], [], [hold["id"]])


def test_the_rest_of_a_batch_played_from_an_older_plan_is_kept(api, patient):
    # Played offline from a plan with more reps than the session's: the extra rep is
    # refused, the pain and the STOP in the same batch are not lost.
    session_id = start(api)
    extra = event("rep_done", {"exercise": "bridge", "set": 1, "rep": 99}, seconds=5)
    stop = event("stopped", {"score": 7, "reason": "pain"}, seconds=10)
    answer = send(api, session_id, [event("started"), extra, stop]).json()
    assert answer["refused"] == [extra["id"]] and len(answer["accepted"]) == 2
    after = record(api, session_id)
    assert (after["status"], after["stop_reason"]) == ("stopped", "pain")
    assert [p["score"] for p in after["pains"]] == [7]


def test_a_planned_rep_is_accepted(api):
    session_id = start(api)
    rep = {"exercise": "bridge", "set": 1, "rep": 1}
    answer = send(api, session_id, [event("hold_done", rep), event("rep_done", rep)]).json()
    assert len(answer["accepted"]) == 2 and answer["refused"] == []
