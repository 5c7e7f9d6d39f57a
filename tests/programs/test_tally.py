"""Planned against done, counted one way (supine.programs.tally)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from supine.appointments.summary import refresh_summary
from supine.outcomes.services import recent_history
from supine.programs.tally import DONE_STATUSES, exercise_completed, session_done, tally
from supine.vocabulary import SessionStatus
from tests.api.helpers import bearer_client
from tests.sessions.helpers import event, send, start

STEPS = [
    {"kind": "setup", "exercise": "bridge"},
    {"kind": "hold", "exercise": "bridge", "set": 1, "rep": 1},
    {"kind": "release", "exercise": "bridge", "set": 1, "rep": 1},
    {"kind": "hold", "exercise": "bridge", "set": 1, "rep": 2},
    {"kind": "release", "exercise": "bridge", "set": 1, "rep": 2},
    {"kind": "rest"},
    {"kind": "release", "exercise": "cat", "set": 1, "rep": 1, "side": "left"},
    {"kind": "release", "exercise": "cat", "set": 1, "rep": 1, "side": "right"},
    {"kind": "done"},
]


def rep(exercise, rep_, side=None, kind="rep_done"):
    return (kind, {"exercise": exercise, "set": 1, "rep": rep_, "side": side})


def test_planned_counts_reps_and_holds_per_exercise_in_the_plans_order():
    counts = tally(STEPS, [])
    assert [e.exercise for e in counts.exercises] == ["bridge", "cat"]
    bridge, cat = counts.exercises
    assert (bridge.reps_planned, bridge.holds_planned) == (2, 2)
    assert (cat.reps_planned, cat.holds_planned) == (2, 0)
    assert (counts.reps_planned, counts.reps_done) == (4, 0)


def test_a_replayed_rep_counts_once_and_sides_count_apart():
    done = [rep("bridge", 1), rep("bridge", 1), rep("cat", 1, "left"), rep("cat", 1, "right")]
    counts = tally(STEPS, [*done, ("paused", {}), rep("bridge", 1, kind="hold_done")])
    assert counts.of("bridge").reps_done == 1
    assert counts.of("bridge").holds_done == 1
    assert counts.of("cat").reps_done == 2
    assert counts.reps_done == 3
    assert counts.of("plank").reps_planned == 0  # not in the plan


def test_completed_needs_a_finished_session_and_every_rep_and_hold():
    every = [rep("bridge", n, kind=k) for n in (1, 2) for k in ("rep_done", "hold_done")]
    counts = tally(STEPS, every)
    assert exercise_completed(SessionStatus.COMPLETED, counts, "bridge")
    assert not exercise_completed(SessionStatus.STOPPED, counts, "bridge")
    assert not exercise_completed(SessionStatus.COMPLETED, counts, "cat")  # skipped
    missing_hold = tally(STEPS, every[:-1])
    assert not exercise_completed(SessionStatus.COMPLETED, missing_hold, "bridge")


def test_a_session_is_done_once_it_has_ended_either_way():
    assert session_done(SessionStatus.COMPLETED) and session_done(SessionStatus.STOPPED)
    assert not session_done(SessionStatus.IN_PROGRESS)
    assert set(DONE_STATUSES) == {SessionStatus.COMPLETED, SessionStatus.STOPPED}


def test_today_and_the_dashboard_count_the_same_sessions_as_done(patient):
    now = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
    api = bearer_client(patient.user)
    with time_machine.travel(now - timedelta(days=2), tick=False):
        start(api)  # never finished: not done
    with time_machine.travel(now - timedelta(days=1), tick=False):
        stopped = start(api)
        at = (now - timedelta(days=1) + timedelta(minutes=1)).isoformat()
        stop = {**event("stopped", {"score": 2, "reason": "tired"}), "at": at}
        assert send(api, stopped, [stop]).status_code == 200
    with time_machine.travel(now, tick=False):
        days = recent_history(patient).session_days
        summary = refresh_summary(patient)
    assert days == [(now - timedelta(days=1)).date()]
    assert summary.session_days == [day.isoformat() for day in days]
