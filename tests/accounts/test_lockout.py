from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client

from tests.api.helpers import post_json
from tests.factories import PASSWORD, make_stranger

PROXY = "10.0.0.2"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 10


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1


def via_proxy(address: str) -> Client:
    """A browser at `address`, reaching Supine through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def token(client: Client, username: str, password: str):
    return post_json(client, "/api/v1/auth/token", {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_token_endpoint(axes_on, patient):
    client = Client()
    for _ in range(2):
        assert token(client, "patient", "x").status_code == 401
    token(client, "patient", "x")
    locked = token(client, "patient", PASSWORD)
    assert locked.status_code == 429
    assert "try again" in locked.json()["detail"]


def test_repeated_wrong_passwords_lock_the_login_page(axes_on, patient):
    client = Client()
    for _ in range(3):
        sign_in(client, "patient", "x")
    response = sign_in(client, "patient", PASSWORD)
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_behind_the_proxy_one_attacker_cannot_lock_a_clinician_out(
    axes_on, behind_proxy, clinician
):
    attacker = via_proxy("203.0.113.66")
    for _ in range(5):
        sign_in(attacker, "clinician", "guess")
    assert sign_in(attacker, "clinician", PASSWORD).status_code == 429
    at_work = via_proxy("198.51.100.7")
    response = sign_in(at_work, "clinician", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in at_work.session


def test_a_forged_forwarded_address_does_not_escape_the_lock(axes_on, behind_proxy, patient):
    for n in range(3):
        # Each attempt claims another origin; the proxy appends the real one.
        token(via_proxy(f"192.0.2.{n}, 203.0.113.66"), "patient", "guess")
    assert token(via_proxy("192.0.2.99, 203.0.113.66"), "patient", PASSWORD).status_code == 429


def test_without_a_proxy_the_forwarded_header_is_ignored(axes_on, settings, patient):
    settings.TRUSTED_PROXY_HOPS = 0
    for n in range(3):
        token(via_proxy(f"192.0.2.{n}"), "patient", "guess")
    assert token(via_proxy("192.0.2.99"), "patient", PASSWORD).status_code == 429


def test_one_address_trying_many_usernames_is_locked(axes_on, behind_proxy, db):
    for n in range(12):
        make_stranger(f"person{n}")
    spray = via_proxy("203.0.113.66")
    answers = [token(spray, f"person{n}", "Spring2024!").status_code for n in range(12)]
    # The tenth failure from one address reaches its limit, whichever usernames they were.
    assert answers == [401] * 9 + [429] * 3
    # Someone else, elsewhere, signs in as usual.
    assert token(via_proxy("198.51.100.7"), "person11", PASSWORD).status_code == 200


def test_an_api_sign_in_is_a_login_and_clears_earlier_failures(axes_on, patient):
    client = Client()
    for _ in range(2):
        assert token(client, "patient", "typo").status_code == 401
    assert token(client, "patient", PASSWORD).status_code == 200
    patient.user.refresh_from_db()
    assert patient.user.last_login is not None
    assert AccessLog.objects.filter(username="patient").count() == 1
    assert not AccessAttempt.objects.filter(username="patient").exists()
    # A single later typo is one failure, not the third.
    assert token(client, "patient", "typo").status_code == 401
    assert token(client, "patient", PASSWORD).status_code == 200
