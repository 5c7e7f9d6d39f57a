"""Who may do what, for every URL of the app, from one table.

Every route the URL resolver knows (walked as tests/test_gets_never_write.py does, so a
new URL cannot be missed) is asked by every role: a GET, and for a route that writes,
one write (POST, or the route's own method). The table says the answer each role gets;
a route missing from it fails with the row to add. Nothing answers 500.

Each request runs in a transaction that is rolled back, so one role's write never
changes what the next role sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from supine.accounts.invitations import Enrolment, enrol_patient, invite_clinician
from supine.accounts.reset import reset_path
from supine.accounts.tokens import issue
from supine.clinic.services import raise_alert
from supine.sessions.models import ExerciseSession
from tests.factories import PASSWORD, make_clinic, make_clinician, make_patient
from tests.test_gets_never_write import concrete, every_route

ROLES = (
    "anonymous",
    "patient",
    "other_patient",
    "clinician",
    "other_clinician",
    "admin",
    "operator",
)


@dataclass(frozen=True)
class Row:
    """Answers in ROLES order, e.g. "302 200 200 302 302 302 302"; `write` is the method
    and answers of the route's write, if it has one."""

    get: str
    write: tuple[str, str] | None = None


# Each answer string, in ROLES order:
#   anonymous · patient · other clinic's patient · clinician · other clinic's clinician
#   (an admin there) · clinic admin · operator (superuser, no clinic role).
# 302 for a page means "sign in" (anonymous) or "not your page: go home" (other roles).
TABLE: dict[str, Row] = {
    "": Row("302 302 302 302 302 302 302"),
    "healthz": Row("200 200 200 200 200 200 200"),
    "accounts/login/": Row("200 302 302 302 302 302 302", ("POST", "200 302 302 302 302 302 302")),
    "accounts/logout/": Row("405 405 405 405 405 405 405", ("POST", "302 302 302 302 302 302 302")),
    "accounts/password/": Row(
        "302 200 200 200 200 200 200", ("POST", "302 200 200 200 200 200 200")
    ),
    "accounts/password/done/": Row(
        "302 200 200 200 200 200 200", ("POST", "302 405 405 405 405 405 405")
    ),
    "today/": Row("302 200 200 302 302 302 302"),
    "session/": Row("302 200 200 302 302 302 302"),
    "session/sw.js": Row("200 200 200 200 200 200 200"),
    "help/": Row("200 200 200 200 200 200 200"),
    # The self-management pages are public; the test's slug is an exercise's, not a page's.
    "learn/": Row("200 200 200 200 200 200 200", ("POST", "405 405 405 405 405 405 405")),
    "learn/<slug:slug>/": Row(
        "404 404 404 404 404 404 404", ("POST", "405 405 405 405 405 405 405")
    ),
    # Visits, calendars, reminders and the dashboard's patient list. An API write's body is
    # checked before who sends it: a patient's empty POST is a 422, and writes nothing.
    "api/v1/clinic/appointments": Row(
        "401 403 403 200 200 200 403", ("POST", "401 422 422 422 422 422 422")
    ),
    "api/v1/clinic/appointments/<appointment_id>": Row(
        "405 405 405 405 405 405 405", ("POST", "405 405 405 405 405 405 405")
    ),
    "api/v1/clinic/patients": Row(
        "401 403 403 200 200 200 403", ("POST", "405 405 405 405 405 405 405")
    ),
    "api/v1/me/calendar": Row(
        "401 200 200 200 200 200 403", ("POST", "405 405 405 405 405 405 405")
    ),
    "api/v1/me/calendar/rotate": Row(
        "405 405 405 405 405 405 405", ("POST", "401 200 200 200 200 200 403")
    ),
    "clinic/patients/<uuid:patient_id>/visits": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 302 404 302 302")
    ),
    "clinic/visits/<uuid:appointment_id>/move": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 302 404 302 302")
    ),
    "clinic/visits/<uuid:appointment_id>/cancel": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 302 404 302 302")
    ),
    # The feed's secret address is its key: no sign-in.
    "calendar/<str:token>.ics": Row(
        "200 200 200 200 200 200 200", ("POST", "405 405 405 405 405 405 405")
    ),
    "me/reminders/": Row("302 200 200 302 302 302 302", ("POST", "302 200 200 302 302 302 302")),
    "me/calendar/rotate": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 302 302 302 302")
    ),
    "learn/<slug:slug>/figure.svg": Row(
        "404 404 404 404 404 404 404", ("POST", "405 405 405 405 405 405 405")
    ),
    # The program builder: the clinician's own clinic only.
    "api/v1/clinic/patients/<patient_id>/program": Row(
        "401 403 403 200 404 200 403", ("POST", "405 405 405 405 405 405 405")
    ),
    "clinic/patients/<uuid:patient_id>/program/": Row(
        "302 302 302 200 404 200 302", ("POST", "302 302 302 422 404 422 302")
    ),
    "clinic/patients/<uuid:patient_id>/program/status": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 302 404 302 302")
    ),
    "help/sw.js": Row("200 200 200 200 200 200 200"),
    "manifest.webmanifest": Row("200 200 200 200 200 200 200"),
    # The motion coach's runtime, models and notices: the same for everyone, no data.
    "coach/assets/<path:name>": Row(
        "200 200 200 200 200 200 200", ("POST", "405 405 405 405 405 405 405")
    ),
    "exercises/": Row("200 200 200 200 200 200 200"),
    "exercises/<slug:slug>/": Row("200 200 200 200 200 200 200"),
    "exercises/<slug:slug>/figure.svg": Row("200 200 200 200 200 200 200"),
    "exercises/<slug:slug>/thumbnail.svg": Row("200 200 200 200 200 200 200"),
    "today/checkin": Row("405 405 405 405 405 405 405", ("POST", "302 302 302 302 302 302 302")),
    "safety/screening/": Row(
        "302 200 200 302 302 302 302", ("POST", "302 422 422 302 302 302 302")
    ),
    "safety/symptoms/": Row("302 200 200 302 302 302 302", ("POST", "302 422 422 302 302 302 302")),
    "safety/advised/": Row("405 405 405 405 405 405 405", ("POST", "302 302 302 302 302 302 302")),
    "safety/checked/": Row("405 405 405 405 405 405 405", ("POST", "302 302 302 302 302 302 302")),
    "clinic/": Row("302 302 302 200 200 200 302"),
    "clinic/patients/<uuid:patient_id>/": Row("302 302 302 200 404 200 302"),
    "clinic/patients/<uuid:patient_id>/clear": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 302 404 302 302")
    ),
    "clinic/alerts/<uuid:alert_id>/ack": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 302 404 302 302")
    ),
    "api/v1/openapi.json": Row(
        "401 200 200 200 200 200 200", ("POST", "401 200 200 200 200 200 200")
    ),
    "api/v1/docs": Row("302 200 200 200 200 200 200", ("POST", "302 200 200 200 200 200 200")),
    "api/v1/auth/token": Row(
        "405 405 405 405 405 405 405", ("POST", "422 422 422 422 422 422 422")
    ),
    "api/v1/auth/tokens": Row("401 200 200 200 200 200 200"),
    "api/v1/auth/tokens/<token_id>": Row(
        "405 405 405 405 405 405 405", ("DELETE", "401 204 404 404 404 404 404")
    ),
    "api/v1/exercises": Row("200 200 200 200 200 200 200"),
    "api/v1/exercises/<slug>": Row("200 200 200 200 200 200 200"),
    "api/v1/me/plan": Row("401 200 200 403 403 403 403"),
    "api/v1/me/pain": Row("405 405 405 405 405 405 405", ("POST", "401 422 422 422 422 422 422")),
    "api/v1/me/sessions": Row(
        "405 405 405 405 405 405 405", ("POST", "401 201 201 403 403 403 403")
    ),
    "api/v1/me/sessions/<session_id>": Row("401 200 404 403 403 403 403"),
    "api/v1/me/sessions/<session_id>/events": Row(
        "405 405 405 405 405 405 405", ("POST", "401 422 422 422 422 422 422")
    ),
    "api/v1/me/screening/questions": Row("401 200 200 403 403 403 403"),
    "api/v1/me/screening": Row(
        "405 405 405 405 405 405 405", ("POST", "401 422 422 422 422 422 422")
    ),
    "api/v1/clinic/alerts": Row("401 403 403 200 200 200 403"),
    "api/v1/clinic/alerts/<alert_id>/ack": Row(
        "405 405 405 405 405 405 405", ("POST", "401 403 403 200 404 200 403")
    ),
    "api/v1/clinic/patients/<patient_id>/clearance": Row(
        "405 405 405 405 405 405 405", ("POST", "401 422 422 422 422 422 422")
    ),
    "api/v1/auth/signup": Row(
        "405 405 405 405 405 405 405", ("POST", "422 422 422 422 422 422 422")
    ),
    "api/v1/clinic/invitations": Row(
        "401 403 403 200 200 200 403", ("POST", "401 422 422 422 422 422 422")
    ),
    "api/v1/clinic/invitations/<invitation_id>": Row(
        "405 405 405 405 405 405 405", ("DELETE", "401 403 403 204 404 204 403")
    ),
    "api/v1/": Row("404 404 404 404 404 404 404", ("POST", "404 404 404 404 404 404 404")),
    "clinic/settings/": Row("302 403 403 403 200 200 403"),
    "clinic/settings/clinic": Row(
        "405 405 405 405 405 405 405", ("POST", "302 403 403 403 422 422 403")
    ),
    "clinic/settings/clinicians/<uuid:clinician_id>": Row(
        "405 405 405 405 405 405 405", ("POST", "302 403 403 403 404 302 403")
    ),
    "clinic/settings/invite": Row(
        "405 405 405 405 405 405 405", ("POST", "302 403 403 403 422 422 403")
    ),
    "clinic/settings/invitations/<uuid:invitation_id>/revoke": Row(
        "405 405 405 405 405 405 405", ("POST", "302 403 403 403 404 302 403")
    ),
    "clinic/patients/new": Row(
        "302 302 302 200 200 200 302", ("POST", "302 302 302 200 200 200 302")
    ),
    "clinic/invitations/": Row("302 302 302 200 200 200 302"),
    "clinic/invitations/<uuid:invitation_id>/resend": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 200 404 200 302")
    ),
    "clinic/invitations/<uuid:invitation_id>/revoke": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 302 404 302 302")
    ),
    "clinic/patients/<uuid:patient_id>/reset-link": Row(
        "405 405 405 405 405 405 405", ("POST", "302 302 302 200 404 200 302")
    ),
    "join/": Row("200 200 200 200 200 200 200", ("POST", "200 200 200 200 200 200 200")),
    "join/clinician/<str:token>/": Row(
        "200 200 200 200 200 200 200", ("POST", "200 200 200 200 200 200 200")
    ),
    "join/<str:token>/": Row(
        "200 200 200 200 200 200 200", ("POST", "200 200 200 200 200 200 200")
    ),
    "accounts/password/reset/": Row(
        "200 200 200 200 200 200 200", ("POST", "200 200 200 200 200 200 200")
    ),
    "accounts/password/reset/sent/": Row("200 200 200 200 200 200 200"),
    "accounts/reset/<uidb64>/<token>/": Row(
        "200 200 200 200 200 200 200", ("POST", "200 200 200 200 200 200 200")
    ),
    "accounts/reset/done/": Row("200 200 200 200 200 200 200"),
}


