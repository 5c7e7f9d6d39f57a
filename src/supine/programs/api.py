from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from supine.api.people import require_unblocked_patient
from supine.programs.services import todays_items, todays_plan

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


@router.get("/plan", response={200: PlanOut, 403: dict}, summary="Today's session timeline")
def my_plan(request: HttpRequest):
    return todays_plan(todays_items(require_unblocked_patient(request)))
