"""The calendar feed: RFC 5545 that parses back, the visits and the daily reminder with
an alarm, a moved visit that changes, a rotated URL that dies."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import time_machine
from icalendar import Calendar

from supine.appointments.services import book_visit, change_visit, set_reminders
from tests.api.helpers import bearer_client, post_json

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def feed_of(client, user) -> Calendar:
    url = bearer_client(user).get("/api/v1/me/calendar").json()["url"]
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


@time_machine.travel(NOW, tick=False)
def test_the_patient_feed_has_their_visits_and_a_daily_reminder_with_an_alarm(
    client, patient, clinician
):
    visit = book_visit(
        clinician=clinician, patient=patient, starts_at=NOW + timedelta(days=3), minutes=45
    )
    set_reminders(patient=patient, email_reminders=False, reminder_time=time(18, 30), email="")
    found = events(feed_of(client, patient.user))
    event = found[f"visit-{visit.id}@supine"]
    assert event.decoded("dtstart") == NOW + timedelta(days=3)
    assert event.decoded("dtend") == NOW + timedelta(days=3, minutes=45)
    assert "Acupuncture" in str(event["summary"])
    reminder = found[f"exercise-reminder-{patient.id}@supine"]
    assert reminder["rrule"]["FREQ"] == ["DAILY"]
    start = reminder.decoded("dtstart")
    assert (start.hour, start.minute) == (18, 30)
    assert str(start.tzinfo) == "Europe/London"
    alarms = reminder.walk("VALARM")
    assert alarms and str(alarms[0]["action"]) == "DISPLAY"


@time_machine.travel(NOW, tick=False)
def test_a_moved_visit_changes_in_the_feed(client, patient, clinician):
    visit = book_visit(clinician=clinician, patient=patient, starts_at=NOW + timedelta(days=3))
    uid = f"visit-{visit.id}@supine"
    before = events(feed_of(client, patient.user))[uid]
    change_visit(clinician=clinician, visit=visit, starts_at=NOW + timedelta(days=5, hours=2))
    after = events(feed_of(client, patient.user))[uid]
    assert before.decoded("dtstart") == NOW + timedelta(days=3)
    assert after.decoded("dtstart") == NOW + timedelta(days=5, hours=2)
    assert int(after["sequence"]) > int(before["sequence"])


@time_machine.travel(NOW, tick=False)
def test_a_cancelled_visit_shows_as_cancelled(client, patient, clinician):
    api = bearer_client(clinician.user)
    visit = book_visit(clinician=clinician, patient=patient, starts_at=NOW + timedelta(days=3))
    assert api.delete(f"/api/v1/clinic/appointments/{visit.id}").status_code == 204
    event = events(feed_of(client, patient.user))[f"visit-{visit.id}@supine"]
    assert str(event["status"]) == "CANCELLED"


@time_machine.travel(NOW, tick=False)
def test_the_clinician_feed_has_their_visits_and_is_audited(client, patient, clinician):
    from supine.clinic.models import AuditEvent

    visit = book_visit(clinician=clinician, patient=patient, starts_at=NOW + timedelta(days=1))
    found = events(feed_of(client, clinician.user))
    assert patient.display_name in str(found[f"visit-{visit.id}@supine"]["summary"])
    row = AuditEvent.objects.filter(action="calendar.feed").get()
    assert str(patient.id) in row.detail


def test_a_rotated_url_is_dead_and_the_new_one_works(client, patient):
    api = bearer_client(patient.user)
    old = api.get("/api/v1/me/calendar").json()["url"]
    assert client.get(old).status_code == 200
    assert api.get("/api/v1/me/calendar").json()["url"] == old
    new = post_json(api, "/api/v1/me/calendar/rotate", {}).json()["url"]
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert api.get("/api/v1/me/calendar").json()["url"] == new


def test_made_up_or_closed_feeds_are_404(client, patient):
    url = bearer_client(patient.user).get("/api/v1/me/calendar").json()["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert client.get(f"/calendar/{forged}.ics").status_code == 404
    assert client.get("/calendar/nonsense.ics").status_code == 404
    patient.user.is_active = False
    patient.user.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_only_patients_and_clinicians_have_a_feed(stranger):
    assert bearer_client(stranger).get("/api/v1/me/calendar").status_code == 403
