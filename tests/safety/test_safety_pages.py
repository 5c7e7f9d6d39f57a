"""The patient's safety pages: flare day, the short form, one-tap answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from supine.clinic.models import Alert
from supine.safety.models import SafetyBlock, Screening
from tests.factories import make_patient, safe_answers, screen


@pytest.fixture
def signed_in(client, patient):
    client.force_login(patient.user)
    return client


def test_a_morning_rating_of_8_makes_a_flare_day_on_today(signed_in, patient):
    response = signed_in.post("/today/checkin", {"score": "9"})
    assert response.url == "/safety/symptoms/?form=short"
    html = signed_in.get("/today/").content.decode()
    assert "No exercises today" in html
    assert "You rated your pain 9/10 this morning." in html
    assert "flare plan" in html
    assert 'href="/session/"' not in html
    assert Alert.objects.get(patient=patient).kind == "flare"
    # A flare day alone is not a hold for the clinic to clear.
    assert not SafetyBlock.objects.open().filter(patient=patient).exists()


def test_the_short_form_is_asked_once_a_week_after_the_morning_check_in(client, clinic):
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        patient = make_patient(clinic)
    client.force_login(patient.user)
    assert client.post("/today/checkin", {"score": "2"}).url == "/safety/symptoms/?form=short"
    page = client.get("/safety/symptoms/?form=short").content.decode()
    assert "A few quick safety questions" in page
    assert "ces_saddle" in page and "lump" in page
    assert 'name="cancer"' not in page  # Part A is not asked again


def test_the_short_form_answered_with_nothing_returns_to_today(signed_in, patient):
    answers = {qid: "no" for qid, value in safe_answers().items()}
    answers["form"] = "short"
    response = signed_in.post("/safety/symptoms/?form=short", answers)
    assert response.status_code == 302
    assert Screening.objects.filter(patient=patient, form="short").exists()


def test_an_emergency_symptom_on_the_short_form_asks_the_one_confirmation(signed_in, patient):
    answers = {qid: "no" for qid in safe_answers()}
    answers["chest_pain"] = "yes"
    page = signed_in.post("/safety/symptoms/?form=emergency", answers).content.decode()
    assert "Is this new, or getting worse?" in page
    answers["confirm_chest_pain"] = "new"
    signed_in.post("/safety/symptoms/?form=emergency", answers)
    html = signed_in.get("/today/").content.decode()
    assert "Call 911 now. Don&#x27;t drive yourself." in html
    assert 'href="tel:911"' in html


def test_my_doctor_advised_me_is_one_tap(client, clinic):
    patient = make_patient(clinic, screened=False)
    screen(patient, advised=False)
    client.force_login(patient.user)
    assert "suit me" in client.get("/today/").content.decode()
    client.post("/safety/advised/")
    html = client.get("/today/").content.decode()
    assert "Your exercises for today" in html


def test_checked_by_a_doctor_tells_the_clinic_but_keeps_the_hold(client, clinic):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("lump",))
    client.force_login(patient.user)
    client.post("/safety/checked/")
    assert SafetyBlock.objects.open().filter(patient=patient).exists()
    assert Alert.objects.filter(patient=patient, kind="review").exists()
    assert "stay paused" in client.get("/today/").content.decode()
