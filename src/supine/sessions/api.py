from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AwareDatetime, Field, StrictInt, field_validator

from supine.api.people import Blocked, require_patient, require_unblocked_patient
from supine.api.schemas import Message, StrictInput
from supine.clinic.access import session_for
from supine.programs.api import PlanOut
from supine.programs.dosing import active_items
from supine.programs.services import program_notice, todays_items, todays_plan
from supine.safety.services import plan_safety
from supine.safety.stop_rules import ACCEPTED_STOP_REASONS
from supine.sessions.models import ExerciseSession
from supine.sessions.services import (
    EventIdTaken,
    NewEvent,
    SessionIdTaken,
    lock_session,
    record_events,
    session_record,
    session_verdict,
    start_session,
)
from supine.vocabulary import StopReason

router = Router(tags=["sessions"])

Score = Annotated[StrictInt, Field(ge=0, le=10)]
Slug = Annotated[str, Field(min_length=1, max_length=80)]
Count = Annotated[StrictInt, Field(ge=1, le=1000)]
MAX_EVENTS_PER_BATCH = 500


class NoData(StrictInput):
    pass


class RepData(StrictInput):
    exercise: Slug
    set: Count
    rep: Count
    side: Literal["left", "right"] | None = None


class StepData(StrictInput):
    index: Annotated[StrictInt, Field(ge=0, le=100_000)]


class PainData(StrictInput):
    score: Score
    # "exercise": the one-tap "How was that?" after an exercise, naming it.
    moment: Literal["before", "exercise", "during", "after"]
    exercise: Slug | None = None


StopReasonIn = Literal[ACCEPTED_STOP_REASONS]  # type: ignore[valid-type]


class StoppedData(StrictInput):
    score: Score
    reason: StopReasonIn = Field(
        description="why the patient stopped; the legacy 'numbness' reads as 'leg_symptoms'"
    )


class FinishedData(StrictInput):
    feeling: Literal["too_easy", "about_right", "too_hard"] | None = None
    note: str | None = Field(default=None, max_length=1000)


# A device may hold events for a while offline, but not for months, and not from the
# future: a wild clock would otherwise decide which session counts as the latest.
OLDEST_EVENT = timedelta(days=30)
NEWEST_EVENT = timedelta(days=1)


class _Event(StrictInput):
    id: uuid.UUID
    at: AwareDatetime

    @field_validator("at")
    @classmethod
    def _plausible_time(cls, at: datetime) -> datetime:
        now = timezone.now()
        if not now - OLDEST_EVENT <= at <= now + NEWEST_EVENT:
            raise ValueError("must be within the last 30 days and not in the future")
        return at


class StartedEvent(_Event):
    type: Literal["started"]
    data: NoData = NoData()


class StepDoneEvent(_Event):
    type: Literal["step_done"]
    data: StepData


class RepDoneEvent(_Event):
    type: Literal["rep_done", "hold_done"]
    data: RepData
    source: Literal["coach"] | None = Field(
        default=None,
        description='"coach": the camera coach saw it done; left out: the player\'s timer',
    )


class PauseEvent(_Event):
    type: Literal["paused", "resumed"]
    data: NoData = NoData()


class PainEvent(_Event):
    type: Literal["pain_reported"]
    data: PainData


class StoppedEvent(_Event):
    type: Literal["stopped"]
    data: StoppedData


class FinishedEvent(_Event):
    type: Literal["finished"]
    data: FinishedData = FinishedData()


AnyEvent = Annotated[
    StartedEvent
    | StepDoneEvent
    | RepDoneEvent
    | PauseEvent
    | PainEvent
    | StoppedEvent
    | FinishedEvent,
    Field(discriminator="type"),
]


class EventBatchIn(StrictInput):
    events: list[AnyEvent] = Field(min_length=1, max_length=MAX_EVENTS_PER_BATCH)


class SessionVerdictOut(Schema):
    status: Literal["in_progress", "completed", "stopped"]
    stopped_by: Literal["patient", "rule"] | None = Field(
        description="who ended the session: the patient's STOP, or the server's stop rules"
    )
    advice: str | None = Field(description="what the patient is told, in their region's words")
    flare: bool = Field(description="a rating at the flare level: no more sessions today")
    rule: str | None = Field(description="the stop rule that decided the session, if any")


