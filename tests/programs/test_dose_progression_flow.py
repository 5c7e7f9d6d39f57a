"""clinical-rules.md §3 end to end: sessions and check-ins move today's dose, with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils.html import escape

from supine.programs.models import DoseChange
from supine.sessions.models import ExerciseSession
from tests.api.helpers import bearer_client, post_json
from tests.sessions.helpers import event, send, start, whole_session_events

# After the fixtures prescribe the program, as in real life.
DAY1 = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


def reps_today(api, slug: str) -> int:
    steps = api.get("/api/v1/me/plan").json()["steps"]
    return sum(1 for s in steps if s["kind"] == "release" and s["exercise"] == slug)


def do_session(
    api, *, day: datetime, before: int, after: int, stop: bool = False, reps: bool = True
) -> None:
    """A session played as the player reports it: every rep and hold, unless `reps` is off."""
    start_at = day + timedelta(hours=1)
    with time_machine.travel(start_at, tick=False):
        session_id = start(api)
        plan = ExerciseSession.objects.get(id=session_id).plan
        work = [
            e for e in whole_session_events(plan)
            if reps and e["type"] in ("rep_done", "hold_done")
        ]  # fmt: skip
        ended = (
            event("stopped", {"score": after, "reason": "pain"})
            if stop
            else event("finished", {"feeling": "about_right"})
        )
        batch = [
            event("started"),
            event("pain_reported", {"score": before, "moment": "before"}),
            *work,
            event("pain_reported", {"score": after, "moment": "after"}),
            ended,
        ]
        for offset, item in enumerate(batch):
            item["at"] = (start_at + timedelta(seconds=offset)).isoformat()
        assert send(api, session_id, batch).status_code == 200


def morning(api, day: datetime, score: int) -> None:
    with time_machine.travel(day, tick=False):
        response = post_json(api, "/api/v1/me/pain", {"score": score, "moment": "morning"})
        assert response.status_code == 201


@pytest.fixture
def api(patient):
    return bearer_client(patient.user)


def test_comfortable_sessions_progress_one_rep_with_a_reason(api, client, patient):
    with time_machine.travel(DAY1, tick=False):
        assert reps_today(api, "deep-abdominal-strengthening") == 5
    do_session(api, day=DAY1, before=2, after=1)
    day2 = DAY1 + timedelta(days=1)
    morning(api, day2, 2)
    with time_machine.travel(day2 + timedelta(minutes=5), tick=False):
        assert reps_today(api, "deep-abdominal-strengthening") == 6
        client.force_login(patient.user)
        html = client.get("/today/").content.decode()
    assert "6 reps" in html
    change = DoseChange.objects.filter(item__exercise__slug="deep-abdominal-strengthening").first()
    assert change.change == "progress"
    assert escape(change.reason) in html


def test_progress_waits_for_the_next_mornings_checkin(api):
    do_session(api, day=DAY1, before=2, after=1)
    with time_machine.travel(DAY1 + timedelta(days=1), tick=False):
        assert reps_today(api, "bridge") == 5
    assert not DoseChange.objects.exists()


def test_a_painful_session_steps_back_at_once_and_at_the_bottom_pauses_the_exercise(api, patient):
    from supine.clinic.models import Alert

    do_session(api, day=DAY1, before=2, after=1)
    morning(api, DAY1 + timedelta(days=1), 2)
    with time_machine.travel(DAY1 + timedelta(days=1, minutes=5), tick=False):
        assert reps_today(api, "bridge") == 6
    do_session(api, day=DAY1 + timedelta(days=1), before=2, after=6)
    with time_machine.travel(DAY1 + timedelta(days=1, hours=3), tick=False):
        assert reps_today(api, "bridge") == 5
    do_session(api, day=DAY1 + timedelta(days=2), before=2, after=7)
    with time_machine.travel(DAY1 + timedelta(days=2, hours=3), tick=False):
        # Already at the bottom of its range: paused, and the clinician is told (§3).
        assert reps_today(api, "bridge") == 0
    kinds = list(
        DoseChange.objects.filter(item__exercise__slug="bridge")
        .order_by("created_at", "id")
        .values_list("change", flat=True)
    )
    assert kinds[:2] == ["progress", "step_back"]
    assert kinds[-1] == "pause"
    assert Alert.objects.filter(patient=patient, kind="program").exists()


def test_a_session_is_judged_once_however_often_the_plan_is_read(api):
    do_session(api, day=DAY1, before=2, after=1)
    morning(api, DAY1 + timedelta(days=1), 1)
    with time_machine.travel(DAY1 + timedelta(days=1, minutes=5), tick=False):
        for _ in range(3):
            api.get("/api/v1/me/plan")
    assert DoseChange.objects.count() == 3  # one per exercise


def test_a_finished_session_with_exercises_skipped_does_not_progress(api):
    do_session(api, day=DAY1, before=2, after=1, reps=False)
    morning(api, DAY1 + timedelta(days=1), 2)
    with time_machine.travel(DAY1 + timedelta(days=1, minutes=5), tick=False):
        assert reps_today(api, "bridge") == 5
    assert set(DoseChange.objects.values_list("change", flat=True)) == {"hold"}


def test_every_session_since_the_last_decision_is_judged_in_order(api):
    # Two sessions sync before the plan is read again: the painful second one still counts.
    do_session(api, day=DAY1, before=2, after=1)
    morning(api, DAY1 + timedelta(days=1), 2)
    do_session(api, day=DAY1 + timedelta(days=1), before=2, after=7)
    with time_machine.travel(DAY1 + timedelta(days=1, hours=3), tick=False):
        assert reps_today(api, "bridge") == 5
    kinds = list(
        DoseChange.objects.filter(item__exercise__slug="bridge")
        .order_by("created_at", "id")
        .values_list("change", flat=True)
    )
    assert kinds == ["progress", "step_back"]


def test_the_decision_stores_its_inputs_and_the_rulebook_version(api):
    do_session(api, day=DAY1, before=2, after=1)
    morning(api, DAY1 + timedelta(days=1), 2)
    change = DoseChange.objects.filter(item__exercise__slug="bridge").get()
    assert change.rulebook_version == "2.1"
    assert change.inputs["ceiling"] == 5
    assert change.inputs["morning"] == 2
    assert change.inputs["ratings"] == [2, 1]
    assert change.inputs["completed"] is True


def test_a_rating_after_one_exercise_steps_back_only_that_exercise(api):
    with time_machine.travel(DAY1 + timedelta(hours=1), tick=False):
        session_id = start(api)
        at = DAY1 + timedelta(hours=1)
        batch = [
            event("started"),
            event("pain_reported", {"score": 2, "moment": "before"}),
            event("pain_reported", {"score": 7, "moment": "exercise", "exercise": "bridge"}),
        ]
        for offset, item in enumerate(batch):
            item["at"] = (at + timedelta(seconds=offset)).isoformat()
        send(api, session_id, batch)
    changes = dict(DoseChange.objects.values_list("item__exercise__slug", "change"))
    # The session was ended by the ceiling rule; only the bridge is to blame.
    assert changes == {"bridge": "pause"}


def test_a_week_at_the_top_of_every_range_tells_the_clinician(patient):
    from supine.clinic.models import Alert
    from supine.programs.dosing import decide_doses
    from supine.programs.models import PrescribedExercise

    for item in PrescribedExercise.objects.filter(prescription__patient=patient):
        item.dose_reps, item.dose_hold_seconds, item.dose_sets = (
            item.reps_max,
            item.hold_seconds_max,
            item.sets_max,
        )
        item.dose_change = "progress"
        item.last_progress_at = DAY1 - timedelta(days=8)
        item.save()
    with time_machine.travel(DAY1, tick=False):
        decide_doses(patient)  # nothing new to decide: still looks at where it stands
        session = ExerciseSession.objects.create(
            patient=patient, plan={"steps": []}, plan_date=DAY1.date(), status="completed",
            ended_at=DAY1 - timedelta(hours=1),
        )  # fmt: skip
        decide_doses(patient)
        decide_doses(patient)
    assert session
    assert Alert.objects.filter(patient=patient, kind="ready").count() == 1
