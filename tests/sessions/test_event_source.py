"""Reps and holds the camera coach saw done carry `"source": "coach"`, stored as such."""

from __future__ import annotations

import pytest

from supine.sessions.models import ExerciseSession, SessionEvent
from tests.api.helpers import bearer_client
from tests.sessions.helpers import event, send, start


@pytest.fixture
def api(patient):
    return bearer_client(patient.user)


def _first_rep(plan: dict) -> dict:
    step = next(s for s in plan["steps"] if s["kind"] == "release")
    rep = {"exercise": step["exercise"], "set": step["set"], "rep": step["rep"]}
    if step["side"]:
        rep["side"] = step["side"]
    return rep


def test_a_rep_the_coach_counted_is_stored_with_its_source(api):
    session_id = start(api)
    rep = _first_rep(ExerciseSession.objects.get(id=session_id).plan)
    by_coach = {**event("rep_done", rep), "source": "coach"}
    by_timer = event("hold_done", rep)
    response = send(api, session_id, [event("started"), by_coach, by_timer])
    assert response.status_code == 200, response.content
    stored = {str(e.id): e for e in SessionEvent.objects.filter(session_id=session_id)}
    assert stored[by_coach["id"]].source == "coach"
    assert stored[by_timer["id"]].source == ""
    # The record counts it like any other rep.
    record = api.get(f"/api/v1/me/sessions/{session_id}").json()
    done = {e["exercise"]: e["reps_done"] for e in record["exercises"]}
    assert done[rep["exercise"]] == 1


@pytest.mark.parametrize(
    "type_, data, source",
    [
        ("rep_done", None, "camera"),  # only "coach" is a source
        ("rep_done", None, ""),
        ("started", {}, "coach"),  # only reps and holds have one
    ],
)
def test_an_unknown_source_or_one_on_another_event_is_refused(api, type_, data, source):
    session_id = start(api)
    rep = _first_rep(ExerciseSession.objects.get(id=session_id).plan)
    bad = {**event(type_, rep if data is None else data), "source": source}
    response = send(api, session_id, [event("started"), bad])
    assert response.status_code == 422
    assert SessionEvent.objects.filter(session_id=session_id).count() == 0
