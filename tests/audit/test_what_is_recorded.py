"""Refused looks at other clinics' records, the operator's deletions and password resets
are recorded, with the address they came from; a patient's audit rows are kept."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.test import Client

from supine.clinic.models import AuditEvent, Patient
from supine.clinic.services import raise_alert
from tests.api.helpers import bearer_client, post_json
from tests.factories import PASSWORD


def denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.denied"))


def test_a_look_at_another_clinics_patient_is_recorded(client, patient, other_clinic_clinician):
    client.force_login(other_clinic_clinician.user)
    assert client.get(f"/clinic/patients/{patient.id}/").status_code == 404
    [row] = denied()
    assert row.actor == other_clinic_clinician.user
    assert row.patient == patient
    assert row.address == "127.0.0.1"


def test_a_clearance_for_another_clinics_patient_is_recorded(patient, other_clinic_clinician):
    api = bearer_client(other_clinic_clinician.user)
    response = post_json(api, f"/api/v1/clinic/patients/{patient.id}/clearance", {"reason": "x"})
    assert response.status_code == 404
    assert [row.patient for row in denied()] == [patient]


def test_acknowledging_another_clinics_alert_is_recorded(patient, other_clinic_clinician):
    alert = raise_alert(patient=patient, kind="pain_trend", severity="attention", reason="r")
    api = bearer_client(other_clinic_clinician.user)
    assert post_json(api, f"/api/v1/clinic/alerts/{alert.id}/ack", {}).status_code == 404
    client = Client()
    client.force_login(other_clinic_clinician.user)
    assert client.post(f"/clinic/alerts/{alert.id}/ack").status_code == 404
    rows = denied()
    assert [row.patient for row in rows] == [patient, patient]
    assert all(str(alert.id) in row.detail for row in rows)


def test_probing_for_patients_that_do_not_exist_is_recorded(client, clinician):
    client.force_login(clinician.user)
    unknown = uuid.uuid4()
    assert client.get(f"/clinic/patients/{unknown}/").status_code == 404
    [row] = denied()
    assert row.patient is None
    assert str(unknown) in row.detail and "does not exist" in row.detail


def test_a_clinicians_own_patient_is_not_a_denial(client, clinician, patient):
    client.force_login(clinician.user)
    assert client.get(f"/clinic/patients/{patient.id}/").status_code == 200
    assert denied() == []
    assert AuditEvent.objects.get(action="patient.view").address == "127.0.0.1"


def test_behind_the_proxy_the_row_carries_the_clients_address(settings, clinician, patient):
    settings.TRUSTED_PROXY_HOPS = 1
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    client.force_login(clinician.user)
    client.get(f"/clinic/patients/{patient.id}/")
    assert AuditEvent.objects.get(action="patient.view").address == "203.0.113.9"


@pytest.fixture
def operator(client, db):
    user = get_user_model().objects.create_superuser("operator", "op@example.org", PASSWORD)
    client.force_login(user)
    return client


def test_the_operator_cannot_delete_a_patient_and_the_attempt_is_recorded(operator, patient):
    response = operator.post(f"/admin/clinic/patient/{patient.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Patient.objects.filter(pk=patient.pk).exists()
    assert AuditEvent.objects.get(action="admin.patient.delete_refused").patient == patient


def test_nor_delete_the_patients_account(operator, patient):
    url = f"/admin/auth/user/{patient.user.pk}/delete/"
    assert operator.post(url, {"post": "yes"}).status_code == 403
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_closing_an_account_is_recorded_and_earlier_rows_stay_linked(
    operator, client, clinician, patient
):
    viewer = Client()
    viewer.force_login(clinician.user)
    viewer.get(f"/clinic/patients/{patient.id}/")
    response = operator.post(
        "/admin/clinic/patient/",
        {"action": "close_accounts", "_selected_action": [str(patient.pk)]},
    )
    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert not patient.user.is_active
    actions = list(AuditEvent.objects.filter(patient=patient).values_list("action", flat=True))
    assert "patient.view" in actions and "admin.patient.close" in actions
    assert (
        Client().post("/accounts/login/", {"username": "patient", "password": PASSWORD}).status_code
        == 200
    )  # the sign-in form again: the account is closed


def test_a_patient_with_audit_rows_cannot_be_deleted_by_code_either(clinician, patient):
    from supine.clinic.services import audit

    audit(actor=clinician.user, patient=patient, action="patient.view")
    with pytest.raises(ProtectedError):
        patient.delete()
    with pytest.raises(ProtectedError):
        patient.user.delete()


def test_an_operators_password_reset_is_recorded(operator, patient):
    phone_app = bearer_client(patient.user)
    new = "a fresh passphrase here"
    response = operator.post(
        f"/admin/auth/user/{patient.user.pk}/password/",
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="admin.password.reset")
    assert row.patient == patient and row.address == "127.0.0.1"
    assert phone_app.get("/api/v1/me/plan").status_code == 401
