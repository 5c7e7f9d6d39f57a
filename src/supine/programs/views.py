from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from supine.clinic.access import patient_of
from supine.programs.plan import dose_summary, total_ms
from supine.programs.services import todays_items, todays_timeline


def patient_required(view):
    """Pages for patients: anyone else is sent to their own home page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        patient = patient_of(request.user)
        if patient is None:
            return redirect("home")
        return view(request, patient, *args, **kwargs)

    return wrapper


@require_GET
@patient_required
def today(request: HttpRequest, patient) -> HttpResponse:
    items = todays_items(patient)
    minutes = round(total_ms(todays_timeline(items)) / 60000) if items else 0
    rows = [(item.exercise, dose_summary(item.dose)) for item in items]
    return render(
        request, "programs/today.html", {"patient": patient, "rows": rows, "minutes": minutes}
    )


@require_GET
@patient_required
def session(request: HttpRequest, patient) -> HttpResponse:
    steps = todays_timeline(todays_items(patient))
    return render(
        request,
        "programs/session.html",
        {"steps": steps, "minutes": round(total_ms(steps) / 60000)},
    )
