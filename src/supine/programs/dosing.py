"""Today's dose for each prescribed exercise, decided from the last session (CLINICAL.md §3).

Decisions are taken lazily, when today's plan is read: the last ended session is judged
once per exercise (a unique constraint keeps it so), with the next morning's check-in
when there is one. The rules themselves are in progression.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from supine.clinic.models import Patient
from supine.outcomes.models import PainMoment, PainReport
from supine.programs.models import DoseChange, DoseChangeKind, PrescribedExercise
from supine.programs.progression import (
    Change,
    CheckIn,
    DoseDecision,
    DoseLevel,
    DoseRanges,
    SessionOutcome,
    clamp_dose,
    decide_next_dose,
    morning_trend_rising,
    starting_decision,
)
from supine.safety.rulebook import RULEBOOK_VERSION
from supine.safety.thresholds import Thresholds
from supine.sessions.models import EventType, ExerciseSession, SessionEvent, SessionStatus

TREND_WINDOW_DAYS = 14


@dataclass(frozen=True)
class ItemDose:
    item: PrescribedExercise
    dose: DoseLevel
    reason: str
    change: str


def ranges_of(item: PrescribedExercise) -> DoseRanges:
    hold = None
    if item.hold_seconds_min is not None:
        hold = (item.hold_seconds_min, item.hold_seconds_max)
    return DoseRanges(
        reps=(item.reps_min, item.reps_max), hold_seconds=hold, sets=(item.sets_min, item.sets_max)
    )


def active_items(patient: Patient) -> list[PrescribedExercise]:
    """The active program's exercises, each with its dose history (newest first)."""
    items = list(
        PrescribedExercise.objects.filter(prescription__patient=patient, prescription__active=True)
        .select_related("exercise", "prescription")
        .order_by("position")
    )
    history: dict[int, list[DoseChange]] = {item.id: [] for item in items}
    changes = DoseChange.objects.filter(item__in=items).select_related("session")
    for change in changes.order_by("-created_at", "-id"):
        history[change.item_id].append(change)
    for item in items:
        item.recent_changes = history[item.id]
    return items


def doses_for(items: Sequence[PrescribedExercise]) -> list[ItemDose]:
    result = []
    for item in items:
        ranges = ranges_of(item)
        if item.recent_changes:
            latest = item.recent_changes[0]
            level = DoseLevel(reps=latest.reps, hold_seconds=latest.hold_seconds, sets=latest.sets)
            # A prescription edited since keeps the dose inside its new ranges.
            result.append(ItemDose(item, clamp_dose(ranges, level), latest.reason, latest.change))
        else:
            start = starting_decision(ranges)
            result.append(ItemDose(item, start.dose, start.reason, start.change))
    return result


def morning_checkins(patient: Patient, *, since: date) -> list[CheckIn]:
    reports = PainReport.objects.filter(
        patient=patient, moment=PainMoment.MORNING, day__gte=since
    ).order_by("day")
    return [CheckIn(day=day, pain=score) for day, score in reports.values_list("day", "score")]


# Sessions judged in one go at most; more only after a long time without opening Supine.
MAX_SESSIONS_PER_REFRESH = 20


def refresh_doses(
    patient: Patient, items: Sequence[PrescribedExercise], *, thresholds: Thresholds
) -> None:
    """Judge, in order, every ended session since the last one judged."""
    decided_until = max(
        (
            change.session.ended_at
            for item in items
            for change in item.recent_changes
            if change.session is not None and change.session.ended_at is not None
        ),
        default=None,
    )
    sessions = ExerciseSession.objects.filter(
        patient=patient,
        status__in=[SessionStatus.COMPLETED, SessionStatus.STOPPED],
        ended_at__isnull=False,
    )
    if decided_until is not None:
        sessions = sessions.filter(ended_at__gt=decided_until)
    sessions = list(sessions.order_by("ended_at")[:MAX_SESSIONS_PER_REFRESH])
    if not sessions or not items:
        return
    outcomes = _outcomes(sessions, thresholds)
    today = timezone.localdate()
    checkins = morning_checkins(patient, since=today - timedelta(days=TREND_WINDOW_DAYS))
    rising = morning_trend_rising(checkins, today=today, thresholds=thresholds)
    for session in sessions:
        session_day = timezone.localdate(session.ended_at)
        morning_after = next((c for c in checkins if c.day > session_day), None)
        for item in items:
            # Exercises prescribed after the session was done are not judged by it.
            if item.prescription.created_at > session.ended_at:
                continue
            if any(change.session_id == session.id for change in item.recent_changes):
                continue
            outcome = outcomes.get((session.id, item.exercise.slug))
            if outcome is None:
                continue  # not in that session's plan
            decision = _decide(item, outcome, morning_after, rising, thresholds)
            if decision is not None:
                _store(item, decision, session)


