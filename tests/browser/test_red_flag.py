from __future__ import annotations

from tests.browser.conftest import sign_in
from tests.browser.flows import answer_screening


def test_a_red_flag_shows_emergency_advice_and_the_clinician_sees_the_alert(
    browser, page, live_server, demo
):
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page, yes=("saddle_numbness",))
    page.wait_for_url(f"{live_server.url}/today/")
    assert page.get_by_role("heading", name="Please get medical help now").is_visible()
    assert "999" in page.locator(".advice").inner_text()
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
