"""An urgent alert still unacknowledged after the clinic's delay goes to its admins:
once, however often the check runs (clinical-rules.md §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from supine.clinic.models import (
    AlertDelivery,
    AlertKind,
    AlertSeverity,
    DeliveryKind,
    DeliveryStatus,
)
from supine.clinic.services import acknowledge_alert, raise_alert
from supine.clinic.tasks import escalate_alert, escalate_overdue_alerts

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ESCALATED = "Not yet acknowledged: urgent Supine alert at Riverside Clinic"
NOTIFIED = "Urgent Supine alert at Riverside Clinic"


def urgent_alert(patient):
    return raise_alert(
        patient=patient, kind=AlertKind.RED_FLAG, severity=AlertSeverity.URGENT, reason="x"
    )


def test_it_escalates_to_the_admins_once_after_the_delay(smtp, run_worker, patient, admin):
    # The clinic's delay is 10 minutes (see conftest).
    with time_machine.travel(T0, tick=False) as clock:
        alert = urgent_alert(patient)
        run_worker()
        assert smtp.inbox.subjects() == [NOTIFIED]

        clock.move_to(T0 + timedelta(minutes=9, seconds=59))
        run_worker()
        escalate_overdue_alerts()
        assert smtp.inbox.subjects() == [NOTIFIED]

        clock.move_to(T0 + timedelta(minutes=10))
        run_worker()
        assert smtp.inbox.subjects() == [NOTIFIED, ESCALATED]
        envelope_to, message = smtp.inbox.messages[1]
        assert envelope_to == ["admin@riverside.example"]
        assert str(patient.id) in message.get_payload(decode=True).decode()

        # The check, again and again, by the queue and by the sweep: still once.
        for _ in range(3):
            escalate_alert.enqueue(str(alert.id))
            escalate_overdue_alerts()
        clock.move_to(T0 + timedelta(hours=2))
        run_worker()
        run_worker()
    assert smtp.inbox.subjects() == [NOTIFIED, ESCALATED]
    escalation = AlertDelivery.objects.get(alert=alert, kind=DeliveryKind.ESCALATE)
    assert escalation.status == DeliveryStatus.SENT
    assert escalation.sent_at == T0 + timedelta(minutes=10)


def test_an_acknowledged_alert_is_not_escalated(smtp, run_worker, patient, admin, prescriber):
    with time_machine.travel(T0, tick=False) as clock:
        alert = urgent_alert(patient)
        run_worker()
        clock.move_to(T0 + timedelta(minutes=4))
        acknowledge_alert(clinician=prescriber, alert=alert)
        clock.move_to(T0 + timedelta(minutes=30))
        run_worker()
        escalate_overdue_alerts()
        run_worker()
    assert smtp.inbox.subjects() == [NOTIFIED]
    assert not AlertDelivery.objects.filter(kind=DeliveryKind.ESCALATE).exists()


def test_an_alert_acknowledged_while_the_escalation_waits_to_be_sent_is_not_sent(
    smtp, run_worker, patient, admin, prescriber
):
    with time_machine.travel(T0, tick=False) as clock:
        alert = urgent_alert(patient)
        clock.move_to(T0 + timedelta(minutes=10))
        escalate_overdue_alerts()  # the escalation is queued …
        acknowledge_alert(clinician=prescriber, alert=alert)  # … and then someone looks
        run_worker()
    assert smtp.inbox.subjects() == []
    statuses = set(AlertDelivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.CANCELLED}


def test_the_clinics_own_shorter_delay_is_used(smtp, run_worker, clinic, patient, admin):
    clinic.escalation_minutes = 2
    clinic.save(update_fields=["escalation_minutes"])
    with time_machine.travel(T0, tick=False) as clock:
        urgent_alert(patient)
        clock.move_to(T0 + timedelta(minutes=2))
        run_worker()
    assert smtp.inbox.subjects() == [NOTIFIED, ESCALATED]


def test_a_delay_lengthened_after_the_alert_waits_for_the_new_time(
    smtp, run_worker, clinic, patient, admin
):
    with time_machine.travel(T0, tick=False) as clock:
        urgent_alert(patient)
        clinic.escalation_minutes = 25
        clinic.save(update_fields=["escalation_minutes"])
        clock.move_to(T0 + timedelta(minutes=10))
        run_worker()
        assert smtp.inbox.subjects() == [NOTIFIED]
        clock.move_to(T0 + timedelta(minutes=25))
        run_worker()
    assert smtp.inbox.subjects() == [NOTIFIED, ESCALATED]


def test_a_clinic_without_admins_escalates_to_everyone(smtp, run_worker, patient, prescriber):
    with time_machine.travel(T0, tick=False) as clock:
        urgent_alert(patient)
        clock.move_to(T0 + timedelta(minutes=10))
        run_worker()
    envelope_to, _ = smtp.inbox.messages[1]
    assert sorted(envelope_to) == ["on-call@riverside.example", "prescriber@riverside.example"]
