"""The program builder's rules, on plain values: what a clinician may prescribe, what
to warn them about, and how one version of a program differs from the one before.

A clinician sets each exercise's ranges *inside* the library's (the library's ranges are
the dose the exercise was written and sourced for; clinical-rules.md §6); the dose ladder then
moves inside the clinician's ranges (programs/progression.py). Precautions are warnings
shown before saving, not refusals: the clinician knows the patient. An exercise given
"after a clinician's assessment only" needs the clinician's tick that it was done.
No Django here: the page, the API and the tests call the same functions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

STATUSES = ("active", "paused", "ended")
MAX_SESSIONS_PER_DAY = 3
MAX_NOTE = 300


@dataclass(frozen=True)
class Range:
    min: int
    max: int

    def __str__(self) -> str:
        return str(self.min) if self.min == self.max else f"{self.min}–{self.max}"

    def within(self, outer: Range) -> bool:
        return outer.min <= self.min <= self.max <= outer.max


@dataclass(frozen=True)
class Precaution:
    condition: str  # from the library's precaution vocabulary, e.g. "osteoporosis"
    advice: str


@dataclass(frozen=True)
class LibraryExercise:
    """What the library allows for one exercise."""

    slug: str
    name: str
    reps: Range
    hold_seconds: Range | None  # None: the movement has no hold
    sets: Range
    precautions: tuple[Precaution, ...] = ()
    assessment_only: bool = False


@dataclass(frozen=True)
class ExerciseChoice:
    """One exercise as the clinician prescribes it."""

    slug: str
    reps: Range
    hold_seconds: Range | None
    sets: Range
    note: str = ""
    assessment_done: bool = False


@dataclass(frozen=True)
class ProgramChoice:
    """A whole program as the clinician sets it: one version's content."""

    exercises: tuple[ExerciseChoice, ...]
    sessions_per_day: int = 1
    days_per_week: int = 7
    starts_on: date | None = None
    status: str = "active"
    note: str = ""


@dataclass(frozen=True)
class Problem:
    """Why a program cannot be saved: the field (as the API names it) and what to do."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class Conflict:
    """A precaution of a chosen exercise that names one of the patient's conditions."""

    slug: str
    name: str
    condition: str
    advice: str


def program_problems(
    choice: ProgramChoice, library: Mapping[str, LibraryExercise]
) -> list[Problem]:
    """Everything that keeps `choice` from being prescribed; empty when it may be."""
    problems: list[Problem] = []
    if not choice.exercises:
        problems.append(Problem("exercises", "choose at least one exercise"))
    seen: set[str] = set()
    for index, exercise in enumerate(choice.exercises):
        where = f"exercises.{index}"
        known = library.get(exercise.slug)
        if known is None:
            problems.append(
                Problem(f"{where}.slug", f"no exercise '{exercise.slug}' in the library")
            )
            continue
        if exercise.slug in seen:
            problems.append(Problem(f"{where}.slug", f"{known.name} is in the program twice"))
        seen.add(exercise.slug)
        problems.extend(_range_problems(where, exercise, known))
        if known.assessment_only and not exercise.assessment_done:
            problems.append(
                Problem(
                    f"{where}.assessment_done",
                    f"{known.name} is given after a clinician's assessment only: "
                    "tick that you assessed the patient",
                )
            )
        if len(exercise.note) > MAX_NOTE:
            problems.append(Problem(f"{where}.note", f"at most {MAX_NOTE} characters"))
    if not 1 <= choice.sessions_per_day <= MAX_SESSIONS_PER_DAY:
        problems.append(
            Problem("sessions_per_day", f"between 1 and {MAX_SESSIONS_PER_DAY} sessions a day")
        )
    if not 1 <= choice.days_per_week <= 7:
        problems.append(Problem("days_per_week", "between 1 and 7 days a week"))
    if choice.status not in STATUSES:
        problems.append(Problem("status", "one of " + ", ".join(STATUSES)))
    return problems


def _range_problems(where: str, exercise: ExerciseChoice, known: LibraryExercise):
    for name, chosen, allowed in (
        ("reps", exercise.reps, known.reps),
        ("hold_seconds", exercise.hold_seconds, known.hold_seconds),
        ("sets", exercise.sets, known.sets),
    ):
        if allowed is None and chosen is not None:
            yield Problem(f"{where}.{name}", f"{known.name} has no hold: send null")
        elif allowed is not None and chosen is None:
            yield Problem(f"{where}.{name}", f"{known.name} has a hold: give a range {allowed}")
        elif chosen is not None and allowed is not None:
            if chosen.min > chosen.max:
                yield Problem(f"{where}.{name}", f"the minimum {chosen.min} is above the maximum")
            elif not chosen.within(allowed):
                bound = "min" if chosen.min < allowed.min or chosen.min > allowed.max else "max"
                yield Problem(
                    f"{where}.{name}.{bound}",
                    f"{known.name}: {name.replace('_', ' ')} {chosen} is outside the "
                    f"library's {allowed}",
                )


def precaution_conflicts(
    exercises: Iterable[LibraryExercise], conditions: Collection[str]
) -> list[Conflict]:
    """The chosen exercises' precautions that name a condition the patient has."""
    return [
        Conflict(exercise.slug, exercise.name, precaution.condition, precaution.advice)
        for exercise in exercises
        for precaution in exercise.precautions
        if precaution.condition in conditions
    ]