@pytest.fixture
def world(clinic):
    patient = make_patient(clinic, username="patient")
    clinician = make_clinician(clinic, username="clinician")
    admin = make_clinician(clinic, username="admin")
    admin.is_admin = True
    admin.save(update_fields=["is_admin"])
    elsewhere = make_clinic("Hilltop Clinic")
    other_patient = make_patient(elsewhere, username="other-patient")
    other_clinician = make_clinician(elsewhere, username="other-clinician")
    # An admin at their own clinic: their rights there must not reach this one.
    other_clinician.is_admin = True
    other_clinician.save(update_fields=["is_admin"])
    operator = get_user_model().objects.create_superuser(username="operator", password=PASSWORD)
    alert = raise_alert(patient=patient, kind="review", severity="attention", reason="Look.")
    session = ExerciseSession.objects.create(
        patient=patient, plan={}, plan_date="2026-01-05", status="in_progress"
    )
    _, issued = enrol_patient(
        clinician=clinician,
        enrolment=Enrolment(name="Robin Patient", year_of_birth=1970, usual_pain=3),
    )
    colleague_invitation, colleague_token = invite_clinician(
        clinician=admin, name="Jo Physio", email="jo@example.org"
    )
    uidb64, reset_token = reset_path(patient.user).strip("/").split("/")[-2:]
    from datetime import timedelta

    from django.utils import timezone

    from supine.appointments.calendar import feed_token
    from supine.appointments.services import book_visit

    visit = book_visit(
        clinician=clinician, patient=patient, starts_at=timezone.now() + timedelta(days=3)
    )
    values = {
        "appointment_id": visit.id,
        "patient_id": patient.id,
        "alert_id": alert.id,
        "session_id": session.id,
        "token_id": issue(user=patient.user)[1].public_id,
        "slug": "bridge",
        "path": "supine/supine.css",
        "name": "NOTICE.txt",
        "invitation_id": issued.invitation.id,
        "clinician_id": clinician.id,
        "token": issued.token,
        "uidb64": uidb64,
    }
    # Where one parameter name means different things in different routes.
    per_route = {
        "join/clinician/<str:token>/": {"token": colleague_token},
        "clinic/settings/invitations/<uuid:invitation_id>/revoke": {
            "invitation_id": colleague_invitation.id
        },
        "accounts/reset/<uidb64>/<token>/": {"token": reset_token},
        "calendar/<str:token>.ics": {"token": feed_token(patient)},
    }
    users = {
        "anonymous": None,
        "patient": patient.user,
        "other_patient": other_patient.user,
        "clinician": clinician.user,
        "other_clinician": other_clinician.user,
        "admin": admin.user,
        "operator": operator,
    }
    return users, values, per_route


