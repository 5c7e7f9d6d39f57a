"""The demo clinic: a clinician, a patient on the seed article's program, and a short
history of comfortable sessions so that a newcomer sees the dose progress."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from supine.clinic.models import Clinic, Patient
from supine.clinic.services import create_clinician, create_patient
from supine.library.models import Exercise
from supine.outcomes.models import PainMoment, PainReport
from supine.programs.dosing import decide_doses
from supine.programs.services import prescribe, todays_items, todays_plan
from supine.safety.services import plan_safety
from supine.sessions.services import NewEvent, record_events, start_session

DEMO_CLINIC = "Demo Clinic"
DEMO_CLINIC_PHONE = "+1 555 010 0100"
DEMO_ON_CALL = "on-call@demo-clinic.example"
DEMO_CLINICIAN_EMAIL = "demo-clinician@demo-clinic.example"
DEMO_USUAL_PAIN = 2
DEMO_CLINICIAN = "demo-clinician"
DEMO_PATIENT = "demo-patient"
# The seed article's three exercises, in its order.
DEMO_PROGRAM = ("deep-abdominal-strengthening", "knee-rolls", "bridge")
# Two comfortable sessions, each followed by a morning no worse than before it.
HISTORY_DAYS_AGO = (4, 2)


@dataclass(frozen=True)
class DemoAccounts:
    clinician_username: str
    patient_username: str
    password: str
    created: bool


def create_demo(*, password: str | None = None) -> DemoAccounts:
    """The demo clinic, clinician and patient with the seed's program and a history.

    Run again, it leaves the data alone and only resets the two passwords.
    """
    password = password or secrets.token_urlsafe(12)
    _check_password(password)
    users = get_user_model().objects
    with transaction.atomic():
        existing = users.filter(username__in=[DEMO_CLINICIAN, DEMO_PATIENT])
        if existing.count() == 2:
            for user in existing:
                user.set_password(password)
                user.save(update_fields=["password"])
            return DemoAccounts(DEMO_CLINICIAN, DEMO_PATIENT, password, created=False)
        if existing.exists():
            raise ValueError("Only one of the two demo accounts exists; remove it first.")
        exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=DEMO_PROGRAM)}
        missing = [slug for slug in DEMO_PROGRAM if slug not in exercises]
        if missing:
            raise ValueError(f"Load the exercise library first (missing: {', '.join(missing)}).")
        clinic = Clinic.objects.create(
            name=DEMO_CLINIC, region="us", phone=DEMO_CLINIC_PHONE, on_call_email=DEMO_ON_CALL
        )
        clinician = create_clinician(
            clinic=clinic, username=DEMO_CLINICIAN, password=password, name="Dr Demo Clinician"
        )
        # The demo clinician runs the demo clinic and may clear holds (a doctor, so an
        # emergency hold can be cleared on their own recorded assessment too).
        type(clinician).objects.filter(pk=clinician.pk).update(
            email=DEMO_CLINICIAN_EMAIL,
            is_admin=True,
            may_clear_holds=True,
            profession="doctor",
            registration_number="DEMO-0001",
            assesses_red_flags=True,
        )
        patient = create_patient(
            clinic=clinic, username=DEMO_PATIENT, password=password, name="Demo Patient"
        )
        type(patient).objects.filter(pk=patient.pk).update(usual_pain=DEMO_USUAL_PAIN)
        patient.usual_pain = DEMO_USUAL_PAIN
        prescription = prescribe(
            patient=patient,
            exercises=[exercises[slug] for slug in DEMO_PROGRAM],
            prescribed_by=clinician,
        )
        first_day = timezone.now() - timedelta(days=max(HISTORY_DAYS_AGO) + 1)
        type(prescription).objects.filter(pk=prescription.pk).update(created_at=first_day)
        _add_history(patient)
        decide_doses(patient)
    return DemoAccounts(DEMO_CLINICIAN, DEMO_PATIENT, password, created=True)


def _check_password(password: str) -> None:
    """The demo accounts are real accounts: their password meets the same rules."""
    for username in (DEMO_CLINICIAN, DEMO_PATIENT):
        try:
            validate_password(password, user=get_user_model()(username=username))
        except ValidationError as error:
            raise ValueError("That password is refused: " + " ".join(error.messages)) from None


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _add_history(patient: Patient) -> None:
    """Sessions played step by step as the player would report them."""
    plan = todays_plan(todays_items(patient), safety=plan_safety(patient))
    # Each session's next morning, as the patient checked in; written first, because a
    # session's end is when its dose is decided and the past mornings are already known.
    for days_ago in HISTORY_DAYS_AGO:
        morning = _at(days_ago - 1, 7)
        PainReport.objects.create(
            patient=patient,
            score=2,
            moment=PainMoment.MORNING,
            recorded_at=morning,
            day=timezone.localdate(morning),
        )
    for days_ago in HISTORY_DAYS_AGO:
        start = _at(days_ago, 18)
        plan["date"] = start.date().isoformat()
        session, _ = start_session(patient=patient, session_id=uuid.uuid4(), plan=plan)
        events = [
            NewEvent(uuid.uuid4(), "started", start, {}),
            NewEvent(uuid.uuid4(), "pain_reported", start, {"score": 2, "moment": "before"}),
        ]
        clock = start
        for step in plan["steps"]:
            clock += timedelta(milliseconds=step["duration_ms"])
            rep = {k: step[k] for k in ("exercise", "set", "rep", "side") if step[k] is not None}
            if step["kind"] in ("hold", "release"):
                kind = "hold_done" if step["kind"] == "hold" else "rep_done"
                events.append(NewEvent(uuid.uuid4(), kind, clock, rep))
        events += [
            NewEvent(uuid.uuid4(), "pain_reported", clock, {"score": 1, "moment": "after"}),
            NewEvent(uuid.uuid4(), "finished", clock, {"feeling": "about_right"}),
        ]
        record_events(session=session, events=events)