def _dose_words(exercise: ExerciseChoice) -> str:
    words = f"reps {exercise.reps}"
    if exercise.hold_seconds is not None:
        words += f", hold {exercise.hold_seconds} s"
    return words + f", sets {exercise.sets}"


def change_summary(
    before: ProgramChoice | None,
    after: ProgramChoice,
    names: Mapping[str, str],
    *,
    ceiling_before: int | None = None,
    ceiling_after: int | None = None,
) -> str:
    """What changed from `before` to `after`, in a clinician's words; "" when nothing did."""

    def name(slug: str) -> str:
        return names.get(slug, slug)

    if before is None:
        listed = ", ".join(f"{name(e.slug)} ({_dose_words(e)})" for e in after.exercises)
        return f"New program: {listed}."
    lines: list[str] = []
    old = {e.slug: e for e in before.exercises}
    new = {e.slug: e for e in after.exercises}
    for exercise in after.exercises:
        if exercise.slug not in old:
            lines.append(f"Added {name(exercise.slug)} ({_dose_words(exercise)})")
    for exercise in before.exercises:
        if exercise.slug not in new:
            lines.append(f"Removed {name(exercise.slug)}")
    for slug, exercise in new.items():
        was = old.get(slug)
        if was is None:
            continue
        for label, a, b in (
            ("reps", was.reps, exercise.reps),
            ("hold", was.hold_seconds, exercise.hold_seconds),
            ("sets", was.sets, exercise.sets),
        ):
            if a != b:
                lines.append(f"{name(slug)}: {label} {a or '—'} → {b or '—'}")
        if was.note != exercise.note:
            lines.append(f"{name(slug)}: note changed")
        if was.assessment_done != exercise.assessment_done:
            done = "recorded" if exercise.assessment_done else "no longer recorded"
            lines.append(f"{name(slug)}: assessment {done}")
    kept_before = [e.slug for e in before.exercises if e.slug in new]
    kept_after = [e.slug for e in after.exercises if e.slug in old]
    if kept_before != kept_after:
        lines.append("Order changed")
    if before.sessions_per_day != after.sessions_per_day:
        lines.append(f"Sessions a day {before.sessions_per_day} → {after.sessions_per_day}")
    if before.days_per_week != after.days_per_week:
        lines.append(f"Days a week {before.days_per_week} → {after.days_per_week}")
    if before.starts_on != after.starts_on:
        lines.append(f"Starts on {_day(after.starts_on)} (was {_day(before.starts_on)})")
    if before.note != after.note:
        lines.append("Note to the patient changed")
    if before.status != after.status:
        lines.append(_STATUS_WORDS[(before.status, after.status)])
    if ceiling_after is not None and ceiling_before != ceiling_after:
        lines.append(f"Pain ceiling confirmed at {ceiling_after} (was {ceiling_before or '—'})")
    return "; ".join(lines) + "." if lines else ""


def _day(day: date | None) -> str:
    return day.isoformat() if day else "—"


_STATUS_WORDS = {
    ("active", "paused"): "Paused",
    ("active", "ended"): "Ended",
    ("paused", "active"): "Resumed",
    ("paused", "ended"): "Ended",
    ("ended", "active"): "Restarted",
    ("ended", "paused"): "Restarted, paused",
}


@dataclass(frozen=True)
class Ladder:
    """Where an exercise's dose stands on its ladder, as the last decision left it."""

    reps: int | None
    hold_seconds: int | None
    sets: int | None
    change: str = ""
    reason: str = ""
    last_progress_at: datetime | None = None


def carried_ladders(previous: Mapping[str, Ladder], slugs: Iterable[str]) -> dict[str, Ladder]:
    """The ladder positions a new version keeps: those of the exercises that stay.

    The stored dose is kept as it was; reading it clamps it into the new ranges
    (programs/dosing.current_dose), so a narrowed range moves the dose without a decision.
    An exercise new to the program starts at the bottom of its ranges.
    """
    return {slug: previous[slug] for slug in slugs if slug in previous}


# Where an exercise starts, in the words of its starting position; for filtering.
POSITIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("back", "On the back", ("on your back",)),
    ("side", "On the side", ("on your side",)),
    ("front", "On the front", ("on your front", "on your tummy")),
    ("all_fours", "On all fours", ("all fours", "hands and knees")),
    ("sitting", "Sitting", ("sit ",)),
    ("standing", "Standing", ("stand ",)),
)


def position_of(starting_position: str) -> str:
    """The position key ("back", "all_fours", …) an exercise starts in; "" if unknown."""
    text = f" {starting_position.lower()} "
    for key, _, phrases in POSITIONS:
        if any(phrase in text for phrase in phrases):
            return key
    return ""


@dataclass(frozen=True)
class Filter:
    """The builder's filter over the library: all given criteria must hold."""

    position: str = ""
    region: str = ""
    equipment: str = ""  # "none" for exercises that need nothing
    search: str = ""


def matches(
    wanted: Filter,
    *,
    name: str,
    purpose: str,
    position: str,
    regions: Collection[str],
    equipment: Collection[str],
) -> bool:
    if wanted.position and position != wanted.position:
        return False
    if wanted.region and wanted.region not in regions:
        return False
    if wanted.equipment == "none" and equipment:
        return False
    if (
        wanted.equipment
        and wanted.equipment != "none"
        and not any(wanted.equipment.lower() in item.lower() for item in equipment)
    ):
        return False
    words = wanted.search.strip().lower()
    return not words or all(word in f"{name} {purpose}".lower() for word in words.split())
