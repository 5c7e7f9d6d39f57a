"""Enrolling a patient: the form, the printable card with its code and QR code, the
clinic's pending invitations (resend, revoke), and a password reset link for a patient."""

from __future__ import annotations

import uuid

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supine.accounts import rate_limit
from supine.accounts.invitations import (
    Enrolment,
    IssuedInvitation,
    enrol_patient,
    format_code,
    is_pending_patient,
    issue_invitation,
    revoke_invitation,
)
from supine.accounts.models import Invitation
from supine.accounts.reset import reset_path
from supine.clinic.access import clinician_required, invitation_for, patient_for
from supine.clinic.forms import EnrolForm
from supine.clinic.models import Clinician
from supine.clinic.services import audit, audit_many


def join_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("join-link", kwargs={"token": token}))


def qr_svg(url: str) -> str:
    """The link as a QR code, inline SVG drawn here (nothing fetched from anywhere)."""
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=5, border=2, title="QR code: scan to join")


def _card(request: HttpRequest, issued: IssuedInvitation) -> HttpResponse:
    url = join_url(request, issued.token)
    context = {
        "invitation": issued.invitation,
        "patient": issued.invitation.patient,
        "clinic": issued.invitation.patient.clinic,
        "code": format_code(issued.code),
        "url": url,
        "join_url": request.build_absolute_uri(reverse("join")),
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 — segno's own SVG of our own link
    }
    return render(request, "clinic/invitation_card.html", context)


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    if rate_limit.allow("invitation"):
        return None
    return render(request, "accounts/rate_limited.html", status=429)


@require_http_methods(["GET", "POST"])
@clinician_required
def add_patient(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    form = EnrolForm(request.POST or None)
    if request.method == "POST":
        if (refused := _rate_limited(request)) is not None:
            return refused
        if form.is_valid():
            data = form.cleaned_data
            patient, issued = enrol_patient(
                clinician=clinician,
                enrolment=Enrolment(
                    name=data["name"],
                    email=data["email"],
                    year_of_birth=data["year_of_birth"],
                    usual_pain=data["usual_pain"],
                    conditions=tuple(data["conditions"]),
                ),
            )
            audit(actor=request.user, patient=patient, action="patient.enrol")
            return _card(request, issued)
    status = 422 if form.errors else 200
    return render(request, "clinic/add_patient.html", {"form": form}, status=status)


@require_GET
@clinician_required
def invitations(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    pending = list(
        Invitation.objects.pending()
        .for_clinic(clinician.clinic_id)
        .select_related("patient")
        .order_by("expires_at")[:500]
    )
    audit_many(actor=request.user, action="invitations.list", patients=[i.patient for i in pending])
    return render(request, "clinic/invitations.html", {"pending": pending})


@require_POST
@clinician_required
def resend(request: HttpRequest, clinician: Clinician, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = invitation_for(clinician, invitation_id)
    if not is_pending_patient(invitation.patient):
        messages.error(request, f"{invitation.patient.display_name} has already signed up.")
        return redirect("clinic-invitations")
    if (refused := _rate_limited(request)) is not None:
        return refused
    issued = issue_invitation(patient=invitation.patient, clinician=clinician)
    audit(actor=request.user, patient=invitation.patient, action="invitation.resend")
    return _card(request, issued)


@require_POST
@clinician_required
def revoke(request: HttpRequest, clinician: Clinician, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = invitation_for(clinician, invitation_id)
    if revoke_invitation(invitation):
        audit(actor=request.user, patient=invitation.patient, action="invitation.revoke")
        messages.success(
            request, f"The invitation for {invitation.patient.display_name} is withdrawn."
        )
    return redirect("clinic-invitations")


@require_POST
@clinician_required
def reset_link(request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    if is_pending_patient(patient) or not patient.user.is_active:
        messages.error(request, "This patient has no account to reset yet: resend the invitation.")
        return redirect("clinic-invitations")
    audit(actor=request.user, patient=patient, action="patient.reset_link")
    link = request.build_absolute_uri(reset_path(patient.user))
    return render(request, "clinic/reset_link.html", {"patient": patient, "link": link})
