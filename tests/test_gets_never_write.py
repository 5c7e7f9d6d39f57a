"""A page never writes: no GET — page or API, for any role — changes the database.

Decisions (a dose step, an alert) are taken when the facts arrive and stored; reading
only reads (clinical-rules.md §3). The audit log and sign-in bookkeeping aside: reading a
patient's record is itself recorded, by design.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from supine.appointments.calendar import feed_token
from supine.appointments.services import book_visit
from supine.outcomes.models import PainMoment, PainReport
from supine.programs.services import todays_items, todays_plan
from supine.safety.services import plan_safety
from supine.sessions.models import ExerciseSession
from tests.factories import make_clinician, make_patient

# Tables a read may write by design: the audit log of staff reads, and sign-in state.
ALLOWED = ("clinic_auditevent", "django_session", "axes_", "auth_user")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def every_route(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from every_route(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


class Writes:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql) and not any(f'"{t}' in sql or f" {t}" in sql for t in ALLOWED):
            self.statements.append(sql)
        return execute(sql, params, many, context)


@pytest.fixture
def world(clinic):
    """A patient with a session whose dose is still to be decided, and their clinician."""
    patient = make_patient(clinic)
    clinician = make_clinician(clinic)
    plan = todays_plan(todays_items(patient), safety=plan_safety(patient))
    ended = timezone.now() - timedelta(days=1)
    session = ExerciseSession.objects.create(
        patient=patient,
        plan=plan,
        plan_date=timezone.localdate(ended),
        status="completed",
        started_at=ended - timedelta(minutes=10),
        ended_at=ended,
    )
    # The next morning arrived without going through the check-in (as an import would):
    # a page that decided lazily would now write a dose decision.
    PainReport.objects.create(
        patient=patient, score=2, moment=PainMoment.MORNING, day=timezone.localdate()
    )
    from supine.clinic.services import raise_alert

    alert = raise_alert(patient=patient, kind="review", severity="attention", reason="Look.")
    from supine.accounts.tokens import issue

    values = {
        "token_id": issue(user=patient.user)[1].id,
        "slug": "bridge",
        "patient_id": patient.id,
        "session_id": session.id,
        "alert_id": alert.id,
        "path": "supine/supine.css",
        "name": "NOTICE.txt",
        "invitation_id": uuid.uuid4(),
        "clinician_id": clinician.id,
        "uidb64": "MQ",
        "appointment_id": book_visit(
            clinician=clinician, patient=patient, starts_at=ended + timedelta(days=3)
        ).id,
        "token": feed_token(patient),
    }
    return patient, clinician, values


def concrete(route: str, values: dict) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(2)
        assert name in values, f"add a value for <{name}> in {route!r} to this test"
        return str(values[name])

    url = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    return "/" + url.lstrip("^").rstrip("$")


def test_no_get_writes_for_any_role(client, world):
    patient, clinician, values = world
    routes = [r for r in every_route() if not r.startswith("admin/")]
    assert any(r.startswith("api/v1/") for r in routes)
    for user in (None, patient.user, clinician.user):
        client.logout()
        if user is not None:
            client.force_login(user)
        for route in routes:
            url = concrete(route, values)
            writes = Writes()
            with connection.execute_wrapper(writes):
                response = client.get(url)
            assert response.status_code < 500, url
            assert not writes.statements, f"GET {url} as {user} wrote: {writes.statements[0]}"


def test_the_write_detector_can_fail(world):
    writes = Writes()
    with connection.execute_wrapper(writes):
        PainReport.objects.create(patient=world[0], score=1, id=uuid.uuid4())
    assert writes.statements
