"""When RMDQ and PSFS fall due (clinical-rules.md §4): at sign-up, then every 2 weeks or
before a visit, whichever comes first, at most once a week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from supine.appointments.models import Appointment
from supine.outcomes.models import QuestionnaireResponse
from supine.outcomes.questionnaire_services import due_questionnaires, next_due

MON = date(2026, 3, 2)


def test_due_at_sign_up_when_never_answered():
    assert next_due(signed_up=MON, last_done=None, visits=[]) == MON


def test_due_two_weeks_after_the_last_one_without_a_visit():
    assert next_due(signed_up=MON, last_done=MON, visits=[]) == MON + timedelta(days=14)


def test_a_visit_within_two_weeks_brings_it_forward_to_the_day_before():
    visit = MON + timedelta(days=10)
    assert next_due(signed_up=MON, last_done=MON, visits=[visit]) == visit - timedelta(days=1)


def test_never_twice_in_a_week_even_with_a_visit_soon():
    # A visit 5 days after the last answers: the answers are fresh; two weeks stands.
    soon = MON + timedelta(days=5)
    assert next_due(signed_up=MON, last_done=MON, visits=[soon]) == MON + timedelta(days=14)
    # The earliest a visit can bring it: a week after the last one.
    eight = MON + timedelta(days=8)
    assert next_due(signed_up=MON, last_done=MON, visits=[soon, eight]) == MON + timedelta(days=7)


def test_a_visit_after_two_weeks_changes_nothing():
    late = MON + timedelta(days=20)
    assert next_due(signed_up=MON, last_done=MON, visits=[late]) == MON + timedelta(days=14)


def _answered(patient, code, on: date):
    moment = timezone.make_aware(datetime.combine(on, time(9)))
    return QuestionnaireResponse.objects.create(
        patient=patient, code=code, answers={}, score=3, completed_at=moment
    )


@pytest.mark.django_db
def test_a_new_patient_has_rmdq_and_psfs_due_and_not_startback(patient, settings):
    settings.SUPINE_STARTBACK = False
    today = timezone.localdate()
    assert [(d.code, d.due_on) for d in due_questionnaires(patient, today)] == [
        ("rmdq", today),
        ("psfs", today),
    ]


@pytest.mark.django_db
def test_startback_is_due_once_at_intake_when_the_setting_is_on(patient, settings):
    settings.SUPINE_STARTBACK = True
    today = timezone.localdate()
    assert "startback" in [d.code for d in due_questionnaires(patient, today)]
    _answered(patient, "startback", today)
    assert "startback" not in [d.code for d in due_questionnaires(patient, today + timedelta(90))]


@pytest.mark.django_db
def test_answered_ones_come_due_again_before_the_next_visit(patient, clinician):
    today = timezone.localdate()
    _answered(patient, "rmdq", today)
    _answered(patient, "psfs", today)
    assert due_questionnaires(patient, today) == []
    assert due_questionnaires(patient, today + timedelta(days=13)) == []
    assert [d.code for d in due_questionnaires(patient, today + timedelta(days=14))] == [
        "rmdq",
        "psfs",
    ]
    visit_day = today + timedelta(days=9)
    Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        starts_at=timezone.make_aware(datetime.combine(visit_day, time(10))),
    )
    due = due_questionnaires(patient, today + timedelta(days=8))
    assert [(d.code, d.due_on) for d in due] == [
        ("rmdq", visit_day - timedelta(days=1)),
        ("psfs", visit_day - timedelta(days=1)),
    ]
    assert due_questionnaires(patient, today + timedelta(days=7)) == []