class EventBatchOut(Schema):
    accepted: list[uuid.UUID]
    duplicates: list[uuid.UUID]
    session: SessionVerdictOut
    refused: list[uuid.UUID] = Field(
        default_factory=list,
        description="reps and holds this session's plan does not have: not stored, not counted",
    )


class SessionIn(StrictInput):
    id: uuid.UUID | None = Field(
        default=None, description="chosen by the device so that creation can be retried"
    )


class SessionOut(Schema):
    id: uuid.UUID
    status: str
    plan: PlanOut


class ExerciseProgressOut(Schema):
    exercise: str
    reps_planned: int
    reps_done: int
    holds_planned: int
    holds_done: int


class SessionPainOut(Schema):
    score: int
    moment: str
    at: datetime


class SessionRecordOut(Schema):
    id: uuid.UUID
    status: str
    plan_date: date
    started_at: datetime | None
    ended_at: datetime | None
    duration_ms: int | None
    exercises: list[ExerciseProgressOut]
    pains: list[SessionPainOut]
    stop_reason: StopReason | None
    feeling: str | None
    note: str


def _session_out(session: ExerciseSession) -> dict[str, Any]:
    return {"id": session.id, "status": session.status, "plan": session.plan}


def _own_session(request: HttpRequest, session_id: uuid.UUID) -> ExerciseSession:
    # Another patient's session is simply not found (and the attempt recorded).
    return session_for(require_patient(request), session_id)


@router.post(
    "/sessions",
    response={200: SessionOut, 201: SessionOut, 403: dict, 409: Message},
    summary="Start a session (idempotent by the device's session id)",
)
def create_session(request: HttpRequest, payload: SessionIn) -> Status[dict[str, Any]]:
    patient = require_patient(request)
    session_id = payload.id or uuid.uuid4()
    existing = ExerciseSession.objects.for_patient(patient).filter(id=session_id).first()
    if existing is not None:
        # A retry from the device's queue: the session began before any block.
        return Status(200, _session_out(existing))
    require_unblocked_patient(request)
    program = active_items(patient)  # read once: today's doses and the confirmed ceiling
    items = todays_items(patient, program)
    if not items:
        # A paused, ended or not-yet-started program has no session to start.
        raise Blocked(
            {
                "blocked": True,
                "screening_required": False,
                "advice": program_notice(patient) or "There are no exercises for you today.",
                "flare": False,
            }
        )
    plan = todays_plan(items, safety=plan_safety(patient, program=program[0].prescription))
    try:
        session, created = start_session(patient=patient, session_id=session_id, plan=plan)
    except SessionIdTaken:
        raise HttpError(409, "This session id is already in use; generate a new one.") from None
    return Status(201 if created else 200, _session_out(session))


@router.get(
    "/sessions/{session_id}",
    response={200: SessionRecordOut, 404: Message},
    summary="What happened in a session, planned against done",
)
def get_session(request: HttpRequest, session_id: uuid.UUID) -> dict[str, Any]:
    return session_record(_own_session(request, session_id))


@router.post(
    "/sessions/{session_id}/events",
    response={200: EventBatchOut, 404: Message, 422: dict},
    summary="Record a batch of session events (idempotent by event id)",
)
def post_events(
    request: HttpRequest, session_id: uuid.UUID, payload: EventBatchIn
) -> dict[str, Any]:
    patient = require_patient(request)
    events = [
        NewEvent(
            id=e.id,
            type=e.type,
            at=e.at,
            data=e.data.model_dump(exclude_none=True),
            source=getattr(e, "source", None) or "",
        )
        for e in payload.events
    ]
    try:
        with transaction.atomic():
            session = lock_session(session_id, patient)
            result = record_events(session=session, events=events, locked=True)
    except ExerciseSession.DoesNotExist:
        # Another patient's session is not found, and the attempt recorded (outside the
        # transaction, so the record is kept).
        session_for(patient, session_id)
        raise Http404 from None
    except EventIdTaken as error:
        raise HttpError(422, f"Invalid input — {error}") from None
    return {
        "accepted": result.accepted,
        "duplicates": result.duplicates,
        "session": session_verdict(result.session),
        "refused": result.refused,
    }
