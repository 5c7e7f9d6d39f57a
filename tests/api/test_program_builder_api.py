"""GET and PUT /api/v1/clinic/patients/{id}/program: versions, 422s, 409, scoping."""

from __future__ import annotations

import json

import pytest

from supine.clinic.models import AuditEvent
from supine.programs.models import Prescription
from tests.api.helpers import bearer_client

HANDOUT = {
    "exercises": [
        {
            "slug": "deep-abdominal-strengthening",
            "reps": {"min": 5, "max": 10},
            "hold_seconds": {"min": 5, "max": 5},
            "sets": {"min": 1, "max": 1},
            "note": "",
        },
        {
            "slug": "knee-rolls",
            "reps": {"min": 10, "max": 15},
            "hold_seconds": {"min": 5, "max": 5},
            "sets": {"min": 1, "max": 1},
            "note": "",
        },
        {
            "slug": "bridge",
            "reps": {"min": 5, "max": 10},
            "hold_seconds": {"min": 5, "max": 10},
            "sets": {"min": 1, "max": 1},
            "note": "",
        },
    ],
    "sessions_per_day": 1,
    "days_per_week": 7,
    "starts_on": None,
    "status": "active",
}


def url(patient) -> str:
    return f"/api/v1/clinic/patients/{patient.id}/program"


def put(client, patient, body, **headers):
    return client.put(
        url(patient), data=json.dumps(body), content_type="application/json", headers=headers
    )


def changed(body, **fields):
    copy = json.loads(json.dumps(body))
    copy.update(fields)
    return copy


@pytest.fixture
def api(clinician):
    return bearer_client(clinician.user)


def test_the_clinician_reads_the_program_with_its_version_and_etag(api, patient):
    response = api.get(url(patient))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert response["ETag"] == '"1"'
    assert [e["slug"] for e in body["exercises"]] == [
        "deep-abdominal-strengthening",
        "knee-rolls",
        "bridge",
    ]
    assert body["exercises"][1]["reps"] == {"min": 10, "max": 15}
    assert body["status"] == "active"


def test_reading_the_program_is_audited(api, patient):
    api.get(url(patient))
    assert AuditEvent.objects.filter(patient=patient, action="program.view").exists()


def test_a_change_is_saved_as_the_next_version_with_who_and_what(api, patient, clinician):
    body = json.loads(json.dumps(HANDOUT))
    body["exercises"][2]["reps"] = {"min": 6, "max": 8}
    response = put(api, patient, body, **{"If-Match": '"1"'})
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["version"] == 2
    assert response["ETag"] == '"2"'
    assert saved["changed_by"] == clinician.display_name
    assert "Bridge: reps 5–10 → 6–8" in saved["change_summary"]
    current = Prescription.objects.active().get(patient=patient)
    assert current.version == 2
    assert Prescription.objects.filter(patient=patient).count() == 2
    event = AuditEvent.objects.filter(patient=patient, action="program.change").get()
    assert event.actor == clinician.user
    assert "version 2" in event.detail


def test_the_same_program_again_keeps_the_version(api, patient):
    first = put(api, patient, HANDOUT)
    # The factory's program did not confirm the clinic's ceiling; the first PUT does.
    again = put(api, patient, HANDOUT)
    assert again.status_code == 200
    assert again.json()["version"] == first.json()["version"]


def test_an_old_version_in_if_match_is_a_409(api, patient):
    assert (
        put(api, patient, changed(HANDOUT, days_per_week=5), **{"If-Match": '"1"'}).status_code
        == 200
    )
    response = put(api, patient, changed(HANDOUT, days_per_week=4), **{"If-Match": '"1"'})
    assert response.status_code == 409
    assert "version 2" in response.json()["detail"]
    assert Prescription.objects.active().get(patient=patient).days_per_week == 5


def test_a_range_outside_the_librarys_is_a_422_naming_the_field(api, patient):
    body = json.loads(json.dumps(HANDOUT))
    body["exercises"][1]["reps"] = {"min": 10, "max": 30}
    response = put(api, patient, body)
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["exercises.1.reps.max"]
    assert Prescription.objects.filter(patient=patient).count() == 1


def test_a_hold_for_an_exercise_without_one_is_a_422(api, patient):
    body = changed(
        HANDOUT,
        exercises=[
            {
                "slug": "cat-camel",
                "reps": {"min": 5, "max": 8},
                "hold_seconds": {"min": 2, "max": 2},
                "sets": {"min": 1, "max": 1},
                "note": "",
            }
        ],
    )
    response = put(api, patient, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "exercises.0.hold_seconds"


def test_an_unknown_slug_is_a_422_naming_the_field(api, patient):
    body = json.loads(json.dumps(HANDOUT))
    body["exercises"][0]["slug"] = "headstand"
    response = put(api, patient, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "exercises.0.slug"


def test_a_bad_status_is_a_422(api, patient):
    response = put(api, patient, changed(HANDOUT, status="finished"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_pausing_makes_a_version_and_todays_plan_offers_no_session(api, patient, client):
    response = put(api, patient, changed(HANDOUT, status="paused"))
    assert response.status_code == 200
    assert "Paused" in response.json()["change_summary"]
    plan = bearer_client(patient.user).get("/api/v1/me/plan").json()
    assert [step["kind"] for step in plan["steps"]] == ["done"]
    assert "paused" in plan["program_notice"]


def test_another_clinics_patient_is_a_404(other_clinic_clinician, patient):
    api = bearer_client(other_clinic_clinician.user)
    assert api.get(url(patient)).status_code == 404
    assert put(api, patient, HANDOUT).status_code == 404
    assert Prescription.objects.filter(patient=patient).count() == 1


def test_a_patient_may_not_use_it(patient):
    api = bearer_client(patient.user)
    assert api.get(url(patient)).status_code == 403
    assert put(api, patient, HANDOUT).status_code == 403


def test_a_patient_without_a_program_reads_version_0_and_gets_one(api, clinic):
    from tests.factories import make_patient

    newcomer = make_patient(clinic, program=False)
    assert api.get(url(newcomer)).json()["version"] == 0
    response = put(api, newcomer, HANDOUT, **{"If-Match": '"0"'})
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["change_summary"].startswith("New program:")
