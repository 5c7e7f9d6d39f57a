"""An API error made JSON declares its own length: the page it replaced was longer, and a
client told to expect more bytes than come waits until it times out."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/api/v1/no-such-thing", 404), ("put", "/api/v1/exercises", 405)],
)
def test_a_json_error_declares_the_length_of_its_own_body(db, settings, method, path, status):
    settings.DEBUG = False
    response = getattr(Client(), method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert int(response["Content-Length"]) == len(response.content)
