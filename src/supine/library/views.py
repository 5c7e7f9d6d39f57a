from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_GET

from supine.library.models import Exercise
from supine.library.pictures import exercise_animation, exercise_svg, exercise_thumbnail


def _library_dose(exercise: Exercise) -> str:
    def span(low: int | None, high: int | None) -> str:
        return f"{low}" if low == high else f"{low}–{high}"

    parts = [f"{span(exercise.reps_min, exercise.reps_max)} reps"]
    if exercise.per_side:
        parts[0] += " each side"
    if exercise.hold_seconds_min is not None:
        parts.append(f"hold {span(exercise.hold_seconds_min, exercise.hold_seconds_max)} s")
    if exercise.sets_max > 1:
        parts.append(f"{span(exercise.sets_min, exercise.sets_max)} sets")
    return ", ".join(parts)


@require_GET
def exercise_list(request: HttpRequest) -> HttpResponse:
    exercises = [(e, _library_dose(e)) for e in Exercise.objects.active()]
    return render(request, "library/exercise_list.html", {"exercises": exercises})


@require_GET
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.active(), slug=slug)
    context = {
        "exercise": exercise,
        "dose_text": _library_dose(exercise),
        "figure_svg": exercise_svg(exercise, title=f"{exercise.name}: starting position"),
        "animation": exercise_animation(exercise),
    }
    return render(request, "library/exercise_detail.html", context)


def _figure_etag(request: HttpRequest, slug: str) -> str | None:
    exercise = Exercise.objects.filter(slug=slug).only("source_hash", "updated_at").first()
    if exercise is None:
        return None
    return f"{exercise.source_hash or ''}-{exercise.updated_at.timestamp():.0f}"


@require_GET
@cache_control(public=True, max_age=3600)
@etag(_figure_etag)
def exercise_figure(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.active(), slug=slug)
    svg = exercise_svg(exercise)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=3600)
@etag(_figure_etag)
def exercise_thumbnail_svg(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.active(), slug=slug)
    svg = exercise_thumbnail(exercise)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
