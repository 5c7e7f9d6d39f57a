from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_GET

from supine.clinic.access import clinician_of, patient_of
from supine.clinic.models import Clinic, Patient
from supine.library.education import education_page, education_pages
from supine.library.models import Exercise
from supine.library.pictures import (
    exercise_animation,
    exercise_svg,
    exercise_thumbnail,
    learn_figure_animation,
    learn_figure_svg,
)
from supine.library.precautions import (
    ASSESSMENT_ONLY_WORDS,
    personal_precautions,
    stored_precautions,
)
from supine.outcomes.services import recent_history
from supine.programs.dosing import active_items
from supine.programs.plan import Dose
from supine.programs.services import paused_exercises, todays_items
from supine.safety.conditions import patient_conditions
from supine.safety.regions import words_for
from supine.safety.services import safety_status
from supine.safety.thresholds import DEFAULT_THRESHOLDS, clinic_thresholds


def _dose_words(
    reps: tuple[int, int],
    hold: tuple[int | None, int | None],
    sets: tuple[int, int],
    *,
    per_side: bool,
    alternate_sides: bool,
) -> str:
    """A dose or a range in short: "7 reps, hold 5 s", "5–10 reps each side, hold 5–10 s"."""

    def span(low: int | None, high: int | None) -> str:
        return f"{low}" if low == high else f"{low}–{high}"

    parts = [f"{span(*reps)} reps"]
    if per_side:
        parts[0] += " each side"
    elif alternate_sides:
        parts.append("alternating sides")
    if hold[0] is not None:
        parts.append(f"hold {span(*hold)} s")
    if sets[1] > 1:
        parts.append(f"{span(*sets)} sets")
    return ", ".join(parts)


def _library_dose(exercise: Exercise) -> str:
    return _dose_words(
        (exercise.reps_min, exercise.reps_max),
        (exercise.hold_seconds_min, exercise.hold_seconds_max),
        (exercise.sets_min, exercise.sets_max),
        per_side=exercise.per_side,
        alternate_sides=exercise.alternate_sides,
    )


def _todays_dose(dose: Dose) -> str:
    return _dose_words(
        (dose.reps, dose.reps),
        (dose.hold_seconds, dose.hold_seconds),
        (dose.sets, dose.sets),
        per_side=dose.per_side,
        alternate_sides=dose.alternate_sides,
    )


def _start(patient: Patient) -> str | None:
    """Where "Start" goes from an exercise page: the player, or Today while the morning
    question is unanswered (as on Today); nowhere while sessions are on hold."""
    if safety_status(patient).blocked:
        return None
    today = timezone.localdate()
    history = recent_history(patient)
    checked_in = any(checkin.day == today for checkin in history.checkins)
    return "session" if checked_in or today in history.session_days else "today"


def _for_patient(patient: Patient, exercise: Exercise) -> dict:
    """What a signed-in patient sees on an exercise page (it only reads, as Today does:
    today's dose is the one last decided)."""
    program = active_items(patient)
    item = next((i for i in todays_items(patient, program) if i.exercise.id == exercise.id), None)
    conditions = patient_conditions(patient)
    return {
        "patient": patient,
        "todays_dose": _todays_dose(item.dose) if item else "",
        "dose_reason": item.reason if item else "",
        "paused": item is None and exercise.name in paused_exercises(patient, program),
        "start": _start(patient) if item else None,
        "precautions": personal_precautions(stored_precautions(exercise.precautions), conditions),
    }


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
        "precautions": personal_precautions(stored_precautions(exercise.precautions), ()),
        "assessment_only": ASSESSMENT_ONLY_WORDS if exercise.assessment_only else "",
    }
    patient = patient_of(request.user)
    if patient is not None:
        context.update(_for_patient(patient, exercise))
    return render(request, "library/exercise_detail.html", context)


def _reader_clinic(request: HttpRequest) -> Clinic | None:
    person = patient_of(request.user) or clinician_of(request.user)
    return person.clinic if person is not None else None


def _page_words(clinic: Clinic | None) -> dict[str, str]:
    """The numbers and routes an education page names, for its reader's clinic."""
    words = words_for(clinic.region if clinic else settings.SUPINE_REGION)
    thresholds = clinic_thresholds(clinic) if clinic else DEFAULT_THRESHOLDS
    return {
        "urgent_route": words.urgent_route,
        "doctor": words.doctor,
        "flare_pain": str(thresholds.flare_pain),
    }


@require_GET
def learn_list(request: HttpRequest) -> HttpResponse:
    words = _page_words(_reader_clinic(request))
    pages = [page.in_words(words) for page in education_pages()]
    return render(request, "library/learn_list.html", {"pages": pages})


@require_GET
def learn_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = education_page(slug)
    if page is None:
        raise Http404("No such page.")
    pages = education_pages()
    following = next((p for p in pages if p.order > page.order), None)
    context = {
        "page": page.in_words(_page_words(_reader_clinic(request))),
        "next_page": following,
        "figure_svg": learn_figure_svg(page, title=f"{page.title}: the movement, step by step"),
        "animation": learn_figure_animation(page),
    }
    return render(request, "library/learn_page.html", context)


def _learn_figure_etag(request: HttpRequest, slug: str) -> str | None:
    page = education_page(slug)
    svg = learn_figure_svg(page) if page is not None else None
    return hashlib.sha256(svg.encode()).hexdigest()[:32] if svg else None


@require_GET
@cache_control(public=True, max_age=3600)
@etag(_learn_figure_etag)
def learn_figure(request: HttpRequest, slug: str) -> HttpResponse:
    """An education page's picture, for linking and printing (only the pages that have one)."""
    page = education_page(slug)
    svg = learn_figure_svg(page) if page is not None else None
    if svg is None:
        raise Http404("No such picture.")
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


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
