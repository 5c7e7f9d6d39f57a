"""A patient's program as versions: read the current one, save a change as the next.

Each version is a Prescription row (`version`, `change_summary`, `prescribed_by`,
`created_at`); `active` marks the current one, whatever its status (active, paused,
ended), so `Prescription.objects.active()` is "the current program". The rules (ranges,
precautions, the summary of a change) are plain functions in builder.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from supine.clinic.models import Clinician, Patient
from supine.clinic.services import audit
from supine.library.models import Exercise
from supine.programs.builder import (
    Conflict,
    ExerciseChoice,
    LibraryExercise,
    Precaution,
    Problem,
    ProgramChoice,
    Range,
    carried_ladders,
    change_summary,
    precaution_conflicts,
    program_problems,
)
from supine.programs.builder import Ladder as LadderPosition
from supine.programs.models import PrescribedExercise, Prescription
from supine.safety.conditions import patient_conditions
from supine.safety.services import ceiling_to_confirm


class ProgramRefused(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


class VersionConflict(Exception):
    def __init__(self, latest: int) -> None:
        self.latest = latest
        super().__init__(
            f"The program was changed meanwhile (now version {latest}): "
            "look at it again and make your change there."
        )


@dataclass(frozen=True)
class Saved:
    prescription: Prescription
    changed: bool  # False: the same as the current version, which stands


def _range(low: int | None, high: int | None) -> Range | None:
    return None if low is None or high is None else Range(low, high)


def library_entry(exercise: Exercise) -> LibraryExercise:
    # Exercise.precautions and assessment_only come with the library's precautions
    # (issue 8); until then every exercise reads as having none.
    precautions = tuple(
        Precaution(str(p.get("condition", "")), str(p.get("advice", "")))
        for p in getattr(exercise, "precautions", None) or []
        if isinstance(p, dict)
    )
    return LibraryExercise(
        slug=exercise.slug,
        name=exercise.name,
        reps=Range(exercise.reps_min, exercise.reps_max),
        hold_seconds=_range(exercise.hold_seconds_min, exercise.hold_seconds_max),
        sets=Range(exercise.sets_min, exercise.sets_max),
        precautions=precautions,
        assessment_only=bool(getattr(exercise, "assessment_only", False)),
    )


def library_entries(exercises: Iterable[Exercise] | None = None) -> dict[str, LibraryExercise]:
    rows = Exercise.objects.active() if exercises is None else exercises
    return {exercise.slug: library_entry(exercise) for exercise in rows}


def current_program(patient: Patient) -> Prescription | None:
    """The current version with its exercises, in two queries."""
    return (
        Prescription.objects.active()
        .filter(patient=patient)
        .select_related("prescribed_by")
        .prefetch_related("items__exercise")
        .first()
    )


def choice_of(prescription: Prescription) -> ProgramChoice:
    return ProgramChoice(
        exercises=tuple(
            ExerciseChoice(
                slug=item.exercise.slug,
                reps=Range(item.reps_min, item.reps_max),
                hold_seconds=_range(item.hold_seconds_min, item.hold_seconds_max),
                sets=Range(item.sets_min, item.sets_max),
                note=item.note,
                assessment_done=item.assessment_done,
            )
            for item in sorted(prescription.items.all(), key=lambda item: item.position)
        ),
        sessions_per_day=prescription.sessions_per_day,
        days_per_week=prescription.days_per_week,
        starts_on=prescription.starts_on,
        status=prescription.status,
        note=prescription.note,
    )


def program_history(patient: Patient, limit: int = 50) -> list[Prescription]:
    return list(
        Prescription.objects.filter(patient=patient)
        .select_related("prescribed_by")
        .order_by("-version")[:limit]
    )


def conflicts_for(patient: Patient, choice: ProgramChoice) -> list[Conflict]:
    slugs = [exercise.slug for exercise in choice.exercises]
    library = library_entries(Exercise.objects.filter(slug__in=slugs))
    chosen = [library[slug] for slug in slugs if slug in library]
    return precaution_conflicts(chosen, patient_conditions(patient))


def save_program(
    *,
    patient: Patient,
    clinician: Clinician,
    choice: ProgramChoice,
    expected_version: int | None = None,
) -> Saved:
    """Save `choice` as the next version of the patient's program, if anything changed.

    `expected_version` is the version the clinician was looking at: if another change
    landed since, theirs would silently undo it, so it is refused (VersionConflict).
    Saving confirms the pain ceiling as it stands (clinical-rules.md §2), and the dose ladder
    carries over for the exercises that stay.
    """
    slugs = [exercise.slug for exercise in choice.exercises]
    library = library_entries(Exercise.objects.active().filter(slug__in=slugs))
    problems = program_problems(choice, library)
    if problems:
        raise ProgramRefused(problems)
    with transaction.atomic():
        # The patient row is the lock: two saves of one program happen one after another.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        current = current_program(patient)
        latest = _latest_version(patient)
        if expected_version is not None and expected_version != latest:
            raise VersionConflict(latest)
        ceiling = ceiling_to_confirm(patient)
        summary = _summary(current, choice, library, ceiling)
        if current is not None and not summary:
            return Saved(current, changed=False)
        carried = carried_ladders(_ladders(current) if current is not None else {}, slugs)
        if current is not None:
            Prescription.objects.filter(pk=current.pk).update(active=False)
        prescription = Prescription.objects.create(
            patient=patient,
            prescribed_by=clinician,
            version=latest + 1,
            status=choice.status,
            sessions_per_day=choice.sessions_per_day,
            days_per_week=choice.days_per_week,
            sessions_per_week=choice.sessions_per_day * choice.days_per_week,
            starts_on=choice.starts_on,
            note=choice.note,
            pain_ceiling=ceiling,
            # Sessions still to be judged under the old version are judged under this one.
            decided_until=(current.decided_until or current.created_at) if current else None,
            change_summary=summary[:2000],
        )
        exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
        PrescribedExercise.objects.bulk_create(
            _item(prescription, exercises[chosen.slug], position, chosen, carried.get(chosen.slug))
            for position, chosen in enumerate(choice.exercises, start=1)
        )
        audit(
            actor=clinician.user,
            patient=patient,
            action="program.change",
            detail=f"version {prescription.version}: {summary}"[:300],
        )
    return Saved(prescription, changed=True)


def _latest_version(patient: Patient) -> int:
    """The patient's newest program version, active or not; 0 before the first."""
    return (
        Prescription.objects.filter(patient=patient)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    ) or 0


