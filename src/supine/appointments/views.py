"""Pages: book, move and cancel a visit from the clinician's patient page; the calendar
feed; the patient's reminder settings."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supine.appointments.calendar import (
    clinician_calendar,
    feed_url,
    patient_calendar,
    person_for_token,
)
from supine.appointments.models import VisitKind
from supine.appointments.services import (
    VisitRefused,
    book_visit,
    cancel_visit,
    change_visit,
    clinic_zone,
    feed_of,
    rotate_feed,
    set_reminders,
)
from supine.clinic.access import (
    appointment_for,
    clinician_of,
    clinician_required,
    patient_for,
    patient_of,
    patient_required,
)
from supine.clinic.models import Clinic, Clinician, Patient
from supine.clinic.services import audit_shown


def _local_start(clinic: Clinic, text: str) -> datetime | None:
    """A `datetime-local` field's value, in the clinic's time zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clinic_zone(clinic))
    return moment


def _minutes(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


@require_POST
@clinician_required
def book(request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    starts_at = _local_start(clinician.clinic, request.POST.get("starts_at", ""))
    try:
        if starts_at is None:
            raise VisitRefused("starts_at: choose a date and time.")
        book_visit(
            clinician=clinician,
            patient=patient,
            starts_at=starts_at,
            minutes=_minutes(request.POST.get("minutes", "30")),
            kind=request.POST.get("kind", VisitKind.ACUPUNCTURE),
            note=request.POST.get("note", ""),
        )
    except VisitRefused as error:
        messages.error(request, f"The visit was not booked — {error}")
    else:
        messages.success(request, "Visit booked.")
    return redirect("clinic-patient", patient_id=patient.id)


@require_POST
@clinician_required
def move(request: HttpRequest, clinician: Clinician, appointment_id: uuid.UUID) -> HttpResponse:
    visit = appointment_for(clinician, appointment_id)
    starts_at = _local_start(clinician.clinic, request.POST.get("starts_at", ""))
    try:
        if starts_at is None:
            raise VisitRefused("starts_at: choose a date and time.")
        change_visit(
            clinician=clinician,
            visit=visit,
            starts_at=starts_at,
            minutes=_minutes(request.POST.get("minutes", str(visit.minutes))),
        )
    except VisitRefused as error:
        messages.error(request, f"The visit was not moved — {error}")
    else:
        messages.success(request, "Visit moved.")
    return redirect("clinic-patient", patient_id=visit.patient_id)


@require_POST
@clinician_required
def cancel(request: HttpRequest, clinician: Clinician, appointment_id: uuid.UUID) -> HttpResponse:
    visit = appointment_for(clinician, appointment_id)
    cancel_visit(clinician=clinician, visit=visit)
    messages.success(request, "Visit cancelled.")
    return redirect("clinic-patient", patient_id=visit.patient_id)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app subscribes to: no sign-in, the secret URL is the key."""
    person = person_for_token(token)
    if person is None:
        raise Http404("No such calendar.")
    if isinstance(person, Patient):
        body = patient_calendar(person)
    else:
        body, patients = clinician_calendar(person)
        audit_shown(actor=person.user, action="calendar.feed", patients=patients)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="supine.ics"'
    return response


def _parse_time(text: str) -> time | None:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@patient_required
def reminders(request: HttpRequest, patient: Patient) -> HttpResponse:
    feed = feed_of(patient)
    if request.method == "POST":
        chosen = _parse_time(request.POST.get("reminder_time", ""))
        try:
            if chosen is None:
                raise VisitRefused("reminder_time: choose a time of day.")
            set_reminders(
                patient=patient,
                email_reminders=request.POST.get("email_reminders") == "on",
                reminder_time=chosen.replace(second=0, microsecond=0),
                email=request.POST.get("email", "")[:254],
            )
        except VisitRefused as error:
            messages.error(request, f"Not saved — {error}")
        else:
            messages.success(request, "Saved.")
            return redirect("reminders")
    return render(
        request,
        "appointments/reminders.html",
        {
            "patient": patient,
            "feed": feed,
            "calendar_url": feed_url(patient, feed),
            "zone": clinic_zone(patient.clinic),
        },
    )


@require_POST
def rotate_calendar(request: HttpRequest) -> HttpResponse:
    person = patient_of(request.user) or clinician_of(request.user)
    if person is None:
        return redirect("home")
    rotate_feed(person)
    messages.success(request, "Your calendar has a new address; the old one no longer works.")
    return redirect("reminders" if isinstance(person, Patient) else "clinic-home")
