"""The clinic's dashboard: alerts by severity then age, one open alert per patient and
kind, acknowledgement with a note, clearance closing safety alerts, and the patient
list — 50 a page, searchable, audited in one row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from supine.clinic.models import Alert, AlertDelivery, AuditEvent
from supine.clinic.services import raise_alert
from supine.safety.services import clear_patient
from tests.api.helpers import bearer_client
from tests.factories import make_clinician, make_patient, screen

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_an_urgent_alert_is_never_below_info_alerts_whatever_their_number(
    client, clinic, patient, prescriber
):
    chatty = make_patient(clinic, username="chatty")
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        # Older and more numerous than the page shows (as before the alerts merged).
        Alert.objects.bulk_create(
            Alert(patient=chatty, kind="note", severity="info", reason=f"Diary {n}")
            for n in range(60)
        )
    with time_machine.travel(NOW, tick=False):
        urgent = raise_alert(patient=patient, kind="red_flag", severity="urgent", reason="Red flag")
        client.force_login(prescriber.user)
        page = client.get("/clinic/").content.decode()
    assert page.index(str(urgent.id)) < page.index("Diary")
    assert Alert.objects.open().count() == 61


def test_a_repeat_bumps_the_open_alert_instead_of_adding_one(clinic, patient):
    with time_machine.travel(NOW, tick=False):
        first = raise_alert(patient=patient, kind="severe_pain", severity="attention", reason="7")
    with time_machine.travel(NOW + timedelta(hours=5), tick=False):
        again = raise_alert(patient=patient, kind="severe_pain", severity="attention", reason="8")
    assert again.id == first.id
    again.refresh_from_db()
    assert again.count == 2
    assert again.reason == "8"
    assert again.created_at == NOW
    assert again.last_raised_at == NOW + timedelta(hours=5)
    # Once acknowledged, the next one is a new alert.
    Alert.objects.filter(id=first.id).update(acknowledged_at=NOW + timedelta(hours=6))
    third = raise_alert(patient=patient, kind="severe_pain", severity="attention", reason="9")
    assert third.id != first.id


def test_a_bumped_urgent_alert_is_not_emailed_again(clinic, patient):
    first = raise_alert(patient=patient, kind="red_flag", severity="urgent", reason="Flag")
    raise_alert(patient=patient, kind="red_flag", severity="urgent", reason="Flag again")
    assert AlertDelivery.objects.filter(alert=first).count() == 1
    assert Alert.objects.get(id=first.id).count == 2


def test_an_alert_that_becomes_urgent_on_a_repeat_is_emailed(clinic, patient):
    alert = raise_alert(patient=patient, kind="review", severity="attention", reason="Look")
    assert not AlertDelivery.objects.filter(alert=alert).exists()
    raise_alert(patient=patient, kind="review", severity="urgent", reason="Look now")
    assert Alert.objects.get(id=alert.id).severity == "urgent"
    assert AlertDelivery.objects.filter(alert=alert).count() == 1


def test_session_alerts_stay_one_per_session(clinic, patient):
    from supine.sessions.models import ExerciseSession

    session = ExerciseSession.objects.create(
        patient=patient, plan={"steps": []}, plan_date=NOW.date()
    )
    one = raise_alert(
        patient=patient, kind="session_stopped", severity="attention", reason="x", session=session
    )
    two = raise_alert(
        patient=patient, kind="session_stopped", severity="attention", reason="x", session=session
    )
    assert one.id == two.id
    assert Alert.objects.get(id=one.id).count == 1


def test_acknowledging_takes_a_note_and_shows_who(client, clinic, patient, prescriber):
    alert = raise_alert(patient=patient, kind="pain_trend", severity="attention", reason="Up")
    client.force_login(prescriber.user)
    response = client.post(f"/clinic/alerts/{alert.id}/ack", {"note": "Phoned; fine"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == prescriber
    assert alert.acknowledged_note == "Phoned; fine"
    page = client.get("/clinic/").content.decode()
    assert "Phoned; fine" in page
    assert prescriber.display_name in page.split("Acknowledged in the last two days")[1]


def test_a_clearance_closes_the_patients_safety_alerts_only(clinic, patient, prescriber):
    safety = raise_alert(patient=patient, kind="review", severity="attention", reason="History")
    flare = raise_alert(patient=patient, kind="flare", severity="attention", reason="Flare")
    other = raise_alert(patient=patient, kind="pain_trend", severity="attention", reason="Trend")
    clear_patient(clinician=prescriber, patient=patient, reason="Reviewed in clinic")
    assert Alert.objects.get(id=safety.id).acknowledged_by == prescriber
    assert Alert.objects.get(id=flare.id).acknowledged_at is not None
    assert Alert.objects.get(id=other.id).acknowledged_at is None


def test_the_patient_list_is_paged_by_50_searchable_and_audited_in_one_row(client, clinic):
    clinician = make_clinician(clinic)
    for n in range(53):
        person = make_patient(clinic, username=f"p{n}", program=False, screened=False)
        person.display_name = f"Person {n:02d}"
        person.save(update_fields=["display_name"])
    api = bearer_client(clinician.user)
    first = api.get("/api/v1/clinic/patients").json()
    assert first["count"] == 53 and first["page"] == 1
    assert len(first["items"]) == 50
    assert first["items"][0]["name"] == "Person 00"
    second = api.get("/api/v1/clinic/patients?page=2").json()
    assert [i["name"] for i in second["items"]] == ["Person 50", "Person 51", "Person 52"]
    found = api.get("/api/v1/clinic/patients?q=son 4").json()
    assert found["count"] == 10
    assert {i["name"] for i in found["items"]} == {f"Person 4{n}" for n in range(10)}
    keys = set(first["items"][0])
    assert keys >= {"id", "name", "standing", "last_session_on", "adherence_14d", "next_visit"}
    rows_before = AuditEvent.objects.count()
    client.force_login(clinician.user)
    page = client.get("/clinic/?page=2").content.decode()
    assert "Person 52" in page and "Person 00" not in page
    assert AuditEvent.objects.count() == rows_before + 1
    row = AuditEvent.objects.order_by("-id").first()
    assert row.action == "clinic.home"
    assert all(str(i["id"]) in row.detail for i in second["items"])


def test_the_list_shows_last_session_adherence_trend_and_next_visit(client, clinic):
    from supine.appointments.services import book_visit
    from supine.outcomes.services import record_morning_checkin
    from tests.sessions.helpers import send, start, whole_session_events

    clinician = make_clinician(clinic)
    patient = make_patient(clinic, username="busy")
    api = bearer_client(patient.user)
    for day in range(3):
        with time_machine.travel(NOW + timedelta(days=day), tick=False):
            record_morning_checkin(patient=patient, score=3)
            session_id = start(api)
            from supine.sessions.models import ExerciseSession

            plan = ExerciseSession.objects.get(id=session_id).plan
            at = (NOW + timedelta(days=day, minutes=1)).isoformat()
            events = [{**e, "at": at} for e in whole_session_events(plan)]
            assert send(api, session_id, events).status_code == 200
    with time_machine.travel(NOW + timedelta(days=2, hours=2), tick=False):
        visit = book_visit(clinician=clinician, patient=patient, starts_at=NOW + timedelta(days=5))
        line = bearer_client(clinician.user).get("/api/v1/clinic/patients").json()["items"][0]
    assert line["last_session_on"] == (NOW + timedelta(days=2)).date().isoformat()
    assert line["adherence_14d"] == round(3 / 14, 2)
    assert datetime.fromisoformat(line["next_visit"]) == visit.starts_at
    assert line["standing"] == "Exercising"


def test_a_flagged_patient_needs_the_clinician(clinic):
    clinician = make_clinician(clinic)
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("weak_bones",))
    line = bearer_client(clinician.user).get("/api/v1/clinic/patients").json()["items"][0]
    assert line["standing"] == "Paused — needs clearance"