def _decide(item, outcome, morning_after, rising: bool, thresholds) -> DoseDecision | None:
    history = item.recent_changes
    ranges = ranges_of(item)
    current = (
        DoseLevel(history[0].reps, history[0].hold_seconds, history[0].sets)
        if history
        else starting_decision(ranges).dose
    )
    last_progress = next((c for c in history if c.change == DoseChangeKind.PROGRESS), None)
    decision = decide_next_dose(
        ranges=ranges,
        current=clamp_dose(ranges, current),
        session=outcome,
        morning_after=morning_after,
        last_progress_at=_progress_time(last_progress),
        thresholds=thresholds,
    )
    if decision is not None and rising and decision.change == Change.PROGRESS:
        decision = DoseDecision(
            dose=clamp_dose(ranges, current),
            change=Change.HOLD,
            reason="Staying where you are — your morning pain has crept up this week.",
        )
    return decision


def _progress_time(change: DoseChange | None):
    if change is None:
        return None
    # In the clinic's time zone, as the rules count calendar days.
    return timezone.localtime(
        change.session.ended_at if change.session and change.session.ended_at else change.created_at
    )


def _outcomes(sessions, thresholds: Thresholds) -> dict[tuple, SessionOutcome]:
    """Each session's outcome for each exercise in its plan (two queries in all).

    An exercise counts as completed only when every planned rep and hold was done:
    a session finished after skipping an exercise does not progress that exercise.
    """
    pains: dict = {session.id: [] for session in sessions}
    for session_id, moment, score in PainReport.objects.filter(session__in=sessions).values_list(
        "session_id", "moment", "score"
    ):
        pains[session_id].append((moment, score))
    done: dict[tuple, set] = {}
    for session_id, kind, data in SessionEvent.objects.filter(
        session__in=sessions, type__in=[EventType.REP_DONE, EventType.HOLD_DONE]
    ).values_list("session_id", "type", "data"):
        key = (data.get("exercise"), data.get("set"), data.get("rep"), data.get("side"))
        done.setdefault((session_id, data.get("exercise"), kind), set()).add(key)
    outcomes = {}
    for session in sessions:
        before = next((s for m, s in pains[session.id] if m == PainMoment.BEFORE), None)
        during = [s for m, s in pains[session.id] if m in (PainMoment.DURING, PainMoment.AFTER)]
        worst = max(during) if during else None
        stopped_for_pain = session.status == SessionStatus.STOPPED and (
            session.stop_reason == "pain" or (worst is not None and worst > thresholds.ceiling_base)
        )
        planned: dict[tuple, int] = {}
        for step in session.plan.get("steps", []):
            kind = {"release": EventType.REP_DONE, "hold": EventType.HOLD_DONE}.get(step["kind"])
            if kind:
                planned[(step["exercise"], kind)] = planned.get((step["exercise"], kind), 0) + 1
        for slug in {slug for slug, _ in planned}:
            completed = session.status == SessionStatus.COMPLETED and all(
                len(done.get((session.id, s, kind), ())) >= count
                for (s, kind), count in planned.items()
                if s == slug
            )
            outcomes[(session.id, slug)] = SessionOutcome(
                ended_at=timezone.localtime(session.ended_at),
                completed=completed,
                stopped_for_pain=stopped_for_pain,
                worst_pain=worst,
                pain_before=before,
            )
    return outcomes


def _store(item: PrescribedExercise, decision: DoseDecision, session) -> None:
    try:
        with transaction.atomic():
            change = DoseChange.objects.create(
                item=item,
                reps=decision.dose.reps,
                hold_seconds=decision.dose.hold_seconds,
                sets=decision.dose.sets,
                change=decision.change,
                reason=decision.reason[:300],
                session=session,
                rulebook_version=RULEBOOK_VERSION,
            )
    except IntegrityError:
        # Another request decided the same session a moment ago; theirs stands.
        return
    item.recent_changes.insert(0, change)
