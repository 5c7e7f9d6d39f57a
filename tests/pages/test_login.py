from __future__ import annotations

from django.test import Client

from tests.factories import PASSWORD


def test_a_patient_signs_in_and_lands_on_today(patient):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "patient", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/today/"
    assert b"Deep Abdominal Strengthening" in response.content


def test_a_clinician_signs_in_and_lands_on_the_clinic(clinician):
    response = Client().post(
        "/accounts/login/", {"username": "clinician", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/clinic/"


def test_a_wrong_password_shows_a_clear_message(patient):
    response = Client().post("/accounts/login/", {"username": "patient", "password": "wrong"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_pages_for_patients_send_strangers_to_sign_in(db):
    response = Client().get("/today/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_page_carries_a_strict_content_security_policy(db):
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
