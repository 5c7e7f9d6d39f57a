"""clinical-rules.md §2, applied by the server to a session's events, and its verdict returned."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from supine.clinic.models import Alert
from supine.safety.models import SafetyBlock
from tests.api.helpers import bearer_client, post_json
from tests.sessions.helpers import send, start


@pytest.fixture
def api(patient):
    patient.usual_pain = 2  # ceiling 5
    patient.save()
    return bearer_client(patient.user)


def now_event(type_: str, data: dict | None = None, *, seconds: int = 0) -> dict:
    at = timezone.now() - timedelta(minutes=5) + timedelta(seconds=seconds)
    return {"id": str(uuid.uuid4()), "type": type_, "at": at.isoformat(), "data": data or {}}


def pain(score: int, moment: str = "exercise", seconds: int = 0, exercise: str = "bridge"):
    data = {"score": score, "moment": moment}
    if moment == "exercise":
        data["exercise"] = exercise
    return now_event("pain_reported", data, seconds=seconds)


def stop(score: int, reason: str, seconds: int = 5):
    return now_event("stopped", {"score": score, "reason": reason}, seconds=seconds)


@pytest.mark.parametrize(
    ("events", "status", "stopped_by", "rule", "flare", "severity", "advice"),
    [
        pytest.param([pain(2, "before"), pain(6, seconds=5)], "stopped", "rule",
                     "above_ceiling", False, "attention", "too painful",
                     id="§2 above the ceiling of 5: the server ends it"),
        pytest.param([pain(3, "before"), pain(5, seconds=5)], "in_progress", None, None,
                     False, None, None, id="§2 pain 5 is within the ceiling: carry on"),
        pytest.param([pain(1, "before"), pain(4, seconds=5)], "stopped", "rule", "rise",
                     False, "attention", "went up a lot", id="§2 a rise of 3: end"),
        pytest.param([pain(2, "before"), stop(3, "leg_symptoms")], "stopped", "patient",
                     "leg_symptoms", False, "attention", "leg",
                     id="§2 STOP for leg symptoms: attention"),
        pytest.param([pain(2, "before"), stop(3, "numbness")], "stopped", "patient",
                     "leg_symptoms", False, "attention", "leg",
                     id="§2 a queued legacy numbness STOP"),
        pytest.param([pain(2, "before"), stop(2, "saddle_or_bladder")], "stopped", "patient",
                     "saddle_or_bladder", False, "urgent", "answer a few questions",
                     id="§2 STOP for saddle or bladder symptoms: urgent, to Part B"),
        pytest.param([pain(2, "before"), stop(3, "tired")], "stopped", "patient", None,
                     False, None, "Good work", id="§2 STOP when tired: no alert"),
        pytest.param([pain(8, "before")], "stopped", "rule", "flare_day", True, "attention",
                     "no more exercises today", id="§2 before 8: a flare day"),
        pytest.param([pain(6, "before")], "stopped", "rule", "before_above_ceiling", False,
                     None, "skip the exercises today", id="§2 before above the ceiling"),
    ],
)  # fmt: skip
def test_the_server_applies_the_stop_rules_and_says_so(
    api, patient, events, status, stopped_by, rule, flare, severity, advice
):
    session_id = start(api)
    answer = send(api, session_id, [now_event("started"), *events]).json()["session"]
    assert answer["status"] == status
    assert answer["stopped_by"] == stopped_by
    assert answer["rule"] == rule
    assert answer["flare"] is flare
    if advice is None:
        assert answer["advice"] is None
    else:
        assert advice in answer["advice"]
    # (A step back at the bottom of a range also pauses the exercise: a "program" alert.)
    alerts = Alert.objects.filter(patient=patient).exclude(kind="program")
    assert list(alerts.values_list("severity", flat=True)) == ([severity] if severity else [])


def test_a_replayed_batch_gets_the_same_verdict_and_one_alert(api, patient):
    session_id = start(api)
    batch = [now_event("started"), pain(1, "before"), pain(7, seconds=3)]
    first = send(api, session_id, batch).json()
    again = send(api, session_id, batch).json()
    assert again["duplicates"] == first["accepted"]
    assert again["session"] == first["session"]
    send(api, session_id, [pain(6, seconds=9)])
    assert Alert.objects.filter(patient=patient).exclude(kind="program").count() == 1


def test_a_flare_day_refuses_more_sessions_today_with_the_flare_advice(api, patient):
    session_id = start(api)
    send(api, session_id, [now_event("started"), pain(9, "before")])
    refused = post_json(api, "/api/v1/me/sessions", {})
    assert refused.status_code == 403
    body = refused.json()
    assert body["flare"] is True and body["blocked"] is True
    assert "flare plan" in body["advice"]
    assert api.get("/api/v1/me/plan").status_code == 403
    # A flare day alone is no hold for the clinician to clear.
    assert not SafetyBlock.objects.open().filter(patient=patient).exists()


def test_a_finished_session_with_high_pain_after_stays_completed_but_is_judged(api, patient):
    session_id = start(api)
    events = [now_event("started"), pain(2, "before"), pain(6, "after", seconds=60),
              now_event("finished", seconds=61)]  # fmt: skip
    answer = send(api, session_id, events).json()["session"]
    assert answer["status"] == "completed"
    assert answer["rule"] == "above_ceiling"
    assert Alert.objects.get(patient=patient).severity == "attention"


def test_a_higher_usual_pain_raises_the_ceiling_only_once_a_clinician_confirms(api, patient):
    from supine.library.models import Exercise
    from supine.programs.services import prescribe

    patient.usual_pain = 5  # would give a ceiling of 7
    patient.save()
    session_id = start(api)
    answer = send(api, session_id, [now_event("started"), pain(5, "before"), pain(6, seconds=5)])
    assert answer.json()["session"]["rule"] == "above_ceiling"  # still the confirmed 5
    prescribe(patient=patient, exercises=[Exercise.objects.get(slug="bridge")])  # reviewed
    session_id = start(api)
    answer = send(api, session_id, [now_event("started"), pain(5, "before"), pain(7, seconds=5)])
    assert answer.json()["session"]["status"] == "in_progress"


def test_a_clinics_stricter_ceiling_is_applied(api, patient):
    patient.clinic.safety_thresholds = {"ceiling_base": 4}
    patient.clinic.save()
    session_id = start(api)
    send(api, session_id, [pain(2, "before"), pain(5, seconds=5)])
    assert api.get(f"/api/v1/me/sessions/{session_id}").json()["status"] == "stopped"


def test_dizziness_twice_in_7_days_alerts_once(api, patient):
    for _ in range(3):
        session_id = start(api)
        send(api, session_id, [now_event("started"), pain(2, "before"), stop(2, "dizziness")])
    kinds = list(Alert.objects.filter(patient=patient).values_list("kind", flat=True))
    assert kinds == ["dizziness"]


def test_three_flare_days_out_of_four_hold_sessions_with_the_doctor_advice(api, patient):
    from supine.outcomes.models import PainReport

    for days_ago in (3, 1):
        PainReport.objects.create(
            patient=patient,
            score=8,
            moment="diary",
            recorded_at=timezone.now() - timedelta(days=days_ago),
        )
    response = post_json(api, "/api/v1/me/pain", {"score": 9})
    assert response.status_code == 201
    hold = SafetyBlock.objects.open().get(patient=patient)
    assert "Please see a doctor in the next day or two" in hold.advice
    assert "urgent care" in hold.advice
