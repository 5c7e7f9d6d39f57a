"""'Your data' (the patient's page: download, print, ask to delete the account) and the
clinician's confirmation of a deletion."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from supine.clinic.access import clinician_required, patient_for, patient_required
from supine.clinic.closure import ClosureRefused, confirm_deletion, request_deletion
from supine.clinic.models import Clinician, Patient


@require_GET
@patient_required
def my_data(request: HttpRequest, patient: Patient) -> HttpResponse:
    return render(
        request,
        "accounts/my_data.html",
        {"patient": patient, "retention_years": patient.clinic.retention_years},
    )


@require_POST
@patient_required
def ask_to_delete(request: HttpRequest, patient: Patient) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to say you want your account deleted.")
        return redirect("my-data")
    if request_deletion(patient=patient):
        messages.success(
            request, "Asked. Your clinic will confirm it; you can still sign in until then."
        )
    return redirect("my-data")


@require_POST
@clinician_required
def confirm_delete(
    request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID
) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm the deletion.")
        return redirect("clinic-patient", patient_id=patient.id)
    try:
        confirm_deletion(clinician=clinician, patient=patient)
    except ClosureRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"{patient.display_name}'s account is deleted: they can no longer sign in. Their "
            "records are kept for the clinic's retention period.",
        )
    return redirect("clinic-patient", patient_id=patient.id)
