from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from supine.clinic.access import clinician_of, patients_of_clinician


@require_GET
@login_required
def clinic_home(request: HttpRequest) -> HttpResponse:
    clinician = clinician_of(request.user)
    if clinician is None:
        return redirect("home")
    patients = patients_of_clinician(clinician).order_by("display_name")
    return render(
        request,
        "clinic/home.html",
        {"clinician": clinician, "clinic": clinician.clinic, "patients": patients},
    )
