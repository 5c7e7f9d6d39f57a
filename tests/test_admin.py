from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from supine.clinic.models import AuditEvent, Clinic
from supine.library.models import Exercise


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-123456")
    client.force_login(user)
    return client


def test_a_clinic_edits_an_exercise_and_a_bad_figure_is_refused(admin_client):
    exercise = Exercise.objects.get(slug="bridge")
    url = f"/admin/library/exercise/{exercise.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        body_regions='["glutes"]', equipment="[]", steps='["Lie down."]', cautions="[]",
        sources='[{"title": "x"}]', figure='{"view": "side", "keyframes": []}',
    )  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The pose sequence is not valid" in response.content.decode()


CLINIC_FORM = {"name": "Harbour Clinic", "region": "us", "escalation_minutes": 30}


def test_loosening_a_threshold_needs_the_flag_and_is_recorded(admin_client):
    clinic = Clinic.objects.create(name="Harbour Clinic")
    url = f"/admin/clinic/clinic/{clinic.pk}/change/"
    refused = admin_client.post(url, {**CLINIC_FORM, "safety_thresholds": '{"ceiling_base": 6}'})
    assert refused.status_code == 200
    assert "ceiling_base" in refused.content.decode()
    clinic.refresh_from_db()
    assert clinic.safety_thresholds == {}
    admin_client.post(
        url,
        {**CLINIC_FORM, "safety_thresholds": '{"ceiling_base": 6}',
         "allow_looser_thresholds": "on"},
    )  # fmt: skip
    clinic.refresh_from_db()
    assert clinic.safety_thresholds == {"ceiling_base": 6}
    event = AuditEvent.objects.get(action="clinic.thresholds.loosened")
    assert "ceiling_base" in event.detail


def test_a_stricter_threshold_is_accepted_without_the_flag(admin_client):
    clinic = Clinic.objects.create(name="Harbour Clinic")
    admin_client.post(
        f"/admin/clinic/clinic/{clinic.pk}/change/",
        {**CLINIC_FORM, "safety_thresholds": '{"ceiling_base": 4}'},
    )
    clinic.refresh_from_db()
    assert clinic.safety_thresholds == {"ceiling_base": 4}
    assert not AuditEvent.objects.exists()


def test_clinic_staff_cannot_use_the_admin(client, clinician):
    clinician.user.is_staff = True
    clinician.user.save()
    client.force_login(clinician.user)
    response = client.get("/admin/clinic/patient/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_operator_viewing_patients_is_audited(admin_client, patient):
    admin_client.get("/admin/clinic/patient/")
    admin_client.get(f"/admin/clinic/patient/{patient.pk}/change/")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"admin.patient.list", "admin.patient.view"} <= actions


def test_the_admin_refuses_a_precaution_outside_the_vocabulary(admin_client):
    exercise = Exercise.objects.get(slug="bridge")
    url = f"/admin/library/exercise/{exercise.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        body_regions='["glutes"]', equipment="[]", steps='["Lie down."]', cautions="[]",
        sources='[{"title": "x"}]', mistakes="[]", assessment_only="",
        precautions='[{"condition": "bad_back", "advice": "Go gently."}]',
        figure=json.dumps(exercise.figure),
    )  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The precautions are not valid" in response.content.decode()
    exercise.refresh_from_db()
    assert {p["condition"] for p in exercise.precautions} == {"pregnancy"}


def test_the_operator_sees_each_alert_email_and_its_attempts_but_no_health_detail(
    admin_client, patient
):
    from supine.clinic.models import AlertDelivery, AlertKind, AlertSeverity, DeliveryAttempt
    from supine.clinic.services import raise_alert

    alert = raise_alert(
        patient=patient, kind=AlertKind.RED_FLAG, severity=AlertSeverity.URGENT,
        reason="Saddle numbness reported",
    )  # fmt: skip
    delivery = AlertDelivery.objects.get(alert=alert)
    DeliveryAttempt.objects.create(
        delivery=delivery, number=1, at=delivery.created_at, sent=False,
        error="ConnectionRefusedError",
    )  # fmt: skip
    listing = admin_client.get("/admin/clinic/alertdelivery/").content.decode()
    assert str(alert.id) in listing
    page = admin_client.get(f"/admin/clinic/alertdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ConnectionRefusedError" in html
    for private in ("Saddle numbness", patient.display_name):
        assert private not in listing and private not in html
    # Read-only: the record of what happened is not edited by hand.
    admin_client.post(f"/admin/clinic/alertdelivery/{delivery.pk}/change/", {"status": "sent"})
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert admin_client.get("/admin/clinic/alertdelivery/add/").status_code == 403
