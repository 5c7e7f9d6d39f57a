"""A clinician applies "The clinic handout", changes a dose range and saves; the
patient's Today and plan follow it."""

from __future__ import annotations

from supine.demo import DEMO_CLINICIAN, DEMO_PATIENT
from tests.browser.conftest import sign_in
from tests.browser.flows import answer_screening, morning_checkin


def open_the_builder(page, live_server) -> None:
    sign_in(page, live_server, DEMO_CLINICIAN)
    page.wait_for_url(f"{live_server.url}/clinic/")
    page.get_by_role("link", name="Demo Patient").first.click()
    page.get_by_role("link", name="Program", exact=True).click()
    page.wait_for_url("**/program/")


def test_the_clinician_changes_a_range_and_the_patient_sees_it(page, live_server, demo):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_the_builder(page, live_server)
    page.get_by_role("link", name="The clinic handout").click()
    assert page.get_by_text("“The clinic handout” is filled in below").is_visible()
    assert page.locator('input[name="include-bridge"]').is_checked()
    page.locator('input[name="reps_min-bridge"]').fill("7")
    page.locator('input[name="reps_max-bridge"]').fill("7")
    page.get_by_role("button", name="Save program").click()
    assert page.get_by_text("Saved as version 2.").is_visible()
    assert page.get_by_text("Bridge: reps 5–10 → 7").is_visible()
    assert not errors

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, DEMO_PATIENT)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page)
    page.wait_for_url(f"{live_server.url}/today/")
    morning_checkin(page, 2)
    page.wait_for_url(f"{live_server.url}/today/")
    bridge = page.locator("ol.today li", has_text="Bridge")
    assert bridge.locator(".dose").inner_text().startswith("7 reps")
    plan = page.evaluate("fetch('/api/v1/me/plan').then(r => r.json())")
    cues = [s["text"] for s in plan["steps"] if s["exercise"] == "bridge" and s["kind"] == "cue"]
    assert cues and "7 reps" in cues[0]


def test_the_filter_narrows_the_library_without_losing_the_program(page, live_server, demo):
    open_the_builder(page, live_server)
    rows = page.locator("[data-row]")
    total = rows.count()
    page.get_by_label("Position").select_option("all_fours")
    visible = page.locator("[data-row]:visible")
    names = {name.strip() for name in visible.locator("legend").all_inner_texts()}
    # The program's three stay in view; the rest are those that start on all fours.
    assert names == {
        "Deep Abdominal Strengthening",
        "Knee Rolls",
        "Bridge",
        "Bird-Dog",
        "Bottom to Heels",
        "Cat–Camel",
    }
    assert visible.count() < total
    page.get_by_label("Search").fill("camel")
    assert page.locator("[data-row]:visible").count() == 4
    assert page.get_by_text("8 exercises hidden by the filter.").is_visible()
