"""Performed sessions: start one, record its events exactly once, read its record."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from supine.appointments.summary import refresh_summary
from supine.clinic.models import Patient
from supine.outcomes.models import PainMoment, PainReport
from supine.programs.dosing import decide_doses
from supine.programs.tally import rep_key, tally
from supine.safety.services import apply_stop_rules
from supine.safety.stop_rules import StopReason
from supine.sessions.models import EventType, ExerciseSession, SessionEvent, SessionStatus


@dataclass(frozen=True)
class NewEvent:
    id: uuid.UUID
    type: str
    at: datetime
    data: dict[str, Any]
    source: str = ""  # "coach": a rep or hold the camera coach saw done


@dataclass
class EventsResult:
    session: ExerciseSession
    accepted: list[uuid.UUID] = field(default_factory=list)
    duplicates: list[uuid.UUID] = field(default_factory=list)
    # Reps and holds the session's plan does not have: neither stored nor counted.
    refused: list[uuid.UUID] = field(default_factory=list)


class SessionIdTaken(Exception):
    """The device chose an id that another patient's session already has."""


class EventIdTaken(Exception):
    def __init__(self, index: int, event_id: uuid.UUID) -> None:
        self.index, self.event_id = index, event_id
        super().__init__(f"events.{index}.id: {event_id} already belongs to another session")


# The plan step whose end each kind of event reports.
_DONE_AT_STEP: dict[str, str] = {EventType.REP_DONE: "release", EventType.HOLD_DONE: "hold"}


def outside_plan(plan: dict[str, Any], events: Sequence[NewEvent]) -> set[uuid.UUID]:
    """The reps and holds among `events` that `plan` does not have (another exercise,
    set, side, or a rep beyond the dose): they must not count as done.

    They are refused one by one rather than failing the batch, because a device that
    played an older plan offline (a dose stepped back meanwhile) must not lose the pain
    ratings and the STOP travelling in the same batch.
    """
    reported = [e for e in events if e.type in _DONE_AT_STEP]
    if not reported:
        return set()
    planned = {
        (step["kind"], step.get("exercise"), step.get("set"), step.get("rep"), step.get("side"))
        for step in plan.get("steps", [])
        if step["kind"] in _DONE_AT_STEP.values()
    }
    return {e.id for e in reported if (_DONE_AT_STEP[e.type], *rep_key(e.data)) not in planned}


def start_session(
    *, patient: Patient, session_id: uuid.UUID, plan: dict[str, Any]
) -> tuple[ExerciseSession, bool]:
    """Create the session, or return the one already made with this id (a retry)."""
    with transaction.atomic():
        session, created = ExerciseSession.objects.get_or_create(
            id=session_id,
            defaults={"patient": patient, "plan": plan, "plan_date": plan["date"]},
        )
    if session.patient_id != patient.id:
        raise SessionIdTaken()
    return session, created


def lock_session(session_id: uuid.UUID, patient: Patient) -> ExerciseSession:
    """The patient's session, its row locked until the transaction ends (one query);
    ExerciseSession.DoesNotExist when it is not theirs."""
    session = ExerciseSession.objects.select_for_update().get(id=session_id, patient=patient)
    session.patient = patient  # already loaded with their clinic: no second query
    return session


def _sort_events(
    session: ExerciseSession, events: Sequence[NewEvent], result: EventsResult
) -> list[NewEvent]:
    """The events to store and apply, in order; each other one is reported in `result` as
    a duplicate (seen before for this session) or refused (outside the session's plan).
    An id another session or another pain rating holds refuses the whole batch."""
    outside = outside_plan(session.plan, events)
    known = dict(
        SessionEvent.objects.filter(id__in=[e.id for e in events]).values_list("id", "session_id")
    )
    # A pain rating takes its event's id, so that id must be free there too.
    taken = set(
        PainReport.objects.filter(id__in=[e.id for e in events])
        .exclude(session=session)
        .values_list("id", flat=True)
    )
    fresh: list[NewEvent] = []
    for index, event in enumerate(events):
        if event.id in taken:
            raise EventIdTaken(index, event.id)
        owner = known.get(event.id)
        if owner is not None and owner != session.id:
            raise EventIdTaken(index, event.id)
        if owner is not None:
            result.duplicates.append(event.id)
            continue
        if event.id in outside:
            if event.id not in result.refused:
                result.refused.append(event.id)
            continue
        known[event.id] = session.id
        fresh.append(event)
        result.accepted.append(event.id)
    return fresh


def _store_events(session: ExerciseSession, fresh: list[NewEvent]) -> None:
    """Store the new events in one statement; an id taken meanwhile refuses the batch."""
    try:
        with transaction.atomic():
            SessionEvent.objects.bulk_create(
                SessionEvent(
                    session=session, id=e.id, type=e.type, at=e.at, data=e.data, source=e.source
                )
                for e in fresh
            )
    except IntegrityError:
        # The same id arrived for another session at this very moment.
        raise EventIdTaken(0, fresh[0].id) from None


