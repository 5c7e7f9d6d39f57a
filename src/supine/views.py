from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from supine.clinic.access import clinician_of, patient_of


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
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
