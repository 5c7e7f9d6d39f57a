"""Visits: book, move, cancel, and the patient's next one; the person's reminder and
calendar settings. Every clinician's change is audited."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from supine.appointments.models import Appointment, CalendarFeed, VisitKind
from supine.clinic.models import Clinic, Clinician, Patient
from supine.clinic.services import audit

MIN_MINUTES, MAX_MINUTES = 5, 480
# A visit may be recorded a little after the fact, not months back.
BOOK_NO_EARLIER_THAN = timedelta(days=30)


class VisitRefused(ValueError):
    """The visit as asked for cannot be booked; the message names the field."""


def clinic_zone(clinic: Clinic) -> zoneinfo.ZoneInfo:
    """The clinic's time zone (the patient's too): the clinic's setting where it has one,
    else Supine's."""
    name = getattr(clinic, "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _check(starts_at: datetime, minutes: int, kind: str, note: str) -> None:
    if timezone.is_naive(starts_at):
        raise VisitRefused("starts_at: give the time with its offset (e.g. +01:00).")
    if starts_at < timezone.now() - BOOK_NO_EARLIER_THAN:
        raise VisitRefused("starts_at: a visit can be recorded at most 30 days after it.")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise VisitRefused(f"minutes: a visit lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.")
    if kind not in VisitKind.values:
        raise VisitRefused(f"kind: one of {', '.join(VisitKind.values)}.")
    if len(note) > 300:
        raise VisitRefused("note: at most 300 characters.")


def book_visit(
    *,
    clinician: Clinician,
    patient: Patient,
    starts_at: datetime,
    minutes: int = 30,
    kind: str = VisitKind.ACUPUNCTURE,
    note: str = "",
) -> Appointment:
    if patient.clinic_id != clinician.clinic_id:
        raise PermissionError("Only the patient's own clinic books their visits.")
    note = note.strip()
    _check(starts_at, minutes, kind, note)
    with transaction.atomic():
        visit = Appointment.objects.create(
            patient=patient,
            clinician=clinician,
            starts_at=starts_at,
            minutes=minutes,
            kind=kind,
            note=note,
        )
        audit(actor=clinician.user, patient=patient, action="visit.book", detail=str(visit.id))
    return visit


def change_visit(
    *,
    clinician: Clinician,
    visit: Appointment,
    starts_at: datetime | None = None,
    minutes: int | None = None,
    kind: str | None = None,
    note: str | None = None,
    patient: Patient | None = None,
) -> Appointment:
    """Move a visit or change what it is; a cancelled visit stays cancelled."""
    if visit.cancelled_at is not None:
        raise VisitRefused("This visit was cancelled; book a new one.")
    if patient is not None and patient.clinic_id != clinician.clinic_id:
        raise PermissionError("Only the patient's own clinic books their visits.")
    visit.starts_at = starts_at or visit.starts_at
    visit.minutes = minutes if minutes is not None else visit.minutes
    visit.kind = kind or visit.kind
    visit.note = (note if note is not None else visit.note).strip()
    visit.patient = patient or visit.patient
    _check(visit.starts_at, visit.minutes, visit.kind, visit.note)
    with transaction.atomic():
        visit.sequence = F("sequence") + 1
        visit.save()
        visit.refresh_from_db()
        audit(
            actor=clinician.user, patient=visit.patient, action="visit.change", detail=str(visit.id)
        )
    return visit


def cancel_visit(*, clinician: Clinician, visit: Appointment) -> Appointment:
    with transaction.atomic():
        if visit.cancelled_at is None:
            Appointment.objects.filter(pk=visit.pk).update(
                cancelled_at=timezone.now(), sequence=F("sequence") + 1
            )
            audit(
                actor=clinician.user,
                patient=visit.patient,
                action="visit.cancel",
                detail=str(visit.id),
            )
    visit.refresh_from_db()
    return visit


def next_visit(patient: Patient) -> Appointment | None:
    """The patient's next booked visit (one still under way counts)."""
    return (
        Appointment.objects.booked()
        .filter(patient=patient, starts_at__gte=timezone.now() - timedelta(hours=1))
        .select_related("clinician")
        .order_by("starts_at")
        .first()
    )


def feed_of(person: Patient | Clinician) -> CalendarFeed:
    """The person's feed settings; an unsaved default when they have never changed them
    (so that reading never writes)."""
    field = "patient" if isinstance(person, Patient) else "clinician"
    feed = CalendarFeed.objects.filter(**{field: person}).first()
    return feed or CalendarFeed(**{field: person})


def rotate_feed(person: Patient | Clinician) -> CalendarFeed:
    """A new calendar URL; the old one stops working at once."""
    field = "patient" if isinstance(person, Patient) else "clinician"
    with transaction.atomic():
        whose: dict[str, Any] = {field: person}
        feed, _ = CalendarFeed.objects.select_for_update().get_or_create(**whose)
        feed.generation += 1
        feed.save(update_fields=["generation"])
    return feed


def set_reminders(
    *, patient: Patient, email_reminders: bool, reminder_time: time, email: str
) -> CalendarFeed:
    """The patient's choice: a reminder email on exercise days at their time (their
    clinic's time zone), and the address it goes to."""
    email = email.strip()
    if email_reminders and not email:
        raise VisitRefused("email: reminders need an email address.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise VisitRefused("email: that does not look like an email address.") from None
    with transaction.atomic():
        feed, _ = CalendarFeed.objects.select_for_update().get_or_create(patient=patient)
        feed.email_reminders = email_reminders
        feed.reminder_time = reminder_time
        feed.save(update_fields=["email_reminders", "reminder_time"])
        if patient.email != email:
            patient.email = email
            patient.save(update_fields=["email"])
    return feed


def visits_from_today(
    clinician: Clinician, *, patient: Patient | None = None, limit: int = 500
) -> list[Appointment]:
    """The clinic's booked visits from the start of today (or one patient's)."""
    start = datetime.combine(
        timezone.localtime(timezone.now(), clinic_zone(clinician.clinic)).date(),
        time.min,
        tzinfo=clinic_zone(clinician.clinic),
    )
    visits = (
        Appointment.objects.booked().for_clinic(clinician.clinic_id).filter(starts_at__gte=start)
    )
    if patient is not None:
        visits = visits.filter(patient=patient)
    return list(visits.select_related("patient", "clinician").order_by("starts_at")[:limit])
