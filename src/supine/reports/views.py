"""The printable documents: the handout (clinician and patient) and the progress report."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from supine.clinic.access import clinician_required, patient_for, patient_required
from supine.clinic.models import Clinician, Patient
from supine.clinic.services import audit
from supine.reports.handout import handout_pdf
from supine.reports.pdf import PAPERS
from supine.reports.progress_report import report_pdf


def _paper(request: HttpRequest) -> str | HttpResponse | None:
    asked = request.GET.get("paper")
    if asked is None or asked == "":
        return None
    if asked not in PAPERS:
        return HttpResponse(
            "Unknown paper size: use ?paper=a4 or ?paper=letter.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return asked


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # A file name that says what it is, never whose it is.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _clinic_pdf(
    request: HttpRequest,
    patient_id: uuid.UUID,
    kind: str,
    make: Callable[..., bytes],
    filename: str,
) -> HttpResponse:
    """A PDF about one of the clinic's patients, its making recorded in the audit log."""
    patient = patient_for(request.user, patient_id)
    paper = _paper(request)
    if isinstance(paper, HttpResponse):
        return paper
    audit(actor=request.user, patient=patient, action=f"patient.{kind}")
    return _pdf(make(patient, paper=paper), filename)


@require_GET
@clinician_required
def clinic_handout(
    request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID
) -> HttpResponse:
    return _clinic_pdf(request, patient_id, "handout", handout_pdf, "supine-handout.pdf")


@require_GET
@patient_required
def my_handout(request: HttpRequest, patient: Patient) -> HttpResponse:
    paper = _paper(request)
    if isinstance(paper, HttpResponse):
        return paper
    return _pdf(handout_pdf(patient, paper=paper), "supine-handout.pdf")


@require_GET
@clinician_required
def clinic_report(
    request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID
) -> HttpResponse:
    return _clinic_pdf(request, patient_id, "report", report_pdf, "supine-progress-report.pdf")
