from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field, StrictBool

from supine.api.people import require_patient
from supine.api.schemas import StrictInput
from supine.safety.regions import words_for
from supine.safety.screening import (
    QUESTIONS,
    Form,
    MissingAnswers,
    UnknownQuestions,
    questions_for,
)
from supine.safety.services import (
    InvalidDetails,
    patient_history,
    screening_contacts,
    submit_screening,
)
from supine.vocabulary import Urgency

router = Router(tags=["safety"])


class QuestionOut(Schema):
    id: str
    text: str
    group: str
    part: Literal["history", "symptoms"]
    level: Literal["emergency", "urgent", "review", "note"]
    flag_on: bool = Field(description="the answer that flags it (false: 'Can you…?' questions)")
    detail: str = Field(description="what a flagging answer also asks for, in details")


class ScreeningIn(StrictInput):
    form: Literal["full", "symptoms", "short", "emergency"] = Field(
        default="full",
        description="full: health history and symptoms (sign-up); symptoms: all of Part B; "
        "short: the emergency and urgent items; emergency: the emergency items",
    )
    clinician_advised: StrictBool | None = Field(
        default=None,
        description="the patient confirms a doctor or physiotherapist advised these exercises "
        "(required with the full form)",
    )
    answers: dict[str, StrictBool] = Field(description="every question id → yes (true) / no")
    confirmations: dict[str, Literal["new", "checked", "unchecked"]] = Field(
        default_factory=dict,
        description="for an emergency or urgent yes: new (or not sure; assumed), checked (a "
        "doctor has checked it) or unchecked (old but never checked)",
    )
    details: dict[str, str] = Field(
        default_factory=dict,
        description="what a yes needs (a procedure's date, the hip's side and date, a due "
        "date), and 'born': the month and year of birth as YYYY-MM",
    )


class ContactOut(Schema):
    label: str
    tel: str


class ScreeningOut(Schema):
    blocked: bool
    urgency: Urgency
    advice: str
    contacts: list[ContactOut]
    emergency_number: str


@router.get(
    "/screening/questions", response=list[QuestionOut], summary="The safety screen's questions"
)
def screening_questions(request: HttpRequest, form: str = "full"):
    patient = require_patient(request)
    try:
        chosen = Form(form)
    except ValueError:
        raise HttpError(
            422, "Invalid input — form: one of full, symptoms, short, emergency"
        ) from None
    words = words_for(patient.clinic.region)
    history = patient_history(patient)
    # A full form lists every question it may ask: which apply depends on its answers.
    asked = QUESTIONS if chosen is Form.FULL else questions_for(chosen, history)
    return [
        {
            "id": q.id,
            "text": q.worded(words),
            "group": q.group,
            "part": q.part,
            "level": q.level_for(history),
            "flag_on": q.flag_on,
            "detail": q.detail,
        }
        for q in asked
    ]


@router.post(
    "/screening",
    response={200: ScreeningOut, 403: dict, 422: dict},
    summary="Answer the safety screen",
)
def post_screening(request: HttpRequest, payload: ScreeningIn):
    patient = require_patient(request)
    form = Form(payload.form)
    if form is Form.FULL and payload.clinician_advised is None:
        raise HttpError(422, "Invalid input — clinician_advised: required with the full form")
    try:
        outcome = submit_screening(
            patient=patient,
            form=form,
            clinician_advised=payload.clinician_advised,
            answers=payload.answers,
            confirmations=payload.confirmations,
            details=payload.details,
        )
    except MissingAnswers as error:
        raise HttpError(
            422, f"Invalid input — answers: please answer {', '.join(error.missing)}"
        ) from None
    except UnknownQuestions as error:
        raise HttpError(
            422, f"Invalid input — answers: unknown questions {', '.join(error.unknown)}"
        ) from None
    except InvalidDetails as error:
        raise HttpError(422, f"Invalid input — {error}") from None
    return {
        "blocked": outcome.blocked,
        "urgency": outcome.urgency,
        "advice": outcome.advice,
        "contacts": [c.as_dict() for c in screening_contacts(patient, outcome.urgency)],
        "emergency_number": words_for(patient.clinic.region).emergency_number,
    }
