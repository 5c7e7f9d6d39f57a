from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, StrictInt

from supine.api.people import require_patient
from supine.api.schemas import Message, StrictInput
from supine.outcomes.models import PainMoment
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
