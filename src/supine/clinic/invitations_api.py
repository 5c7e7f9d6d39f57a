"""Enrolment through the API: invite a patient, list and withdraw pending invitations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from supine.accounts import rate_limit
from supine.accounts.invitations import Enrolment, enrol_patient, revoke_invitation
from supine.accounts.models import Invitation
from supine.api.schemas import Message, StrictInput
from supine.clinic.access import invitation_for
from supine.clinic.api import require_clinician
from supine.clinic.models import Condition
from supine.clinic.services import audit, audit_many

router = Router(tags=["clinic"])


class InvitationIn(StrictInput):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    year_of_birth: int = Field(ge=1900, le=2100)
    usual_pain: int = Field(ge=0, le=10, description="usual pain, 0–10")
    conditions: list[Condition] = Field(default_factory=list, max_length=len(Condition.values))


class PatientId(Schema):
    id: uuid.UUID


class InvitationOut(Schema):
    id: uuid.UUID
    code: str = Field(description="8 characters; shown once, only its hash is kept")
    url: str = Field(description="the one-time link; shown once")
    expires_at: datetime
    patient: PatientId


class PendingOut(Schema):
    id: uuid.UUID
    patient: PatientId
    name: str
    created_at: datetime
    expires_at: datetime


@router.post(
    "/invitations",
    response={201: InvitationOut, 403: Message, 422: Message, 429: Message},
    summary="Enrol a patient: their record and a single-use invitation (7 days)",
)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status[dict[str, Any]]:
    clinician = require_clinician(request)
    if payload.year_of_birth > timezone.localdate().year:
        raise HttpError(422, "Invalid input — year_of_birth: is in the future")
    if not rate_limit.allow("invitation"):
        raise HttpError(429, rate_limit.MESSAGE)
    patient, issued = enrol_patient(
        clinician=clinician,
        enrolment=Enrolment(
            name=payload.name,
            email=payload.email or "",
            year_of_birth=payload.year_of_birth,
            usual_pain=payload.usual_pain,
            conditions=tuple(str(c) for c in payload.conditions),
        ),
    )
    audit(actor=request.user, patient=patient, action="patient.enrol")
    url = request.build_absolute_uri(reverse("join-link", kwargs={"token": issued.token}))
    return Status(
        201,
        {
            "id": issued.invitation.id,
            "code": issued.code,
            "url": url,
            "expires_at": issued.invitation.expires_at,
            "patient": {"id": patient.id},
        },
    )


@router.get(
    "/invitations",
    response={200: list[PendingOut], 403: Message},
    summary="The clinic's pending invitations (not used, expired or withdrawn)",
)
def list_invitations(request: HttpRequest) -> list[dict[str, Any]]:
    clinician = require_clinician(request)
    pending = list(
        Invitation.objects.pending()
        .for_clinic(clinician.clinic_id)
        .select_related("patient")
        .order_by("expires_at")[:500]
    )
    audit_many(actor=request.user, action="invitations.list", patients=[i.patient for i in pending])
    return [
        {
            "id": i.id,
            "patient": {"id": i.patient_id},
            "name": i.patient.display_name,
            "created_at": i.created_at,
            "expires_at": i.expires_at,
        }
        for i in pending
    ]


@router.delete(
    "/invitations/{invitation_id}",
    response={204: None, 403: Message, 404: Message},
    summary="Withdraw an invitation: its code and link stop working",
)
def delete_invitation(request: HttpRequest, invitation_id: uuid.UUID) -> Status[None]:
    clinician = require_clinician(request)
    invitation = invitation_for(clinician, invitation_id)
    if revoke_invitation(invitation):
        audit(actor=request.user, patient=invitation.patient, action="invitation.revoke")
    return Status(204, None)