def _summary(
    current: Prescription | None, choice: ProgramChoice, library: Mapping, ceiling: int
) -> str:
    """What changes from the current program, in words; empty when nothing does."""
    before = choice_of(current) if current is not None else None
    names = {slug: entry.name for slug, entry in library.items()}
    if current is not None:
        names |= {item.exercise.slug: item.exercise.name for item in current.items.all()}
    return change_summary(
        before,
        choice,
        names,
        ceiling_before=current.pain_ceiling if current else None,
        ceiling_after=ceiling,
    )


def _ladders(prescription: Prescription) -> dict[str, LadderPosition]:
    return {
        item.exercise.slug: LadderPosition(
            reps=item.dose_reps,
            hold_seconds=item.dose_hold_seconds,
            sets=item.dose_sets,
            change=item.dose_change,
            reason=item.dose_reason,
            last_progress_at=item.last_progress_at,
        )
        for item in prescription.items.all()
    }


def _item(
    prescription: Prescription,
    exercise: Exercise,
    position: int,
    chosen: ExerciseChoice,
    ladder: LadderPosition | None,
) -> PrescribedExercise:
    hold = chosen.hold_seconds
    item = PrescribedExercise(
        prescription=prescription,
        exercise=exercise,
        position=position,
        reps_min=chosen.reps.min,
        reps_max=chosen.reps.max,
        hold_seconds_min=hold.min if hold else None,
        hold_seconds_max=hold.max if hold else None,
        sets_min=chosen.sets.min,
        sets_max=chosen.sets.max,
        note=chosen.note,
        assessment_done=chosen.assessment_done,
    )
    if ladder is not None and ladder.reps is not None:
        # A paused exercise is not carried as paused: the clinician's review resumes it.
        item.dose_reps = ladder.reps
        item.dose_hold_seconds = ladder.hold_seconds
        item.dose_sets = ladder.sets
        item.dose_change = ladder.change
        item.dose_reason = ladder.reason
        item.last_progress_at = ladder.last_progress_at
    return item
