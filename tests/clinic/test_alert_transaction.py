"""The email is queued in the transaction that raises the alert: a committed urgent
alert always has its tasks, a rolled-back one has none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from supine.clinic.models import Alert, AlertDelivery, AlertKind, AlertSeverity
from supine.clinic.services import raise_alert
from tests.factories import make_patient


class Crash(Exception):
    pass


def queued() -> list[tuple[str, list]]:
    return sorted(
        (task.task_path.rsplit(".", 1)[1], task.args_kwargs["args"])
        for task in DBTaskResult.objects.all()
    )


def test_an_alert_rolled_back_queues_nothing(library, clinic):
    patient = make_patient(clinic)
    with pytest.raises(Crash), transaction.atomic():
        raise_alert(
            patient=patient, kind=AlertKind.RED_FLAG, severity=AlertSeverity.URGENT, reason="x"
        )
        raise Crash  # whatever else the request was doing failed
    assert not Alert.objects.exists()
    assert not AlertDelivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_committed_urgent_alert_has_its_email_and_escalation_queued(library, clinic):
    patient = make_patient(clinic)
    with transaction.atomic():
        alert = raise_alert(
            patient=patient, kind=AlertKind.RED_FLAG, severity=AlertSeverity.URGENT, reason="x"
        )
    delivery = AlertDelivery.objects.get(alert=alert)
    assert queued() == [
        ("escalate_alert", [str(alert.id)]),
        ("send_alert_email", [str(delivery.id), 1]),
    ]
    # The email is due at once; the escalation check after the clinic's delay.
    [ready] = DBTaskResult.objects.ready()
    assert ready.task_path.endswith("send_alert_email")
    escalate = DBTaskResult.objects.get(task_path__endswith="escalate_alert")
    assert escalate.run_after == alert.created_at + timedelta(minutes=clinic.escalation_minutes)


def test_a_session_alert_raised_twice_is_queued_once(patient):
    import uuid

    from supine.sessions.services import start_session

    plan = {"date": "2026-03-02", "steps": [], "total_ms": 0}
    session, _ = start_session(patient=patient, session_id=uuid.uuid4(), plan=plan)
    for _ in range(2):
        raise_alert(
            patient=patient,
            kind=AlertKind.RED_FLAG,
            severity=AlertSeverity.URGENT,
            reason="x",
            session=session,
        )
    assert AlertDelivery.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="send_alert_email").count() == 1
