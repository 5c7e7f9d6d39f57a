"""One JSON line per request on `supine.requests`: its id, the account number, the status,
the time, the method and the route's pattern; never a patient's id, name or a query."""

from __future__ import annotations

import json
import logging
import uuid
from io import StringIO

import pytest
from django.test import Client

from supine.ops.logs import JsonFormatter, RequestIdFilter
from tests.api.helpers import bearer_client
from tests.test_settings import PRODUCTION, settings_in

KEYS = {"request_id", "user_id", "status", "duration_ms", "method", "route"}


@pytest.fixture
def lines():
    """Every line any logger writes while the test runs, formatted as production does."""
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def request_lines(all_lines: list[dict]) -> list[dict]:
    return [line for line in all_lines if line["logger"] == "supine.requests"]


def test_a_request_logs_one_json_line_with_the_route_and_no_patient_data(lines, clinician, patient):
    client = Client()
    client.force_login(clinician.user)

    response = client.get(f"/clinic/patients/{patient.id}/?q=looking-for-sam")

    assert response.status_code == 200
    [line] = request_lines(lines())
    assert set(line) >= KEYS
    assert line["route"] == "clinic/patients/<uuid:patient_id>/"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["user_id"] == clinician.user.pk
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["request_id"] == response["X-Request-ID"]
    written = "\n".join(json.dumps(line) for line in lines())
    # The factory's patient is "Sam Patient".
    for secret in (str(patient.id), patient.id.hex, "Sam", "looking-for-sam"):
        assert secret not in written


def test_a_refused_look_names_the_route_not_the_path(lines, other_clinic_clinician, patient):
    client = Client()
    client.force_login(other_clinic_clinician.user)

    response = client.get(f"/clinic/patients/{patient.id}/")

    assert response.status_code == 404
    [line] = request_lines(lines())
    assert (line["status"], line["route"]) == (404, "clinic/patients/<uuid:patient_id>/")
    # Django's own "Not Found" line too.
    assert any(
        entry["logger"] == "django.request"
        and entry["message"] == "Not Found: clinic/patients/<uuid:patient_id>/"
        for entry in lines()
    )
    assert str(patient.id) not in "\n".join(json.dumps(entry) for entry in lines())


def test_an_api_call_with_a_token_names_the_account_and_the_api_route(lines, patient):
    response = bearer_client(patient.user).get("/api/v1/me/plan")

    assert response.status_code == 200
    [line] = request_lines(lines())
    assert line["route"] == "api/v1/me/plan"
    assert line["user_id"] == patient.user.pk


def test_an_anonymous_request_to_no_route_logs_nulls(lines, db):
    response = Client().get(f"/nowhere/{uuid.uuid4()}/?name=Sam")

    assert response.status_code == 404
    [line] = request_lines(lines())
    assert (line["user_id"], line["route"], line["status"]) == (None, None, 404)
    assert "Sam" not in json.dumps(lines())


def test_a_clients_request_id_is_ignored_unless_behind_our_proxy(lines, db, settings):
    incoming = "proxy-id-0123456789abcdef"
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] != incoming

    settings.BEHIND_PROXY = True
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming
    forged = Client().get("/healthz", HTTP_X_REQUEST_ID='x" injected\n{"user_id": 1}')
    assert forged["X-Request-ID"] != 'x" injected\n{"user_id": 1}'
    assert [line["request_id"] for line in request_lines(lines())][1] == incoming


def test_lines_written_during_a_request_carry_its_id(lines, db):
    Client().get("/nowhere/")
    request_id = request_lines(lines())[0]["request_id"]
    assert all(line["request_id"] == request_id for line in lines())


def test_production_logs_json_by_default_and_text_on_request():
    result = settings_in(PRODUCTION, "SUPINE_LOG_FORMAT")
    assert result.stdout.split() == ["'json'"], result.stderr
    assert settings_in({**PRODUCTION, "SUPINE_LOG_FORMAT": "text"}, "LOGGING").returncode == 0
    refused = settings_in({**PRODUCTION, "SUPINE_LOG_FORMAT": "xml"}, "DEBUG")
    assert refused.returncode != 0
    assert "SUPINE_LOG_FORMAT must be json or text" in refused.stderr
