from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from supine.appointments.services import clinic_zone, next_visit
from supine.clinic.access import patient_required
from supine.outcomes.services import (
    improvement_stalled,
    recent_history,
    record_morning_checkin,
)
from supine.programs.dosing import active_items
from supine.programs.plan import dose_summary, total_ms
from supine.programs.services import (
    paused_exercises,
    program_notice,
    todays_items,
    todays_timeline,
)
from supine.safety.services import flare_today, safety_status, short_form_due
from supine.safety.views import blocked_context


@require_GET
@patient_required
def today(request: HttpRequest, patient) -> HttpResponse:
    status = safety_status(patient)
    if status.screening_required:
        return redirect("screening")
    if status.blocked:
        return render(request, "safety/blocked.html", blocked_context(patient, status))
    program = active_items(patient)  # read once, for today's doses and the paused ones
    items = todays_items(patient, program)
    minutes = round(total_ms(todays_timeline(items)) / 60000) if items else 0
    rows = [(item.exercise, dose_summary(item.dose), item.reason, item.change) for item in items]
    today = timezone.localdate()
    history = recent_history(patient)
    checked_in = any(checkin.day == today for checkin in history.checkins)
    exercised_today = today in history.session_days
    context = {
        "patient": patient,
        "rows": rows,
        "minutes": minutes,
        "ask_morning": items and not checked_in and not exercised_today,
        "no_improvement": improvement_stalled(patient, history),
        "paused": paused_exercises(patient, program),
        "program_notice": "" if items else program_notice(patient),
        "scores": range(11),
        "next_visit": next_visit(patient),
        "zone": clinic_zone(patient.clinic),
    }
    return render(request, "programs/today.html", context)


@require_POST
@patient_required
def morning_checkin(request: HttpRequest, patient) -> HttpResponse:
    try:
        score = int(request.POST.get("score", ""))
    except ValueError:
        score = -1
    if 0 <= score <= 10:
        record_morning_checkin(patient=patient, score=score)
        # Part B's short form on a flare day, and once a week at the first morning
        # check-in (clinical-rules.md §1 and §2).
        if flare_today(patient) or short_form_due(patient):
            return redirect(f"{reverse('symptoms')}?form=short")
    return redirect("today")
