"""Prescriptions and today's session, as named actions and queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from supine.clinic.models import Clinician, Patient
from supine.library.models import Exercise
from supine.programs.models import PrescribedExercise, Prescription
from supine.programs.plan import Dose, PlannedExercise, Step, build_timeline


@dataclass(frozen=True)
class TodayItem:
    exercise: Exercise
    dose: Dose


def prescribe(
    *,
    patient: Patient,
    exercises: Sequence[Exercise],
    prescribed_by: Clinician | None = None,
    sessions_per_week: int = 7,
) -> Prescription:
    """A new program with each exercise's library ranges; it replaces any active one."""
    with transaction.atomic():
        Prescription.objects.filter(patient=patient, active=True).update(active=False)
        prescription = Prescription.objects.create(
            patient=patient, prescribed_by=prescribed_by, sessions_per_week=sessions_per_week
        )
        PrescribedExercise.objects.bulk_create(
            PrescribedExercise(
                prescription=prescription,
                exercise=exercise,
                position=position,
                reps_min=exercise.reps_min,
                reps_max=exercise.reps_max,
                hold_seconds_min=exercise.hold_seconds_min,
                hold_seconds_max=exercise.hold_seconds_max,
                sets_min=exercise.sets_min,
                sets_max=exercise.sets_max,
            )
            for position, exercise in enumerate(exercises, start=1)
        )
    return prescription


def starting_dose(item: PrescribedExercise) -> Dose:
    # Start at the bottom of every range (NHS inform: start gently, build up).
    return Dose(
        reps=item.reps_min,
        hold_seconds=item.hold_seconds_min,
        sets=item.sets_min,
        per_side=item.exercise.per_side,
        alternate_sides=item.exercise.alternate_sides,
    )


def todays_items(patient: Patient) -> list[TodayItem]:
    items = (
        PrescribedExercise.objects.filter(prescription__patient=patient, prescription__active=True)
        .select_related("exercise")
        .order_by("position")
    )
    return [TodayItem(exercise=item.exercise, dose=starting_dose(item)) for item in items]


def planned(item: TodayItem) -> PlannedExercise:
    exercise = item.exercise
    return PlannedExercise(
        slug=exercise.slug,
        name=exercise.name,
        starting_position=exercise.starting_position,
        move_cue=exercise.move_cue,
        hold_cue=exercise.hold_cue,
        release_cue=exercise.release_cue,
        dose=item.dose,
    )


def todays_timeline(items: Sequence[TodayItem]) -> list[Step]:
    return build_timeline([planned(item) for item in items])
