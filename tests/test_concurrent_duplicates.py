"""Every idempotent write survives a race: sent at the same moment by several threads,
each on its own database connection, it is stored once; one answer says 201 (created)
and the others 200 (already there). On SQLite and on PostgreSQL."""

from __future__ import annotations

import sys
import threading
import uuid
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client

from supine.clinic.models import Alert, AuditEvent
from supine.clinic.services import raise_alert
from supine.library.loader import load_library
from supine.outcomes.models import PainReport
from supine.sessions.models import ExerciseSession, SessionEvent
from tests.api.helpers import bearer_client, post_json
from tests.factories import make_clinic, make_clinician, make_patient
from tests.sessions.helpers import event

THREADS = 6
ROUNDS = 3

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def switch_threads_often():
    # Threads take turns far more often than usual, so that they interleave inside a
    # request, between its "is it there?" and its "store it", as they do under load.
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.fixture
def api(transactional_db) -> Client:
    load_library()
    return bearer_client(make_patient(make_clinic()).user)


def at_once(send: Callable[[], object]) -> list:
    """Call `send` from THREADS threads released together; their answers, in any order."""
    gate = threading.Barrier(THREADS)
    answers: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            gate.wait()
            answers.append(send())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


def statuses(answers: list) -> Counter:
    return Counter(answer.status_code for answer in answers)


def test_the_same_pain_rating_at_once_is_stored_once(api):
    for _ in range(ROUNDS):
        body = {"score": 4, "id": str(uuid.uuid4())}
        answers = at_once(lambda body=body: post_json(api, "/api/v1/me/pain", body))
        assert statuses(answers) == {201: 1, 200: THREADS - 1}
        assert PainReport.objects.filter(id=body["id"]).count() == 1


def test_the_same_morning_check_in_at_once_is_stored_once(api):
    body = {"score": 3, "moment": "morning", "id": str(uuid.uuid4())}
    answers = at_once(lambda: post_json(api, "/api/v1/me/pain", body))
    assert statuses(answers) == {201: 1, 200: THREADS - 1}
    assert PainReport.objects.filter(moment="morning").count() == 1
    assert {answer.json()["id"] for answer in answers} == {body["id"]}


def test_two_morning_check_ins_at_once_keep_the_first(api):
    answers = at_once(lambda: post_json(api, "/api/v1/me/pain", {"score": 3, "moment": "morning"}))
    assert statuses(answers) == {201: 1, 200: THREADS - 1}
    assert PainReport.objects.filter(moment="morning").count() == 1


def test_the_same_session_started_at_once_is_one_session(api):
    for _ in range(ROUNDS):
        body = {"id": str(uuid.uuid4())}
        answers = at_once(lambda body=body: post_json(api, "/api/v1/me/sessions", body))
        assert statuses(answers) == {201: 1, 200: THREADS - 1}
        assert ExerciseSession.objects.filter(id=body["id"]).count() == 1


def test_the_same_event_batch_at_once_is_stored_once(api):
    session_id = post_json(api, "/api/v1/me/sessions", {}).json()["id"]
    url = f"/api/v1/me/sessions/{session_id}/events"
    for n in range(ROUNDS):
        batch = {"events": [event("pain_reported", {"score": 2, "moment": "during"}, seconds=n),
                            event("step_done", {"index": n}, seconds=n)]}  # fmt: skip
        answers = at_once(lambda batch=batch: post_json(api, url, batch))
        assert statuses(answers) == {200: THREADS}
        accepted = Counter(i for answer in answers for i in answer.json()["accepted"])
        assert accepted == {e["id"]: 1 for e in batch["events"]}
    assert SessionEvent.objects.count() == 2 * ROUNDS
    assert PainReport.objects.count() == ROUNDS


def test_one_alert_acknowledged_at_once_is_acknowledged_once(transactional_db):
    load_library()
    clinic = make_clinic()
    patient = make_patient(clinic)
    alert = raise_alert(patient=patient, kind="pain_trend", severity="attention", reason="Rising.")
    clients = iter([bearer_client(make_clinician(clinic).user) for _ in range(THREADS)])
    lock = threading.Lock()

    def acknowledge():
        with lock:
            client = next(clients)
        return post_json(client, f"/api/v1/clinic/alerts/{alert.id}/ack", {})

    answers = at_once(acknowledge)
    assert statuses(answers) == {200: THREADS}
    assert len({answer.json()["acknowledged_at"] for answer in answers}) == 1
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1
    assert Alert.objects.get(id=alert.id).acknowledged_at is not None
