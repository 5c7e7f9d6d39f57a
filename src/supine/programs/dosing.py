"""Today's dose for each prescribed exercise, decided when the facts arrive (§3).

A session's end and the next morning's check-in each call ``decide_doses``: every ended
session not yet decided is judged in order, once per exercise (a unique constraint keeps
it so), and the outcome is stored both as a DoseChange (the history, with its inputs and
the rulebook version) and on the prescribed exercise itself, so that a page reads today's
dose from one row and never writes. The rules themselves are in progression.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from supine.clinic.models import Alert, AlertKind, AlertSeverity, Patient
from supine.clinic.services import raise_alert
from supine.outcomes.models import PainMoment, PainReport
from supine.programs.models import DoseChange, PrescribedExercise, Prescription
from supine.programs.plan import Dose, dose_summary
from supine.programs.progression import (
    Change,
    CheckIn,
    DoseDecision,
    DoseLevel,
    DoseRanges,
    SessionOutcome,
    Trend,
    clamp_dose,
    decide_next_dose,
    dose_ladder,
    morning_trend,
    starting_decision,
)
from supine.programs.tally import DONE_STATUSES, exercise_completed, tally
from supine.safety.limits import USUAL_PAIN_WINDOW, usual_pain
from supine.safety.rulebook import RULEBOOK_VERSION
from supine.safety.thresholds import DEFAULT_THRESHOLDS, Thresholds, clinic_thresholds
from supine.sessions.models import EventType, ExerciseSession, SessionEvent, SessionStatus

TREND_WINDOW_DAYS = 28
READY_AFTER = timedelta(days=7)  # at the top of every range this long: tell the clinician
READY_ALERT_EVERY = timedelta(days=14)
PAIN_STOPS = frozenset({"pain", "leg_symptoms", "numbness"})
PAIN_RULES = frozenset({"above_ceiling", "rise", "pain", "leg_symptoms"})


@dataclass(frozen=True)
class ItemDose:
    item: PrescribedExercise
    dose: DoseLevel
    reason: str
    change: str


def ranges_of(item: PrescribedExercise) -> DoseRanges:
    hold = None
    if item.hold_seconds_min is not None and item.hold_seconds_max is not None:
        hold = (item.hold_seconds_min, item.hold_seconds_max)
    return DoseRanges(
        reps=(item.reps_min, item.reps_max), hold_seconds=hold, sets=(item.sets_min, item.sets_max)
    )


def active_items(patient: Patient) -> list[PrescribedExercise]:
    """The active program's exercises, with their stored doses: one query."""
    return list(
        PrescribedExercise.objects.filter(prescription__patient=patient, prescription__active=True)
        .select_related("exercise", "prescription")
        .order_by("position")
    )


def current_dose(item: PrescribedExercise) -> DoseLevel:
    ranges = ranges_of(item)
    if item.dose_reps is None or item.dose_sets is None:
        return starting_decision(ranges).dose
    level = DoseLevel(reps=item.dose_reps, hold_seconds=item.dose_hold_seconds, sets=item.dose_sets)
    # A prescription edited since keeps the dose inside its new ranges.
    return clamp_dose(ranges, level)


def dose_in_words(item: PrescribedExercise) -> tuple[str, str]:
    """Today's dose of a prescribed exercise in words, and the ranges it was prescribed in
    ("reps 5–10, sets 1–2, hold 5–10 s"): the same words on the patient page, the FHIR
    CarePlan and the printed report."""
    level = current_dose(item)
    dose = Dose(
        reps=level.reps,
        hold_seconds=level.hold_seconds,
        sets=level.sets,
        per_side=item.exercise.per_side,
        alternate_sides=item.exercise.alternate_sides,
    )
    ranges = f"reps {item.reps_min}–{item.reps_max}, sets {item.sets_min}–{item.sets_max}"
    if item.hold_seconds_min is not None:
        ranges += f", hold {item.hold_seconds_min}–{item.hold_seconds_max} s"
    return dose_summary(dose), ranges


def doses_for(items: Sequence[PrescribedExercise]) -> list[ItemDose]:
    """Today's dose of each exercise that is not paused, as last decided."""
    result = []
    for item in items:
        if item.paused_at is not None:
            continue
        if item.dose_reps is None:
            start = starting_decision(ranges_of(item))
            result.append(ItemDose(item, start.dose, start.reason, start.change))
        else:
            result.append(ItemDose(item, current_dose(item), item.dose_reason, item.dose_change))
    return result


