from __future__ import annotations

import pytest
from django.test import Client

from tests.api.helpers import post_json
from tests.factories import PASSWORD


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def test_repeated_wrong_passwords_lock_the_token_endpoint(axes_on, patient):
    client = Client()
    for _ in range(2):
        wrong = post_json(client, "/api/v1/auth/token", {"username": "patient", "password": "x"})
        assert wrong.status_code == 401
    post_json(client, "/api/v1/auth/token", {"username": "patient", "password": "x"})
    locked = post_json(client, "/api/v1/auth/token", {"username": "patient", "password": PASSWORD})
    assert locked.status_code == 429
    assert "try again" in locked.json()["detail"]


def test_repeated_wrong_passwords_lock_the_login_page(axes_on, patient):
    client = Client()
    for _ in range(3):
        client.post("/accounts/login/", {"username": "patient", "password": "x"})
    response = client.post("/accounts/login/", {"username": "patient", "password": PASSWORD})
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
