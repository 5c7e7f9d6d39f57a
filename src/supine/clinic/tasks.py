"""Urgent alerts reach a person: the email, its retries and the escalation, run by the
background worker (`supine worker`, django-tasks with its database backend).

Everything is queued in the database, in the transaction that raised the alert, so an
alert that exists always has its delivery queued and a rolled-back one has none. Each
attempt is recorded (AlertDelivery, DeliveryAttempt: read-only in the admin) and a
failed send is queued again with a growing delay. Logs name deliveries and alerts by
their ids and failures by their kind; never an address, a name or a symptom.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from supine.clinic.alert_email import (
    MAX_ATTEMPTS,
    AlertEmail,
    Purpose,
    alert_email,
    escalation_recipients,
    notify_recipients,
    retry_delay,
    review_overdue_at,
)
from supine.clinic.models import (
    Alert,
    AlertDelivery,
    AlertKind,
    AlertSeverity,
    Clinician,
    DeliveryAttempt,
    DeliveryKind,
    DeliveryStatus,
)
from supine.ops.heartbeat import record_worker_heartbeat

logger = logging.getLogger("supine.alerts")

# A send that has been "in progress" this long was cut short by a worker that stopped
# (a send gives up after EMAIL_TIMEOUT, 30 s by default, per step of the SMTP dialogue).
STALE_AFTER = timedelta(minutes=5)
# How often the workers look for what a stopped worker left half-done.
LOOK_AFTER_EVERY = timedelta(minutes=2)


@task()
def send_alert_email(delivery_id: str, attempt: int) -> str:
    return attempt_delivery(delivery_id=uuid.UUID(delivery_id), attempt=attempt)


@task()
def escalate_alert(alert_id: str) -> str:
    return escalate(alert_id=uuid.UUID(alert_id))


@task()
def look_after_deliveries() -> str:
    record_worker_heartbeat()
    requeue_stalled_deliveries()
    escalate_overdue_alerts()
    tell_admins_of_overdue_reviews()
    # Closed accounts whose clinic's retention period has run lose their names (a lazy
    # import: the closing uses the audit log, which uses this module).
    from supine.clinic.closure import anonymise_due

    anonymise_due()
    keep_looking_after_deliveries()
    return "done"


def keep_looking_after_deliveries() -> None:
    """Keep one `look_after_deliveries` queued, however many workers there are: each
    queues the next only if none is waiting, so two started at once soon become one."""
    mine = DBTaskResult.objects.filter(task_path=look_after_deliveries.module_path)
    if not mine.filter(status=TaskResultStatus.READY).exists():
        look_after_deliveries.using(run_after=timezone.now() + LOOK_AFTER_EVERY).enqueue()
    # Its own finished runs are of no interest after a day.
    mine.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=timezone.now() - timedelta(days=1)
    ).delete()


def schedule_alert_delivery(alert: Alert) -> AlertDelivery:
    """Queue the email about a new urgent alert and its escalation check.

    Call it inside the transaction that creates the alert (raise_alert does).
    """
    clinic = alert.patient.clinic
    delivery = AlertDelivery.objects.create(
        alert=alert, kind=DeliveryKind.NOTIFY, next_attempt_at=alert.created_at
    )
    send_alert_email.enqueue(str(delivery.id), 1)
    due = alert.created_at + timedelta(minutes=clinic.escalation_minutes)
    escalate_alert.using(run_after=due).enqueue(str(alert.id))
    return delivery


def attempt_delivery(*, delivery_id: uuid.UUID, attempt: int) -> str:
    """Attempt number `attempt` of one delivery; returns what became of it."""
    now = timezone.now()
    # Claiming the attempt is one conditional UPDATE, so that of two workers handed the
    # same attempt (a task queued again by recovery) only one sends.
    claimed = AlertDelivery.objects.filter(
        id=delivery_id,
        attempts=attempt - 1,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
    ).update(
        status=DeliveryStatus.SENDING, attempts=attempt, last_attempt_at=now, next_attempt_at=None
    )
    if not claimed:
        return "skipped"
    delivery = AlertDelivery.objects.select_related("alert__patient__clinic").get(id=delivery_id)
    alert = delivery.alert
    if alert.acknowledged_at is not None:
        _finish(delivery, DeliveryStatus.CANCELLED)
        return DeliveryStatus.CANCELLED
    try:
        recipients = _recipients(delivery)
        delivery.recipients = ", ".join(recipients)
        if recipients:
            email = _email(delivery)
            EmailMessage(subject=email.subject, body=email.body, to=recipients).send()
    except Exception as error:  # any failure to send is retried, not lost
        return _failed(delivery, attempt=attempt, error=_kind_of(error), at=now)
    if not recipients:
        _finish(delivery, DeliveryStatus.NO_RECIPIENTS)
        logger.error(
            "Urgent alert %s: nobody at its clinic has an email address (delivery %s)",
            alert.id,
            delivery.id,
        )
        return DeliveryStatus.NO_RECIPIENTS
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, number=attempt, at=now, sent=True)
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["status", "sent_at", "recipients", "last_error"])
    logger.info("Alert email %s sent (%s, attempt %d)", delivery.id, delivery.kind, attempt)
    return DeliveryStatus.SENT


def escalate(*, alert_id: uuid.UUID) -> str:
    """Escalate an urgent alert still open after the clinic's delay: once, however often
    this is asked (the database holds one escalation per alert)."""
    alert = Alert.objects.select_related("patient__clinic").filter(id=alert_id).first()
    if alert is None or alert.severity != AlertSeverity.URGENT:
        return "not urgent"
    if alert.acknowledged_at is not None:
        return "acknowledged"
    due = escalation_due(alert)
    if timezone.now() < due:
        # The clinic lengthened its delay after the alert was raised.
        escalate_alert.using(run_after=due).enqueue(str(alert.id))
        return "not due"
    with transaction.atomic():
        delivery, created = AlertDelivery.objects.get_or_create(
            alert=alert, kind=DeliveryKind.ESCALATE, defaults={"next_attempt_at": timezone.now()}
        )
        if created:
            send_alert_email.enqueue(str(delivery.id), 1)
    if created:
        logger.info("Urgent alert %s escalated to the clinic's admins", alert.id)
        return "escalated"
    return "already escalated"


def escalation_due(alert: Alert) -> datetime:
    return alert.created_at + timedelta(minutes=alert.patient.clinic.escalation_minutes)


def escalate_overdue_alerts() -> int:
    """Escalate every open urgent alert past its clinic's delay and not yet escalated:
    the net under a lost escalation task. Only alerts that were emailed are considered,
    so alerts from before email existed are not all sent at once."""
    overdue = [
        alert
        for alert in Alert.objects.open()
        .filter(severity=AlertSeverity.URGENT, deliveries__kind=DeliveryKind.NOTIFY)
        .exclude(deliveries__kind=DeliveryKind.ESCALATE)
        .select_related("patient__clinic")
        if escalation_due(alert) <= timezone.now()
    ]
    return sum(escalate(alert_id=alert.id) == "escalated" for alert in overdue)


def tell_admins_of_overdue_reviews() -> int:
    """Answers waiting for clinician review more than 2 working days: the admins are told,
    once per alert (clinical-rules.md §5)."""
    waiting = (
        Alert.objects.open()
        .filter(kind=AlertKind.REVIEW, patient__user__is_active=True)
        .exclude(deliveries__kind=DeliveryKind.REVIEW_OVERDUE)
        .select_related("patient__clinic")
    )
    now = timezone.now()
    told = 0
    for alert in waiting:
        if review_overdue_at(timezone.localtime(alert.created_at)) > now:
            continue
        with transaction.atomic():
            delivery, created = AlertDelivery.objects.get_or_create(
                alert=alert, kind=DeliveryKind.REVIEW_OVERDUE, defaults={"next_attempt_at": now}
            )
            if created:
                send_alert_email.enqueue(str(delivery.id), 1)
                told += 1
    if told:
        logger.info("Told the admins of %d overdue review(s)", told)
    return told


def requeue_stalled_deliveries() -> int:
    """Queue again the deliveries a stopped worker left behind: one cut short mid-send
    (it may have gone out; sending twice beats not at all), one whose task was claimed
    by a worker that then died. Run by `supine worker` as it starts, and every few
    minutes by `look_after_deliveries`."""
    cutoff = timezone.now() - STALE_AFTER
    count = 0
    for delivery in AlertDelivery.objects.filter(
        status=DeliveryStatus.SENDING, last_attempt_at__lt=cutoff
    ):
        count += _resume_cut_short(delivery)
    for delivery in AlertDelivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lt=cutoff
    ):
        # If its task is only late, the copy finds the attempt taken and does nothing.
        send_alert_email.enqueue(str(delivery.id), delivery.attempts + 1)
        count += 1
    if count:
        logger.warning("Queued %d stalled alert email(s) again", count)
    return count


def _resume_cut_short(delivery: AlertDelivery) -> bool:
    given_up = delivery.attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        DeliveryAttempt.objects.get_or_create(
            delivery=delivery,
            number=delivery.attempts,
            defaults={"at": delivery.last_attempt_at, "sent": False, "error": "interrupted"},
        )
        AlertDelivery.objects.filter(id=delivery.id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.GAVE_UP if given_up else DeliveryStatus.RETRYING,
            next_attempt_at=None if given_up else timezone.now(),
        )
        if not given_up:
            send_alert_email.enqueue(str(delivery.id), delivery.attempts + 1)
    if given_up:
        logger.error("Alert email %s was given up after %d attempts", delivery.id, MAX_ATTEMPTS)
    return not given_up


def _recipients(delivery: AlertDelivery) -> tuple[str, ...]:
    patient = delivery.alert.patient
    staff = (
        Clinician.objects.for_clinic(patient.clinic_id)
        .filter(user__is_active=True)
        .exclude(email="")
    )
    everyone = list(staff.values_list("email", flat=True))
    if delivery.kind in (DeliveryKind.ESCALATE, DeliveryKind.REVIEW_OVERDUE):
        return escalation_recipients(
            admins=staff.filter(is_admin=True).values_list("email", flat=True),
            on_call=patient.clinic.on_call_email,
            clinic_staff=everyone,
        )
    # The patient has no assigned clinician yet: the one who prescribed the program is.
    prescribed_by = patient.prescriptions.filter(active=True).values("prescribed_by_id")
    return notify_recipients(
        on_call=patient.clinic.on_call_email,
        prescribers=staff.filter(id__in=prescribed_by).values_list("email", flat=True),
        clinic_staff=everyone,
    )


def _email(delivery: AlertDelivery) -> AlertEmail:
    alert = delivery.alert
    clinic = alert.patient.clinic
    site = settings.SUPINE_SITE_URL
    return alert_email(
        Purpose(delivery.kind),
        clinic_name=clinic.name,
        raised_at=timezone.localtime(alert.created_at),
        escalation_minutes=clinic.escalation_minutes,
        patient_url=site + reverse("clinic-patient", args=[alert.patient_id]),
        clinic_url=site + reverse("clinic-home"),
    )


def _failed(delivery: AlertDelivery, *, attempt: int, error: str, at: datetime) -> str:
    delay = retry_delay(attempt)
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery, number=attempt, at=at, sent=False, error=error
        )
        delivery.last_error = error
        if delay is None:
            delivery.status = DeliveryStatus.GAVE_UP
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = timezone.now() + delay
            send_alert_email.using(run_after=delivery.next_attempt_at).enqueue(
                str(delivery.id), attempt + 1
            )
        delivery.save(update_fields=["status", "next_attempt_at", "last_error", "recipients"])
    if delay is None:
        logger.error(
            "Alert email %s failed (%s) and was given up after %d attempts; the alert stays "
            "on the clinic page",
            delivery.id,
            error,
            attempt,
        )
        return DeliveryStatus.GAVE_UP
    logger.warning(
        "Alert email %s attempt %d failed (%s); next attempt in %d s",
        delivery.id,
        attempt,
        error,
        delay.total_seconds(),
    )
    return DeliveryStatus.RETRYING


def _finish(delivery: AlertDelivery, status: DeliveryStatus) -> None:
    delivery.status = status
    delivery.save(update_fields=["status", "recipients"])


def _kind_of(error: Exception) -> str:
    # The class and SMTP code say what went wrong; a server's message may quote addresses.
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
