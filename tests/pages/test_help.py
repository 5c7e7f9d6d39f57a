"""When to get help: public, in the region's words, with tap-to-call links."""

from __future__ import annotations

import pytest

from supine.clinic.models import Clinic


def test_anyone_can_read_it_without_signing_in(client, db, settings):
    settings.SUPINE_REGION = "uk"
    response = client.get("/help/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "When to get help" in html
    assert 'href="tel:999"' in html
    assert "Go to A&amp;E now, or call 999." in html
    assert 'href="tel:111"' in html  # NHS 111 for urgent advice
    assert "I have new symptoms" not in html  # that needs a patient's account


@pytest.mark.parametrize(("region", "number"), [("us", "911"), ("uk", "999"), ("eu", "112")])
def test_a_patient_sees_their_clinics_region_and_phone(client, patient, settings, region, number):
    settings.SUPINE_REGION = "uk" if region != "uk" else "us"
    Clinic.objects.filter(pk=patient.clinic_id).update(region=region, phone="+1 (555) 010-0199")
    client.force_login(patient.user)
    html = client.get("/help/").content.decode()
    assert f'href="tel:{number}"' in html
    assert f"Call {number} now. Don&#x27;t drive yourself." in html
    assert 'href="tel:+15550100199"' in html
    assert "Riverside Clinic" in html
    assert 'href="/safety/symptoms/"' in html


def test_a_clinician_sees_their_clinics_region(client, clinician, settings):
    settings.SUPINE_REGION = "us"
    Clinic.objects.filter(pk=clinician.clinic_id).update(region="eu")
    client.force_login(clinician.user)
    html = client.get("/help/").content.decode()
    assert 'href="tel:112"' in html
    assert 'href="tel:911"' not in html


def test_it_shows_the_flare_plan_and_the_urgent_signs(client, db):
    html = client.get("/help/").content.decode()
    assert "On a flare day" in html
    assert "Most flare-ups settle within days to a few weeks." in html
    assert "Weight loss you can&#x27;t explain." in html
    assert "cauda equina syndrome" in html


def test_every_page_links_to_it_from_the_footer(client, patient):
    for path in ("/accounts/login/", "/exercises/"):
        assert 'href="/help/"' in client.get(path).content.decode()
    client.force_login(patient.user)
    assert 'href="/help/"' in client.get("/today/").content.decode()


def test_its_service_worker_is_scoped_to_the_help_page(client, db):
    response = client.get("/help/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/help/"
    assert response["Content-Type"].startswith("text/javascript")
    assert client.get("/session/sw.js")["Service-Worker-Allowed"] == "/session/"
