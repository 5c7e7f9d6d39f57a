"""An urgent alert is emailed within a minute, once, through the queue and a real SMTP
server: to the on-call address and the clinician who prescribed the program."""

from __future__ import annotations

import logging
import threading

import time_machine
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from supine.clinic.models import (
    Alert,
    AlertDelivery,
    AlertKind,
    AlertSeverity,
    DeliveryKind,
    DeliveryStatus,
)
from supine.clinic.services import acknowledge_alert, raise_alert
from tests.api.helpers import bearer_client, post_json
from tests.factories import make_patient, safe_answers

REASON = "Numbness around the back passage reported in the screen."


def urgent_alert(patient) -> Alert:
    return raise_alert(
        patient=patient, kind=AlertKind.RED_FLAG, severity=AlertSeverity.URGENT, reason=REASON
    )


def test_an_urgent_alert_arrives_once_within_a_minute(smtp, run_worker, patient, settings):
    settings.SUPINE_SITE_URL = "https://supine.riverside.example"
    alert = urgent_alert(patient)
    run_worker()
    run_worker()  # a second pass finds nothing more to send

    [(envelope_to, message)] = smtp.inbox.messages
    assert sorted(envelope_to) == ["on-call@riverside.example", "prescriber@riverside.example"]
    assert message["Subject"] == "Urgent Supine alert at Riverside Clinic"
    body = message.get_payload(decode=True).decode()
    assert f"https://supine.riverside.example/clinic/patients/{patient.id}/" in body
    assert "https://supine.riverside.example/clinic/" in body
    delivery = AlertDelivery.objects.get(alert=alert)
    assert delivery.kind == DeliveryKind.NOTIFY
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert (delivery.sent_at - alert.created_at).total_seconds() < 60


def test_the_email_carries_no_health_details_and_no_name(smtp, run_worker, patient):
    urgent_alert(patient)
    run_worker()
    [(_, message)] = smtp.inbox.messages
    text = message.as_string()
    assert REASON not in text and "numbness" not in text.lower()
    assert patient.display_name not in text
    assert "pain" not in text.lower()


def test_attention_alerts_are_not_emailed(smtp, run_worker, patient):
    raise_alert(
        patient=patient, kind=AlertKind.PAIN_TREND, severity=AlertSeverity.ATTENTION, reason="x"
    )
    run_worker()
    assert smtp.inbox.messages == []
    assert not AlertDelivery.objects.exists()


def test_without_on_call_or_prescriber_every_clinician_with_an_address_hears(
    smtp, run_worker, clinic, prescriber, admin
):
    clinic.on_call_email = ""
    clinic.save(update_fields=["on_call_email"])
    patient = make_patient(clinic)  # prescribed by nobody in particular
    urgent_alert(patient)
    run_worker()
    [(envelope_to, _)] = smtp.inbox.messages
    assert sorted(envelope_to) == ["admin@riverside.example", "prescriber@riverside.example"]


def test_a_clinic_without_any_address_is_recorded_and_logged(
    smtp, run_worker, clinic, prescriber, caplog
):
    clinic.on_call_email = ""
    clinic.save(update_fields=["on_call_email"])
    prescriber.email = ""
    prescriber.save(update_fields=["email"])
    alert = urgent_alert(make_patient(clinic))
    with caplog.at_level(logging.ERROR, logger="supine.alerts"):
        run_worker()
    assert smtp.inbox.messages == []
    assert AlertDelivery.objects.get(alert=alert).status == DeliveryStatus.NO_RECIPIENTS
    assert f"Urgent alert {alert.id}: nobody at its clinic has an email address" in caplog.text


def test_an_alert_acknowledged_before_the_worker_ran_is_not_sent(
    smtp, run_worker, patient, prescriber
):
    alert = urgent_alert(patient)
    acknowledge_alert(clinician=prescriber, alert=alert)
    run_worker()
    assert smtp.inbox.messages == []
    assert AlertDelivery.objects.get(alert=alert).status == DeliveryStatus.CANCELLED


def test_the_same_attempt_handed_to_two_workers_is_sent_once(smtp, run_worker, patient):
    from supine.clinic.tasks import send_alert_email

    alert = urgent_alert(patient)
    delivery = AlertDelivery.objects.get(alert=alert)
    send_alert_email.enqueue(str(delivery.id), 1)  # as recovery would, while the first waits
    run_worker()
    assert len(smtp.inbox.messages) == 1


def test_time_frozen_the_email_still_goes_in_the_minute(smtp, run_worker, patient):
    with time_machine.travel(timezone.now(), tick=False):
        alert = urgent_alert(patient)
        run_worker()
    delivery = AlertDelivery.objects.get(alert=alert)
    assert delivery.sent_at == alert.created_at
    assert len(smtp.inbox.messages) == 1


def test_a_red_flag_answered_in_the_app_reaches_the_on_call_inbox_within_a_minute(
    library, smtp, clinic
):
    # The whole path, in real time: the patient's request raises the alert, a worker
    # polling the queue (as `supine worker` does) sends it, the SMTP server receives it.
    worker = Worker(
        queue_names=["default"], interval=0.05, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    )  # fmt: skip

    def work() -> None:
        try:
            worker.run()
        finally:
            connection.close()

    patient = make_patient(clinic, screened=False)
    thread = threading.Thread(target=work)
    thread.start()
    try:
        answers = safe_answers(flagged=("ces_saddle",))
        response = post_json(
            bearer_client(patient.user),
            "/api/v1/me/screening",
            {"clinician_advised": True, "answers": answers},
        )
        assert response.status_code == 200, response.content
        assert smtp.inbox.arrived.wait(timeout=60), "no email within a minute"
    finally:
        worker.running = False
        thread.join(timeout=30)
    [(envelope_to, message)] = smtp.inbox.messages
    assert "on-call@riverside.example" in envelope_to
    assert str(patient.id) in message.get_payload(decode=True).decode()
    alert = Alert.objects.get(patient=patient)
    delivery = AlertDelivery.objects.get(alert=alert)
    assert (delivery.sent_at - alert.created_at).total_seconds() < 60
