from __future__ import annotations

import uuid
from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field, StrictInt

from supine.api.people import require_patient
from supine.api.schemas import Message, StrictInput
from supine.outcomes.models import PainMoment
from supine.outcomes.services import record_morning_checkin, record_pain

router = Router(tags=["patient"])


class PainIn(StrictInput):
    score: StrictInt = Field(ge=0, le=10, description="0 no pain … 10 worst imaginable (NPRS)")
    note: str | None = Field(default=None, max_length=1000)
    moment: PainMoment = PainMoment.DIARY


class PainOut(Schema):
    id: uuid.UUID
    score: int
    note: str
    moment: str
    recorded_at: datetime


@router.post("/pain", response={201: PainOut, 403: Message}, summary="Record a pain rating")
def post_pain(request: HttpRequest, payload: PainIn):
    patient = require_patient(request)
    if payload.moment == PainMoment.MORNING:
        # Once a day; a second rating the same morning returns the first.
        report = record_morning_checkin(patient=patient, score=payload.score)
    else:
        report = record_pain(
            patient=patient, score=payload.score, note=payload.note or "", moment=payload.moment
        )
    return Status(201, report)