def morning_checkins(patient: Patient, *, since: date) -> list[CheckIn]:
    reports = PainReport.objects.filter(
        patient=patient, moment=PainMoment.MORNING, day__gte=since
    ).order_by("day")
    return [
        CheckIn(day=day, pain=score)
        for day, score in reports.values_list("day", "score")
        if day is not None
    ]


# Sessions judged in one go at most; more only after a long time without a check-in.
MAX_SESSIONS_PER_DECISION = 20


def _sessions_to_judge(patient: Patient, prescription: Prescription) -> list[ExerciseSession]:
    """The ended sessions not yet judged for this prescription, oldest first."""
    sessions = ExerciseSession.objects.filter(
        patient=patient, status__in=DONE_STATUSES, ended_at__isnull=False
    )
    # From where the decisions stopped — a new version of the program carries that
    # over, so a session still waiting for its morning is judged all the same — or,
    # for a first program, from when it was set.
    if prescription.decided_until is not None:
        sessions = sessions.filter(ended_at__gt=prescription.decided_until)
    else:
        sessions = sessions.filter(ended_at__gte=prescription.created_at)
    return list(sessions.order_by("ended_at")[:MAX_SESSIONS_PER_DECISION])


def _inputs(
    outcome: SessionOutcome, morning_after: CheckIn | None, usual: int | None, trend: Trend
) -> dict:
    """What a decision was made from, stored with it."""
    return {
        "ratings": list(outcome.ratings),
        "ceiling": outcome.ceiling,
        "completed": outcome.completed,
        "ended_early": outcome.ended_early,
        "stopped_for_pain": outcome.stopped_for_pain,
        "blamed": outcome.blamed,
        "feeling": outcome.feeling,
        "morning": None if morning_after is None else morning_after.pain,
        "usual_morning": usual,
        "trend": str(trend),
    }


def _decide(
    item: PrescribedExercise,
    outcome: SessionOutcome,
    morning_after: CheckIn | None,
    usual: int | None,
    morning_missed: bool,
    trend: Trend,
    thresholds: Thresholds,
) -> DoseDecision | None:
    return decide_next_dose(
        ranges=ranges_of(item),
        current=current_dose(item),
        session=outcome,
        morning_after=morning_after,
        usual_morning=usual,
        last_progress_at=item.last_progress_at,
        morning_missed=morning_missed,
        trend=trend,
        thresholds=thresholds,
    )


def decide_doses(patient: Patient) -> list[DoseChange]:
    """Judge, in order, every ended session whose dose decisions are not complete.

    Called when a session ends and when a morning check-in lands. A decision that waits
    for the next morning stops the walk at that session: later sessions are judged once
    it is decided, in order, so each starts from the dose before it.
    """
    stored: list[DoseChange] = []
    with transaction.atomic():
        # One decider per patient at a time: the prescription row is the lock.
        prescription = (
            Prescription.objects.select_for_update().filter(patient=patient, active=True).first()
        )
        if prescription is None:
            return stored
        items = list(prescription.items.select_related("exercise").order_by("position"))
        sessions = _sessions_to_judge(patient, prescription)
        if not sessions or not items:
            return stored
        thresholds = clinic_thresholds(patient.clinic)
        decided = set(
            DoseChange.objects.filter(session__in=sessions, item__in=items).values_list(
                "session_id", "item_id"
            )
        )
        outcomes = _outcomes(sessions)
        today = timezone.localdate()
        first_day = timezone.localdate(sessions[0].ended_at)
        checkins = morning_checkins(patient, since=first_day - timedelta(days=TREND_WINDOW_DAYS))
        trend = morning_trend(checkins, today=today, thresholds=thresholds)
        for session in sessions:
            day = timezone.localdate(session.ended_at)
            morning_after = next((c for c in checkins if c.day > day), None)
            usual = usual_pain(
                [c.pain for c in checkins if c.day <= day][-USUAL_PAIN_WINDOW:],
                patient.usual_pain,
            )
            complete = True
            for item in items:
                outcome = outcomes.get((session.id, item.exercise.slug))
                if outcome is None or (session.id, item.id) in decided or item.paused_at:
                    continue  # not in that session's plan, already decided, or paused
                # The next morning has passed without a check-in.
                missed = morning_after is None and today > day + timedelta(days=1)
                decision = _decide(item, outcome, morning_after, usual, missed, trend, thresholds)
                if decision is None:
                    complete = False
                    continue
                inputs = _inputs(outcome, morning_after, usual, trend)
                change = _store(item, decision, session, inputs)
                if change is not None:
                    stored.append(change)
            if not complete:
                break
            prescription.decided_until = session.ended_at
        prescription.save(update_fields=["decided_until"])
        _tell_when_ready(patient, items, today)
    return stored


