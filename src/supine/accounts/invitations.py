"""Invitations: how a patient (or a colleague) gets an account at a clinic.

A patient's invitation is a link and an 8-character code, either of which works once,
for 7 days. Only keyed hashes of them are stored, so the database alone cannot be used
to sign up; the raw values are shown once, on the card printed when it is made.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from supine.accounts.models import ClinicianInvitation, Invitation
from supine.clinic.models import Clinic, Clinician, Condition, Patient

INVITATION_DAYS = 7
CLINICIAN_INVITATION_DAYS = 7
# No 0/O and no 1/I, so that a code read off a card or over the phone is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# Placeholder usernames of patients enrolled but not yet signed up.
_PENDING_PREFIX = "invited-"


class InvitationGone(Exception):
    """The code or link cannot be used: mistyped, used, expired or withdrawn.

    One message for all of them: saying which would tell a guesser a code once existed.
    """

    message = (
        "This invitation can't be used: it has already been used, has expired or was "
        "withdrawn, or the code is mistyped. Ask your clinic for a new one."
    )


class SignupRefused(Exception):
    """The chosen username or password is refused; `errors` names the field and why."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    code: str
    token: str


@dataclass(frozen=True)
class Enrolment:
    name: str
    year_of_birth: int
    usual_pain: int
    email: str = ""
    conditions: tuple[str, ...] = ()


def _keyed_hash(kind: str, value: str) -> str:
    return salted_hmac(f"supine.invitation.{kind}", value, algorithm="sha256").hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as the code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """The code as printed: two groups of four, easier to read out."""
    return f"{code[:4]}-{code[4:]}"


def enrol_patient(
    *, clinician: Clinician, enrolment: Enrolment
) -> tuple[Patient, IssuedInvitation]:
    """The patient's record (their account waits, closed, for them) and its invitation."""
    unknown = set(enrolment.conditions) - set(Condition.values)
    if unknown:
        raise ValueError(f"Unknown conditions: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=f"{_PENDING_PREFIX}{uuid.uuid4().hex}",
            email=enrolment.email,
            is_active=False,
        )
        # An unusable password: nobody signs in until the patient chooses one.
        user.set_unusable_password()
        user.save(update_fields=["password"])
        patient = Patient.objects.create(
            user=user,
            clinic_id=clinician.clinic_id,
            display_name=enrolment.name,
            birth_year=enrolment.year_of_birth,
            usual_pain=enrolment.usual_pain,
            conditions=sorted(set(enrolment.conditions)),
        )
        return patient, issue_invitation(patient=patient, clinician=clinician)


def issue_invitation(*, patient: Patient, clinician: Clinician | None) -> IssuedInvitation:
    """A new invitation for `patient`; any earlier one still pending is withdrawn."""
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(patient=patient).pending(now).update(revoked_at=now)
        for _ in range(5):
            code, token = new_code(), secrets.token_urlsafe(32)
            try:
                with transaction.atomic():
                    invitation = Invitation.objects.create(
                        patient=patient,
                        created_by=clinician,
                        code_hash=_keyed_hash("code", code),
                        token_hash=_keyed_hash("token", token),
                        expires_at=now + timedelta(days=INVITATION_DAYS),
                    )
            except IntegrityError:  # a code drawn twice in 10^12: draw again
                continue
            return IssuedInvitation(invitation, code, token)
    raise RuntimeError("Could not draw an unused invitation code.")


def revoke_invitation(invitation: Invitation) -> bool:
    return bool(
        Invitation.objects.filter(pk=invitation.pk).pending().update(revoked_at=timezone.now())
    )


def invitation_by(*, code: str | None = None, token: str | None = None) -> Invitation:
    """The pending invitation behind a typed code or a link's token, or InvitationGone."""
    invitation = _lookup(code=code, token=token).pending().select_related("patient").first()
    if invitation is None:
        raise InvitationGone
    return invitation


def _lookup(*, code: str | None, token: str | None):
    if code is not None:
        normalised = normalise_code(code)
        if len(normalised) != CODE_LENGTH:
            return Invitation.objects.none()
        return Invitation.objects.filter(code_hash=_keyed_hash("code", normalised))
    if token and len(token) <= 100:
        return Invitation.objects.filter(token_hash=_keyed_hash("token", token))
    return Invitation.objects.none()


