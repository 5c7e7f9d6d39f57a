"""The program builder's API: read a patient's program and save a change as a new version.

GET gives the version (also as the ETag); PUT the same shape saves it, and refuses with
409 when `If-Match` names a version that is no longer the latest.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any, Literal, overload

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from supine.api.schemas import Message, StrictInput
from supine.clinic.access import patient_for
from supine.clinic.api import require_clinician
from supine.clinic.models import Patient
from supine.clinic.services import audit
from supine.programs.builder import ExerciseChoice, ProgramChoice, Range
from supine.programs.models import Prescription
from supine.programs.versions import (
    ProgramRefused,
    VersionConflict,
    choice_of,
    conflicts_for,
    current_program,
    save_program,
)

router = Router(tags=["clinic"])


class ProgramRangeIn(StrictInput):
    min: int = Field(ge=1, le=999)
    max: int = Field(ge=1, le=999)


class ProgramExerciseIn(StrictInput):
    slug: str = Field(min_length=1, max_length=80)
    reps: ProgramRangeIn
    hold_seconds: ProgramRangeIn | None
    sets: ProgramRangeIn
    note: str = Field(default="", max_length=300)
    assessment_done: bool = Field(
        default=False,
        description="for an assessment-only exercise: the clinician assessed the patient",
    )


class ProgramIn(StrictInput):
    exercises: list[ProgramExerciseIn] = Field(max_length=30)
    sessions_per_day: int = Field(ge=1, le=3)
    days_per_week: int = Field(ge=1, le=7)
    starts_on: date | None
    status: Literal["active", "paused", "ended"]
    note: str = Field(default="", max_length=2000, description="a note to the patient")


class ProgramRangeOut(Schema):
    min: int
    max: int


class ProgramExerciseOut(Schema):
    slug: str
    name: str
    reps: ProgramRangeOut
    hold_seconds: ProgramRangeOut | None
    sets: ProgramRangeOut
    note: str
    assessment_done: bool


class ProgramPrecautionOut(Schema):
    slug: str
    condition: str
    advice: str


class ProgramOut(Schema):
    version: int = Field(description="0 before the first program; send it back as If-Match")
    exercises: list[ProgramExerciseOut]
    sessions_per_day: int
    days_per_week: int
    starts_on: date | None
    status: Literal["active", "paused", "ended"]
    note: str
    changed_at: datetime | None
    changed_by: str | None
    change_summary: str
    pain_ceiling: int | None = Field(description="the pain ceiling confirmed with this version")
    precautions: list[ProgramPrecautionOut] = Field(
        description="the exercises' precautions that name one of the patient's conditions"
    )


class Invalid(Schema):
    detail: str
    errors: list[dict[str, str]]


def _program_dict(patient: Patient, prescription: Prescription | None) -> dict[str, Any]:
    choice = ProgramChoice(exercises=()) if prescription is None else choice_of(prescription)
    names = {}
    if prescription is not None:
        names = {item.exercise.slug: item.exercise.name for item in prescription.items.all()}

    def range_dict(value: Range | None) -> dict[str, int] | None:
        return None if value is None else {"min": value.min, "max": value.max}

    return {
        "version": prescription.version if prescription else 0,
        "exercises": [
            {
                "slug": e.slug,
                "name": names.get(e.slug, e.slug),
                "reps": range_dict(e.reps),
                "hold_seconds": range_dict(e.hold_seconds),
                "sets": range_dict(e.sets),
                "note": e.note,
                "assessment_done": e.assessment_done,
            }
            for e in choice.exercises
        ],
        "sessions_per_day": choice.sessions_per_day,
        "days_per_week": choice.days_per_week,
        "starts_on": choice.starts_on,
        "status": choice.status,
        "note": choice.note,
        "changed_at": prescription.created_at if prescription else None,
        "changed_by": (
            prescription.prescribed_by.display_name
            if prescription and prescription.prescribed_by
            else None
        ),
        "change_summary": prescription.change_summary if prescription else "",
        "pain_ceiling": prescription.pain_ceiling if prescription else None,
        "precautions": [
            {"slug": c.slug, "condition": c.condition, "advice": c.advice}
            for c in conflicts_for(patient, choice)
        ],
    }


@overload
def _range(value: ProgramRangeIn) -> Range: ...
@overload
def _range(value: ProgramRangeIn | None) -> Range | None: ...
def _range(value: ProgramRangeIn | None) -> Range | None:
    return None if value is None else Range(value.min, value.max)


def _with_etag(response: HttpResponse, body: dict[str, Any]) -> dict[str, Any]:
    response["ETag"] = f'"{body["version"]}"'
    return body


_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def _if_match(request: HttpRequest) -> int | None:
    """The version the caller last saw, from If-Match; None when they sent none (or *)."""
    value = request.headers.get("If-Match", "").strip()
    if not value or value == "*":
        return None
    match = _ETAG.match(value)
    if match is None:
        raise HttpError(400, 'If-Match: send the ETag (version) the GET gave, e.g. "3".')
    return int(match.group(1))


@router.get(
    "/patients/{patient_id}/program",
    response={200: ProgramOut, 403: Message, 404: Message},
    summary="A patient's current program, with its version (also as the ETag)",
)
def get_program(
    request: HttpRequest, response: HttpResponse, patient_id: uuid.UUID
) -> dict[str, Any]:
    require_clinician(request)
    patient = patient_for(request.user, patient_id)
    audit(actor=request.user, patient=patient, action="program.view")
    return _with_etag(response, _program_dict(patient, current_program(patient)))


@router.put(
    "/patients/{patient_id}/program",
    response={
        200: ProgramOut,
        400: Message,
        403: Message,
        404: Message,
        409: Message,
        422: Invalid,
    },
    summary="Save a change to a patient's program as a new version",
)
def put_program(
    request: HttpRequest, response: HttpResponse, patient_id: uuid.UUID, payload: ProgramIn
) -> dict[str, Any] | Status[dict[str, Any]]:
    clinician = require_clinician(request)
    patient = patient_for(request.user, patient_id)
    expected = _if_match(request)
    choice = ProgramChoice(
        exercises=tuple(
            ExerciseChoice(
                slug=e.slug,
                reps=_range(e.reps),
                hold_seconds=_range(e.hold_seconds),
                sets=_range(e.sets),
                note=e.note.strip(),
                assessment_done=e.assessment_done,
            )
            for e in payload.exercises
        ),
        sessions_per_day=payload.sessions_per_day,
        days_per_week=payload.days_per_week,
        starts_on=payload.starts_on,
        status=payload.status,
        note=payload.note.strip(),
    )
    try:
        saved = save_program(
            patient=patient, clinician=clinician, choice=choice, expected_version=expected
        )
    except VersionConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    except ProgramRefused as refused:
        errors = [{"field": p.field, "message": p.message} for p in refused.problems]
        return Status(422, {"detail": f"Invalid input — {refused}", "errors": errors})
    prescription = current_program(patient) if saved.changed else saved.prescription
    return _with_etag(response, _program_dict(patient, prescription))
