"""Changing a password asks for the current one, and ends every other sign-in and token."""

from __future__ import annotations

from django.test import Client

from tests.api.helpers import post_json
from tests.factories import PASSWORD

NEW = "a new and longer passphrase"


def signed_in(username: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client


def token(username: str, password: str = PASSWORD) -> Client:
    body = {"username": username, "password": password}
    raw = post_json(Client(), "/api/v1/auth/token", body).json()["token"]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def change(client: Client, old: str = PASSWORD, new: str = NEW):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_current_password_is_asked_for_again(patient):
    client = signed_in("patient")
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert b"Current password" in page.content
    wrong = change(client, old="not the password at all")
    assert wrong.status_code == 200
    patient.user.refresh_from_db()
    assert patient.user.check_password(PASSWORD)


def test_a_new_password_shorter_than_12_characters_is_refused(patient):
    response = change(signed_in("patient"), new="Short1!xyz")
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_a_password_change_ends_every_token_and_every_other_sign_in(patient):
    phone_app, laptop = token("patient"), signed_in("patient")
    assert phone_app.get("/api/v1/me/plan").status_code == 200
    here = signed_in("patient")
    response = change(here)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    assert phone_app.get("/api/v1/me/plan").status_code == 401
    assert laptop.get("/today/").status_code == 302
    assert here.get("/today/").status_code == 200
    assert token("patient", NEW).get("/api/v1/me/plan").status_code == 200


def test_a_password_set_anywhere_else_ends_the_tokens_too(patient):
    phone_app = token("patient")
    patient.user.set_password(NEW)
    patient.user.save()
    assert phone_app.get("/api/v1/me/plan").status_code == 401


def test_a_stranger_is_sent_to_sign_in(db):
    response = Client().get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
