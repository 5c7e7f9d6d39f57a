"""Progress in a real browser: the demo patient finishes a session and sees the tick and
this week's strip on Today, answers the RMDQ, and sees the pain chart move."""

# ruff: noqa: F811
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_player import (  # noqa: F401 (fixtures used by name)
    answer_end_questions,
    cleared,
    errors,
    play_to_the_end,
    quiet_page,
    start_session,
    wait_until_synced,
)


def pain_chart(page) -> str:
    return page.locator("figure.chart img").first.get_attribute("alt")


def test_a_session_makes_the_tick_the_week_and_the_chart_move_then_the_rmdq(
    page, live_server, cleared, errors
):
    page.clock.install()
    sign_in(page, live_server, cleared.patient_username)
    page.wait_for_url(f"{live_server.url}/today/")
    page.get_by_role("button", name="Pain 2 out of 10").click()
    page.wait_for_url(f"{live_server.url}/today/")
    assert page.locator("#done-today").count() == 0
    today_cell = page.locator("ol.week li.today")
    expect(today_cell).not_to_have_class("done today")

    page.get_by_role("link", name="Progress", exact=True).click()
    page.wait_for_url(f"{live_server.url}/progress/")
    before = pain_chart(page)
    # The demo's two past sessions started at pain 2 at most.
    assert "Sessions before: mean 2.0, highest 2." in before

    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="Start").click()
    page.wait_for_url(f"{live_server.url}/session/")
    expect(page.locator('[data-screen="intro"]')).to_be_visible()
    now = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, tz=UTC)
    page.clock.pause_at(now + timedelta(seconds=1))
    start_session(page, pain_before=5)
    play_to_the_end(page)
    answer_end_questions(page, pain_after=1)
    wait_until_synced(page)

    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#done-today")).to_contain_text("Done today")
    expect(page.locator("ol.week li")).to_have_count(7)
    expect(page.locator("ol.week li.today")).to_have_class("done today")
    expect(page.locator("#week-heading")).to_contain_text("day")

    # The RMDQ is due from sign-up: Today links it.
    page.get_by_role("link", name="Roland–Morris Disability Questionnaire").click()
    expect(page.locator('input[type="checkbox"]')).to_have_count(24)
    page.get_by_label("I walk more slowly than usual because of my back.").check()
    page.get_by_label("My back is painful almost all the time.").check()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"{live_server.url}/progress/#scores")
    expect(page.locator('[role="status"]')).to_contain_text("score: 2")
    expect(page.locator("ul.scores")).to_contain_text("latest 2")

    after = pain_chart(page)
    assert after != before
    assert "Sessions before: mean 3.0, highest 5." in after
    # Readable on a phone: the chart fits the screen's width.
    width = page.locator("figure.chart img").first.bounding_box()["width"]
    assert 0 < width <= 390
