"""`GET /api/v1/clinic/patients`: the dashboard's patient list, for apps."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from supine.api.schemas import Message
from supine.clinic.api import require_clinician
from supine.clinic.dashboard import SORTS, patient_page
from supine.clinic.services import audit_shown

router = Router(tags=["clinic"])


class PatientLineOut(Schema):
    id: uuid.UUID
    name: str
    standing: str
    last_session_on: date | None
    adherence_14d: float | None = Field(description="share of the last 14 days with a session")
    next_visit: datetime | None


class PatientListOut(Schema):
    items: list[PatientLineOut]
    count: int
    page: int


@router.get(
    "/patients",
    response={200: PatientListOut, 403: Message},
    summary="The clinic's patients, 50 a page, searchable by name",
)
def list_patients(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    page: int = Query(1, ge=1, le=100000),
    sort: str = Query("name", description=f"one of {', '.join(SORTS)}"),
):
    clinician = require_clinician(request)
    result = patient_page(clinician, q=q, page=page, sort=sort)
    audit_shown(
        actor=request.user,
        action="patients.list",
        patients=[line.patient for line in result.lines],
        detail=f"page {result.page}",
    )
    return {
        "items": [
            {
                "id": line.patient.id,
                "name": line.patient.display_name,
                "standing": line.standing,
                "last_session_on": line.last_session_on,
                "adherence_14d": line.adherence_14d,
                "next_visit": line.next_visit,
            }
            for line in result.lines
        ],
        "count": result.count,
        "page": result.page,
    }
