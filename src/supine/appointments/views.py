"""Pages: book, move and cancel a visit from the clinician's patient page; the calendar
feed; the patient's reminder settings."""

from __future__ import annotations

import uuid

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
from supine.appointments.forms import MoveVisitForm, RemindersForm, VisitForm
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
from supine.clinic.models import Clinician, Patient
from supine.clinic.services import audit_shown
from supine.form_errors import form_errors


@require_POST
@clinician_required
def book(request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    form = VisitForm(request.POST, zone=clinic_zone(clinician.clinic))
    try:
        if not form.is_valid():
            raise VisitRefused(form_errors(form))
        book_visit(
            clinician=clinician,
            patient=patient,
            starts_at=form.cleaned_data["starts_at"],
            minutes=form.cleaned_data["minutes"] or 30,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
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
    form = MoveVisitForm(request.POST, zone=clinic_zone(clinician.clinic))
    try:
        if not form.is_valid():
            raise VisitRefused(form_errors(form))
        minutes = form.cleaned_data["minutes"]
        change_visit(
            clinician=clinician,
            visit=visit,
            starts_at=form.cleaned_data["starts_at"],
            minutes=visit.minutes if minutes is None else minutes,
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


@require_http_methods(["GET", "POST"])
@patient_required
def reminders(request: HttpRequest, patient: Patient) -> HttpResponse:
    feed = feed_of(patient)
    if request.method == "POST":
        form = RemindersForm(request.POST)
        try:
            if not form.is_valid():
                raise VisitRefused(form_errors(form))
            set_reminders(
                patient=patient,
                email_reminders=form.cleaned_data["email_reminders"],
                reminder_time=form.cleaned_data["reminder_time"],
                email=form.cleaned_data["email"][:254],
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
