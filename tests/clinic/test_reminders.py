"""Exercise reminder emails, through a real SMTP server: sent at the patient's time in
their clinic's time zone on days with exercise, once a day; none on a flare day, while
a safety hold stands, or to a patient who has not opted in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import time_machine
from django_tasks_db.models import DBTaskResult

from supine.appointments.services import set_reminders
from supine.appointments.tasks import remind_patients, send_due_reminders
from supine.outcomes.services import record_pain
from supine.safety.models import SafetyBlock

# 17:00 UTC on a winter day is 17:00 in London; the patient chose 18:30 their time.
BEFORE = datetime(2027, 1, 12, 17, 0, tzinfo=UTC)
AFTER = datetime(2027, 1, 12, 18, 45, tzinfo=UTC)


def opt_in(patient, at: time = time(18, 30)) -> None:
    set_reminders(patient=patient, email_reminders=True, reminder_time=at, email="sam@home.example")


def test_a_reminder_goes_out_at_the_patients_time_once_a_day(smtp, patient):
    opt_in(patient)
    with time_machine.travel(BEFORE, tick=False):
        assert send_due_reminders() == 0
    with time_machine.travel(AFTER, tick=False):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0
    with time_machine.travel(AFTER + timedelta(hours=3), tick=False):
        assert send_due_reminders() == 0
    [(to, message)] = smtp.inbox.messages
    assert to == ["sam@home.example"]
    assert message["Subject"] == "Time for your back exercises"
    with time_machine.travel(AFTER + timedelta(days=1), tick=False):
        assert send_due_reminders() == 1
    assert len(smtp.inbox.messages) == 2


def test_the_time_is_the_clinics_local_time(smtp, patient):
    opt_in(patient, at=time(9, 0))
    # 08:30 UTC in July is 09:30 in London (summer time): due.
    with time_machine.travel(datetime(2027, 7, 1, 8, 30, tzinfo=UTC), tick=False):
        assert send_due_reminders() == 1
    opt_in(patient, at=time(10, 0))
    # 08:30 UTC the next day is 09:30 in London: not yet 10:00.
    with time_machine.travel(datetime(2027, 7, 2, 8, 30, tzinfo=UTC), tick=False):
        assert send_due_reminders() == 0


def test_no_reminder_on_a_flare_day(smtp, patient):
    opt_in(patient)
    with time_machine.travel(AFTER - timedelta(hours=6), tick=False):
        record_pain(patient=patient, score=9)
    with time_machine.travel(AFTER, tick=False):
        assert send_due_reminders() == 0
    with time_machine.travel(AFTER + timedelta(days=1), tick=False):
        assert send_due_reminders() == 1
    assert len(smtp.inbox.messages) == 1


def test_no_reminder_while_a_hold_stands(smtp, patient):
    opt_in(patient)
    SafetyBlock.objects.create(
        patient=patient, source="screening", urgency="soon", reason="Fever", advice="See a doctor"
    )
    with time_machine.travel(AFTER, tick=False):
        assert send_due_reminders() == 0
    assert smtp.inbox.messages == []


def test_no_reminder_without_opting_in_or_without_exercises(smtp, patient):
    set_reminders(
        patient=patient, email_reminders=False, reminder_time=time(18, 30), email="s@x.example"
    )
    with time_machine.travel(AFTER, tick=False):
        assert send_due_reminders() == 0
    opt_in(patient)
    patient.prescriptions.update(active=False)
    with time_machine.travel(AFTER, tick=False):
        assert send_due_reminders() == 0
    assert smtp.inbox.messages == []


def test_a_failed_send_is_tried_again_on_the_next_run(smtp_port, patient):
    opt_in(patient)
    with time_machine.travel(AFTER, tick=False):
        # Nothing listens on the port yet: the send fails and the day is not spent.
        assert send_due_reminders() == 0
    from tests.clinic.conftest import SMTPServer

    server = SMTPServer(smtp_port).start()
    try:
        with time_machine.travel(AFTER + timedelta(minutes=5), tick=False):
            assert send_due_reminders() == 1
    finally:
        server.stop()
    assert len(server.inbox.messages) == 1


def test_the_worker_sends_them_and_keeps_the_task_queued(smtp, run_queue, patient):
    opt_in(patient)
    with time_machine.travel(AFTER, tick=True):
        remind_patients.enqueue()
        run_queue()
    assert len(smtp.inbox.messages) == 1
    queued = DBTaskResult.objects.filter(task_path=remind_patients.module_path, status="READY")
    assert queued.count() == 1
