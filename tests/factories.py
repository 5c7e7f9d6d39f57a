"""Tiny explicit factories: each makes one thing with sensible defaults."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from supine.clinic.models import Clinic, Clinician, Patient
from supine.clinic.services import create_clinician, create_patient
from supine.demo import DEMO_PROGRAM
from supine.library.models import Exercise
from supine.programs.services import prescribe
from supine.safety.screening import QUESTIONS
from supine.safety.services import submit_screening

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_clinic(name: str = "Riverside Clinic") -> Clinic:
    return Clinic.objects.create(name=name)


def make_clinician(
    clinic: Clinic | None = None,
    username: str | None = None,
    *,
    may_clear_holds: bool = True,
    profession: str = "physiotherapist",
) -> Clinician:
    clinician = create_clinician(
        clinic=clinic or make_clinic(),
        username=username or f"clinician{next(_counter)}",
        password=PASSWORD,
        name="Alex Clinician",
    )
    clinician.may_clear_holds = may_clear_holds
    clinician.profession = profession
    clinician.registration_number = "PH-12345"
    clinician.save(update_fields=["may_clear_holds", "profession", "registration_number"])
    return clinician


def make_patient(
    clinic: Clinic | None = None,
    username: str | None = None,
    *,
    program: bool = True,
    screened: bool = True,
) -> Patient:
    patient = create_patient(
        clinic=clinic or make_clinic(),
        username=username or f"patient{next(_counter)}",
        password=PASSWORD,
        name="Sam Patient",
    )
    if program:
        seed = {e.slug: e for e in Exercise.objects.filter(slug__in=DEMO_PROGRAM)}
        prescribe(patient=patient, exercises=[seed[slug] for slug in DEMO_PROGRAM])
    if screened:
        screen(patient)
    return patient


def safe_answers(*, flagged: tuple[str, ...] = ()) -> dict[str, bool]:
    """Every question answered the way that flags nothing, except the ids in `flagged`."""
    return {q.id: q.flag_on if q.id in flagged else not q.flag_on for q in QUESTIONS}


def screen(
    patient: Patient,
    *,
    yes: tuple[str, ...] = (),
    advised: bool = True,
    confirmations: dict[str, str] | None = None,
):
    """Answer the full screen: nothing flagged except the ids in `yes`."""
    return submit_screening(
        patient=patient,
        clinician_advised=advised,
        answers=safe_answers(flagged=yes),
        confirmations=confirmations,
    )


def make_stranger(username: str = "stranger"):
    return get_user_model().objects.create_user(username=username, password=PASSWORD)
