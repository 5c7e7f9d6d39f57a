from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from supine.api.people import require_patient
from supine.api.schemas import Message
from supine.programs.plan import timeline_dicts, total_ms
from supine.programs.services import todays_items, todays_timeline

router = Router(tags=["patient"])


class StepOut(Schema):
    kind: str
    exercise: str | None
    set: int | None
    rep: int | None
    side: str | None
    text: str
    cue: str
    duration_ms: int


class PlanOut(Schema):
    date: date
    steps: list[StepOut]
    total_ms: int


@router.get("/plan", response={200: PlanOut, 403: Message}, summary="Today's session timeline")
def my_plan(request: HttpRequest):
    patient = require_patient(request)
    steps = todays_timeline(todays_items(patient))
    return {
        "date": timezone.localdate(),
        "steps": timeline_dicts(steps),
        "total_ms": total_ms(steps),
    }
