"""Answers held for clinician review are reviewed within 2 working days; after that the
clinic's admins are told, once (clinical-rules.md §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from supine.clinic.alert_email import review_overdue_at
from supine.clinic.models import AlertDelivery, AlertKind, AlertSeverity, DeliveryKind
from supine.clinic.services import acknowledge_alert, raise_alert
from supine.clinic.tasks import tell_admins_of_overdue_reviews

FRIDAY = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
OVERDUE = "Waiting for review: a patient of Riverside Clinic"


@pytest.mark.parametrize(
    ("raised", "due"),
    [
        pytest.param(datetime(2026, 3, 2, 10, tzinfo=UTC), datetime(2026, 3, 4, 10, tzinfo=UTC),
                     id="Monday → Wednesday"),
        pytest.param(FRIDAY, datetime(2026, 3, 10, 10, tzinfo=UTC),
                     id="Friday → Tuesday: the weekend does not count"),
        pytest.param(datetime(2026, 3, 7, 15, tzinfo=UTC), datetime(2026, 3, 11, 0, tzinfo=UTC),
                     id="Saturday → the clock starts on Monday"),
    ],
)  # fmt: skip
def test_two_working_days(raised, due):
    assert review_overdue_at(raised) == due


def review_alert(patient):
    return raise_alert(
        patient=patient, kind=AlertKind.REVIEW, severity=AlertSeverity.ATTENTION, reason="x"
    )


def test_the_admins_are_told_once_after_two_working_days(smtp, run_worker, patient, admin):
    with time_machine.travel(FRIDAY, tick=False) as clock:
        alert = review_alert(patient)
        clock.move_to(FRIDAY + timedelta(days=3, hours=23))  # Monday evening
        assert tell_admins_of_overdue_reviews() == 0
        clock.move_to(FRIDAY + timedelta(days=4, minutes=1))  # Tuesday
        assert tell_admins_of_overdue_reviews() == 1
        assert tell_admins_of_overdue_reviews() == 0
        run_worker()
    assert smtp.inbox.subjects() == [OVERDUE]
    envelope_to, message = smtp.inbox.messages[0]
    assert envelope_to == ["admin@riverside.example"]
    body = message.get_payload(decode=True).decode()
    assert str(patient.id) in body
    assert patient.display_name not in body
    assert AlertDelivery.objects.filter(alert=alert, kind=DeliveryKind.REVIEW_OVERDUE).count() == 1


def test_a_review_acknowledged_in_time_tells_nobody(smtp, run_worker, patient, admin, clinician):
    with time_machine.travel(FRIDAY, tick=False) as clock:
        alert = review_alert(patient)
        acknowledge_alert(clinician=clinician, alert=alert)
        clock.move_to(FRIDAY + timedelta(days=7))
        assert tell_admins_of_overdue_reviews() == 0
