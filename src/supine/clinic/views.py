from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from supine.clinic.access import (
    alert_for,
    clinician_required,
    patient_for,
    patients_of_clinician,
)
from supine.clinic.models import Alert
from supine.clinic.services import acknowledge_alert, audit, audit_many
from supine.programs.models import DoseChange
from supine.safety.models import Clearance, SafetyBlock, Screening
from supine.safety.services import ClearanceRefused, clear_patient
from supine.sessions.models import ExerciseSession


@require_GET
@clinician_required
def clinic_home(request: HttpRequest, clinician) -> HttpResponse:
    latest_advice = (
        Screening.objects.filter(patient=OuterRef("pk"))
        .order_by("-created_at")
        .values("clinician_advised")[:1]
    )
    patients = list(
        patients_of_clinician(clinician)
        .annotate(
            advised=Subquery(latest_advice),
            cleared=Exists(Clearance.objects.filter(patient=OuterRef("pk"))),
        )
        .order_by("display_name")
    )
    alerts = list(
        Alert.objects.open()
        .filter(patient__clinic_id=clinician.clinic_id)
        .select_related("patient")
        .order_by("-created_at")[:200]
    )
    blocked = set(
        SafetyBlock.objects.open()
        .filter(patient__clinic_id=clinician.clinic_id)
        .values_list("patient_id", flat=True)
    )
    audit_many(actor=request.user, action="clinic.home", patients=patients)
    return render(
        request,
        "clinic/home.html",
        {
            "clinician": clinician,
            "clinic": clinician.clinic,
            "patients": [(p, _standing(p, p.id in blocked)) for p in patients],
            "alerts": alerts,
        },
    )


def _standing(patient, blocked: bool) -> tuple[str, bool]:
    """Where the patient stands before exercising, in the clinician's words, and whether
    it needs the clinician."""
    if blocked:
        return "Paused — needs clearance", True
    if patient.advised is None:
        return "Safety questions not answered yet", False
    if not patient.advised and not patient.cleared:
        return "Waiting for a clinician's advice or clearance", True
    return "", False


@require_GET
@clinician_required
def patient_detail(request: HttpRequest, clinician, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    audit(actor=request.user, patient=patient, action="patient.view")
    context = {
        "patient": patient,
        "seen_at": timezone.now().isoformat(),
        "blocks": SafetyBlock.objects.filter(patient=patient).select_related(
            "clearance__clinician"
        )[:50],
        "clearances": Clearance.objects.filter(patient=patient).select_related("clinician")[:50],
        "doses": DoseChange.objects.filter(item__prescription__patient=patient).select_related(
            "item__exercise"
        )[:100],
        "sessions": ExerciseSession.objects.filter(patient=patient)[:30],
        "alerts": Alert.objects.filter(patient=patient)[:50],
        "pains": patient.pain_reports.all()[:60],
    }
    return render(request, "clinic/patient.html", context)


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@require_POST
@clinician_required
def clear(request: HttpRequest, clinician, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    reason = request.POST.get("reason", "").strip()
    try:
        seen_at = parse_datetime(request.POST.get("seen_at", ""))
    except ValueError:
        seen_at = None
    if not reason:
        messages.error(request, "Write why the patient is cleared; it is kept in their record.")
    elif seen_at is None:
        messages.error(request, "The page was out of date; please look again and resubmit.")
    else:
        try:
            clear_patient(
                clinician=clinician,
                patient=patient,
                reason=reason[:2000],
                assessed_by=request.POST.get("assessed_by", ""),
                assessed_on=_date_or_none(request.POST.get("assessed_on", "")),
                seen_at=seen_at,
            )
        except (PermissionError, ClearanceRefused) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{patient.display_name} is cleared to exercise.")
    return redirect("clinic-patient", patient_id=patient.id)


@require_POST
@clinician_required
def ack(request: HttpRequest, clinician, alert_id: uuid.UUID) -> HttpResponse:
    acknowledge_alert(clinician=clinician, alert=alert_for(clinician, alert_id))
    return redirect("clinic-home")
