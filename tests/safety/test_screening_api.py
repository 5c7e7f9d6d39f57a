from __future__ import annotations

import pytest
from django.test import Client

from supine.clinic.models import Alert
from supine.safety.screening import QUESTIONS
from tests.api.helpers import bearer_client, post_json
from tests.factories import make_patient

ALL_NO = {q.id: False for q in QUESTIONS}


@pytest.fixture
def new_patient(clinic):
    return make_patient(clinic, screened=False)


@pytest.fixture
def api(new_patient):
    return bearer_client(new_patient.user)


def test_the_questions_are_listed_with_id_text_and_group(api):
    body = api.get("/api/v1/me/screening/questions").json()
    assert [q["id"] for q in body] == [q.id for q in QUESTIONS]
    assert set(body[0]) == {"id", "text", "group"}
    assert body[0]["group"] == "cauda_equina"


def test_until_screened_the_plan_and_new_sessions_are_refused(api):
    for response in (api.get("/api/v1/me/plan"), post_json(api, "/api/v1/me/sessions", {})):
        assert response.status_code == 403
        body = response.json()
        assert body["blocked"] is True
        assert body["screening_required"] is True
        assert body["advice"]


def test_a_clear_screen_with_clinician_advice_opens_the_plan(api):
    response = post_json(
        api, "/api/v1/me/screening", {"clinician_advised": True, "answers": ALL_NO}
    )
    assert response.json() == {
        "blocked": False,
        "urgency": "none",
        "advice": response.json()["advice"],
    }
    assert api.get("/api/v1/me/plan").status_code == 200


def test_saddle_numbness_blocks_with_emergency_advice_and_an_urgent_alert(api, new_patient):
    answers = {**ALL_NO, "saddle_numbness": True}
    body = post_json(
        api, "/api/v1/me/screening", {"clinician_advised": True, "answers": answers}
    ).json()
    assert body["blocked"] is True
    assert body["urgency"] == "emergency"
    assert "999" in body["advice"]
    refused = api.get("/api/v1/me/plan")
    assert refused.status_code == 403
    assert refused.json()["screening_required"] is False
    alert = Alert.objects.get(patient=new_patient)
    assert alert.severity == "urgent"


def test_without_clinician_advice_sessions_wait_without_alerting(api, new_patient):
    body = post_json(
        api, "/api/v1/me/screening", {"clinician_advised": False, "answers": ALL_NO}
    ).json()
    assert body["blocked"] is True and body["urgency"] == "none"
    assert api.get("/api/v1/me/plan").status_code == 403
    assert not Alert.objects.exists()
    post_json(api, "/api/v1/me/screening", {"clinician_advised": True, "answers": ALL_NO})
    assert api.get("/api/v1/me/plan").status_code == 200


def test_missing_answers_are_named_and_nothing_is_stored(api, new_patient):
    answers = dict(ALL_NO)
    del answers["osteoporosis"]
    response = post_json(
        api, "/api/v1/me/screening", {"clinician_advised": True, "answers": answers}
    )
    assert response.status_code == 422
    assert "osteoporosis" in response.json()["detail"]
    assert not new_patient.screenings.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"clinician_advised": "yes", "answers": ALL_NO},
        {"clinician_advised": True, "answers": {**ALL_NO, "osteoporosis": "no"}},
        {"clinician_advised": True, "answers": {**ALL_NO, "made_up": False}},
        {"answers": ALL_NO},
    ],
)
def test_malformed_screens_are_refused(api, new_patient, body):
    response = post_json(api, "/api/v1/me/screening", body)
    assert response.status_code == 422
    assert not new_patient.screenings.exists()


def test_screening_needs_a_patient(db):
    assert Client().get("/api/v1/me/screening/questions").status_code == 401
