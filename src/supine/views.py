from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from supine.clinic.access import clinician_of, patient_of
from supine.ops.heartbeat import worker_health, worker_last_seen


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
