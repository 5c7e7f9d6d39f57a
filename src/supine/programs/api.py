from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from supine.api.people import require_unblocked_patient
from supine.programs.dosing import active_items
from supine.programs.services import program_notice, todays_items, todays_plan
from supine.safety.services import plan_safety

router = Router(tags=["patient"])


class StepOut(Schema):
    kind: str
    exercise: str | None
    set: int | None
    rep: int | None
    side: str | None
    text: str
    cue: str
    duration_ms: int = Field(description="for a self-paced step, the time it is expected to take")
    self_paced: bool = Field(
        default=False,
        description="waits for the patient's tap (a change of position or side): no countdown",
    )


class LimitsOut(Schema):
    ceiling: int = Field(description="a session rating above this ends the session")
    rise: int = Field(description="a rise of this much over the pre-session rating ends it")
    flare_at: int = Field(description="a rating of this or more makes a flare day")
    usual: int | None = Field(description="the patient's usual pain the ceiling comes from")


class PlanOut(Schema):
    date: date
    steps: list[StepOut]
    total_ms: int
    # What the device needs to apply the stop rules at once, offline too (clinical-rules.md §2).
    limits: LimitsOut | None = None
    advice: dict[str, str] | None = None
    emergency_number: str | None = None
    clinic_phone: str | None = None
    # Why there is no session today (program paused, ended or not started); else null.
    program_notice: str | None = None


def plan_response(plan: dict) -> HttpResponse:
    """The plan as JSON, written out as built. todays_plan builds it to PlanOut's shape
    (tests/api/test_plan.py holds every field to the schema), so it is not validated a
    second time on the way out: for a 67-step plan that took about a sixth of the request.
    """
    return JsonResponse(plan, encoder=NinjaJSONEncoder)


@router.get("/plan", response={200: PlanOut, 403: dict}, summary="Today's session timeline")
def my_plan(request: HttpRequest):
    patient = require_unblocked_patient(request)
    program = active_items(patient)  # read once: today's doses and the confirmed ceiling
    items = todays_items(patient, program)
    prescription = program[0].prescription if program else None
    plan = todays_plan(items, safety=plan_safety(patient, program=prescription))
    plan["program_notice"] = None if items else program_notice(patient) or None
    return plan_response(plan)
