"""Who may see whom and what: the one place that decides it.

Every view and endpoint fetches people, and the things of their record, through these
functions, so that a forgotten permission check is impossible rather than unlikely: one
scoped fetch per thing (`patient_for`, `alert_for`, `session_for`, …), each a 404 for
anything outside the caller's reach, recorded in the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import update_wrapper
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeAlias, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from supine.clinic.models import Alert, Clinician, ClinicQuerySet, Patient
from supine.clinic.services import audit

if TYPE_CHECKING:
    from supine.accounts.models import ClinicianInvitation, Invitation
    from supine.appointments.models import Appointment
    from supine.programs.models import Prescription
    from supine.sessions.models import ExerciseSession

# The account behind a request: `request.user`.
AnyUser: TypeAlias = User | AnonymousUser

_Row = TypeVar("_Row", bound=Model)
_Params = ParamSpec("_Params")
_Person = TypeVar("_Person", Patient, Clinician)

# A page for one role receives the request, then that person (`patient: Patient` or
# `clinician: Clinician`), then the URL's arguments.
PersonView: TypeAlias = Callable[Concatenate[HttpRequest, _Person, _Params], HttpResponseBase]
View: TypeAlias = Callable[Concatenate[HttpRequest, _Params], HttpResponseBase]


def patient_of(user: AnyUser) -> Patient | None:
    """The patient record of the signed-in person, if they are a patient."""
    if not user.is_authenticated:
        return None
    reverse = Patient._meta.get_field("user").remote_field
    if not reverse.is_cached(user):
        # One query for the patient and their clinic, kept where `user.patient` finds it.
        patient = Patient.objects.select_related("clinic").filter(user=user).first()
        reverse.set_cached_value(user, patient)
    found = reverse.get_cached_value(user)
    return found if isinstance(found, Patient) else None


def clinician_of(user: AnyUser) -> Clinician | None:
    if not user.is_authenticated:
        return None
    try:
        return user.clinician
    except Clinician.DoesNotExist:
        return None


def _uuid(wanted: uuid.UUID | str, kind: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(wanted))
    except ValueError:
        raise Http404(f"No such {kind}.") from None


def patient_for(user: AnyUser, patient_id: uuid.UUID | str) -> Patient:
    """A patient that `user` may see: themselves, or one of their clinic's patients.

    Anything else is a 404, so that a stranger cannot even learn that the
    patient exists.
    """
    wanted = _uuid(patient_id, "patient")
    own = patient_of(user)
    if own is not None:
        if own.id == wanted:
            return own
        raise _denied(user, "patient", wanted)
    clinician = clinician_of(user)
    if clinician is None:
        raise _denied(user, "patient", wanted)
    patient = Patient.objects.for_clinic(clinician.clinic_id).filter(id=wanted).first()
    if patient is None:
        raise _denied(user, "patient", wanted, _owner(Patient.objects.all(), wanted))
    return patient


def _scoped(
    person: Patient | Clinician, rows: ClinicQuerySet[_Row], kind: str, wanted: uuid.UUID | str
) -> _Row:
    """The row `wanted` among `rows` if `person` may touch it: a patient their own, a
    clinician their clinic's. Anything else is a 404, and recorded."""
    wanted_id = _uuid(wanted, kind)
    if isinstance(person, Patient):
        mine = rows.for_patient(person)
    else:
        mine = rows.for_clinic(person.clinic_id)
    found = mine.filter(pk=wanted_id).first()
    if found is None:
        # Whose it was, for the clinic's audit log; a patient's probe names no one.
        owner = _owner(rows, wanted_id) if isinstance(person, Clinician) else None
        raise _denied(person.user, kind, wanted_id, owner)
    return found


def _owner(rows: ClinicQuerySet[_Row], wanted: uuid.UUID) -> Patient | None:
    """The patient whose record holds the row, if it exists (for the audit log)."""
    if rows.patient_lookup is None:
        return None
    every = rows.model._default_manager.filter(pk=wanted)
    patient_id = every.values_list(rows.patient_lookup, flat=True).first()
    return Patient.objects.filter(pk=patient_id).first() if patient_id is not None else None


def alert_for(clinician: Clinician, alert_id: uuid.UUID | str) -> Alert:
    """An alert of the clinician's own clinic; any other is a 404, and recorded."""
    return _scoped(clinician, Alert.objects.select_related("patient"), "alert", alert_id)


