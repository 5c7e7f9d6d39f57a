from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from supine.clinic.access import patient_required
from supine.clinic.models import Patient
from supine.library.pictures import exercise_animation, exercise_svg
from supine.programs.dosing import active_items
from supine.programs.services import todays_items, todays_plan
from supine.safety.guidance import flare_plan
from supine.safety.regions import tel_href, words_for
from supine.safety.services import plan_safety, safety_status
from supine.vocabulary import StopReason


@require_GET
@patient_required
def player(request: HttpRequest, patient: Patient) -> HttpResponse:
    if safety_status(patient).blocked:
        return redirect("today")
    program = active_items(patient)  # read once: today's doses and the confirmed ceiling
    items = todays_items(patient, program)
    if not items:
        # Nothing to play (a paused or ended program): Today says why, calmly.
        return redirect("today")
    figures, svgs, names, coach_specs = {}, {}, {}, {}
    for item in items:
        exercise = item.exercise
        if exercise.coach:
            coach_specs[exercise.slug] = exercise.coach
        figures[exercise.slug] = exercise_animation(exercise)
        svgs[exercise.slug] = exercise_svg(exercise)
        names[exercise.slug] = exercise.name
    # The plan carries the limits and advice the device needs to stop at once, offline too.
    plan = todays_plan(items, safety=plan_safety(patient, program=program[0].prescription))
    words = words_for(patient.clinic.region)
    return render(
        request,
        "sessions/player.html",
        {
            "plan": plan,
            "figures": figures,
            "figure_svgs": svgs,
            "exercise_names": names,
            # What the camera coach measures in each exercise (library/coach.py).
            "coach_specs": coach_specs,
            "flare_plan": flare_plan(patient.clinic.region),
            "stop_reasons": StopReason.choices,
            "emergency": {
                "number": words.emergency_number,
                "href": tel_href(words.emergency_number),
            },
        },
    )


def _static_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise Http404(path)
    with open(found, encoding="utf-8") as handle:
        return handle.read()


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest, scope: str = "/session/") -> HttpResponse:
    # Served from the folder it keeps (/session/, /help/) so that its scope covers that page.
    response = HttpResponse(
        _static_text("supine/player/sw.js"), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = scope
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        _static_text("supine/manifest.webmanifest"), content_type="application/manifest+json"
    )
