from __future__ import annotations

import re

from tests.browser.conftest import sign_in
from tests.browser.flows import answer_screening


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_patient_reaches_the_flare_plan_from_today_on_a_phone(page, live_server, demo, tmp_path):
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page)
    page.wait_for_url(f"{live_server.url}/today/")
    page.get_by_role("link", name="Your flare-up plan").click()
    page.wait_for_url(f"{live_server.url}/learn/flare-plan/")
    assert page.get_by_role("heading", name="Your flare-up plan").is_visible()
    assert page.get_by_text("Call 911 or go to the ER").is_visible()
    assert fits_the_phone(page)
    page.screenshot(path=str(tmp_path / "flare-plan.png"), full_page=True)
    page.get_by_role("link", name="Back to Today").click()
    page.wait_for_url(f"{live_server.url}/today/")


def test_the_exercise_page_shows_the_patients_dose_on_a_phone(page, live_server, demo, tmp_path):
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page)
    page.wait_for_url(f"{live_server.url}/today/")
    on_today = page.locator("ol.today li", has_text="Knee Rolls").locator(".dose").inner_text()
    reps = re.match(r"\d+", on_today).group()
    page.get_by_role("link", name="Knee Rolls").click()
    page.wait_for_url(f"{live_server.url}/exercises/knee-rolls/")
    assert page.get_by_role("heading", name="Your dose today").is_visible()
    # The same dose as Today's, in short.
    assert page.locator(".yours .dose").inner_text() == f"{reps} reps, alternating sides, hold 5 s"
    assert page.get_by_role("heading", name="What you should feel").count() == 1
    assert fits_the_phone(page)
    page.screenshot(path=str(tmp_path / "knee-rolls.png"), full_page=True)