def sign_up(
    *, username: str, password: str, code: str | None = None, token: str | None = None
) -> Patient:
    """The patient chooses a username and password: their account opens, the invitation
    is spent. Of two sign-ups with one code at once, exactly one succeeds."""
    username = username.strip()
    with transaction.atomic():
        found = _lookup(code=code, token=token).first()
        now = timezone.now()
        # The claim is one conditional UPDATE: whoever's lands first spends the invitation.
        claimed = (
            found is not None
            and Invitation.objects.filter(pk=found.pk).pending(now).update(used_at=now) == 1
        )
        if not claimed:
            raise InvitationGone
        user = Patient.objects.select_related("user").get(pk=found.patient_id).user
        _check_new_account(user, username, password)
        user.username = username
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["username", "password", "is_active"])
        return Patient.objects.select_related("user", "clinic").get(pk=found.patient_id)


def _check_new_account(user: AbstractBaseUser, username: str, password: str) -> None:
    errors: dict[str, list[str]] = {}
    field = get_user_model()._meta.get_field("username")
    try:
        field.run_validators(username)
        if not username:
            raise ValidationError("Choose a username.")
        if username.startswith(_PENDING_PREFIX):
            raise ValidationError(f"A username may not start with “{_PENDING_PREFIX}”.")
    except ValidationError as error:
        errors["username"] = list(error.messages)
    else:
        if get_user_model().objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
            errors["username"] = ["That username is taken; choose another."]
    candidate = get_user_model()(username=username, email=getattr(user, "email", ""))
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise SignupRefused(errors)


def is_pending_patient(patient: Patient) -> bool:
    return not patient.user.is_active and patient.user.username.startswith(_PENDING_PREFIX)


# Colleagues ---------------------------------------------------------------------------


def invite_clinician(
    *, clinician: Clinician, name: str, email: str
) -> tuple[ClinicianInvitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = ClinicianInvitation.objects.create(
        clinic_id=clinician.clinic_id,
        display_name=name,
        email=email,
        token_hash=_keyed_hash("clinician", token),
        created_by=clinician,
        expires_at=timezone.now() + timedelta(days=CLINICIAN_INVITATION_DAYS),
    )
    return invitation, token


def revoke_clinician_invitation(invitation: ClinicianInvitation) -> bool:
    return bool(
        ClinicianInvitation.objects.filter(pk=invitation.pk)
        .pending()
        .update(revoked_at=timezone.now())
    )


def clinician_invitation_by(token: str) -> ClinicianInvitation:
    if not token or len(token) > 100:
        raise InvitationGone
    invitation = (
        ClinicianInvitation.objects.pending()
        .select_related("clinic")
        .filter(token_hash=_keyed_hash("clinician", token))
        .first()
    )
    if invitation is None:
        raise InvitationGone
    return invitation


def join_as_clinician(*, token: str, username: str, password: str) -> Clinician:
    username = username.strip()
    with transaction.atomic():
        invitation = clinician_invitation_by(token)
        now = timezone.now()
        if (
            not ClinicianInvitation.objects.filter(pk=invitation.pk)
            .pending(now)
            .update(used_at=now)
        ):
            raise InvitationGone
        user = get_user_model()(username=username, email=invitation.email)
        _check_new_account(user, username, password)
        user.set_password(password)
        user.save()
        clinician = Clinician.objects.create(
            user=user,
            clinic=invitation.clinic,
            display_name=invitation.display_name,
            email=invitation.email,
        )
        ClinicianInvitation.objects.filter(pk=invitation.pk).update(clinician=clinician)
        return clinician


def create_clinic(*, name: str, admin_email: str, admin_name: str = "") -> Clinician:
    """A new clinic and its first admin, whose account waits for a password."""
    with transaction.atomic():
        if get_user_model().objects.filter(username__iexact=admin_email).exists():
            raise ValueError(f"An account named {admin_email} already exists.")
        clinic = Clinic(name=name)
        clinic.full_clean()
        clinic.save()
        user = get_user_model().objects.create_user(username=admin_email, email=admin_email)
        return Clinician.objects.create(
            user=user,
            clinic=clinic,
            display_name=admin_name or admin_email,
            email=admin_email,
            is_admin=True,
        )
