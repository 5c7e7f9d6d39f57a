"""The clinician's page about one patient: program and dose, charts with a text
summary, sessions with reps done against planned, abandoned sessions not finished."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from supine.appointments.services import book_visit
from supine.sessions.models import ExerciseSession
from tests.api.helpers import bearer_client
from tests.sessions.helpers import event, send, start, whole_session_events

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)


def test_the_page_shows_program_charts_sessions_and_the_clearance_form(client, patient, prescriber):
    api = bearer_client(patient.user)
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        session_id = start(api)
        plan = ExerciseSession.objects.get(id=session_id).plan
        events = whole_session_events(plan)
        at = (NOW - timedelta(days=1) + timedelta(minutes=1)).isoformat()
        # Stopped after the first two reps' events: fewer reps done than planned.
        reps = [e for e in events if e["type"] == "rep_done"]
        kept = [e for e in events if e["type"] != "rep_done"] + reps[:2]
        assert send(api, session_id, [{**e, "at": at} for e in kept]).status_code == 200
        planned = sum(step["kind"] == "release" for step in plan["steps"])
    with time_machine.travel(NOW - timedelta(hours=13), tick=False):
        abandoned = start(api)
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        fresh = start(api)
    with time_machine.travel(NOW, tick=False):
        book_visit(clinician=prescriber, patient=patient, starts_at=NOW + timedelta(days=2))
        client.force_login(prescriber.user)
        page = client.get(f"/clinic/patients/{patient.id}/").content.decode()
    assert "Program and today&#x27;s dose" in page or "Program and today's dose" in page
    assert "Bridge" in page
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert "Sessions per week from the week of" in page
    assert f"2 of {planned} reps" in page
    assert page.count("Not finished") == 1
    assert "1 open" in page
    assert 'name="assessed_by"' in page and 'name="assessed_on"' in page
    assert "Book visit" in page and "Move visit" in page
    assert abandoned != fresh


def test_another_clinics_patient_page_is_404(client, patient, other_clinic_clinician):
    client.force_login(other_clinic_clinician.user)
    assert client.get(f"/clinic/patients/{patient.id}/").status_code == 404


def test_the_clinicians_page_names_a_stop_reason_as_the_patient_chose_it(
    client, patient, prescriber
):
    api_client = bearer_client(patient.user)
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        session_id = start(api_client)
        stopped = event("stopped", {"score": 2, "reason": "other"})
        at = (NOW - timedelta(days=1) + timedelta(minutes=1)).isoformat()
        assert send(api_client, session_id, [{**stopped, "at": at}]).status_code == 200
    with time_machine.travel(NOW, tick=False):
        client.force_login(prescriber.user)
        page = client.get(f"/clinic/patients/{patient.id}/").content.decode()
    assert "(something else)" in page
    assert "(other)" not in page
