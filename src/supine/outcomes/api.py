from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, StrictBool, StrictInt

from supine.api.people import require_patient
from supine.api.schemas import Message, StrictInput
from supine.outcomes.models import PainMoment, QuestionnaireResponse
from supine.outcomes.questionnaire_services import (
    QuestionnaireIdTaken,
    as_number,
    change_for,
    due_questionnaires,
    record_questionnaire,
)
from supine.outcomes.questionnaires import InvalidAnswers, offered
from supine.outcomes.services import PainIdTaken, morning_checkin_once, record_pain_once

router = Router(tags=["patient"])


class PainIn(StrictInput):
    score: StrictInt = Field(ge=0, le=10, description="0 no pain … 10 worst imaginable (NPRS)")
    note: str | None = Field(default=None, max_length=1000)
    # Ratings before, during and after a session travel as that session's events.
    moment: Literal["diary", "morning"] = "diary"
    id: uuid.UUID | None = Field(
        default=None, description="chosen by the device so that a retry is stored once"
    )


class PainOut(Schema):
    id: uuid.UUID
    score: int
    note: str
    moment: str
    recorded_at: datetime


@router.post(
    "/pain",
    response={200: PainOut, 201: PainOut, 403: Message, 409: Message},
    summary="Record a pain rating (a diary entry, or the morning check-in)",
)
def post_pain(request: HttpRequest, payload: PainIn):
    patient = require_patient(request)
    try:
        if payload.moment == PainMoment.MORNING:
            # Once a day; a second rating the same morning returns the first (200).
            report, created = morning_checkin_once(
                patient=patient, score=payload.score, report_id=payload.id
            )
        else:
            report, created = record_pain_once(
                patient=patient, score=payload.score, note=payload.note or "", report_id=payload.id
            )
    except PainIdTaken:
        raise HttpError(409, "This id is already in use; generate a new one.") from None
    return Status(201 if created else 200, report)


# The outcome questionnaires (clinical-rules.md §4).

Code = Literal["rmdq", "psfs", "nprs", "startback"]
# Done ones listed: enough for two years of fortnightly answers to each.
LISTED = 200


class QuestionnaireEntry(Schema):
    code: Code
    due_on: date | None = Field(description="set while it is due, null once done")
    completed_at: datetime | None
    score: int | float | None


class ItemOut(Schema):
    id: str
    text: str


class QuestionnaireOut(Schema):
    code: Code
    items: list[ItemOut]
    copyright: str = Field(description="to be shown with the questions (the licence's notice)")


class ActivityIn(StrictInput):
    name: str = Field(min_length=1, max_length=100)
    score: StrictInt = Field(ge=0, le=10)


class AnswersIn(StrictInput):
    id: uuid.UUID | None = Field(
        default=None, description="chosen by the device so that a retry is stored once"
    )
    answers: dict[str, StrictBool | StrictInt] | None = Field(
        default=None,
        description="RMDQ: {q1…q24: true if it describes you today}; NPRS: {pain: 0–10}; "
        "STarT Back: {q1…q8: 0 or 1, q9: 0–4}",
    )
    activities: list[ActivityIn] | None = Field(
        default=None, description="PSFS only: 3 to 5 activities you name, each 0–10"
    )


class ScoredOut(Schema):
    score: int | float
    band: str | None = None
    meaningful_change: Literal["better", "worse"] | None = None


class AnswerProblem(Schema):
    field: str
    message: str


class AnswersRefused(Schema):
    detail: str
    errors: list[AnswerProblem]


def _invalid(problems: dict[str, str], prefix: str):
    errors = [
        {"field": f"{prefix}.{k}" if prefix else k, "message": v} for k, v in problems.items()
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return Status(422, {"detail": f"Invalid input — {summary}", "errors": errors})


@router.get(
    "/questionnaires",
    response={200: list[QuestionnaireEntry], 403: Message},
    summary="My questionnaires: those due now, then those done (latest first)",
)
def list_questionnaires(request: HttpRequest):
    patient = require_patient(request)
    entries: list[dict] = [
        {"code": d.code, "due_on": d.due_on, "completed_at": None, "score": None}
        for d in due_questionnaires(patient)
    ]
    done = QuestionnaireResponse.objects.filter(patient=patient, code__in=list(offered()))
    for response in done.order_by("-completed_at")[:LISTED]:
        entries.append(
            {
                "code": response.code,
                "due_on": None,
                "completed_at": response.completed_at,
                "score": as_number(response.score),
            }
        )
    return entries


def _questionnaire(code: str):
    q = offered().get(code)
    if q is None:
        raise HttpError(404, "No such questionnaire.")
    return q


@router.get(
    "/questionnaires/{code}",
    response={200: QuestionnaireOut, 403: Message, 404: Message},
    summary="A questionnaire's items",
)
def get_questionnaire(request: HttpRequest, code: str):
    require_patient(request)
    q = _questionnaire(code)
    return {
        "code": q.code,
        "items": [{"id": i.id, "text": i.text} for i in q.items],
        "copyright": q.copyright,
    }


@router.post(
    "/questionnaires/{code}",
    response={
        200: ScoredOut,
        201: ScoredOut,
        403: Message,
        404: Message,
        409: Message,
        422: AnswersRefused,
    },
    exclude_none=True,
    summary="Answer a questionnaire (the same id again is stored once: 200)",
)
def post_questionnaire(request: HttpRequest, code: str, payload: AnswersIn):
    patient = require_patient(request)
    q = _questionnaire(code)
    if q.kind == "activities":
        if payload.answers is not None or payload.activities is None:
            return _invalid({"activities": "send 3 to 5 activities, each {name, score}"}, "")
        body: object = [a.dict() for a in payload.activities]
        prefix = ""
    else:
        if payload.activities is not None or payload.answers is None:
            return _invalid({"answers": "send {item id: answer} for every item"}, "")
        body = payload.answers
        prefix = "answers"
    try:
        response, created = record_questionnaire(patient, code, body, response_id=payload.id)
    except InvalidAnswers as refused:
        if q.kind == "activities":
            problems = {
                (k if k == "activities" else f"activities.{k}"): v
                for k, v in refused.problems.items()
            }
            return _invalid(problems, "")
        return _invalid(refused.problems, prefix)
    except QuestionnaireIdTaken:
        raise HttpError(409, "This id is already in use; generate a new one.") from None
    return Status(
        201 if created else 200,
        {
            "score": as_number(response.score),
            "band": response.band or None,
            "meaningful_change": change_for(patient, response),
        },
    )
