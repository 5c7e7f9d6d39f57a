from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from supine.api.schemas import Message, StrictInput
from supine.clinic.access import alert_for, clinician_of, patient_for
from supine.clinic.models import Alert, Clinician
from supine.clinic.services import acknowledge_alert, audit_many
from supine.safety.services import ClearanceRefused, clear_patient
from supine.vocabulary import AlertSeverity

router = Router(tags=["clinic"])


def require_clinician(request: HttpRequest) -> Clinician:
    clinician = clinician_of(request.user)
    if clinician is None:
        raise HttpError(403, "This is for clinicians: sign in with a clinician account.")
    return clinician


class PatientRef(Schema):
    id: uuid.UUID
    name: str


class AlertOut(Schema):
    id: uuid.UUID
    patient: PatientRef
    severity: AlertSeverity
    reason: str
    created_at: datetime
    acknowledged_at: datetime | None


class ClearanceIn(StrictInput):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=2000)
    assessed_by: (
        Literal["own_doctor", "emergency_department", "specialist", "this_clinician"] | None
    ) = Field(default=None, description="who assessed the patient (needed for an urgent hold)")
    assessed_on: date | None = Field(default=None, description="when they were assessed")


class ClearanceOut(Schema):
    id: uuid.UUID
    patient: PatientRef
    clinician: str
    reason: str
    assessed_by: str | None
    assessed_on: date | None
    rulebook_version: str
    created_at: datetime
    blocks_cleared: int


def alert_dict(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "patient": {"id": alert.patient.id, "name": alert.patient.display_name},
        "severity": alert.severity,
        "reason": alert.reason,
        "created_at": alert.created_at,
        "acknowledged_at": alert.acknowledged_at,
    }


@router.get("/alerts", response={200: list[AlertOut], 403: Message}, summary="Open alerts")
def list_alerts(request: HttpRequest) -> list[dict[str, Any]]:
    clinician = require_clinician(request)
    alerts = list(
        Alert.objects.open()
        .for_clinic(clinician.clinic_id)
        .select_related("patient")
        .order_by("-created_at")[:500]
    )
    audit_many(actor=request.user, action="alerts.list", patients={a.patient for a in alerts})
    return [alert_dict(alert) for alert in alerts]


@router.post(
    "/alerts/{alert_id}/ack",
    response={200: AlertOut, 403: Message, 404: Message},
    summary="Acknowledge an alert",
)
def ack_alert(request: HttpRequest, alert_id: uuid.UUID) -> dict[str, Any]:
    clinician = require_clinician(request)
    alert = alert_for(clinician, alert_id)
    return alert_dict(acknowledge_alert(clinician=clinician, alert=alert))


@router.post(
    "/patients/{patient_id}/clearance",
    response={201: ClearanceOut, 403: Message, 404: Message, 422: Message},
    summary="Clear a patient to exercise (lifts every open safety hold)",
)
def post_clearance(
    request: HttpRequest, patient_id: uuid.UUID, payload: ClearanceIn
) -> Status[dict[str, Any]]:
    clinician = require_clinician(request)
    patient = patient_for(request.user, patient_id)
    try:
        clearance = clear_patient(
            clinician=clinician,
            patient=patient,
            reason=payload.reason,
            assessed_by=payload.assessed_by or "",
            assessed_on=payload.assessed_on,
        )
    except PermissionError as error:
        raise HttpError(403, str(error)) from None
    except ClearanceRefused as error:
        raise HttpError(422, f"Invalid input — {error}") from None
    return Status(
        201,
        {
            "id": clearance.id,
            "patient": {"id": patient.id, "name": patient.display_name},
            "clinician": clinician.display_name,
            "reason": clearance.reason,
            "assessed_by": clearance.assessed_by or None,
            "assessed_on": clearance.assessed_on,
            "rulebook_version": clearance.rulebook_version,
            "created_at": clearance.created_at,
            "blocks_cleared": clearance.blocks.count(),
        },
    )
