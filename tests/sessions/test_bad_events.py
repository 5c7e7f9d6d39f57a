"""Input that once reached the database, now refused by name with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from supine.outcomes.models import PainReport
from supine.sessions.models import SessionEvent
from tests.api.helpers import bearer_client, post_json
from tests.sessions.helpers import event, send, start


@pytest.fixture
def api(patient):
    return bearer_client(patient.user)


@pytest.mark.parametrize(
    "at",
    [
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        (timezone.now() + timedelta(days=2)).isoformat(),
        (timezone.now() - timedelta(days=31)).isoformat(),
    ],
)
def test_an_implausible_event_time_is_refused(api, at):
    session_id = start(api)
    response = send(api, session_id, [{**event("started"), "at": at}])
    assert response.status_code == 422
    assert "at" in [e["field"].split(".")[-1] for e in response.json()["errors"]]
    assert not SessionEvent.objects.exists()


def test_a_nul_character_is_refused(api):
    session_id = start(api)
    response = send(api, session_id, [event("finished", {"note": "ok\x00"})])
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]
    assert not SessionEvent.objects.exists()
    diary = post_json(api, "/api/v1/me/pain", {"score": 2, "note": "a\x00b"})
    assert diary.status_code == 422


def test_an_event_id_already_used_by_a_pain_rating_is_refused(api):
    diary_id = post_json(api, "/api/v1/me/pain", {"score": 2}).json()["id"]
    session_id = start(api)
    clash = {**event("pain_reported", {"score": 3, "moment": "before"}), "id": diary_id}
    response = send(api, session_id, [clash])
    assert response.status_code == 422
    assert "events.0.id" in response.json()["detail"]
    assert PainReport.objects.count() == 1
