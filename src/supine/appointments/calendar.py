"""Calendar feeds (RFC 5545, built with icalendar): a patient's visits and daily
exercise reminder, a clinician's visits.

The URL's secret is an HMAC of the person and their feed's generation under the
server's secret key: it is never stored, reading it writes nothing, and rotating the
feed (generation + 1) turns the old URL into a 404. Changing SUPINE_SECRET_KEY
changes every feed's URL.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Alarm, Calendar, Event

from supine.appointments.models import Appointment, CalendarFeed
from supine.appointments.services import clinic_zone, feed_of
from supine.clinic.models import Clinician, Patient

# Past visits stay in the feed this long, so that a calendar keeps recent history.
PAST_VISITS = timedelta(days=90)
_KINDS: dict[str, type[Patient] | type[Clinician]] = {"p": Patient, "c": Clinician}


def _mac(kind: str, person_id: uuid.UUID, generation: int) -> str:
    value = f"{kind}:{person_id}:{generation}"
    return salted_hmac("supine.calendar-feed", value, algorithm="sha256").hexdigest()[:40]


def feed_token(person: Patient | Clinician, feed: CalendarFeed | None = None) -> str:
    kind = "p" if isinstance(person, Patient) else "c"
    feed = feed or feed_of(person)
    return f"{kind}{person.id.hex}{_mac(kind, person.id, feed.generation)}"


def feed_url(person: Patient | Clinician, feed: CalendarFeed | None = None) -> str:
    path = reverse("calendar-feed", kwargs={"token": feed_token(person, feed)})
    return settings.SUPINE_SITE_URL + path


def person_for_token(token: str) -> Patient | Clinician | None:
    """The active person whose current feed this is; None for anything else."""
    if len(token) != 73 or token[0] not in _KINDS:
        return None
    try:
        person_id = uuid.UUID(hex=token[1:33])
    except ValueError:
        return None
    model = _KINDS[token[0]]
    person = model.objects.select_related("clinic", "user").filter(id=person_id).first()
    if person is None or not person.user.is_active:
        return None
    generation = feed_of(person).generation
    if not constant_time_compare(token[33:], _mac(token[0], person_id, generation)):
        return None
    return person


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Supine//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _visits(**filters) -> list[Appointment]:
    since = timezone.now() - PAST_VISITS
    return list(
        Appointment.objects.filter(starts_at__gte=since, **filters)
        .select_related("patient__clinic", "clinician")
        .order_by("starts_at")[:500]
    )


def _visit_event(visit: Appointment, *, summary: str, clinic_name: str) -> Event:
    event = Event()
    event.add("uid", f"visit-{visit.id}@supine")
    event.add("dtstamp", visit.updated_at)
    event.add("dtstart", visit.starts_at)
    event.add("dtend", visit.starts_at + timedelta(minutes=visit.minutes))
    event.add("summary", summary)
    event.add("location", clinic_name)
    event.add("sequence", visit.sequence)
    if visit.note:
        event.add("description", visit.note)
    if visit.cancelled_at is not None:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(hours=-2))
        event.add_component(alarm)
    return event


def patient_calendar(patient: Patient, feed: CalendarFeed | None = None) -> bytes:
    """The patient's visits and, while they have a program, the daily exercise reminder
    at their time in their clinic's time zone, with an alarm."""
    from supine.programs.models import Prescription

    feed = feed or feed_of(patient)
    clinic = patient.clinic
    calendar = _calendar(f"Supine — {clinic.name}")
    for visit in _visits(patient=patient):
        summary = f"{visit.get_kind_display()} at {clinic.name}"
        calendar.add_component(_visit_event(visit, summary=summary, clinic_name=clinic.name))
    program = Prescription.objects.active().filter(patient=patient).only("created_at").first()
    if program is not None:
        zone = clinic_zone(clinic)
        first_day = timezone.localtime(program.created_at, zone).date()
        start = datetime.combine(first_day, feed.reminder_time, tzinfo=zone)
        event = Event()
        event.add("uid", f"exercise-reminder-{patient.id}@supine")
        event.add("dtstamp", program.created_at)
        event.add("dtstart", start)
        event.add("duration", timedelta(minutes=15))
        event.add("rrule", {"freq": "daily"})
        event.add("summary", "Your back exercises")
        event.add("description", f"Open Supine: {settings.SUPINE_SITE_URL}/today/")
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Time for your back exercises")
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def clinician_calendar(clinician: Clinician) -> tuple[bytes, list[Patient]]:
    """The clinician's visits, and the patients it names (for the audit log)."""
    clinic = clinician.clinic
    calendar = _calendar(f"Supine — {clinician.display_name}")
    visits = _visits(clinician=clinician)
    for visit in visits:
        summary = f"{visit.get_kind_display()}: {visit.patient.display_name}"
        calendar.add_component(_visit_event(visit, summary=summary, clinic_name=clinic.name))
    patients = list({visit.patient_id: visit.patient for visit in visits}.values())
    return calendar.to_ical(), patients
