from __future__ import annotations

import re


def test_today_lists_the_prescribed_exercises_with_pictures_and_doses(client, patient):
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert (
        html.index("Deep Abdominal Strengthening") < html.index("Knee Rolls") < html.index("Bridge")
    )
    pictures = re.findall(r'<img src="/exercises/([a-z-]+)/thumbnail.svg"', html)
    assert pictures == ["deep-abdominal-strengthening", "knee-rolls", "bridge"]
    assert "5 reps, holding for 5 seconds each" in html
    assert "10 reps, alternating sides" in html


def test_today_asks_morning_pain_before_the_first_session(client, patient):
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert "How was your back when you woke up today?" in html
    assert 'href="/session/"' not in html
    client.post("/today/checkin", {"score": "3"})
    html = client.get("/today/").content.decode()
    assert "How was your back when you woke up today?" not in html
    assert 'href="/session/"' in html
    assert patient.pain_reports.get().moment == "morning"


def test_a_morning_checkin_is_taken_once_a_day(client, patient):
    client.force_login(patient.user)
    client.post("/today/checkin", {"score": "3"})
    client.post("/today/checkin", {"score": "5"})
    assert list(patient.pain_reports.values_list("score", flat=True)) == [3]


def test_a_bad_morning_score_is_refused_with_an_error_that_keeps_the_input(client, patient):
    client.force_login(patient.user)
    for sent in ("11", "x", "-1"):
        response = client.post("/today/checkin", {"score": sent})
        assert response.status_code == 422
        html = response.content.decode()
        assert f"You sent “{sent}”. Choose a number from 0 to 10." in html
        assert "How was your back when you woke up today?" in html
    response = client.post("/today/checkin", {})
    assert response.status_code == 422
    assert "Choose a number from 0 to 10." in response.content.decode()
    assert not patient.pain_reports.exists()


def test_today_without_a_program_says_so(client, db):
    from tests.factories import make_patient

    patient = make_patient(program=False)
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert "hasn't prescribed any exercises" in html
    assert 'href="/session/"' not in html


def test_a_clinician_is_sent_from_today_to_the_clinic(client, clinician):
    client.force_login(clinician.user)
    response = client.get("/today/", follow=True)
    assert response.redirect_chain[-1][0] == "/clinic/"


def test_the_clinic_page_lists_only_the_clinics_own_patients(
    client, patient, clinician, other_clinic_clinician
):
    client.force_login(other_clinic_clinician.user)
    assert patient.display_name not in client.get("/clinic/").content.decode()
    client.force_login(clinician.user)
    assert patient.display_name in client.get("/clinic/").content.decode()


def test_the_clinic_page_shows_who_is_waiting_for_what(client, clinic, clinician):
    from tests.factories import make_patient, screen

    unscreened = make_patient(clinic, screened=False)
    waiting = make_patient(clinic, screened=False)
    screen(waiting, advised=False)
    flagged = make_patient(clinic, screened=False)
    screen(flagged, yes=("weak_bones",))
    client.force_login(clinician.user)
    html = client.get("/clinic/").content.decode()
    assert html.count("Safety questions not answered yet") == 1
    assert html.count("Waiting for a clinician&#x27;s advice or clearance") == 1
    assert html.count("Paused — needs clearance") == 1
    assert unscreened.display_name in html
