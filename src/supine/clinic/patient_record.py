"""What the clinician's page about one patient reads: the program and today's dose,
the charts of the last weeks, and the sessions with what was done against the plan.
Bounded reads: the charts cover CHART_DAYS, the list the last SESSIONS_SHOWN sessions.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from supine.appointments.models import Appointment
from supine.appointments.services import clinic_zone
from supine.clinic.models import Patient
from supine.outcomes.charts import Chart, dose_chart, pain_chart, sessions_chart
from supine.outcomes.models import PainMoment, PainReport
from supine.programs.dosing import active_items, dose_in_words
from supine.programs.models import DoseChange, PrescribedExercise
from supine.programs.tally import DONE_STATUSES, tally
from supine.sessions.models import EventType, ExerciseSession, SessionEvent, SessionStatus

CHART_DAYS = 56
SESSIONS_SHOWN = 30
# A session still "in progress" after this long was abandoned: shown as not finished,
# and no longer counted as open.
NOT_FINISHED_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class ProgramLine:
    name: str
    dose: str
    ranges: str
    paused: bool
    reason: str


@dataclass(frozen=True)
class SessionLine:
    session: ExerciseSession
    state: str  # "completed", "stopped", "in_progress", "not_finished"
    reps_done: int
    reps_planned: int
    minutes: float | None


def session_state(session: ExerciseSession, now: datetime) -> str:
    if session.status != SessionStatus.IN_PROGRESS:
        return session.status
    began = session.started_at or session.created_at
    return "not_finished" if began < now - NOT_FINISHED_AFTER else SessionStatus.IN_PROGRESS


def program_lines(patient: Patient) -> list[ProgramLine]:
    lines = []
    for item in active_items(patient):
        dose, ranges = dose_in_words(item)
        lines.append(
            ProgramLine(
                name=item.exercise.name,
                dose=dose,
                ranges=ranges,
                paused=item.paused_at is not None,
                reason=item.dose_reason,
            )
        )
    return lines


def session_lines(patient: Patient, now: datetime) -> list[SessionLine]:
    sessions = list(ExerciseSession.objects.filter(patient=patient)[:SESSIONS_SHOWN])
    done: dict = defaultdict(list)
    for session_id, kind, data in SessionEvent.objects.filter(
        session__in=sessions, type=EventType.REP_DONE
    ).values_list("session_id", "type", "data"):
        done[session_id].append((kind, data))
    lines = []
    for session in sessions:
        counts = tally(session.plan.get("steps", []), done[session.id])
        minutes = None
        if session.started_at and session.ended_at:
            minutes = round((session.ended_at - session.started_at).total_seconds() / 60, 1)
        lines.append(
            SessionLine(
                session=session,
                state=session_state(session, now),
                reps_done=counts.reps_done,
                reps_planned=counts.reps_planned,
                minutes=minutes,
            )
        )
    return lines


def open_sessions(lines: list[SessionLine]) -> int:
    return sum(line.state == SessionStatus.IN_PROGRESS for line in lines)


def charts(patient: Patient, *, today: date | None = None) -> list[Chart]:
    zone = clinic_zone(patient.clinic)
    today = today or timezone.localtime(timezone.now(), zone).date()
    first = today - timedelta(days=CHART_DAYS - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    morning, before, after = _pain_by_day(patient, since, zone)
    visits = [
        timezone.localtime(at, zone).date()
        for at in Appointment.objects.booked()
        .filter(
            patient=patient,
            starts_at__gte=since,
            starts_at__lt=since + timedelta(days=CHART_DAYS + 1),
        )
        .values_list("starts_at", flat=True)
    ]
    session_days = list(
        ExerciseSession.objects.filter(
            patient=patient,
            plan_date__gte=first,
            status__in=DONE_STATUSES,
        ).values_list("plan_date", flat=True)
    )
    steps = _dose_steps(patient, first, since, zone)
    return [
        pain_chart(
            first=first, last=today, morning=morning, before=before, after=after, visits=visits
        ),
        sessions_chart(first=first, last=today, session_days=session_days, visits=visits),
        dose_chart(first=first, last=today, steps=steps, visits=visits),
    ]


def _pain_by_day(patient: Patient, since: datetime, zone) -> tuple[dict, dict, dict]:
    """Morning pain by day, and the ratings before and after sessions by day."""
    morning: dict[date, int] = {}
    before: dict[date, list[int]] = defaultdict(list)
    after: dict[date, list[int]] = defaultdict(list)
    ratings = PainReport.objects.filter(
        patient=patient,
        recorded_at__gte=since,
        moment__in=[PainMoment.MORNING, PainMoment.BEFORE, PainMoment.AFTER],
    ).values_list("moment", "score", "recorded_at", "day")
    for moment, score, at, day in ratings:
        local = timezone.localtime(at, zone).date()
        if moment == PainMoment.MORNING:
            morning[day or local] = score
        else:
            (before if moment == PainMoment.BEFORE else after)[local].append(score)
    return morning, before, after


def _dose_steps(
    patient: Patient, first: date, since: datetime, zone
) -> dict[str, list[tuple[date, int]]]:
    """The reps of each exercise when the window opened, then each change inside it."""
    steps: dict[str, list[tuple[date, int]]] = defaultdict(list)
    before_window = (
        DoseChange.objects.filter(item=OuterRef("pk"), created_at__lt=since)
        .order_by("-created_at")
        .values("reps")[:1]
    )
    for name, reps in (
        PrescribedExercise.objects.filter(prescription__patient=patient, prescription__active=True)
        .annotate(reps_before=Subquery(before_window))
        .order_by("position")
        .values_list("exercise__name", "reps_before")
    ):
        steps[name] = [(first, reps)] if reps is not None else []
    for name, reps, at in (
        DoseChange.objects.filter(
            item__prescription__patient=patient,
            item__prescription__active=True,
            created_at__gte=since,
        )
        .order_by("created_at")
        .values_list("item__exercise__name", "reps", "created_at")
    ):
        steps[name].append((timezone.localtime(at, zone).date(), reps))
    return steps


def as_image(chart: Chart) -> str:
    """The chart as a data: URL for an <img> (the page's CSP allows no inline style)."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode()
