"""Pages answer with a constant number of SQL queries, whatever the history length."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import bearer_client, post_json
from tests.factories import make_patient, screen
from tests.sessions.helpers import event, send, start, whole_session_events

DAY = datetime(2027, 2, 1, 8, 0, tzinfo=UTC)


def add_history(api, days: int, offset: int = 0) -> None:
    for n in range(offset, offset + days):
        day = DAY + timedelta(days=n)
        with time_machine.travel(day, tick=False):
            post_json(api, "/api/v1/me/pain", {"score": 2, "moment": "morning"})
            session_id = start(api)
            from supine.sessions.models import ExerciseSession

            plan = ExerciseSession.objects.get(id=session_id).plan
            events = [
                {**e, "at": (day + timedelta(minutes=1)).isoformat()}
                for e in whole_session_events(plan)
            ]
            send(api, session_id, events)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def test_patient_pages_do_not_grow_with_history(patient, client):
    api = bearer_client(patient.user)
    urls = ["/today/", "/session/", "/api/v1/me/plan", "/exercises/bridge/", "/learn/sleep/"]
    add_history(api, 2)
    with time_machine.travel(DAY + timedelta(days=2, hours=1), tick=False):
        client.force_login(patient.user)
        short = {url: count(client, url) for url in urls}
    add_history(api, 8, offset=3)
    with time_machine.travel(DAY + timedelta(days=11, hours=1), tick=False):
        client.force_login(patient.user)
        long = {url: count(client, url) for url in urls}
    assert long == short


def test_clinic_pages_do_not_grow_with_patients_or_alerts(clinic, clinician, client):
    client.force_login(clinician.user)
    urls = ["/clinic/", "/api/v1/clinic/alerts"]

    def flagged_patient():
        patient = make_patient(clinic, screened=False)
        screen(patient, yes=("osteoporosis",))

    flagged_patient()
    few = {url: count(client, url) for url in urls}
    for _ in range(6):
        flagged_patient()
    many = {url: count(client, url) for url in urls}
    assert many == few


def test_a_session_record_does_not_grow_with_its_events(patient):
    from supine.sessions.models import ExerciseSession

    api = bearer_client(patient.user)
    session_id = start(api)
    url = f"/api/v1/me/sessions/{session_id}"
    send(api, session_id, [event("started")])
    few = count(api, url)
    plan = ExerciseSession.objects.get(id=session_id).plan
    every_rep = [e for e in whole_session_events(plan) if e["type"] in ("rep_done", "hold_done")]
    assert len(every_rep) > 29
    assert send(api, session_id, every_rep).status_code == 200
    assert count(api, url) == few


def test_the_dashboard_and_patient_page_do_not_grow_with_patients_or_history(
    clinic, clinician, client
):
    from supine.appointments.services import book_visit
    from supine.clinic.services import raise_alert

    patient = make_patient(clinic, username="followed")
    api = bearer_client(patient.user)
    urls = [
        "/clinic/",
        "/clinic/?sort=next_visit&q=Sam",
        "/clinic/?sort=last_session",
        "/api/v1/clinic/patients",
        "/api/v1/clinic/appointments",
        f"/clinic/patients/{patient.id}/",
    ]

    def more_patients(n: int, at: datetime) -> None:
        for _ in range(n):
            other = make_patient(clinic, screened=False)
            screen(other, yes=("weak_bones",))
            raise_alert(patient=other, kind="note", severity="info", reason="Diary")
            book_visit(clinician=clinician, patient=other, starts_at=at + timedelta(days=3))

    add_history(api, 2)
    now = DAY + timedelta(days=2, hours=1)
    with time_machine.travel(now, tick=False):
        more_patients(1, now)
        book_visit(clinician=clinician, patient=patient, starts_at=now + timedelta(days=1))
        client.force_login(clinician.user)
        few = {url: count(client, url) for url in urls}
    add_history(api, 8, offset=3)
    now = DAY + timedelta(days=11, hours=1)
    with time_machine.travel(now, tick=False):
        more_patients(6, now)
        book_visit(clinician=clinician, patient=patient, starts_at=now + timedelta(days=2))
        client.force_login(clinician.user)
        many = {url: count(client, url) for url in urls}
    assert many == few
