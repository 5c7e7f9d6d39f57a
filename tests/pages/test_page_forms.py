"""Every page that takes a POST reads it through a form, and says what it refused."""

from __future__ import annotations

from supine.appointments.models import Appointment


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_visit_with_a_bad_start_or_length_is_refused_and_says_why(client, clinician, patient):
    client.force_login(clinician.user)
    url = f"/clinic/patients/{patient.id}/visits"
    response = client.post(url, {"starts_at": "tomorrow", "minutes": "30"}, follow=True)
    assert "The visit was not booked — Starts at: choose a date and time." in _messages(response)
    response = client.post(url, {"starts_at": "2030-05-01T10:00", "minutes": "x"}, follow=True)
    assert "The visit was not booked — Minutes: give a number." in _messages(response)
    assert not Appointment.objects.exists()


def test_a_reminder_time_that_is_not_a_time_is_refused(client, patient):
    client.force_login(patient.user)
    response = client.post("/me/reminders/", {"reminder_time": "soon"})
    assert "Not saved — Time: choose a time of day." in _messages(response)


def test_a_clearance_with_a_bad_date_says_so(client, clinician, patient):
    client.force_login(clinician.user)
    response = client.post(
        f"/clinic/patients/{patient.id}/clear",
        {"reason": "Seen.", "seen_at": "2030-01-01T00:00:00+00:00", "assessed_on": "yesterday"},
        follow=True,
    )
    assert "Not cleared — Assessed on: give a date." in _messages(response)


def test_the_program_builder_names_a_number_that_is_not_one(client, clinician, patient):
    client.force_login(clinician.user)
    response = client.post(
        f"/clinic/patients/{patient.id}/program/",
        {"include-bridge": "on", "reps_min-bridge": "five", "version": "1"},
    )
    assert response.status_code == 422
    assert "Bridge reps from: give a whole number." in response.content.decode()


def test_the_screen_shows_what_the_rules_refused(client, patient):
    from tests.factories import safe_answers

    client.force_login(patient.user)
    answers = {qid: "yes" if value else "no" for qid, value in safe_answers().items()}
    response = client.post(
        "/safety/screening/", {**answers, "clinician_advised": "yes", "born": "1890-13"}
    )
    assert response.status_code == 422
    assert "details.born: give the month and year as YYYY-MM" in response.content.decode()
