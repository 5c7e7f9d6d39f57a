"""The clinic's settings, for its admins: the clinic itself, who does what, and
inviting colleagues. Every change is recorded in the audit log."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from supine.accounts.invitations import invite_clinician, revoke_clinician_invitation
from supine.accounts.models import ClinicianInvitation
from supine.clinic.access import admin_required, clinician_invitation_for, colleague_for
from supine.clinic.forms import ClinicianRolesForm, ClinicSettingsForm, InviteClinicianForm
from supine.clinic.models import Clinician
from supine.clinic.services import audit


def _page(
    request: HttpRequest,
    admin: Clinician,
    *,
    clinic_form: ClinicSettingsForm | None = None,
    invite_form: InviteClinicianForm | None = None,
    roles_form: ClinicianRolesForm | None = None,
    invite_link: tuple[ClinicianInvitation, str] | None = None,
) -> HttpResponse:
    """The settings page; a form that was refused is shown again with its errors (422)."""
    colleagues = Clinician.objects.for_clinic(admin.clinic_id).order_by("display_name")
    refused = roles_form.instance.id if roles_form is not None else None
    rows = [
        (c, roles_form if c.id == refused else ClinicianRolesForm(instance=c, prefix=str(c.id)))
        for c in colleagues
    ]
    context = {
        "clinic": admin.clinic,
        "clinic_form": clinic_form or ClinicSettingsForm(instance=admin.clinic),
        "invite_form": invite_form or InviteClinicianForm(),
        "rows": rows,
        "pending": ClinicianInvitation.objects.for_clinic(admin.clinic_id).pending(),
        "invite_link": invite_link,
    }
    failed = any(f is not None and f.errors for f in (clinic_form, invite_form, roles_form))
    return render(request, "clinic/settings.html", context, status=422 if failed else 200)


@require_GET
@admin_required
def clinic_settings(request: HttpRequest, admin: Clinician) -> HttpResponse:
    return _page(request, admin)


@require_POST
@admin_required
def save_clinic(request: HttpRequest, admin: Clinician) -> HttpResponse:
    form = ClinicSettingsForm(request.POST, instance=admin.clinic)
    if not form.is_valid():
        return _page(request, admin, clinic_form=form)
    if form.has_changed():
        with transaction.atomic():
            form.save()
            audit(
                actor=request.user,
                action="clinic.settings",
                detail="changed " + ", ".join(form.changed_data),
            )
        messages.success(request, "The clinic's settings are saved.")
    return redirect("clinic-settings")


@require_POST
@admin_required
def save_roles(request: HttpRequest, admin: Clinician, clinician_id: uuid.UUID) -> HttpResponse:
    colleague = colleague_for(admin, clinician_id)
    form = ClinicianRolesForm(request.POST, instance=colleague, prefix=str(colleague.id))
    if not form.is_valid():
        return _page(request, admin, roles_form=form)
    with transaction.atomic():
        others_admin = (
            Clinician.objects.select_for_update()
            .for_clinic(admin.clinic_id)
            .filter(is_admin=True)
            .exclude(pk=colleague.pk)
            .exists()
        )
        if not form.cleaned_data["is_admin"] and not others_admin:
            messages.error(request, "A clinic keeps at least one admin: make another first.")
            return redirect("clinic-settings")
        if form.has_changed():
            form.save()
            audit(
                actor=request.user,
                action="clinician.roles",
                detail=f"clinician {colleague.id}: changed " + ", ".join(form.changed_data),
            )
            messages.success(request, f"{colleague.display_name}'s roles are saved.")
    return redirect("clinic-settings")


@require_POST
@admin_required
def invite(request: HttpRequest, admin: Clinician) -> HttpResponse:
    form = InviteClinicianForm(request.POST)
    if not form.is_valid():
        return _page(request, admin, invite_form=form)
    invitation, token = invite_clinician(
        clinician=admin, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
    )
    audit(actor=request.user, action="clinician.invite", detail=f"invitation {invitation.id}")
    link = request.build_absolute_uri(f"/join/clinician/{token}/")
    return _page(request, admin, invite_link=(invitation, link))


@require_POST
@admin_required
def revoke_colleague_invitation(
    request: HttpRequest, admin: Clinician, invitation_id: uuid.UUID
) -> HttpResponse:
    invitation = clinician_invitation_for(admin, invitation_id)
    if revoke_clinician_invitation(invitation):
        audit(actor=request.user, action="clinician.invite_revoke", detail=f"{invitation.id}")
        messages.success(request, "The invitation is withdrawn; its link no longer works.")
    return redirect("clinic-settings")
