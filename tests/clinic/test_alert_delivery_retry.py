"""Email down: the alert is still on the clinic page, the request that raised it does not
fail, the send is retried with a growing delay and nothing is lost."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import time_machine
from django_tasks_db.models import DBTaskResult

from supine.clinic.alert_email import MAX_ATTEMPTS
from supine.clinic.models import (
    Alert,
    AlertDelivery,
    AlertKind,
    AlertSeverity,
    DeliveryKind,
    DeliveryStatus,
)
from supine.clinic.services import raise_alert
from supine.clinic.tasks import requeue_stalled_deliveries
from tests.api.helpers import bearer_client, post_json
from tests.clinic.conftest import SMTPServer
from tests.factories import make_patient, safe_answers

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOTIFIED = "Urgent Supine alert at Riverside Clinic"


def urgent_alert(patient) -> Alert:
    return raise_alert(
        patient=patient, kind=AlertKind.RED_FLAG, severity=AlertSeverity.URGENT, reason="x"
    )


def answer_a_red_flag(patient):
    answers = safe_answers(flagged=("ces_saddle",))
    return post_json(
        bearer_client(patient.user),
        "/api/v1/me/screening",
        {"clinician_advised": True, "answers": answers},
    )


def test_email_down_the_alert_waits_on_the_clinic_page_and_is_sent_when_it_is_back(
    smtp_port, run_worker, client, clinic, prescriber, caplog
):
    patient = make_patient(clinic, screened=False)
    with time_machine.travel(T0, tick=False) as clock:
        response = answer_a_red_flag(patient)
        assert response.status_code == 200
        with caplog.at_level(logging.INFO, logger="supine.alerts"):
            run_worker()  # nothing listens on the SMTP port

        delivery = AlertDelivery.objects.get(kind=DeliveryKind.NOTIFY)
        assert delivery.status == DeliveryStatus.RETRYING
        assert delivery.last_error == "ConnectionRefusedError"
        assert delivery.next_attempt_at == T0 + timedelta(seconds=30)
        [attempt] = delivery.tries.all()
        assert (attempt.number, attempt.sent, attempt.error) == (1, False, "ConnectionRefusedError")
        assert f"Alert email {delivery.id} attempt 1 failed (ConnectionRefusedError)" in caplog.text
        # The log says which delivery failed and how, and nothing about whom.
        for private in ("@", patient.display_name, "numbness", "Numbness", str(patient.id)):
            assert private not in caplog.text

        client.force_login(prescriber.user)
        page = client.get("/clinic/")
        assert page.status_code == 200
        assert patient.display_name in page.content.decode()

        server = SMTPServer(smtp_port).start()
        try:
            clock.move_to(T0 + timedelta(seconds=29))
            run_worker()
            assert server.inbox.messages == []  # not before its time
            clock.move_to(T0 + timedelta(seconds=30))
            run_worker()
            run_worker()
        finally:
            server.stop()

    assert len(server.inbox.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert delivery.sent_at == T0 + timedelta(seconds=30)
    assert [a.sent for a in delivery.tries.all()] == [False, True]
    assert Alert.objects.get().acknowledged_at is None


def test_a_send_that_keeps_failing_is_given_up_and_logged_as_an_error(
    smtp_port, run_worker, patient, caplog
):
    with time_machine.travel(T0, tick=False) as clock:
        urgent_alert(patient)
        with caplog.at_level(logging.ERROR, logger="supine.alerts"):
            for attempt in range(MAX_ATTEMPTS + 2):
                clock.move_to(T0 + attempt * timedelta(minutes=15))
                run_worker()
    delivery = AlertDelivery.objects.get(kind=DeliveryKind.NOTIFY)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.GAVE_UP, MAX_ATTEMPTS)
    assert delivery.tries.filter(sent=False).count() == MAX_ATTEMPTS
    assert f"Alert email {delivery.id} failed (ConnectionRefusedError)" in caplog.text


def cut_short(delivery: AlertDelivery, at: datetime) -> None:
    # A worker claimed attempt 1 and died before it finished; its task went with it.
    AlertDelivery.objects.filter(id=delivery.id).update(
        status=DeliveryStatus.SENDING, attempts=1, last_attempt_at=at
    )
    DBTaskResult.objects.filter(task_path__endswith="send_alert_email").delete()


def test_a_send_cut_short_by_a_stopped_worker_is_sent_when_a_worker_starts(
    smtp, run_worker, patient
):
    with time_machine.travel(T0, tick=False) as clock:
        delivery = AlertDelivery.objects.get(alert=urgent_alert(patient))
        cut_short(delivery, T0)
        clock.move_to(T0 + timedelta(minutes=4))
        assert requeue_stalled_deliveries() == 0  # it may still be sending
        clock.move_to(T0 + timedelta(minutes=6))
        run_worker()  # recovers as it starts
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert [(a.number, a.sent, a.error) for a in delivery.tries.all()] == [
        (1, False, "interrupted"),
        (2, True, ""),
    ]
    assert smtp.inbox.subjects() == [NOTIFIED]


def test_workers_that_keep_running_also_pick_up_a_send_cut_short(
    smtp, run_worker, run_queue, patient
):
    with time_machine.travel(T0, tick=False) as clock:
        run_worker()  # a worker started before the alert, and keeps running
        delivery = AlertDelivery.objects.get(alert=urgent_alert(patient))
        cut_short(delivery, T0)
        clock.move_to(T0 + timedelta(minutes=2))
        run_queue()  # looks, finds it too recent
        assert smtp.inbox.messages == []
        clock.move_to(T0 + timedelta(minutes=6))
        run_queue()
    assert smtp.inbox.subjects() == [NOTIFIED]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_however_many_workers_start_one_look_is_kept_queued(run_worker, run_queue, patient):
    def waiting() -> int:
        return DBTaskResult.objects.filter(
            task_path__endswith="look_after_deliveries", status="READY"
        ).count()

    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(3):
            run_worker()
        assert waiting() == 1
        for minutes in (2, 4, 6):
            clock.move_to(T0 + timedelta(minutes=minutes))
            run_queue()
            assert waiting() == 1


def test_a_last_attempt_cut_short_is_given_up_not_tried_forever(smtp, patient, caplog):
    with time_machine.travel(T0, tick=False) as clock:
        delivery = AlertDelivery.objects.get(alert=urgent_alert(patient))
        cut_short(delivery, T0)
        AlertDelivery.objects.filter(id=delivery.id).update(attempts=MAX_ATTEMPTS)
        clock.move_to(T0 + timedelta(minutes=6))
        with caplog.at_level(logging.ERROR, logger="supine.alerts"):
            assert requeue_stalled_deliveries() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert f"Alert email {delivery.id} was given up after {MAX_ATTEMPTS} attempts" in caplog.text
    assert smtp.inbox.messages == []
