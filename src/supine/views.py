from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from supine.clinic.access import clinician_of, patient_of
from supine.clinic.models import Clinic
from supine.ops.heartbeat import worker_health, worker_last_seen
from supine.safety.guidance import help_guidance
from supine.safety.regions import tel_href, words_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if patient_of(request.user) is not None:
        return redirect("today")
    if clinician_of(request.user) is not None:
        return redirect("clinic-home")
    if request.user.is_authenticated:
        return redirect("exercise-list")
    return redirect("login")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    # One query: reading the worker's heartbeat is also the proof that the database answers.
    # A late worker leaves the web app up (200); its alerts wait in the database.
    try:
        last_seen = worker_last_seen()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    worker = worker_health(last_seen, now=timezone.now())
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker.as_json()})


def _clinic_of(request: HttpRequest) -> Clinic | None:
    patient = patient_of(request.user)
    if patient is not None:
        return patient.clinic
    clinician = clinician_of(request.user)
    return clinician.clinic if clinician is not None else None


@require_GET
def get_help(request: HttpRequest) -> HttpResponse:
    """When to get help: public, so that it can be found (and kept offline) by anyone."""
    clinic = _clinic_of(request)
    region = clinic.region if clinic is not None else settings.SUPINE_REGION
    words = words_for(region)
    urgent = None
    if words.urgent_call is not None:
        label, number = words.urgent_call
        urgent = {"label": label, "number": number, "href": tel_href(number)}
    clinic_phone = None
    if clinic is not None and clinic.phone:
        clinic_phone = {
            "label": clinic.name,
            "number": clinic.phone,
            "href": tel_href(clinic.phone),
        }
    context = {
        "guidance": help_guidance(region),
        "emergency": {"number": words.emergency_number, "href": tel_href(words.emergency_number)},
        "urgent_phone": urgent,
        "clinic_phone": clinic_phone,
    }
    return render(request, "safety/help.html", context)
