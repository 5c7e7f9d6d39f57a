"""axe-core finds no violation on any page: each page (and each of the player's screens)
is checked in Chromium as a person would reach it. axe-core is test-only (vendor/)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_player import (
    answer_end_questions,
    demo_patient,
    play_to_the_end,
    play_until_step,
    start_session,
    wait_until_synced,
)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def violations(page, *, fake_clock: bool = False) -> list[dict]:
    # Evaluated rather than added as a <script>: the page's CSP allows no inline script.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    page.evaluate(
        """() => {
          window.axeFound = null;
          axe.run(document, { resultTypes: ["violations"] }).then((result) => {
            window.axeFound = result.violations.map((v) => ({
              rule: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map((n) => n.target.join(" ")),
            }));
          });
        }"""
    )
    # axe waits on timers: on the page's fake clock, time is moved on until it answers.
    for _ in range(400):
        found = page.evaluate("window.axeFound")
        if found is not None:
            return found
        if fake_clock:
            page.clock.run_for(50)
        else:
            page.wait_for_timeout(50)
    raise AssertionError("axe did not finish")


def assert_accessible(page, where: str, *, fake_clock: bool = False) -> None:
    found = violations(page, fake_clock=fake_clock)
    assert not found, f"{where}: {found}"


@pytest.fixture
def axe_page(page):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.context.set_offline(True)  # the page's outbox falls silent before the db is emptied
    assert not errors


def test_the_public_pages(axe_page, live_server, demo):
    page = axe_page
    for path in (
        "/accounts/login/", "/help/", "/exercises/", "/exercises/bridge/", "/learn/",
        "/learn/hurt-is-not-harm/", "/learn/getting-down-to-the-floor/",
    ):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, path)


def test_the_safety_questions(axe_page, live_server, demo):
    page = axe_page
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    assert_accessible(page, "the first screen")
    page.goto(f"{live_server.url}/safety/symptoms/")
    assert_accessible(page, "I have new symptoms")
    page.goto(f"{live_server.url}/safety/symptoms/?form=emergency")
    assert_accessible(page, "the emergency questions")


def test_today_and_every_screen_of_the_player(axe_page, live_server, demo):
    from tests.factories import screen

    page = axe_page
    screen(demo_patient(demo))
    page.clock.install()
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/today/")
    assert_accessible(page, "Today, with the morning question", fake_clock=True)
    page.get_by_role("button", name="Pain 2 out of 10").click()
    page.wait_for_url(f"{live_server.url}/today/")
    assert_accessible(page, "Today", fake_clock=True)
    page.get_by_role("link", name="Start").click()
    page.wait_for_url(f"{live_server.url}/session/")
    expect(page.locator('[data-screen="intro"]')).to_be_visible()
    page.clock.pause_at(datetime.fromtimestamp(page.evaluate("Date.now()") / 1000 + 1, tz=UTC))
    assert_accessible(page, "the player's first screen", fake_clock=True)

    start_session(page, pain_before=2)
    play_until_step(page, "hold")
    assert_accessible(page, "playing, mid-hold", fake_clock=True)
    page.get_by_role("button", name="Skip exercise").click()
    assert_accessible(page, "Skip this exercise?", fake_clock=True)
    page.get_by_role("button", name="Keep going").click()
    page.get_by_role("button", name="Stop", exact=True).click()
    assert_accessible(page, "the stop sheet", fake_clock=True)
    sheet = page.get_by_role("dialog", name="Stopping")
    sheet.get_by_role("radio", name="2", exact=True).check()
    sheet.get_by_role("radio", name="Interrupted", exact=True).check()
    sheet.get_by_role("button", name="Stop the session").click()
    expect(page.locator('[data-screen="interrupted"]')).to_be_visible()
    assert_accessible(page, "interrupted", fake_clock=True)
    page.get_by_role("button", name="Carry on").click()

    play_to_the_end(page)
    expect(page.locator('[data-screen="end"]')).to_be_visible()
    assert_accessible(page, "the end of the session", fake_clock=True)
    answer_end_questions(page, pain_after=6)  # above the ceiling: advice on the summary
    assert_accessible(page, "the summary, with advice", fake_clock=True)
    wait_until_synced(page)

    # Another session today, stopped for dizziness.
    page.goto(f"{live_server.url}/session/")
    start_session(page, pain_before=2)
    page.get_by_role("button", name="Stop", exact=True).click()
    sheet.get_by_role("radio", name="1", exact=True).check()
    sheet.get_by_role("radio", name="Dizziness", exact=True).check()
    sheet.get_by_role("button", name="Stop the session").click()
    expect(page.locator('[data-screen="stopped"]')).to_be_visible()
    assert_accessible(page, "stopped", fake_clock=True)
    wait_until_synced(page)

    # A flare day: no session, the flare plan.
    page.goto(f"{live_server.url}/session/")
    start_session(page, pain_before=9, expect_screen="blocked")
    assert_accessible(page, "not today", fake_clock=True)
    wait_until_synced(page)
    page.goto(f"{live_server.url}/today/")
    assert_accessible(page, "Today on a flare day", fake_clock=True)


def test_the_clinics_pages_with_alerts(axe_page, live_server, demo):
    from supine.clinic.models import AlertKind
    from supine.clinic.services import raise_alert
    from supine.safety.screening import AlertSeverity

    page = axe_page
    patient = demo_patient(demo)
    for severity in (AlertSeverity.URGENT, AlertSeverity.ATTENTION):
        raise_alert(
            patient=patient,
            kind=AlertKind.SESSION_STOPPED,
            severity=str(severity),
            reason="Pain 7/10 at STOP: above the ceiling of 5.",
        )
    sign_in(page, live_server, demo.clinician_username)
    page.wait_for_url(f"{live_server.url}/clinic/")
    expect(page.locator(".alert").first).to_be_visible()
    assert_accessible(page, "the clinic's home")
    page.locator(".alert").first.get_by_role("link", name="Demo Patient").click()
    page.wait_for_url(f"{live_server.url}/clinic/patients/*/")
    assert_accessible(page, "a patient's page")


def test_progress_and_the_questionnaires(axe_page, live_server, demo, settings):
    from tests.factories import screen

    settings.SUPINE_STARTBACK = True
    screen(demo_patient(demo))
    page = axe_page
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/today/")
    for path in (
        "/progress/", "/progress/questionnaires/rmdq/", "/progress/questionnaires/psfs/",
        "/progress/questionnaires/nprs/", "/progress/questionnaires/startback/",
    ):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, path)
        if path != "/progress/":
            # The same page with its answers refused, the problems marked.
            page.get_by_role("button", name="Send my answers").click()
            if "rmdq" not in path:  # nothing ticked is an RMDQ answer (0)
                expect(page.locator("#problems")).to_be_visible()
                assert_accessible(page, f"{path} refused")
    page.goto(f"{live_server.url}/progress/")
    page.get_by_role("button", name="Save in my diary").click()
    assert_accessible(page, "the diary refused")