def invitation_for(clinician: Clinician, invitation_id: uuid.UUID | str) -> Invitation:
    """A patient invitation of the clinician's own clinic; any other is a 404, and recorded."""
    from supine.accounts.models import Invitation

    rows = Invitation.objects.select_related("patient")
    return _scoped(clinician, rows, "invitation", invitation_id)


def colleague_for(clinician: Clinician, colleague_id: uuid.UUID | str) -> Clinician:
    """A clinician of the same clinic; any other is a 404, and recorded."""
    return _scoped(clinician, Clinician.objects.all(), "clinician", colleague_id)


def clinician_invitation_for(
    clinician: Clinician, invitation_id: uuid.UUID | str
) -> ClinicianInvitation:
    """A colleague's invitation to the clinician's own clinic; any other is a 404, and
    recorded."""
    from supine.accounts.models import ClinicianInvitation

    rows = ClinicianInvitation.objects.all()
    return _scoped(clinician, rows, "clinician invitation", invitation_id)


def appointment_for(clinician: Clinician, appointment_id: uuid.UUID | str) -> Appointment:
    """A visit of the clinician's own clinic; any other is a 404, and recorded."""
    from supine.appointments.models import Appointment

    rows = Appointment.objects.select_related("patient")
    return _scoped(clinician, rows, "appointment", appointment_id)


def session_for(person: Patient | Clinician, session_id: uuid.UUID | str) -> ExerciseSession:
    """An exercise session: a patient's own, or one of the clinician's clinic's patients'.
    Any other is a 404, and recorded."""
    from supine.sessions.models import ExerciseSession

    rows = ExerciseSession.objects.all()
    return _scoped(person, rows, "session", session_id)


def program_for(person: Patient | Clinician, program_id: uuid.UUID | str) -> Prescription:
    """A version of a program: a patient's own, or one of the clinician's clinic's
    patients'. Any other is a 404, and recorded."""
    from supine.programs.models import Prescription

    rows = Prescription.objects.select_related("patient")
    return _scoped(person, rows, "program", program_id)


def _denied(user: AnyUser, kind: str, wanted: uuid.UUID, patient: Patient | None = None) -> Http404:
    """Record a refused look at someone else's record (who, from where, at what), and
    return the 404 to raise: the caller learns nothing, the audit log everything."""
    if user.is_authenticated:
        why = "not theirs to see" if patient is not None else "does not exist"
        audit(actor=user, action="access.denied", patient=patient, detail=f"{kind} {wanted}: {why}")
    return Http404(f"No such {kind}.")


def patients_of_clinician(clinician: Clinician) -> ClinicQuerySet[Patient]:
    return Patient.objects.for_clinic(clinician.clinic_id)


def role_required(
    fetch: Callable[[AnyUser], _Person | None],
) -> Callable[[PersonView[_Person, _Params]], View[_Params]]:
    """A page for one role: the view gets that person; anyone else goes to their home."""

    def decorator(view: PersonView[_Person, _Params]) -> View[_Params]:
        def wrapper(
            request: HttpRequest, /, *args: _Params.args, **kwargs: _Params.kwargs
        ) -> HttpResponseBase:
            person = fetch(request.user)
            if person is None:
                return redirect("home")
            return view(request, person, *args, **kwargs)

        update_wrapper(wrapper, view)
        return login_required(wrapper)

    return decorator


def patient_required(view: PersonView[Patient, _Params]) -> View[_Params]:
    """A patient's page: `view(request, patient, ...)`; anyone else goes to their home."""
    return role_required(patient_of)(view)


def clinician_required(view: PersonView[Clinician, _Params]) -> View[_Params]:
    """A clinician's page: `view(request, clinician, ...)`; anyone else goes to their home."""
    return role_required(clinician_of)(view)


def admin_of(user: AnyUser) -> Clinician | None:
    clinician = clinician_of(user)
    return clinician if clinician is not None and clinician.is_admin else None


def admin_required(view: PersonView[Clinician, _Params]) -> View[_Params]:
    """A page for the clinic's admins: anyone else signed in is refused (403)."""

    def wrapper(
        request: HttpRequest, /, *args: _Params.args, **kwargs: _Params.kwargs
    ) -> HttpResponseBase:
        admin = admin_of(request.user)
        if admin is None:
            raise PermissionDenied("Only the clinic's admins change its settings.")
        return view(request, admin, *args, **kwargs)

    update_wrapper(wrapper, view)
    return login_required(wrapper)
