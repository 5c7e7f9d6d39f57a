from __future__ import annotations

from supine.clinic.models import Alert
from tests.api.helpers import bearer_client, post_json
from tests.factories import make_patient, screen


def test_alerts_list_only_the_clinicians_own_clinic(clinic, clinician, other_clinic_clinician):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("steroids",))
    mine = bearer_client(clinician.user).get("/api/v1/clinic/alerts").json()
    theirs = bearer_client(other_clinic_clinician.user).get("/api/v1/clinic/alerts").json()
    assert theirs == []
    assert len(mine) == 1
    alert = mine[0]
    assert set(alert) == {"id", "patient", "severity", "reason", "created_at", "acknowledged_at"}
    assert alert["patient"] == {"id": str(patient.id), "name": patient.display_name}
    assert alert["severity"] == "attention"
    assert alert["acknowledged_at"] is None


def test_patients_get_a_403_for_alerts(patient):
    assert bearer_client(patient.user).get("/api/v1/clinic/alerts").status_code == 403


def test_acknowledging_records_who_and_when_and_closes_it(clinic, clinician):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("ces_saddle",))
    api = bearer_client(clinician.user)
    alert_id = api.get("/api/v1/clinic/alerts").json()[0]["id"]
    response = post_json(api, f"/api/v1/clinic/alerts/{alert_id}/ack", {})
    assert response.status_code == 200
    assert response.json()["acknowledged_at"] is not None
    alert = Alert.objects.get(id=alert_id)
    assert alert.acknowledged_by == clinician
    assert api.get("/api/v1/clinic/alerts").json() == []


def test_another_clinic_cannot_acknowledge(clinic, other_clinic_clinician):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("ces_saddle",))
    alert = Alert.objects.get()
    api = bearer_client(other_clinic_clinician.user)
    assert post_json(api, f"/api/v1/clinic/alerts/{alert.id}/ack", {}).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_clinic_page_lists_open_alerts(client, clinic, clinician):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("ces_saddle",))
    client.force_login(clinician.user)
    html = client.get("/clinic/").content.decode()
    assert "Urgent" in html and patient.display_name in html
    alert = Alert.objects.get()
    client.post(f"/clinic/alerts/{alert.id}/ack")
    assert "No open alerts." in client.get("/clinic/").content.decode()