def _store(
    item: PrescribedExercise, decision: DoseDecision, session, inputs: dict
) -> DoseChange | None:
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
                inputs=inputs,
                rulebook_version=RULEBOOK_VERSION,
            )
    except IntegrityError:
        # Another request decided the same session a moment ago; theirs stands.
        return None
    item.dose_reps = decision.dose.reps
    item.dose_hold_seconds = decision.dose.hold_seconds
    item.dose_sets = decision.dose.sets
    item.dose_change = decision.change
    item.dose_reason = decision.reason[:300]
    fields = ["dose_reps", "dose_hold_seconds", "dose_sets", "dose_change", "dose_reason"]
    if decision.change == Change.PROGRESS:
        item.last_progress_at = session.ended_at
        fields.append("last_progress_at")
    if decision.change == Change.PAUSE:
        item.paused_at = timezone.now()
        fields.append("paused_at")
        raise_alert(
            patient=item.prescription.patient,
            kind=AlertKind.PROGRAM,
            severity=AlertSeverity.ATTENTION,
            reason="An exercise was paused: stepped back at the bottom of its range "
            "(clinical-rules.md §3). Review the program.",
            session=session,
        )
    item.save(update_fields=fields)
    return change


def _tell_when_ready(patient: Patient, items: Sequence[PrescribedExercise], today: date) -> None:
    """At the top of every range for a week: "ready for the next exercise" (§3)."""
    live = [item for item in items if item.paused_at is None]
    if not live:
        return
    for item in live:
        top = dose_ladder(ranges_of(item))[-1]
        if current_dose(item) != top or item.dose_reps is None:
            return
        reached = item.last_progress_at
        if reached is None or timezone.now() - reached < READY_AFTER:
            return
    since = timezone.now() - READY_ALERT_EVERY
    if Alert.objects.filter(patient=patient, kind=AlertKind.READY, created_at__gte=since).exists():
        return
    raise_alert(
        patient=patient,
        kind=AlertKind.READY,
        severity=AlertSeverity.INFO,
        reason="At the top of every range for a week: ready for the next exercise.",
    )


def _outcomes(sessions: Sequence[ExerciseSession]) -> dict[tuple, SessionOutcome]:
    """Each session's outcome for each exercise in its plan (two queries in all).

    An exercise counts as completed only when every planned rep and hold was done: a
    session finished after skipping an exercise does not progress that exercise.
    """
    ratings: dict = {session.id: [] for session in sessions}
    for session_id, moment, score, exercise in (
        PainReport.objects.filter(session__in=sessions)
        .order_by("recorded_at")
        .values_list("session_id", "moment", "score", "exercise")
    ):
        ratings[session_id].append((moment, score, exercise))
    done: dict = {session.id: [] for session in sessions}
    playing: dict = {}  # the exercise of the last rep or hold done, per session
    for session_id, kind, data in (
        SessionEvent.objects.filter(
            session__in=sessions, type__in=[EventType.REP_DONE, EventType.HOLD_DONE]
        )
        .order_by("at")
        .values_list("session_id", "type", "data")
    ):
        done[session_id].append((kind, data))
        playing[session_id] = data.get("exercise")
    outcomes = {}
    for session in sessions:
        ceiling = (session.plan.get("limits") or {}).get("ceiling", DEFAULT_THRESHOLDS.ceiling_base)
        rated = ratings[session.id]
        before = next((s for m, s, _ in rated if m == PainMoment.BEFORE), None)
        stopped_for_pain = session.stop_reason in PAIN_STOPS or session.stop_rule in PAIN_RULES
        counts = tally(session.plan.get("steps", []), done[session.id])
        slugs = [e.exercise for e in counts.exercises if e.reps_planned or e.holds_planned]
        # Which exercise to blame: the one rated above the ceiling, or playing at STOP.
        culprits = {e for m, s, e in rated if m == PainMoment.EXERCISE and s > ceiling and e}
        if stopped_for_pain and session.status == SessionStatus.STOPPED and playing.get(session.id):
            culprits.add(playing[session.id])
        for slug in slugs:
            completed = exercise_completed(session.status, counts, slug)
            outcomes[(session.id, slug)] = SessionOutcome(
                ended_at=timezone.localtime(session.ended_at),
                completed=completed,
                ended_early=session.status == SessionStatus.STOPPED,
                stopped_for_pain=stopped_for_pain,
                ceiling=ceiling,
                ratings=tuple(s for m, s, e in rated if m != PainMoment.EXERCISE or e == slug),
                blamed=not culprits or slug in culprits,
                feeling=session.feeling or None,
                pain_before=before,
            )
    return outcomes
