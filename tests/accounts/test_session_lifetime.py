"""Staff sessions end after 30 idle minutes and 12 hours at most; a patient's lasts longer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from tests.factories import PASSWORD

T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def still_in(client: Client, url: str) -> bool:
    response = client.get(url)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return False
    assert response.status_code == 200
    return True


def test_a_clinician_idle_for_more_than_30_minutes_signs_in_again(clinician):
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in("clinician")
        clock.shift(timedelta(minutes=29))
        assert still_in(client, "/clinic/")
        clock.shift(timedelta(minutes=31))
        assert not still_in(client, "/clinic/")
        # Signed out for good, not only for that one request.
        assert not still_in(client, "/clinic/")


def test_a_clinician_idle_for_a_little_less_stays_signed_in(clinician):
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in("clinician")
        for _ in range(4):
            clock.shift(timedelta(minutes=25))
            assert still_in(client, "/clinic/")


def test_a_busy_clinician_signs_in_again_after_12_hours(clinician):
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in("clinician")
        for _ in range(11 * 4 + 3):
            clock.shift(timedelta(minutes=15))
            assert still_in(client, "/clinic/")
        clock.shift(timedelta(minutes=20))  # 12 h 5 min after signing in
        assert not still_in(client, "/clinic/")


def test_the_clinicians_api_calls_with_the_session_end_too(clinician):
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in("clinician")
        assert client.get("/api/v1/clinic/alerts").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/api/v1/clinic/alerts").status_code == 401


def test_a_patient_stays_signed_in_for_days_on_their_own_device(patient, settings):
    settings.PATIENT_SESSION_DAYS = 14
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in("patient")
        clock.shift(timedelta(days=3))
        assert still_in(client, "/today/")
        clock.shift(timedelta(days=10, hours=23))
        assert still_in(client, "/today/")
        clock.shift(timedelta(hours=2))  # 14 days and an hour after signing in
        assert not still_in(client, "/today/")


def test_the_patients_session_length_is_a_setting(patient, settings):
    settings.PATIENT_SESSION_DAYS = 2
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in("patient")
        clock.shift(timedelta(days=2, minutes=1))
        assert not still_in(client, "/today/")
