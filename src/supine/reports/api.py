"""Exports: a patient's FHIR Bundle and the clinic's CSV (clinicians), and a patient's
own data (the patient)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Router

from supine.api.people import require_patient
from supine.api.schemas import Message
from supine.clinic.access import patient_for
from supine.clinic.api import require_clinician
from supine.clinic.services import audit
from supine.reports.csv_export import clinic_rows, csv_lines
from supine.reports.fhir import bundle_json
from supine.reports.my_data import my_data_zip

clinic_router = Router(tags=["clinic"])
me_router = Router(tags=["patient"])

FHIR_JSON = "application/fhir+json"


@clinic_router.get(
    "/patients/{patient_id}/fhir",
    response={200: None, 403: Message, 404: Message},
    summary="The patient's record as a FHIR R4 (4.3.0, R4B) Bundle",
    openapi_extra={"responses": {200: {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}}},
)
def patient_fhir(request: HttpRequest, patient_id: uuid.UUID):
    require_clinician(request)
    patient = patient_for(request.user, patient_id)
    audit(actor=request.user, patient=patient, action="patient.export_fhir")
    return HttpResponse(bundle_json(patient), content_type=f"{FHIR_JSON}; charset=utf-8")


@clinic_router.get(
    "/export.csv",
    response={200: None, 403: Message},
    summary="Every session, pain rating and questionnaire score of the clinic, one per row",
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def clinic_csv(request: HttpRequest):
    clinician = require_clinician(request)
    audit(actor=request.user, action="clinic.export_csv", detail="every patient of the clinic")
    response = StreamingHttpResponse(
        csv_lines(clinic_rows(clinician.clinic_id)), content_type="text/csv; charset=utf-8"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="supine-clinic-{day}.csv"'
    return response


@me_router.get(
    "/export",
    response={200: None, 403: Message},
    summary="Download my data: a zip of my records as JSON, CSV and a FHIR Bundle",
    openapi_extra={
        "responses": {200: {"content": {"application/zip": {"schema": {"type": "string"}}}}}
    },
)
def my_export(request: HttpRequest):
    patient = require_patient(request)
    response = HttpResponse(my_data_zip(patient), content_type="application/zip")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="supine-my-data-{day}.zip"'
    return response
