"""Standard programs a clinician starts from, so that a usual program is one click.

"The clinic handout" is the seed article's program: its three exercises, in its order,
at its doses (hold five seconds, repeat 5–10 times; hold five seconds, repeat 10–15
times; hold 5–10 seconds, repeat 5–10 times). The others take the library's ranges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from supine.programs.builder import ExerciseChoice, LibraryExercise, ProgramChoice, Range


@dataclass(frozen=True)
class TemplateExercise:
    slug: str
    # None: the library's range.
    reps: Range | None = None
    hold_seconds: Range | None = None
    sets: Range | None = None


@dataclass(frozen=True)
class ProgramTemplate:
    key: str
    name: str
    description: str
    exercises: tuple[TemplateExercise, ...]
    sessions_per_day: int = 1
    days_per_week: int = 7


CLINIC_HANDOUT = ProgramTemplate(
    key="clinic-handout",
    name="The clinic handout",
    description="The three exercises of the clinic's handout, at its doses, once a day.",
    exercises=(
        TemplateExercise("deep-abdominal-strengthening", Range(5, 10), Range(5, 5), Range(1, 1)),
        TemplateExercise("knee-rolls", Range(10, 15), Range(5, 5), Range(1, 1)),
        TemplateExercise("bridge", Range(5, 10), Range(5, 10), Range(1, 1)),
    ),
)

TEMPLATES: tuple[ProgramTemplate, ...] = (
    CLINIC_HANDOUT,
    ProgramTemplate(
        key="gentle-mobility",
        name="Gentle mobility",
        description="Small movements for a stiff back: pelvic tilt, knee to chest, cat–camel.",
        exercises=(
            TemplateExercise("pelvic-tilt"),
            TemplateExercise("knee-to-chest"),
            TemplateExercise("cat-camel"),
        ),
    ),
    ProgramTemplate(
        key="core-and-glutes",
        name="Core and glutes",
        description="The next step after the handout: bridge, bird-dog, dead bug and clam.",
        exercises=(
            TemplateExercise("bridge"),
            TemplateExercise("bird-dog"),
            TemplateExercise("dead-bug"),
            TemplateExercise("side-lying-clam"),
        ),
        days_per_week=5,
    ),
)


def template_named(key: str) -> ProgramTemplate | None:
    return next((template for template in TEMPLATES if template.key == key), None)


def template_choice(
    template: ProgramTemplate, library: Mapping[str, LibraryExercise]
) -> ProgramChoice:
    """The template as a program to save, leaving out exercises the library lacks."""
    exercises = []
    for item in template.exercises:
        known = library.get(item.slug)
        if known is None:
            continue
        exercises.append(
            ExerciseChoice(
                slug=item.slug,
                reps=item.reps or known.reps,
                hold_seconds=item.hold_seconds if item.hold_seconds else known.hold_seconds,
                sets=item.sets or known.sets,
            )
        )
    return ProgramChoice(
        exercises=tuple(exercises),
        sessions_per_day=template.sessions_per_day,
        days_per_week=template.days_per_week,
    )
