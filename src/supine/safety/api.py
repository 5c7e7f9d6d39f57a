from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field, StrictBool

from supine.api.people import require_patient
from supine.api.schemas import StrictInput
from supine.safety.screening import QUESTIONS, MissingAnswers, UnknownQuestions
from supine.safety.services import submit_screening

router = Router(tags=["safety"])


class QuestionOut(Schema):
    id: str
    text: str
    group: str


class ScreeningIn(StrictInput):
    clinician_advised: StrictBool = Field(
        description="the patient confirms a clinician advised these exercises for them"
    )
    answers: dict[str, StrictBool] = Field(description="every question id → yes (true) / no")


class ScreeningOut(Schema):
    blocked: bool
    urgency: str
    advice: str


@router.get("/screening/questions", response=list[QuestionOut], summary="The red-flag screen")
def screening_questions(request: HttpRequest):
    require_patient(request)
    return [{"id": q.id, "text": q.text, "group": q.group} for q in QUESTIONS]


@router.post(
    "/screening",
    response={200: ScreeningOut, 403: dict, 422: dict},
    summary="Answer the red-flag screen",
)
def post_screening(request: HttpRequest, payload: ScreeningIn):
    patient = require_patient(request)
    try:
        outcome = submit_screening(
            patient=patient, clinician_advised=payload.clinician_advised, answers=payload.answers
        )
    except MissingAnswers as error:
        raise HttpError(
            422, f"Invalid input — answers: please answer {', '.join(error.missing)}"
        ) from None
    except UnknownQuestions as error:
        raise HttpError(
            422, f"Invalid input — answers: unknown questions {', '.join(error.unknown)}"
        ) from None
    return {"blocked": outcome.blocked, "urgency": outcome.urgency, "advice": outcome.advice}
