from __future__ import annotations

import pytest

from supine.clinic.models import AuditEvent
from supine.safety.models import Clearance, SafetyBlock
from tests.api.helpers import bearer_client, post_json
from tests.factories import make_patient, screen


@pytest.fixture
def flagged(clinic):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("weak_bones",))
    return patient


def clearance_url(patient) -> str:
    return f"/api/v1/clinic/patients/{patient.id}/clearance"


def test_the_patients_own_clinician_clears_a_block_and_it_is_recorded(flagged, clinician):
    api = bearer_client(clinician.user)
    response = post_json(api, clearance_url(flagged), {"reason": "Seen today; long-standing."})
    assert response.status_code == 201
    assert response.json()["blocks_cleared"] == 1
    clearance = Clearance.objects.get(patient=flagged)
    assert (clearance.clinician, clearance.reason) == (clinician, "Seen today; long-standing.")
    assert not SafetyBlock.objects.open().filter(patient=flagged).exists()
    assert AuditEvent.objects.filter(patient=flagged, action="patient.clear").exists()
    assert bearer_client(flagged.user).get("/api/v1/me/plan").status_code == 200


def test_a_clinician_of_another_clinic_cannot_clear(flagged, other_clinic_clinician):
    api = bearer_client(other_clinic_clinician.user)
    response = post_json(api, clearance_url(flagged), {"reason": "Fine."})
    assert response.status_code == 404
    assert SafetyBlock.objects.open().filter(patient=flagged).exists()
    assert not Clearance.objects.exists()


def test_a_patient_cannot_clear_themselves(flagged):
    response = post_json(bearer_client(flagged.user), clearance_url(flagged), {"reason": "Fine."})
    assert response.status_code == 403
    assert SafetyBlock.objects.open().filter(patient=flagged).exists()


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": 5}])
def test_a_clearance_needs_a_reason(flagged, clinician, body):
    response = post_json(bearer_client(clinician.user), clearance_url(flagged), body)
    assert response.status_code == 422
    assert not Clearance.objects.exists()


def test_clearance_is_shown_in_the_patients_history_page(flagged, clinician, client):
    post_json(bearer_client(clinician.user), clearance_url(flagged), {"reason": "Reviewed X-ray."})
    client.force_login(clinician.user)
    html = client.get(f"/clinic/patients/{flagged.id}/").content.decode()
    assert "Reviewed X-ray." in html
    assert clinician.display_name in html


def test_a_clearance_also_stands_for_the_clinicians_advice(clinic, clinician):
    patient = make_patient(clinic, screened=False)
    screen(patient, advised=False)
    assert bearer_client(patient.user).get("/api/v1/me/plan").status_code == 403
    post_json(
        bearer_client(clinician.user), clearance_url(patient), {"reason": "Advised in clinic."}
    )
    assert bearer_client(patient.user).get("/api/v1/me/plan").status_code == 200


def test_a_blank_reason_is_refused_not_a_server_error(flagged, clinician):
    response = post_json(bearer_client(clinician.user), clearance_url(flagged), {"reason": "   "})
    assert response.status_code == 422
    assert "reason" in response.json()["detail"]


def test_the_page_clears_only_the_blocks_the_clinician_had_seen(flagged, clinician, client):
    from datetime import timedelta

    client.force_login(clinician.user)
    page = client.get(f"/clinic/patients/{flagged.id}/")
    seen_at = page.context["seen_at"]
    later = SafetyBlock.objects.create(
        patient=flagged, source="screening", urgency="emergency", reason="New.", advice="Go."
    )
    SafetyBlock.objects.filter(pk=later.pk).update(
        created_at=later.created_at + timedelta(minutes=1)
    )
    client.post(f"/clinic/patients/{flagged.id}/clear", {"reason": "Seen.", "seen_at": seen_at})
    open_blocks = list(SafetyBlock.objects.open().filter(patient=flagged))
    assert open_blocks == [later]


# Clearance governance (clinical-rules.md §1, Clearance).


@pytest.fixture
def emergency_hold(clinic):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("both_legs",))
    return patient


@pytest.fixture
def urgent_hold(clinic):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("lump",))
    return patient


def test_a_clinician_the_clinic_has_not_allowed_gets_a_403(flagged, clinic):
    from tests.factories import make_clinician

    junior = make_clinician(clinic, may_clear_holds=False)
    response = post_json(bearer_client(junior.user), clearance_url(flagged), {"reason": "Fine."})
    assert response.status_code == 403
    assert SafetyBlock.objects.open().filter(patient=flagged).exists()


@pytest.mark.parametrize("fixture", ["emergency_hold", "urgent_hold"])
def test_an_emergency_or_urgent_hold_needs_who_assessed_and_when(request, fixture, clinician):
    patient = request.getfixturevalue(fixture)
    api = bearer_client(clinician.user)
    refused = post_json(api, clearance_url(patient), {"reason": "Looks fine to me."})
    assert refused.status_code == 422
    assert "assessed_by" in refused.json()["detail"]
    body = {"reason": "ED found no cauda equina.", "assessed_by": "emergency_department",
            "assessed_on": "2026-11-20"}  # fmt: skip
    response = post_json(api, clearance_url(patient), body)
    assert response.status_code == 201, response.content
    clearance = Clearance.objects.get(patient=patient)
    assert clearance.assessed_by == "emergency_department"
    assert str(clearance.assessed_on) == "2026-11-20"
    assert clearance.clinician_profession == "physiotherapist"
    assert clearance.clinician_registration == "PH-12345"
    assert clearance.rulebook_version == "2.1"


def test_an_emergency_hold_on_ones_own_assessment_needs_a_doctor(emergency_hold, clinic):
    from django.utils import timezone

    from tests.factories import make_clinician

    today = timezone.localdate().isoformat()
    body = {"reason": "Examined.", "assessed_by": "this_clinician", "assessed_on": today}
    physio = make_clinician(clinic)
    refused = post_json(bearer_client(physio.user), clearance_url(emergency_hold), body)
    assert refused.status_code == 422
    assert "doctor" in refused.json()["detail"]
    doctor = make_clinician(clinic, profession="doctor")
    assert (
        post_json(bearer_client(doctor.user), clearance_url(emergency_hold), body).status_code
        == 201
    )


def test_an_urgent_hold_on_a_trained_clinicians_same_day_assessment(urgent_hold, clinic):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_clinician

    trained = make_clinician(clinic)
    trained.assesses_red_flags = True
    trained.save()
    api = bearer_client(trained.user)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = {"reason": "Examined.", "assessed_by": "this_clinician", "assessed_on": yesterday}
    assert post_json(api, clearance_url(urgent_hold), body).status_code == 422
    body["assessed_on"] = timezone.localdate().isoformat()
    assert post_json(api, clearance_url(urgent_hold), body).status_code == 201
