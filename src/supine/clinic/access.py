"""Who may see whom: the one place that decides it.

Every view and endpoint fetches people through these functions, so that a
forgotten permission check is impossible rather than unlikely.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from supine.clinic.models import Alert, Clinician, Patient
from supine.clinic.services import audit

AnyUser = AbstractBaseUser | AnonymousUser


def patient_of(user: AnyUser) -> Patient | None:
    """The patient record of the signed-in person, if they are a patient."""
    if not user.is_authenticated:
        return None
    reverse = Patient._meta.get_field("user").remote_field
    if not reverse.is_cached(user):
        # One query for the patient and their clinic, kept where `user.patient` finds it.
        patient = Patient.objects.select_related("clinic").filter(user=user).first()
        reverse.set_cached_value(user, patient)
    return reverse.get_cached_value(user)


def clinician_of(user: AnyUser) -> Clinician | None:
    if not user.is_authenticated:
        return None
    try:
        return user.clinician  # type: ignore[union-attr]
    except Clinician.DoesNotExist:
        return None


def patient_for(user: AnyUser, patient_id: uuid.UUID | str) -> Patient:
    """A patient that `user` may see: themselves, or one of their clinic's patients.

    Anything else is a 404, so that a stranger cannot even learn that the
    patient exists.
    """
    try:
        wanted = uuid.UUID(str(patient_id))
    except ValueError:
        raise Http404("No such patient.") from None
    own = patient_of(user)
    if own is not None:
        if own.id == wanted:
            return own
        raise _denied(user, "patient", wanted)
    clinician = clinician_of(user)
    if clinician is None:
        raise _denied(user, "patient", wanted)
    patient = Patient.objects.filter(id=wanted).first()
    if patient is None or patient.clinic_id != clinician.clinic_id:
        raise _denied(user, "patient", wanted, patient)
    return patient


def alert_for(clinician: Clinician, alert_id: uuid.UUID) -> Alert:
    """An alert of the clinician's own clinic; any other is a 404, and recorded."""
    alert = Alert.objects.select_related("patient").filter(id=alert_id).first()
    if alert is None or alert.patient.clinic_id != clinician.clinic_id:
        raise _denied(clinician.user, "alert", alert_id, alert.patient if alert else None)
    return alert


def invitation_for(clinician: Clinician, invitation_id: uuid.UUID):
    """A patient invitation of the clinician's own clinic; any other is a 404, and recorded."""
    from supine.accounts.models import Invitation

    invitation = Invitation.objects.select_related("patient").filter(id=invitation_id).first()
    if invitation is None or invitation.patient.clinic_id != clinician.clinic_id:
        patient = invitation.patient if invitation else None
        raise _denied(clinician.user, "invitation", invitation_id, patient)
    return invitation


def colleague_for(clinician: Clinician, colleague_id: uuid.UUID) -> Clinician:
    """A clinician of the same clinic; any other is a 404, and recorded."""
    colleague = Clinician.objects.filter(id=colleague_id, clinic_id=clinician.clinic_id).first()
    if colleague is None:
        raise _denied(clinician.user, "clinician", colleague_id)
    return colleague


def clinician_invitation_for(clinician: Clinician, invitation_id: uuid.UUID):
    from supine.accounts.models import ClinicianInvitation

    invitation = ClinicianInvitation.objects.filter(
        id=invitation_id, clinic_id=clinician.clinic_id
    ).first()
    if invitation is None:
        raise _denied(clinician.user, "clinician invitation", invitation_id)
    return invitation


def appointment_for(clinician: Clinician, appointment_id: uuid.UUID | str):
    """A visit of the clinician's own clinic; any other is a 404, and recorded."""
    from supine.appointments.models import Appointment

    try:
        wanted = uuid.UUID(str(appointment_id))
    except ValueError:
        raise Http404("No such appointment.") from None
    visit = Appointment.objects.select_related("patient").filter(id=wanted).first()
    if visit is None or visit.patient.clinic_id != clinician.clinic_id:
        raise _denied(clinician.user, "appointment", wanted, visit.patient if visit else None)
    return visit


def _denied(user: AnyUser, kind: str, wanted: uuid.UUID, patient: Patient | None = None):
    """Record a refused look at someone else's record (who, from where, at what), and
    return the 404 to raise: the caller learns nothing, the audit log everything."""
    if user.is_authenticated:
        why = "not theirs to see" if patient is not None else "does not exist"
        audit(actor=user, action="access.denied", patient=patient, detail=f"{kind} {wanted}: {why}")
    return Http404(f"No such {kind}.")


def patients_of_clinician(clinician: Clinician):
    return Patient.objects.filter(clinic_id=clinician.clinic_id)


def role_required(fetch: Callable[[AnyUser], Any]):
    """A page for one role: the view gets that person; anyone else goes to their home."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            person = fetch(request.user)
            if person is None:
                return redirect("home")
            return view(request, person, *args, **kwargs)

        return wrapper

    return decorator


patient_required = role_required(patient_of)
clinician_required = role_required(clinician_of)


def admin_of(user: AnyUser) -> Clinician | None:
    clinician = clinician_of(user)
    return clinician if clinician is not None and clinician.is_admin else None


def admin_required(view):
    """A page for the clinic's admins: anyone else signed in is refused (403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        admin = admin_of(request.user)
        if admin is None:
            raise PermissionDenied("Only the clinic's admins change its settings.")
        return view(request, admin, *args, **kwargs)

    return wrapper
