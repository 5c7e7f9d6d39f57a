"""Who hears of an urgent alert, what the email says, and when a failed send is tried again.

clinical-rules.md §5: an urgent alert is delivered within a minute by email to the clinic's
on-call address and the patient's clinician; unacknowledged after the clinic's delay
(30 minutes at most) it goes to the clinic's admins. The email is a link and nothing
else: no symptom, no pain score, no name. Email is not a private channel, and a link
makes the reader sign in, which is where Supine checks who may see the patient.

Plain values in, plain values out; `supine.clinic.tasks` does the sending.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Purpose(StrEnum):
    # The values of DeliveryKind, the model's vocabulary.
    NOTIFY = "notify"
    ESCALATE = "escalate"
    REVIEW_OVERDUE = "review_overdue"


# clinical-rules.md §5: answers held for clinician review are reviewed within 2 working days;
# after that, the admins are told.
REVIEW_WITHIN_WORKING_DAYS = 2


def review_overdue_at(raised_at: datetime) -> datetime:
    """When a review raised at `raised_at` becomes overdue: 2 working days (Monday to
    Friday) later, counted in the clinic's time zone; a weekend does not count."""
    due, left = raised_at, REVIEW_WITHIN_WORKING_DAYS
    if due.weekday() >= 5:  # raised at a weekend: the clock starts on Monday morning
        due = (due + timedelta(days=7 - due.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    while left:
        due += timedelta(days=1)
        if due.weekday() < 5:
            left -= 1
    return due


@dataclass(frozen=True)
class AlertEmail:
    subject: str
    body: str


def _unique(addresses: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    kept = []
    for address in addresses:
        address = address.strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            kept.append(address)
    return tuple(kept)


def notify_recipients(
    *, on_call: str, prescribers: Iterable[str], clinic_staff: Iterable[str]
) -> tuple[str, ...]:
    """The on-call address and the clinician(s) who prescribed the patient's program; when
    neither has an address, every clinician of the clinic who has one, so that an urgent
    alert is never emailed to nobody while somebody could have read it."""
    named = _unique([on_call, *prescribers])
    return named or _unique(clinic_staff)


def escalation_recipients(
    *, admins: Iterable[str], on_call: str, clinic_staff: Iterable[str]
) -> tuple[str, ...]:
    """The clinic's admins; a clinic without an admin address falls back to everyone."""
    return _unique(admins) or _unique([on_call, *clinic_staff])


def alert_email(
    purpose: Purpose,
    *,
    clinic_name: str,
    raised_at: datetime,
    escalation_minutes: int,
    patient_url: str,
    clinic_url: str,
) -> AlertEmail:
    """The email about an urgent alert. `raised_at` is already in the clinic's time zone."""
    zone = raised_at.tzname()
    when = f"{raised_at:%H:%M}{f' {zone}' if zone else ''} on {raised_at.day} {raised_at:%B %Y}"
    if purpose is Purpose.REVIEW_OVERDUE:
        subject = f"Waiting for review: a patient of {clinic_name}"
        opening = (
            f"A patient of {clinic_name} has been waiting since {when} for a clinician to "
            f"review their answers, more than {REVIEW_WITHIN_WORKING_DAYS} working days. "
            "Their exercises are paused until then. You are told as an admin of the clinic."
        )
        next_step = ""
    elif purpose is Purpose.ESCALATE:
        subject = f"Not yet acknowledged: urgent Supine alert at {clinic_name}"
        opening = (
            f"An urgent alert raised at {when} for a patient of {clinic_name} has not been "
            f"acknowledged after {escalation_minutes} minutes. You are told as an admin "
            "of the clinic: please make sure someone looks at it now."
        )
        next_step = ""
    else:
        subject = f"Urgent Supine alert at {clinic_name}"
        opening = (
            f"An urgent alert was raised at {when} for a patient of {clinic_name}. "
            "Please look at it as soon as you can."
        )
        next_step = (
            f"If nobody acknowledges it within {escalation_minutes} minutes, the clinic's "
            "admins are told.\n\n"
        )
    body = (
        f"{opening}\n\n"
        f"The patient's page: {patient_url}\n"
        f"Acknowledge it on the clinic page: {clinic_url}\n\n"
        f"{next_step}"
        "This email carries no health details; sign in to Supine to read them.\n"
    )
    return AlertEmail(subject=subject, body=body)


# Half a minute, then doubling to a quarter of an hour between attempts: a mail server
# that is briefly down is retried quickly, one that is down for long is not hammered.
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
# About two hours of trying; by then the operator has the logged failures, and the
# alert has been on the clinic page all along.
MAX_ATTEMPTS = 12


def retry_delay(attempt: int) -> timedelta | None:
    """How long to wait after failed attempt number `attempt` (from 1); None: give up."""
    if attempt >= MAX_ATTEMPTS:
        return None
    return min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_WAIT)
