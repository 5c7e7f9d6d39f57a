"""'Delete my account': the patient asks, their clinic confirms, the records are kept.

A clinic must keep a patient's health records for a time its law sets, so a deleted
account is, in order:

1. asked for by the patient (`request_deletion`): the clinic gets a note on its
   dashboard, and the request is in the audit log;
2. confirmed by a clinician of the clinic (`confirm_deletion`): the account is closed at
   once — no sign-in, no API token, no reminder — and who confirmed it, and until when the
   records are kept, goes into the audit log;
3. anonymised when the clinic's retention period (`Clinic.retention_years`, from the
   closing) has run (`anonymise_due`, run by the task worker): the name, username,
   email, birth date, health-history details and free-text notes are removed; the
   health records stay, no longer saying whose they were.

Patients are never deleted outright: the audit log's rows must keep pointing at them.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from supine.clinic.models import AlertKind, AlertSeverity, Clinician, Patient
from supine.clinic.services import audit, raise_alert

ANONYMOUS_NAME = "Deleted patient"


class ClosureRefused(ValueError):
    pass


def retention_ends(patient: Patient, closed_at: datetime | None = None) -> date:
    """The day the records of a closed account stop being kept with the patient's name."""
    closed = timezone.localdate(closed_at or patient.closed_at or timezone.now())
    years = patient.clinic.retention_years
    try:
        return closed.replace(year=closed.year + years)
    except ValueError:  # 29 February, into a year without one
        return closed.replace(year=closed.year + years, day=28)


def request_deletion(*, patient: Patient) -> bool:
    """The patient asks for their account to be deleted; says whether this call asked
    (a second request is the first one still waiting)."""
    with transaction.atomic():
        asked = Patient.objects.filter(
            pk=patient.pk, deletion_requested_at__isnull=True, closed_at__isnull=True
        ).update(deletion_requested_at=timezone.now())
        if not asked:
            return False
        patient.refresh_from_db(fields=["deletion_requested_at"])
        audit(actor=patient.user, patient=patient, action="account.deletion_requested")
        raise_alert(
            patient=patient,
            kind=AlertKind.NOTE,
            severity=AlertSeverity.INFO,
            reason="Asks for their account to be deleted: confirm it on their page.",
        )
    return True


def confirm_deletion(*, clinician: Clinician, patient: Patient) -> Patient:
    """A clinician of the patient's clinic confirms the patient's request: the account is
    closed now; the records are kept for the clinic's retention period."""
    if patient.clinic_id != clinician.clinic_id:
        raise ClosureRefused("Only the patient's own clinic confirms this.")
    with transaction.atomic():
        locked = Patient.objects.select_for_update().select_related("user", "clinic")
        patient = locked.get(pk=patient.pk)
        if patient.closed_at is not None:
            return patient
        if patient.deletion_requested_at is None:
            raise ClosureRefused(
                "The patient has not asked for their account to be deleted; they ask on "
                "their “Your data” page."
            )
        now = timezone.now()
        patient.closed_at, patient.closed_by = now, clinician
        patient.save(update_fields=["closed_at", "closed_by"])
        user = patient.user
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
        until = retention_ends(patient, now)
        audit(
            actor=clinician.user,
            patient=patient,
            action="account.deleted",
            detail=(
                f"asked {timezone.localdate(patient.deletion_requested_at).isoformat()}; "
                f"confirmed by {clinician.display_name}; records kept until "
                f"{until.isoformat()} ({patient.clinic.retention_years} years, the "
                "clinic's retention period), then anonymised"
            ),
        )
    return patient


def anonymise(patient: Patient, *, now: datetime | None = None) -> None:
    """Remove who the patient was from their records; the records themselves stay."""
    now = now or timezone.now()
    with transaction.atomic():
        user = patient.user
        user.username = f"deleted-{patient.id}"
        user.first_name = user.last_name = user.email = ""
        user.save(update_fields=["username", "first_name", "last_name", "email"])
        patient.display_name = ANONYMOUS_NAME
        patient.email = ""
        patient.birth_year = patient.birth_month = None
        patient.history_details = {}
        patient.anonymised_at = now
        patient.save(
            update_fields=[
                "display_name",
                "email",
                "birth_year",
                "birth_month",
                "history_details",
                "anonymised_at",
            ]
        )
        # Free text may name people and places: it goes too.
        patient.pain_reports.exclude(note="").update(note="")
        patient.sessions.exclude(note="").update(note="")
        patient.appointments.exclude(note="").update(note="")
        actor = patient.closed_by.user if patient.closed_by else user
        audit(
            actor=actor,
            patient=patient,
            action="account.anonymised",
            detail=f"the clinic's retention period of {patient.clinic.retention_years} years ended",
        )


def anonymise_due(*, now: datetime | None = None) -> int:
    """Anonymise every closed account whose clinic's retention period has run."""
    now = now or timezone.now()
    done = 0
    closed = Patient.objects.filter(closed_at__isnull=False, anonymised_at__isnull=True)
    for patient in closed.select_related("clinic", "user", "closed_by__user").iterator():
        if retention_ends(patient) <= timezone.localdate(now):
            anonymise(patient, now=now)
            done += 1
    return done
