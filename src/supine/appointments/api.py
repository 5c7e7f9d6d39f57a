"""Visits for the clinic's apps, and every person's calendar feed URL."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from supine.api.schemas import Message, StrictInput
from supine.appointments.calendar import feed_url
from supine.appointments.models import Appointment, VisitKind
from supine.appointments.services import (
    VisitRefused,
    book_visit,
    cancel_visit,
    change_visit,
    rotate_feed,
    visits_from_today,
)
from supine.clinic.access import appointment_for, clinician_of, patient_for, patient_of
from supine.clinic.api import require_clinician
from supine.clinic.models import Clinician, Patient
from supine.clinic.services import audit_shown

clinic_router = Router(tags=["clinic"])
me_router = Router(tags=["calendar"])

KINDS = ", ".join(VisitKind.values)


class AppointmentIn(StrictInput):
    patient: uuid.UUID
    starts_at: datetime = Field(description="with its UTC offset")
    minutes: int = Field(default=30, ge=5, le=480)
    kind: str = Field(default=VisitKind.ACUPUNCTURE.value, description=f"one of {KINDS}")
    note: str = Field(default="", max_length=300, description="seen by the patient")


class AppointmentPatch(StrictInput):
    patient: uuid.UUID | None = None
    starts_at: datetime | None = None
    minutes: int | None = Field(default=None, ge=5, le=480)
    kind: str | None = None
    note: str | None = Field(default=None, max_length=300)


class AppointmentOut(Schema):
    id: uuid.UUID
    patient: uuid.UUID
    clinician: uuid.UUID | None
    starts_at: datetime
    minutes: int
    kind: str
    note: str
    cancelled_at: datetime | None


class CalendarOut(Schema):
    url: str


def _out(visit: Appointment) -> dict[str, Any]:
    return {
        "id": visit.id,
        "patient": visit.patient_id,
        "clinician": visit.clinician_id,
        "starts_at": visit.starts_at,
        "minutes": visit.minutes,
        "kind": visit.kind,
        "note": visit.note,
        "cancelled_at": visit.cancelled_at,
    }


@clinic_router.get(
    "/appointments",
    response={200: list[AppointmentOut], 403: Message, 404: Message},
    summary="Booked visits from today (optionally one patient's)",
)
def list_appointments(
    request: HttpRequest, patient: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    clinician = require_clinician(request)
    shown = patient_for(request.user, patient) if patient else None
    visits = visits_from_today(clinician, patient=shown)
    audit_shown(
        actor=request.user,
        action="visits.list",
        patients={v.patient_id: v.patient for v in visits}.values(),
    )
    return [_out(v) for v in visits]


@clinic_router.post(
    "/appointments",
    response={201: AppointmentOut, 403: Message, 404: Message, 422: Message},
    summary="Book a visit",
)
def post_appointment(request: HttpRequest, payload: AppointmentIn) -> Status[dict[str, Any]]:
    clinician = require_clinician(request)
    patient = patient_for(request.user, payload.patient)
    try:
        visit = book_visit(
            clinician=clinician,
            patient=patient,
            starts_at=payload.starts_at,
            minutes=payload.minutes,
            kind=payload.kind,
            note=payload.note,
        )
    except VisitRefused as error:
        raise HttpError(422, f"Invalid input — {error}") from None
    return Status(201, _out(visit))


@clinic_router.patch(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, 403: Message, 404: Message, 422: Message},
    summary="Move a visit or change it",
)
def patch_appointment(
    request: HttpRequest, appointment_id: uuid.UUID, payload: AppointmentPatch
) -> dict[str, Any]:
    clinician = require_clinician(request)
    visit = appointment_for(clinician, appointment_id)
    patient = patient_for(request.user, payload.patient) if payload.patient else None
    try:
        visit = change_visit(
            clinician=clinician,
            visit=visit,
            starts_at=payload.starts_at,
            minutes=payload.minutes,
            kind=payload.kind,
            note=payload.note,
            patient=patient,
        )
    except VisitRefused as error:
        raise HttpError(422, f"Invalid input — {error}") from None
    return _out(visit)


@clinic_router.delete(
    "/appointments/{appointment_id}",
    response={204: None, 403: Message, 404: Message},
    summary="Cancel a visit (it stays in calendars as cancelled)",
)
def delete_appointment(request: HttpRequest, appointment_id: uuid.UUID) -> Status[None]:
    clinician = require_clinician(request)
    cancel_visit(clinician=clinician, visit=appointment_for(clinician, appointment_id))
    return Status(204, None)


def _person(request: HttpRequest) -> Patient | Clinician:
    person = patient_of(request.user) or clinician_of(request.user)
    if person is None:
        raise HttpError(403, "Calendar feeds are for patients and clinicians.")
    return person


@me_router.get("/calendar", response={200: CalendarOut, 403: Message}, summary="My calendar URL")
def get_calendar(request: HttpRequest) -> dict[str, str]:
    return {"url": feed_url(_person(request))}


@me_router.post(
    "/calendar/rotate",
    response={200: CalendarOut, 403: Message},
    summary="A new calendar URL; the old one stops working",
)
def post_calendar_rotate(request: HttpRequest) -> dict[str, str]:
    person = _person(request)
    return {"url": feed_url(person, rotate_feed(person))}
