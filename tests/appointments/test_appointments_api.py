"""`/api/v1/clinic/appointments`: book, list, move, cancel; scoped and audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import time_machine

from supine.appointments.models import Appointment
from supine.clinic.models import AuditEvent
from tests.api.helpers import bearer_client, post_json

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def patch_json(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


@time_machine.travel(NOW, tick=False)
def test_a_clinician_books_lists_moves_and_cancels_a_visit(patient, clinician):
    api = bearer_client(clinician.user)
    body = {
        "patient": str(patient.id),
        "starts_at": (NOW + timedelta(days=2)).isoformat(),
        "minutes": 40,
        "kind": "acupuncture",
        "note": "Wear loose clothes",
    }
    created = post_json(api, "/api/v1/clinic/appointments", body)
    assert created.status_code == 201, created.content
    visit = created.json()
    assert visit["patient"] == str(patient.id)
    assert visit["clinician"] == str(clinician.id)
    assert visit["minutes"] == 40
    listed = api.get("/api/v1/clinic/appointments").json()
    assert [v["id"] for v in listed] == [visit["id"]]
    moved = patch_json(
        api,
        f"/api/v1/clinic/appointments/{visit['id']}",
        {"starts_at": (NOW + timedelta(days=4)).isoformat()},
    )
    assert moved.status_code == 200
    assert datetime.fromisoformat(moved.json()["starts_at"]) == NOW + timedelta(days=4)
    assert moved.json()["note"] == "Wear loose clothes"
    assert api.delete(f"/api/v1/clinic/appointments/{visit['id']}").status_code == 204
    assert api.get("/api/v1/clinic/appointments").json() == []
    assert Appointment.objects.get(id=visit["id"]).cancelled_at == NOW
    actions = list(
        AuditEvent.objects.filter(patient=patient, action__startswith="visit.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["visit.book", "visit.cancel", "visit.change"]


@time_machine.travel(NOW, tick=False)
def test_another_clinics_visit_or_patient_is_404(patient, clinician, other_clinic_clinician):
    mine = bearer_client(clinician.user)
    theirs = bearer_client(other_clinic_clinician.user)
    body = {"patient": str(patient.id), "starts_at": (NOW + timedelta(days=1)).isoformat()}
    assert post_json(theirs, "/api/v1/clinic/appointments", body).status_code == 404
    visit = post_json(mine, "/api/v1/clinic/appointments", body).json()
    url = f"/api/v1/clinic/appointments/{visit['id']}"
    assert patch_json(theirs, url, {"minutes": 20}).status_code == 404
    assert theirs.delete(url).status_code == 404
    assert theirs.get(f"/api/v1/clinic/appointments?patient={patient.id}").status_code == 404
    assert theirs.get("/api/v1/clinic/appointments").json() == []
    assert Appointment.objects.get(id=visit["id"]).cancelled_at is None


@time_machine.travel(NOW, tick=False)
def test_bad_visits_are_422_naming_the_field(patient, clinician):
    api = bearer_client(clinician.user)
    base = {"patient": str(patient.id), "starts_at": (NOW + timedelta(days=1)).isoformat()}
    for change, field in (
        ({"minutes": 0}, "minutes"),
        ({"kind": "surgery"}, "kind"),
        ({"starts_at": "2027-03-02T10:00:00"}, "starts_at"),
        ({"starts_at": (NOW - timedelta(days=90)).isoformat()}, "starts_at"),
        ({"colour": "red"}, "colour"),
    ):
        response = post_json(api, "/api/v1/clinic/appointments", {**base, **change})
        assert response.status_code == 422, change
        assert field in response.json()["detail"], response.json()
    assert not Appointment.objects.exists()


def test_patients_cannot_use_the_clinic_api(patient):
    api = bearer_client(patient.user)
    assert api.get("/api/v1/clinic/appointments").status_code == 403
