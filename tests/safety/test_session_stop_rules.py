"""CLINICAL.md §2, applied by the server to a session's events."""

from __future__ import annotations

import pytest

from supine.clinic.models import Alert
from supine.safety.models import SafetyBlock
from tests.api.helpers import bearer_client
from tests.sessions.helpers import event, send, start


@pytest.fixture
def api(patient):
    return bearer_client(patient.user)


def pain(score: int, moment: str = "during", seconds: int = 0) -> dict:
    return event("pain_reported", {"score": score, "moment": moment}, seconds=seconds)


@pytest.mark.parametrize(
    ("events", "ends", "severity", "blocks"),
    [
        pytest.param([pain(1, "before"), pain(6, seconds=5)], True, "attention", False,
                     id="§2 pain ≥ 6 during: end and alert"),
        pytest.param([pain(3, "before"), pain(5, seconds=5)], False, None, False,
                     id="§2 pain 5 during: acceptable, carry on"),
        pytest.param([pain(1, "before"), pain(4, seconds=5)], True, "attention", False,
                     id="§2 rise of 3 over the pre-session rating: end and alert"),
        pytest.param([pain(2, "before"),
                      event("stopped", {"score": 2, "reason": "numbness"}, seconds=5)],
                     True, "attention", False, id="§2 numbness or tingling: end and alert"),
        pytest.param([pain(2, "before"), pain(8, seconds=5)], True, "urgent", True,
                     id="§2 pain ≥ 8: red flag, block and urgent alert"),
        pytest.param([pain(2, "before"),
                      event("stopped", {"score": 3, "reason": "tired"}, seconds=5)],
                     True, None, False, id="§2 STOP for tiredness: stopped, no alert"),
    ],
)  # fmt: skip
def test_the_server_applies_the_stop_rules(api, patient, events, ends, severity, blocks):
    session_id = start(api)
    send(api, session_id, [event("started"), *events])
    record = api.get(f"/api/v1/me/sessions/{session_id}").json()
    assert (record["status"] == "stopped") is ends
    alerts = list(Alert.objects.filter(patient=patient).values_list("severity", flat=True))
    assert alerts == ([severity] if severity else [])
    assert SafetyBlock.objects.open().filter(patient=patient).exists() is blocks


def test_an_alert_is_raised_once_however_often_the_batch_arrives(api, patient):
    session_id = start(api)
    batch = [event("started"), pain(1, "before"), pain(7, seconds=3)]
    send(api, session_id, batch)
    send(api, session_id, batch)
    send(api, session_id, [pain(6, seconds=9)])
    assert Alert.objects.filter(patient=patient).count() == 1


def test_after_a_red_flag_no_new_session_starts_but_the_old_ones_events_are_kept(api, patient):
    session_id = start(api)
    send(api, session_id, [event("started"), pain(9, seconds=3)])
    late = [event("rep_done", {"exercise": "bridge", "set": 1, "rep": 1}, seconds=4)]
    assert send(api, session_id, late).json()["accepted"]
    from tests.api.helpers import post_json

    refused = post_json(api, "/api/v1/me/sessions", {})
    assert refused.status_code == 403
    assert refused.json()["blocked"] is True
    assert api.get("/api/v1/me/plan").status_code == 403


def test_a_clinics_stricter_stop_threshold_is_applied(api, patient):
    patient.clinic.safety_thresholds = {"stop_pain": 5}
    patient.clinic.save()
    session_id = start(api)
    send(api, session_id, [pain(3, "before"), pain(5, seconds=5)])
    assert api.get(f"/api/v1/me/sessions/{session_id}").json()["status"] == "stopped"
    assert Alert.objects.filter(patient=patient).count() == 1


def test_severe_pain_rated_at_the_end_is_a_red_flag_but_the_session_stays_completed(api, patient):
    session_id = start(api)
    send(api, session_id, [event("started"), pain(2, "before"), pain(9, "after", seconds=60),
                           event("finished", seconds=61)])  # fmt: skip
    assert api.get(f"/api/v1/me/sessions/{session_id}").json()["status"] == "completed"
    assert Alert.objects.get(patient=patient).severity == "urgent"
    assert SafetyBlock.objects.open().filter(patient=patient).exists()


def test_severe_pain_before_the_session_is_a_red_flag(api, patient):
    session_id = start(api)
    send(api, session_id, [event("started"), pain(9, "before")])
    assert api.get(f"/api/v1/me/sessions/{session_id}").json()["status"] == "stopped"
    assert SafetyBlock.objects.open().filter(patient=patient).exists()


def test_the_blocked_answer_has_exactly_the_promised_keys(api, patient):
    session_id = start(api)
    send(api, session_id, [pain(9, "before")])
    from tests.api.helpers import post_json

    body = post_json(api, "/api/v1/me/sessions", {}).json()
    assert set(body) == {"blocked", "screening_required", "advice"}
