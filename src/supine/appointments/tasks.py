"""Exercise reminder emails, sent by the worker (`supine worker`).

`remind_patients` runs every few minutes and queues its next run, like the alert
deliveries' `look_after_deliveries`. A patient who opted in gets one email on a day
with exercise, at or after their time in their clinic's time zone; none on a flare day
or while a safety hold stands. Claiming the day is one conditional UPDATE, so two
workers never send the same reminder. Logs name no one.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from supine.appointments.models import CalendarFeed
from supine.appointments.services import clinic_zone
from supine.clinic.models import Patient

logger = logging.getLogger("supine.reminders")

REMIND_EVERY = timedelta(minutes=5)
SUBJECT = "Time for your back exercises"


@task()
def remind_patients() -> str:
    sent = send_due_reminders()
    keep_reminding()
    return f"{sent} sent"


def keep_reminding() -> None:
    """Keep one `remind_patients` queued, however many workers there are."""
    mine = DBTaskResult.objects.filter(task_path=remind_patients.module_path)
    if not mine.filter(status=TaskResultStatus.READY).exists():
        remind_patients.using(run_after=timezone.now() + REMIND_EVERY).enqueue()
    mine.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=timezone.now() - timedelta(days=1)
    ).delete()


def exercise_day(patient) -> bool:
    """A day the patient has exercises to do and may do them: none on a flare day or
    while a hold stands (or before the safety questions are answered)."""
    from supine.programs.services import todays_items
    from supine.safety.services import flare_today, safety_status

    if flare_today(patient) or safety_status(patient).blocked:
        return False
    return bool(todays_items(patient))


def send_due_reminders(now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    due = (
        CalendarFeed.objects.filter(
            email_reminders=True, patient__isnull=False, patient__user__is_active=True
        )
        .exclude(patient__email="")
        .select_related("patient__clinic")
    )
    for feed in due.iterator(chunk_size=500):
        patient = feed.patient
        if patient is None:  # not in `due`: a clinician's feed has no reminders
            continue
        local = timezone.localtime(now, clinic_zone(patient.clinic))
        if local.time() < feed.reminder_time or feed.reminded_on == local.date():
            continue
        if not exercise_day(patient):
            continue
        sent += _send(feed, patient, day=local.date())
    if sent:
        logger.info("Sent %d exercise reminder(s)", sent)
    return sent


def _send(feed: CalendarFeed, patient: Patient, *, day: date) -> bool:
    previous = feed.reminded_on
    claimed = (
        CalendarFeed.objects.filter(pk=feed.pk).exclude(reminded_on=day).update(reminded_on=day)
    )
    if not claimed:
        return False
    site = settings.SUPINE_SITE_URL
    body = (
        "Your exercises for today are ready in Supine:\n"
        f"{site}/today/\n\n"
        "Stop straight away if you feel an abnormal amount of pain.\n\n"
        f"To change or stop these reminders: {site}/me/reminders/\n"
    )
    try:
        EmailMessage(subject=SUBJECT, body=body, to=[patient.email]).send()
    except Exception as error:  # the next run tries again
        CalendarFeed.objects.filter(pk=feed.pk, reminded_on=day).update(reminded_on=previous)
        logger.warning("Exercise reminder %s not sent (%s)", feed.pk, type(error).__name__)
        return False
    return True
