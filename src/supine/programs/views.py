from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from supine.appointments.services import clinic_zone, next_visit
from supine.clinic.access import patient_required
from supine.clinic.models import Patient
from supine.clinic.patient_record import NOT_FINISHED_AFTER
from supine.outcomes.progress import week_strip
from supine.outcomes.questionnaire_services import due_questionnaires
from supine.outcomes.questionnaires import offered
from supine.outcomes.services import (
    improvement_stalled,
    recent_history,
    record_morning_checkin,
)
from supine.programs.dosing import active_items
from supine.programs.forms import MorningCheckinForm
from supine.programs.plan import dose_summary, total_ms
from supine.programs.services import (
    paused_exercises,
    program_notice,
    todays_items,
    todays_timeline,
)
from supine.safety.services import flare_today, safety_status, short_form_due
from supine.safety.views import blocked_context
from supine.sessions.models import ExerciseSession, SessionStatus


@require_GET
@patient_required
def today(request: HttpRequest, patient: Patient) -> HttpResponse:
    return _today(request, patient)


def _today(
    request: HttpRequest, patient: Patient, checkin: MorningCheckinForm | None = None
) -> HttpResponse:
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
        "checkin": checkin,
        "next_visit": next_visit(patient),
        "zone": clinic_zone(patient.clinic),
        **_progress_today(patient, today),
    }
    return render(
        request, "programs/today.html", context, status=422 if checkin is not None else 200
    )


def _progress_today(patient: Patient, today: date) -> dict[str, object]:
    """Done today (a tick), this week's days, a session to resume, questionnaires due."""
    monday = today - timedelta(days=today.weekday())
    # One read of the week's few sessions: the days done, and one of today's to resume.
    this_week = ExerciseSession.objects.filter(patient=patient, plan_date__gte=monday)
    week = list(this_week.values_list("plan_date", "status", "created_at"))
    done_days = {day for day, status, _ in week if status == SessionStatus.COMPLETED}
    recent = timezone.now() - NOT_FINISHED_AFTER
    unfinished = any(
        day == today and status == SessionStatus.IN_PROGRESS and created >= recent
        for day, status, created in week
    )
    questionnaires = offered()
    return {
        "done_today": today in done_days,
        "week": week_strip(today, done_days),
        "sessions_this_week": len(done_days),
        "unfinished": unfinished and today not in done_days,
        "due": [(d, questionnaires[d.code]) for d in due_questionnaires(patient, today)],
    }


@require_POST
@patient_required
def morning_checkin(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = MorningCheckinForm(request.POST)
    if not form.is_valid():
        # The question again, saying what was wrong and what was sent.
        return _today(request, patient, checkin=form)
    record_morning_checkin(patient=patient, score=form.cleaned_data["score"])
    # Part B's short form on a flare day, and once a week at the first morning
    # check-in (clinical-rules.md §1 and §2).
    if flare_today(patient) or short_form_due(patient):
        return redirect(f"{reverse('symptoms')}?form=short")
    return redirect("today")