def routes() -> list[str]:
    seen: dict[str, None] = {}
    for route in every_route():
        if not route.startswith("admin/"):
            seen.setdefault(route, None)
    return list(seen)


class Person:
    """A role's browser: signed in once, and its cookies restored before every request,
    so that a sign-out (or a sign-in) answered to one request does not carry over."""

    def __init__(self, user) -> None:
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.cookies = self.client.cookies.output(header="")

    def ask(self, method: str, url: str) -> int:
        self.client.cookies = SimpleCookie(self.cookies)
        cache.clear()
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(url)
            elif url.startswith("/api/"):
                response = self.client.generic(
                    method, url, data="{}", content_type="application/json"
                )
            else:
                response = self.client.generic(method, url, data="")
            transaction.set_rollback(True)
        return response.status_code


def answers(people: dict[str, Person], method: str, url: str) -> str:
    return " ".join(str(people[role].ask(method, url)) for role in ROLES)


def test_every_url_answers_every_role_as_the_table_says(world):
    users, values, per_route = world
    people = {role: Person(user) for role, user in users.items()}
    actual: dict[str, Row] = {}
    for route in routes():
        url = concrete(route, {**values, **per_route.get(route, {})})
        expected = TABLE.get(route)
        method = expected.write[0] if expected and expected.write else "POST"
        got_write = answers(people, method, url)
        # A route that does not write answers 405 to everyone; its row says nothing more.
        no_write = expected and expected.write is None and set(got_write.split()) == {"405"}
        write = None if no_write else (method, got_write)
        actual[route] = Row(get=answers(people, "GET", url), write=write)
    problems = [route for route in actual if TABLE.get(route) != actual[route]]
    assert not any("500" in (r.get + (r.write[1] if r.write else "")) for r in actual.values())
    suggestion = "\n".join(f"    {route!r}: {actual[route]!r}," for route in problems)
    assert not problems, f"these rows differ from what the app answers:\n{suggestion}"
    assert set(TABLE) == set(actual), (
        f"rows for routes that no longer exist: {set(TABLE) - set(actual)}"
    )


def test_the_table_can_fail(world):
    """A route answering a stranger 200 where the table says 404 is caught."""
    users, values, _ = world
    url = concrete("clinic/patients/<uuid:patient_id>/", values)
    assert Person(users["other_clinician"]).ask("GET", url) == 404
    assert re.fullmatch(r"(\d{3} ){6}\d{3}", TABLE["clinic/patients/<uuid:patient_id>/"].get)
