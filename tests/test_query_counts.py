"""Pages answer with a constant number of SQL queries, whatever the history length."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supine.sessions.models import ExerciseSession
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


def add_a_year_before(patient, days: int = 358) -> None:
    """`days` days of history before DAY, bulk-written as it would have been recorded: a
    morning check-in, a whole session with its plan, its ratings and events, and a dose
    decision for each exercise after it."""
    from supine.outcomes.models import PainReport
    from supine.programs.models import DoseChange, PrescribedExercise
    from supine.sessions.models import ExerciseSession, SessionEvent

    session = ExerciseSession.objects.filter(patient=patient).order_by("created_at").first()
    plan = session.plan
    items = list(PrescribedExercise.objects.filter(prescription__patient=patient))
    sessions, pains, events, doses = [], [], [], []
    for back in range(days, 0, -1):
        day = DAY - timedelta(days=back)
        pains.append(
            PainReport(patient=patient, score=2, moment="morning", day=day.date(), recorded_at=day)
        )
        past = ExerciseSession(
            id=uuid.uuid4(), patient=patient, plan_date=day.date(), plan=plan,
            status="completed", started_at=day + timedelta(hours=10),
            ended_at=day + timedelta(hours=10, minutes=9),
        )  # fmt: skip
        sessions.append(past)
        for moment in ("before", "after"):
            pains.append(
                PainReport(patient=patient, session=past, score=2, moment=moment,
                           recorded_at=past.started_at)
            )  # fmt: skip
        events += [
            SessionEvent(id=uuid.uuid4(), session=past, type="rep_done", at=past.started_at,
                         data={"exercise": "bridge", "set": 1, "rep": n})
            for n in range(1, 6)
        ]  # fmt: skip
        doses += [
            DoseChange(item=item, reps=item.reps_min, sets=1, change="hold", reason="Hold",
                       session=past, inputs={"ratings": [2, 2]})
            for item in items
        ]  # fmt: skip
    ExerciseSession.objects.bulk_create(sessions)
    PainReport.objects.bulk_create(pains)
    SessionEvent.objects.bulk_create(events)
    DoseChange.objects.bulk_create(doses)
    ExerciseSession.objects.filter(id__in=[s.id for s in sessions]).update(
        created_at=DAY - timedelta(days=days + 1)
    )


def test_patient_pages_read_the_same_for_7_and_365_days_of_history(clinic, client):
    """Neither the dose history nor past sessions' plans are read to show today."""
    urls = ["/today/", "/session/", "/api/v1/me/plan"]
    short, long = make_patient(clinic, "seven_days"), make_patient(clinic, "a_year")
    counts, reads = {}, {}
    for patient in (short, long):
        add_history(bearer_client(patient.user), 7)
    add_a_year_before(long)
    assert ExerciseSession.objects.filter(patient=long).count() == 365
    for patient in (short, long):
        with time_machine.travel(DAY + timedelta(days=7, hours=1), tick=False):
            client.force_login(patient.user)
            for url in urls:
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200, url
                counts[patient.pk, url] = len(queries)
                reads[patient.pk, url] = [q["sql"] for q in queries]
    for url in urls:
        assert counts[short.pk, url] == counts[long.pk, url], url
        for sql in reads[long.pk, url]:
            assert '"programs_dosechange"' not in sql, (url, sql)
            assert '"exercise_sessions_exercisesession"."plan"' not in sql, (url, sql)


def test_today_reads_the_program_and_the_screen_once(patient, client):
    client.force_login(patient.user)
    for url in ("/today/", "/exercises/bridge/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = [q["sql"] for q in queries]
        program = [s for s in sql if 'FROM "programs_prescribedexercise"' in s]
        assert len(program) == 1, (url, program)
        if url == "/today/":
            # Whether the screen was answered and the patient advised: one query.
            screen = [s for s in sql if '"safety_screening"' in s]
            assert len(screen) == 1, screen


def test_the_plan_reads_the_program_once_for_doses_and_ceiling(patient, client):
    """Today's doses and the confirmed pain ceiling come from the same read of the program."""
    client.force_login(patient.user)
    api = bearer_client(patient.user)
    calls = {
        "/api/v1/me/plan": lambda: client.get("/api/v1/me/plan"),
        "/session/": lambda: client.get("/session/"),
        "POST /api/v1/me/sessions": lambda: post_json(api, "/api/v1/me/sessions", {}),
    }
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as queries:
            response = call()
        assert response.status_code in (200, 201), (name, response.status_code)
        program = [q["sql"] for q in queries if '"programs_prescription"' in q["sql"]]
        assert len(program) == 1, (name, program)
        plan = response.json()["plan"] if name.startswith("POST") else None
        if plan is not None:
            assert plan["limits"]["ceiling"] >= 0
