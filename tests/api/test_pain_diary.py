from __future__ import annotations

import uuid

import pytest

from supine.clinic.models import Alert
from supine.outcomes.models import PainReport
from tests.api.helpers import bearer_client, post_json


@pytest.fixture
def api(patient):
    return bearer_client(patient.user)


@pytest.mark.parametrize("moment", ["before", "during", "after"])
def test_session_moments_travel_as_session_events_not_diary_entries(api, moment):
    response = post_json(api, "/api/v1/me/pain", {"score": 3, "moment": moment})
    assert response.status_code == 422
    assert not PainReport.objects.exists()


def test_a_diary_entry_with_the_devices_id_is_stored_once(api):
    body = {"score": 4, "id": str(uuid.uuid4()), "note": "after gardening"}
    first = post_json(api, "/api/v1/me/pain", body)
    again = post_json(api, "/api/v1/me/pain", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] == body["id"]
    assert PainReport.objects.count() == 1


def test_another_patients_id_is_a_conflict(api, clinic):
    from tests.factories import make_patient

    other = bearer_client(make_patient(clinic).user)
    report_id = post_json(other, "/api/v1/me/pain", {"score": 1}).json()["id"]
    response = post_json(api, "/api/v1/me/pain", {"score": 2, "id": report_id})
    assert response.status_code == 409
    assert PainReport.objects.count() == 1


def test_severe_pain_in_the_diary_tells_the_clinic(api, patient):
    post_json(api, "/api/v1/me/pain", {"score": 7})
    assert not Alert.objects.exists()
    post_json(api, "/api/v1/me/pain", {"score": 9})
    alert = Alert.objects.get(patient=patient)
    assert alert.kind == "flare"
    assert "9/10" in alert.reason


def test_the_database_keeps_one_morning_checkin_a_day(patient):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    today = timezone.localdate()
    PainReport.objects.create(patient=patient, score=2, moment="morning", day=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        PainReport.objects.create(patient=patient, score=3, moment="morning", day=today)
