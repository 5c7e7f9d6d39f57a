"""A clinician books a visit on the patient page; the patient sees it on Today. The
dashboard and the patient page are photographed at a phone's and a desk's size."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.browser.flows import answer_screening

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"


def test_a_clinician_books_a_visit_and_the_patient_sees_it_on_today(
    browser, page, live_server, demo
):
    from supine.clinic.models import Patient

    patient = Patient.objects.get(user__username=demo.patient_username)
    when = timezone.localtime() + timedelta(days=2)
    when = when.replace(hour=10, minute=30, second=0, microsecond=0)

    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    clinician = desk.new_page()
    clinician.set_default_timeout(10_000)
    sign_in(clinician, live_server, demo.clinician_username)
    clinician.goto(f"{live_server.url}/clinic/patients/{patient.id}/")
    form = clinician.locator("#book-visit")
    form.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Minutes").fill("45")
    form.get_by_label("Kind").select_option("acupuncture")
    form.get_by_label("Note for the patient (optional)").fill("Bring loose clothes")
    form.get_by_role("button", name="Book visit").click()
    clinician.wait_for_url(f"{live_server.url}/clinic/patients/{patient.id}/")
    assert clinician.get_by_text("Visit booked.").is_visible()
    assert clinician.locator(".visits li.visit").count() == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    clinician.screenshot(path=SHOTS / "patient-1280.png", full_page=True)
    clinician.goto(f"{live_server.url}/clinic/")
    clinician.screenshot(path=SHOTS / "dashboard-1280.png", full_page=True)

    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page)
    page.wait_for_url(f"{live_server.url}/today/")
    visit = page.locator("#next-visit")
    assert visit.is_visible()
    text = visit.inner_text()
    assert "Acupuncture" in text
    assert when.strftime("%H:%M") in text
    assert f"{when.day} {when:%B}" in text
    assert "Bring loose clothes" in text

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    small = phone.new_page()
    sign_in(small, live_server, demo.clinician_username)
    small.goto(f"{live_server.url}/clinic/")
    small.screenshot(path=SHOTS / "dashboard-390.png", full_page=True)
    small.goto(f"{live_server.url}/clinic/patients/{patient.id}/")
    small.screenshot(path=SHOTS / "patient-390.png", full_page=True)
    # The charts are pictures that load, and say what they show in words.
    charts = small.locator("figure.chart img")
    assert charts.count() == 3
    for index in range(3):
        small.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=charts.nth(index).element_handle()
        )
        assert charts.nth(index).get_attribute("alt")
    phone.close()
    desk.close()
