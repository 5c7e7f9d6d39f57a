from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from supine.appointments.calendar import feed_url
from supine.appointments.models import VisitKind
from supine.appointments.services import clinic_zone, visits_from_today
from supine.clinic.access import (
    alert_for,
    clinician_required,
    patient_for,
)
from supine.clinic.closure import retention_ends
from supine.clinic.dashboard import (
    open_alert_counts,
    open_alerts,
    patient_page,
    recently_acknowledged,
)
from supine.clinic.forms import AcknowledgeForm, ClearanceForm
from supine.clinic.models import Alert, Clinician
from supine.clinic.patient_record import (
    as_image,
    charts,
    open_sessions,
    program_lines,
    session_lines,
)
from supine.clinic.services import acknowledge_alert, audit, audit_shown
from supine.form_errors import form_errors
from supine.outcomes.questionnaire_services import score_summaries
from supine.programs.models import DoseChange
from supine.safety.models import Clearance, SafetyBlock
from supine.safety.services import ClearanceRefused, clear_patient


def _page_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 1


@require_GET
@clinician_required
def clinic_home(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    page = patient_page(
        clinician,
        q=request.GET.get("q", ""),
        page=_page_number(request.GET.get("page", "1")),
        sort=request.GET.get("sort", "name"),
    )
    alerts = open_alerts(clinician)
    shown = {line.patient.id: line.patient for line in page.lines}
    shown.update({alert.patient_id: alert.patient for alert in alerts})
    audit_shown(
        actor=request.user,
        action="clinic.home",
        patients=shown.values(),
        detail=f"page {page.page}",
    )
    counts = open_alert_counts(clinician)
    return render(
        request,
        "clinic/home.html",
        {
            "clinician": clinician,
            "clinic": clinician.clinic,
            "alerts": alerts,
            "alert_total": sum(counts.values()),
            "alert_counts": counts,
            "acknowledged": recently_acknowledged(clinician),
            "calendar_url": feed_url(clinician),
            "page": page,
            "sorts": [
                ("name", "Name"),
                ("last_session", "Last session (longest ago first)"),
                ("morning_pain", "Morning pain (highest first)"),
                ("next_visit", "Next visit"),
            ],
        },
    )


CHART_TITLES = ("Pain", "Sessions per week", "Dose steps")


@require_GET
@clinician_required
def patient_detail(
    request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID
) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    audit(actor=request.user, patient=patient, action="patient.view")
    now = timezone.now()
    sessions = session_lines(patient, now)
    context = {
        "patient": patient,
        "seen_at": now.isoformat(),
        "blocks": SafetyBlock.objects.filter(patient=patient).select_related(
            "clearance__clinician"
        )[:50],
        "clearances": Clearance.objects.filter(patient=patient).select_related("clinician")[:50],
        "doses": DoseChange.objects.filter(item__prescription__patient=patient).select_related(
            "item__exercise"
        )[:100],
        "program": program_lines(patient),
        "charts": [
            (title, as_image(chart), chart.summary)
            for title, chart in zip(CHART_TITLES, charts(patient), strict=True)
        ],
        "sessions": sessions,
        "open_sessions": open_sessions(sessions),
        "alerts": Alert.objects.filter(patient=patient).select_related("acknowledged_by")[:50],
        "pains": patient.pain_reports.all()[:60],
        "scores": score_summaries(patient),
        "visits": visits_from_today(clinician, patient=patient, limit=20),
        "visit_kinds": VisitKind.choices,
        "zone": clinic_zone(clinician.clinic),
        "retention_ends": retention_ends(patient) if patient.closed_at else None,
    }
    return render(request, "clinic/patient.html", context)


@require_POST
@clinician_required
def clear(request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    form = ClearanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not cleared — {form_errors(form)}")
    else:
        try:
            clear_patient(clinician=clinician, patient=patient, **form.cleaned_data)
        except (PermissionError, ClearanceRefused) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{patient.display_name} is cleared to exercise.")
    return redirect("clinic-patient", patient_id=patient.id)


@require_POST
@clinician_required
def ack(request: HttpRequest, clinician: Clinician, alert_id: uuid.UUID) -> HttpResponse:
    form = AcknowledgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    acknowledge_alert(clinician=clinician, alert=alert_for(clinician, alert_id), note=note)
    return redirect(f"{reverse('clinic-home')}#alerts")
