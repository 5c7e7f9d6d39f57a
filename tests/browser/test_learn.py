from __future__ import annotations

import re

from tests.browser.conftest import sign_in
from tests.browser.flows import answer_screening


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_patient_reads_a_page_from_today_on_a_phone(page, live_server, demo, tmp_path):
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page)
    page.wait_for_url(f"{live_server.url}/today/")
    page.get_by_role("link", name="Hurt is not harm").click()
    page.wait_for_url(f"{live_server.url}/learn/hurt-is-not-harm/")
    assert page.get_by_role("heading", name="Hurt is not harm").is_visible()
    assert page.get_by_text("rate your pain at 8 or more").is_visible()
    assert fits_the_phone(page)
    page.screenshot(path=str(tmp_path / "hurt-is-not-harm.png"), full_page=True)
    page.get_by_role("link", name="Back to Today").click()
    page.wait_for_url(f"{live_server.url}/today/")
    page.get_by_role("link", name="Your flare-up plan").click()
    page.wait_for_url(f"{live_server.url}/help/#flare")
    assert page.get_by_role("heading", name="On a flare day").is_visible()


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


def test_the_patients_exercise_page_passes_axe(page, live_server, demo):
    from tests.browser.test_accessibility import assert_accessible
    from tests.browser.test_player import demo_patient
    from tests.factories import screen

    screen(demo_patient(demo), yes=("weak_bones",))
    sign_in(page, live_server, demo.patient_username)
    page.goto(f"{live_server.url}/exercises/knee-rolls/")
    assert page.get_by_role("heading", name="Take care: for you").is_visible()
    assert_accessible(page, "knee rolls, as its patient sees it")
