"""Who hears of an urgent alert, what the email says, and how failed sends are retried."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from supine.clinic.alert_email import (
    MAX_ATTEMPTS,
    Purpose,
    alert_email,
    escalation_recipients,
    notify_recipients,
    retry_delay,
)


def test_the_on_call_address_and_the_prescriber_are_emailed():
    recipients = notify_recipients(
        on_call="on-call@clinic.example",
        prescribers=["prescriber@clinic.example"],
        clinic_staff=["prescriber@clinic.example", "other@clinic.example"],
    )
    assert recipients == ("on-call@clinic.example", "prescriber@clinic.example")


def test_one_of_the_two_is_enough():
    assert notify_recipients(on_call="", prescribers=["p@clinic.example"], clinic_staff=[
        "p@clinic.example", "other@clinic.example"]) == ("p@clinic.example",)  # fmt: skip
    assert notify_recipients(
        on_call="on-call@clinic.example", prescribers=[], clinic_staff=["other@clinic.example"]
    ) == ("on-call@clinic.example",)


def test_without_either_every_clinician_with_an_address_is_emailed():
    recipients = notify_recipients(
        on_call="", prescribers=[""], clinic_staff=["a@clinic.example", "", "b@clinic.example"]
    )
    assert recipients == ("a@clinic.example", "b@clinic.example")


def test_an_address_is_emailed_once_whatever_its_case():
    recipients = notify_recipients(
        on_call="Team@Clinic.example", prescribers=["team@clinic.example "], clinic_staff=[]
    )
    assert recipients == ("Team@Clinic.example",)


def test_escalation_goes_to_the_admins_or_else_to_everyone():
    assert escalation_recipients(
        admins=["admin@clinic.example"], on_call="on-call@clinic.example",
        clinic_staff=["admin@clinic.example", "other@clinic.example"],
    ) == ("admin@clinic.example",)  # fmt: skip
    assert escalation_recipients(
        admins=[], on_call="on-call@clinic.example", clinic_staff=["other@clinic.example"]
    ) == ("on-call@clinic.example", "other@clinic.example")


@pytest.mark.parametrize("purpose", list(Purpose))
def test_the_email_is_a_link_to_the_patient_and_the_clinic_page(purpose):
    email = alert_email(
        purpose,
        clinic_name="Riverside Clinic",
        raised_at=datetime(2026, 3, 2, 14, 5, tzinfo=ZoneInfo("Europe/London")),
        escalation_minutes=20,
        patient_url="https://supine.example/clinic/patients/1234/",
        clinic_url="https://supine.example/clinic/",
    )
    assert "Riverside Clinic" in email.subject
    assert "The patient's page: https://supine.example/clinic/patients/1234/" in email.body
    assert "clinic page: https://supine.example/clinic/" in email.body
    assert "14:05 GMT on 2 March 2026" in email.body
    assert "no health details" in email.body
    if purpose is Purpose.ESCALATE:
        assert email.subject.startswith("Not yet acknowledged")
        assert "not been acknowledged after 20 minutes" in email.body
    elif purpose is Purpose.REVIEW_OVERDUE:
        assert email.subject.startswith("Waiting for review")
        assert "more than 2 working days" in email.body
    else:
        assert "within 20 minutes, the clinic's admins are told" in email.body


def test_retries_wait_longer_each_time_up_to_a_quarter_of_an_hour():
    delays = [retry_delay(attempt) for attempt in range(1, MAX_ATTEMPTS)]
    assert delays[:6] == [
        timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2),
        timedelta(minutes=4), timedelta(minutes=8), timedelta(minutes=15),
    ]  # fmt: skip
    assert set(delays[5:]) == {timedelta(minutes=15)}
    assert sum(delays, timedelta()) > timedelta(hours=1)


def test_after_the_last_attempt_it_gives_up():
    assert retry_delay(MAX_ATTEMPTS) is None
