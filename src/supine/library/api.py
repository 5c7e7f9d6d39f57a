from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema

from supine.library.models import Exercise
from supine.library.precautions import stored_precautions

# The library holds no personal data; clinics may link to it from a handout.
router = Router(tags=["library"], auth=None)


class RangeOut(Schema):
    min: int
    max: int


class DoseOut(Schema):
    reps: RangeOut
    hold_seconds: RangeOut | None
    sets: RangeOut
    per_side: bool


class SourceOut(Schema):
    title: str
    note: str | None = None
    url: str | None = None


class PrecautionOut(Schema):
    condition: str  # one of supine.library.precautions.Condition
    advice: str


class ExerciseSummaryOut(Schema):
    slug: str
    name: str
    purpose: str
    body_regions: list[str]
    figure_url: str
    thumbnail_url: str
    page_url: str
    dose: DoseOut


class ExerciseOut(ExerciseSummaryOut):
    starting_position: str
    equipment: list[str]
    steps: list[str]
    breathing: str
    cautions: list[str]
    sources: list[SourceOut]
    alternate_sides: bool
    precautions: list[PrecautionOut]
    assessment_only: bool  # given only after a clinician's assessment (clinical-rules.md §6)
    feel: str
    mistakes: list[str]


def dose_of(exercise: Exercise) -> dict:
    hold = None
    if exercise.hold_seconds_min is not None:
        hold = {"min": exercise.hold_seconds_min, "max": exercise.hold_seconds_max}
    return {
        "reps": {"min": exercise.reps_min, "max": exercise.reps_max},
        "hold_seconds": hold,
        "sets": {"min": exercise.sets_min, "max": exercise.sets_max},
        "per_side": exercise.per_side,
    }


def _summary(exercise: Exercise) -> dict:
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "purpose": exercise.purpose,
        "body_regions": exercise.body_regions,
        "figure_url": reverse("exercise-figure", args=[exercise.slug]),
        "thumbnail_url": reverse("exercise-thumbnail", args=[exercise.slug]),
        "page_url": reverse("exercise-detail", args=[exercise.slug]),
        "dose": dose_of(exercise),
    }


# The columns a summary reads: the list leaves the steps, the figure and the rest unread.
SUMMARY_FIELDS = (
    "slug",
    "name",
    "purpose",
    "body_regions",
    "reps_min",
    "reps_max",
    "hold_seconds_min",
    "hold_seconds_max",
    "sets_min",
    "sets_max",
    "per_side",
)


@router.get("", response=list[ExerciseSummaryOut], summary="List the exercise library")
def list_exercises(request: HttpRequest):
    return [_summary(e) for e in Exercise.objects.active().only(*SUMMARY_FIELDS)]


@router.get(
    "/{slug}",
    response={200: ExerciseOut, 404: dict},
    summary="One exercise, with its steps, dose ranges and figure",
)
def get_exercise(request: HttpRequest, slug: str):
    exercise = get_object_or_404(Exercise.objects.active(), slug=slug)
    return {
        **_summary(exercise),
        "starting_position": exercise.starting_position,
        "equipment": exercise.equipment,
        "steps": exercise.steps,
        "breathing": exercise.breathing,
        "cautions": exercise.cautions,
        "sources": exercise.sources,
        "alternate_sides": exercise.alternate_sides,
        "precautions": [p.as_dict() for p in stored_precautions(exercise.precautions)],
        "assessment_only": exercise.assessment_only,
        "feel": exercise.feel,
        "mistakes": exercise.mistakes,
    }
