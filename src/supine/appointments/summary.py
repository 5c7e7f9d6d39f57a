"""The dashboard's line about each patient, written when the facts arrive.

A session that ends and a morning check-in that lands call `refresh_summary`; the
dashboard reads one PatientSummary row per patient shown and never their history
(a page never writes, and its work must not grow with the history).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

from supine.appointments.models import PatientSummary
from supine.clinic.models import Patient
from supine.outcomes.models import PainMoment, PainReport
from supine.programs.dosing import morning_checkins
from supine.programs.progression import morning_trend
from supine.programs.tally import DONE_STATUSES
from supine.safety.thresholds import clinic_thresholds
from supine.sessions.models import ExerciseSession

ADHERENCE_DAYS = 14
# The morning trend compares weeks back to the first one; two months are plenty.
TREND_DAYS = 60


def adherence(session_days: Iterable[str | date], *, today: date) -> float:
    """The share of the last 14 days (today included) with a session, 0 to 1."""
    first = today - timedelta(days=ADHERENCE_DAYS - 1)
    days = {date.fromisoformat(d) if isinstance(d, str) else d for d in session_days}
    return round(sum(first <= d <= today for d in days) / ADHERENCE_DAYS, 2)


def refresh_summary(patient: Patient) -> PatientSummary:
    """Recompute the patient's line from a bounded slice of their records."""
    today = timezone.localdate()
    ended = ExerciseSession.objects.filter(patient=patient, status__in=DONE_STATUSES)
    last_session_on = ended.order_by("-plan_date").values_list("plan_date", flat=True).first()
    first = today - timedelta(days=ADHERENCE_DAYS - 1)
    days = sorted(set(ended.filter(plan_date__gte=first).values_list("plan_date", flat=True)))
    last_morning = (
        PainReport.objects.filter(patient=patient, moment=PainMoment.MORNING)
        .order_by("-day")
        .values_list("score", "day")
        .first()
    )
    checkins = morning_checkins(patient, since=today - timedelta(days=TREND_DAYS))
    trend = (
        morning_trend(checkins, today=today, thresholds=clinic_thresholds(patient.clinic))
        if checkins
        else ""
    )
    summary, _ = PatientSummary.objects.update_or_create(
        patient=patient,
        defaults={
            "last_session_on": last_session_on,
            "session_days": [d.isoformat() for d in days],
            "last_morning_pain": last_morning[0] if last_morning else None,
            "last_morning_on": last_morning[1] if last_morning else None,
            "morning_trend": str(trend),
        },
    )
    return summary
