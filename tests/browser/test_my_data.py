"""A patient asks for their account to be deleted from "Your data"; the clinician
confirms it on the patient's page. Both pages pass axe-core, on a phone's width too."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import assert_accessible, axe_page  # noqa: F401
from tests.browser.test_player import demo_patient


def test_asking_and_confirming_a_deletion(axe_page, live_server, demo, browser):  # noqa: F811
    from tests.factories import screen

    patient = demo_patient(demo)
    screen(patient)
    page = axe_page
    sign_in(page, live_server, demo.patient_username)
    page.get_by_role("link", name="Your data").first.click()
    page.wait_for_url(f"{live_server.url}/me/data/")
    expect(page.get_by_role("link", name="Download my data")).to_have_attribute(
        "href", "/api/v1/me/export"
    )
    assert_accessible(page, "Your data")
    page.get_by_label("I want my account deleted").check()
    page.get_by_role("button", name="Ask my clinic to delete my account").click()
    expect(page.get_by_role("status").first).to_contain_text("Your clinic will confirm it")

    clinic = browser.new_context(viewport={"width": 390, "height": 844})
    desk = clinic.new_page()
    desk.set_default_timeout(10_000)
    sign_in(desk, live_server, demo.clinician_username)
    desk.goto(f"{live_server.url}/clinic/patients/{patient.id}/")
    expect(desk.get_by_role("heading", name="Asks for their account to be deleted")).to_be_visible()
    assert_accessible(desk, "the patient's page with a deletion request")
    desk.get_by_label("I confirm the deletion of this account").check()
    desk.get_by_role("button", name="Delete the account").click()
    expect(desk.locator(".account-closed")).to_contain_text("Account deleted on")
    clinic.close()

    page.goto(f"{live_server.url}/today/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/today/")
