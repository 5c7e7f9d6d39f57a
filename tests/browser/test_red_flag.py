from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.flows import answer_screening


def test_an_emergency_yes_is_confirmed_then_shows_the_emergency_screen_and_alerts(
    browser, page, live_server, demo
):
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page, yes=("ces_saddle",))
    # The one confirmation before an emergency screen (clinical-rules.md §1).
    expect(page.get_by_text("Is this new, or getting worse?")).to_be_visible()
    expect(page.get_by_label("Yes, or not sure")).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/today/")
    expect(page.get_by_role("heading", name="Get medical help now")).to_be_visible()
    # The demo clinic is in the US: the emergency number first and largest, tap to call.
    call = page.get_by_role("link", name="Call 911")
    expect(call).to_have_attribute("href", "tel:911")
    assert "I'm worried about cauda equina syndrome." in page.locator(".advice").inner_text()
    expect(page.get_by_role("heading", name="Then let your clinic know")).to_be_visible()
    assert page.get_by_role("link", name="Start").count() == 0
    page.goto(f"{live_server.url}/session/")
    assert page.url == f"{live_server.url}/today/"

    clinic = browser.new_context().new_page()
    sign_in(clinic, live_server, demo.clinician_username)
    clinic.wait_for_url(f"{live_server.url}/clinic/")
    alert = clinic.locator(".alert").first
    assert "Urgent" in alert.inner_text()
    assert "Demo Patient" in alert.inner_text()
    clinic.context.close()


def test_a_symptom_a_doctor_has_checked_goes_to_review_not_emergency(page, live_server, demo):
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page, yes=("both_legs",))
    page.get_by_label("No, and a doctor has checked it").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/today/")
    expect(
        page.get_by_role("heading", name="Your clinic will look at your answers")
    ).to_be_visible()
    assert "If it changes, go to the ER" in page.locator(".advice").inner_text()
