"""Prescriptions and today's session, as named actions and queries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from supine.clinic.models import Clinician, Patient
from supine.library.models import Exercise
from supine.programs.dosing import active_items, doses_for
from supine.programs.models import PrescribedExercise, Prescription, ProgramStatus
from supine.programs.plan import (
    Dose,
    PlannedExercise,
    Step,
    build_timeline,
    timeline_dicts,
    total_ms,
)
from supine.safety.services import ceiling_to_confirm


@dataclass(frozen=True)
class TodayItem:
    exercise: Exercise
    dose: Dose
    reason: str = ""  # the one sentence that explains today's dose
    change: str = ""


def prescribe(
    *,
    patient: Patient,
    exercises: Sequence[Exercise],
    prescribed_by: Clinician | None = None,
    sessions_per_week: int = 7,
) -> Prescription:
    """A new program with each exercise's library ranges; it replaces any active one."""
    with transaction.atomic():
        last = (
            Prescription.objects.select_for_update()
            .filter(patient=patient)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        Prescription.objects.filter(patient=patient, active=True).update(active=False)
        prescription = Prescription.objects.create(
            patient=patient,
            prescribed_by=prescribed_by,
            sessions_per_week=sessions_per_week,
            version=(last or 0) + 1,
            change_summary="New program.",
            # Setting a program confirms the pain ceiling as it stands (clinical-rules.md §2).
            pain_ceiling=ceiling_to_confirm(patient),
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


def todays_items(
    patient: Patient, items: Sequence[PrescribedExercise] | None = None
) -> list[TodayItem]:
    """Each prescribed exercise that is not paused, with today's dose as last decided;
    none while the program is paused, ended or not started yet. `items`: the program's
    exercises, when the caller has read them already (active_items).

    Reads only: the decisions were taken when the facts arrived (programs/dosing.py).
    """
    if items is None:
        items = active_items(patient)
    if items and program_notice_for(items[0].prescription):
        return []
    return [
        TodayItem(
            exercise=d.item.exercise,
            dose=Dose(
                reps=d.dose.reps,
                hold_seconds=d.dose.hold_seconds,
                sets=d.dose.sets,
                per_side=d.item.exercise.per_side,
                alternate_sides=d.item.exercise.alternate_sides,
            ),
            reason=d.reason,
            change=d.change,
        )
        for d in doses_for(items)
    ]


def program_notice_for(prescription: Prescription) -> str:
    """What the patient is told when their program offers no session today; "" if it does."""
    if prescription.status == ProgramStatus.PAUSED:
        return (
            "Your clinic has paused your program for now, so there is no session today. "
            "They will let you know when it starts again. Keep moving gently in your day."
        )
    if prescription.status == ProgramStatus.ENDED:
        return (
            "Your program has ended, so there are no more sessions to do. Well done for the "
            "work you put in. If your back gets worse, contact your clinic."
        )
    if prescription.starts_on is not None and prescription.starts_on > timezone.localdate():
        return (
            f"Your program starts on {prescription.starts_on:%A %-d %B}. "
            "Until then, keep moving gently in your day."
        )
    return ""


def program_notice(patient: Patient) -> str:
    current = (
        Prescription.objects.active().filter(patient=patient).only("status", "starts_on").first()
    )
    return "" if current is None else program_notice_for(current)


def paused_exercises(
    patient: Patient, items: Sequence[PrescribedExercise] | None = None
) -> list[str]:
    """Names of the exercises paused for the clinician's review (§3); from `items`, the
    program's exercises, when the caller has read them already (active_items)."""
    if items is not None:
        return [item.exercise.name for item in items if item.paused_at is not None]
    return list(
        PrescribedExercise.objects.filter(
            prescription__patient=patient, prescription__active=True, paused_at__isnull=False
        ).values_list("exercise__name", flat=True)
    )


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
        position=exercise.position or None,
    )


def todays_timeline(items: Sequence[TodayItem]) -> list[Step]:
    return build_timeline([planned(item) for item in items])


def todays_plan(
    items: Sequence[TodayItem], *, safety: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Today's timeline as the API and the player carry it, with the safety limits."""
    steps = todays_timeline(items)
    return {
        "date": timezone.localdate().isoformat(),
        "steps": timeline_dicts(steps),
        "total_ms": total_ms(steps),
        **(safety or {}),
    }