def record_events(
    *, session: ExerciseSession, events: Sequence[NewEvent], locked: bool = False
) -> EventsResult:
    """Store each new event once and apply it; events seen before are only reported.

    `locked`: the caller loaded the session with `lock_session` in the transaction it
    holds, so the session is read once; otherwise it is locked and read again here.
    """
    # A caller that locked the session holds the transaction already: no savepoint.
    with contextlib.nullcontext() if locked else transaction.atomic():
        if not locked:
            # Lock the session row so that two deliveries of one batch can't both apply it.
            session = ExerciseSession.objects.select_for_update().get(pk=session.pk)
        result = EventsResult(session=session)
        fresh = _sort_events(session, events, result)
        _store_events(session, fresh)
        unsaved = _apply(session, fresh)
        if fresh:
            # The server applies the stop rules itself; the page's STOP is not trusted alone.
            # The session's changes are written with the verdict, in one statement.
            apply_stop_rules(session, unsaved=unsaved)
            if session.status != SessionStatus.IN_PROGRESS:
                # The session's end is a fact the dose decisions wait for (§3).
                decide_doses(session.patient)
                refresh_summary(session.patient)
    return result


# What events change on a session; only those that did are written back.
_APPLIED_FIELDS = ("started_at", "status", "stop_reason", "ended_at", "feeling", "note")


def _apply(session: ExerciseSession, events: Sequence[NewEvent]) -> list[str]:
    """Apply the events to the session in memory; the names of the fields they changed,
    for the caller to write."""
    before = {name: getattr(session, name) for name in _APPLIED_FIELDS}
    pains: list[PainReport] = []
    for event in sorted(events, key=lambda e: e.at):
        if event.type == EventType.STARTED:
            if session.started_at is None or event.at < session.started_at:
                session.started_at = event.at
        elif event.type == EventType.PAIN_REPORTED:
            pains.append(_pain(session, event, event.data["moment"], event.data.get("exercise")))
        elif event.type == EventType.STOPPED:
            # The pain given at STOP is a rating like any other, whenever it arrives.
            pains.append(_pain(session, event, PainMoment.DURING))
            # A session ends once: the first stop or finish stands, a later one (a replay,
            # a second device) does not rewrite its status or end time.
            if session.status == SessionStatus.IN_PROGRESS:
                session.status = SessionStatus.STOPPED
                session.stop_reason = StopReason.parse(event.data["reason"])
                session.ended_at = event.at
        elif event.type == EventType.FINISHED:
            if session.status == SessionStatus.IN_PROGRESS:
                session.status = SessionStatus.COMPLETED
                session.ended_at = event.at
            # How it felt and the note are the patient's words: given once, kept.
            session.feeling = session.feeling or event.data.get("feeling") or ""
            session.note = session.note or event.data.get("note") or ""
    if pains:
        PainReport.objects.bulk_create(pains)
    return [name for name in _APPLIED_FIELDS if getattr(session, name) != before[name]]


def _pain(
    session: ExerciseSession, event: NewEvent, moment: str, exercise: str | None = None
) -> PainReport:
    # The pain report takes the event's id, so it too exists exactly once.
    return PainReport(
        id=event.id,
        patient_id=session.patient_id,
        session=session,
        score=event.data["score"],
        moment=moment,
        exercise=exercise or "",
        recorded_at=event.at,
    )


def session_verdict(session: ExerciseSession) -> dict[str, Any]:
    """The server's word on a session, as every events answer carries it (clinical-rules.md §2)."""
    return {
        "status": session.status,
        "stopped_by": session.stopped_by or None,
        "advice": session.advice or None,
        "flare": session.flare,
        "rule": session.stop_rule or None,
    }


def session_record(session: ExerciseSession) -> dict[str, Any]:
    """Planned against done, per exercise, and what the patient reported."""
    kinds = [EventType.REP_DONE, EventType.HOLD_DONE]
    counts = tally(
        session.plan.get("steps", []),
        session.events.filter(type__in=kinds).values_list("type", "data"),
    )
    duration_ms = None
    if session.started_at and session.ended_at:
        duration_ms = int((session.ended_at - session.started_at).total_seconds() * 1000)
    return {
        "id": session.id,
        "status": session.status,
        "plan_date": session.plan_date,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "duration_ms": duration_ms,
        "exercises": [
            {
                "exercise": e.exercise,
                "reps_planned": e.reps_planned,
                "reps_done": e.reps_done,
                "holds_planned": e.holds_planned,
                "holds_done": e.holds_done,
            }
            for e in counts.exercises
        ],
        "pains": [
            {"score": p.score, "moment": p.moment, "at": p.recorded_at}
            for p in session.pain_reports.order_by("recorded_at")
        ],
        "stop_reason": session.stop_reason or None,
        "feeling": session.feeling or None,
        "note": session.note,
    }
