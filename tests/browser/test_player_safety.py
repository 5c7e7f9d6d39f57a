"""The player obeys the stop rules: its own at once (offline too), and the server's verdict
as soon as it arrives, mid-hold included (clinical-rules.md §2; issue 7, items 4, 5, 8, 9)."""

# The player tests' fixtures are imported here, and named again as test arguments.
# ruff: noqa: F811

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_player import (  # noqa: F401 (fixtures)
    cleared,
    demo_patient,
    errors,
    open_player,
    plan,
    play_for,
    play_to_the_end,
    play_until_step,
    quiet_page,
    server_record,
    start_session,
    wait_for_service_worker,
    wait_until_synced,
)

RECORD_SPEECH = """window.spoken = [];
speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);"""


def rate_elsewhere(session_id: str, score: int) -> None:
    """A rating reaches the server for this session by another way than this page (another
    device, a retry from an older tab): the server applies its rules at once."""
    from supine.sessions.models import ExerciseSession
    from supine.sessions.services import NewEvent, record_events

    record_events(
        session=ExerciseSession.objects.get(id=session_id),
        events=[
            NewEvent(
                id=uuid.uuid4(),
                type="pain_reported",
                at=datetime.now(tz=UTC),
                data={"score": score, "moment": "during"},
            )
        ],
    )


def stop_with(page, score: int, reason: str) -> None:
    page.get_by_role("button", name="Stop", exact=True).click()
    sheet = page.get_by_role("dialog", name="Stopping")
    sheet.get_by_role("radio", name=str(score), exact=True).check()
    sheet.get_by_role("radio", name=reason, exact=True).check()
    sheet.get_by_role("button", name="Stop the session").click()


# ---- before the session ----------------------------------------------------------------


def test_pain_8_before_means_no_session_the_flare_plan_and_the_short_re_ask(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    session_id = start_session(page, pain_before=8, expect_screen="blocked")
    blocked = page.locator('[data-screen="blocked"]')
    expect(blocked.get_by_role("heading", name="Your plan for today")).to_be_visible()
    expect(blocked).to_contain_text("Most flare-ups settle within days to a few weeks.")
    re_ask = blocked.get_by_role("link", name="Answer a few questions about new symptoms")
    expect(re_ask).to_have_attribute("href", "/safety/symptoms/?form=short")
    expect(page.get_by_role("button", name="Stop", exact=True)).to_have_count(0)
    page.clock.run_for(10_000)
    expect(page.locator('[data-screen="play"]')).to_be_hidden()

    # The rating reached the server, which judged it a flare day too; its advice is shown.
    wait_until_synced(page)
    expect(blocked).to_contain_text("Your pain is very bad today, so no more exercises today.")
    record = server_record(page, live_server, session_id)
    assert record["status"] == "stopped"
    assert [(p["score"], p["moment"]) for p in record["pains"]] == [(8, "before")]


def test_pain_above_the_ceiling_before_means_no_session_and_the_flare_plan_only(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    start_session(page, pain_before=6, expect_screen="blocked")  # the demo's ceiling is 5
    blocked = page.locator('[data-screen="blocked"]')
    expect(blocked.get_by_role("heading", name="Your plan for today")).to_be_visible()
    expect(blocked).to_contain_text("Try again tomorrow.")
    expect(
        blocked.get_by_role("link", name="Answer a few questions about new symptoms")
    ).to_be_hidden()
    wait_until_synced(page)


def test_after_a_flare_rating_the_device_refuses_another_session_today_offline(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    wait_for_service_worker(page)
    start_session(page, pain_before=8, expect_screen="blocked")
    wait_until_synced(page)
    page.context.set_offline(True)
    page.reload()
    start_session(page, pain_before=2, expect_screen="blocked")
    expect(page.locator('[data-screen="blocked"]')).to_contain_text("flare")


# ---- the server's verdict ---------------------------------------------------------------


def test_pain_7_mid_hold_stops_the_player_within_one_frame_of_the_servers_answer(
    page, live_server, cleared, errors
):
    page.add_init_script(RECORD_SPEECH)
    open_player(page, live_server, cleared)
    session_id = start_session(page, pain_before=2)
    wait_until_synced(page)

    # The answer to the batch sent at the end of the move step is held back (bad Wi-Fi),
    # so that it arrives mid-hold, after the server has had a rating of 7.
    held = []
    holding = True
    page.route("**/events", lambda route: held.append(route) if holding else route.continue_())
    play_until_step(page, "hold")
    page.clock.run_for(1_000)
    assert held, "the move step's events were not sent"
    countdown = page.locator(".countdown").inner_text()
    rate_elsewhere(session_id, 7)  # the demo patient's usual pain is 2: ceiling 5
    spoken = len(page.evaluate("window.spoken"))

    holding = False
    with page.expect_response("**/events"):
        for route in held:
            route.continue_()
    # No frame is run from here on (the page's clock is paused): the stop is immediate.
    stopped = page.locator('[data-screen="stopped"]')
    expect(stopped).to_be_visible()
    expect(stopped.get_by_role("heading", name="Let's stop here for today")).to_be_visible()
    expect(stopped).to_contain_text("That was too painful, so let's stop here for today.")
    expect(page.locator('[data-screen="play"]')).to_be_hidden()

    # The clock, the voice and the coaching stay stopped.
    assert page.evaluate("window.spoken")[spoken:] == [
        "Session stopped. Please look at your screen."
    ]
    sent_after = []
    page.on("request", lambda r: r.url.endswith("/events") and sent_after.append(r))
    page.clock.run_for(30_000)
    assert page.locator(".countdown").text_content() == countdown
    assert page.evaluate("window.spoken")[spoken:] == [
        "Session stopped. Please look at your screen."
    ]
    assert page.locator("#player").get_attribute("data-phase") == "stopped"
    # Only what happened before the stop may still be on its way: nothing of the hold.
    first_hold = next(i for i, s in enumerate(plan(page)["steps"]) if s["kind"] == "hold")
    for request in sent_after:
        for event in json.loads(request.post_data)["events"]:
            assert event["type"] == "step_done" and event["data"]["index"] < first_hold, event

    # A reload shows the ended session, not a paused one to carry on.
    page.reload()
    expect(page.locator('[data-screen="play"]')).to_be_hidden()


def test_a_rule_stop_delivered_from_the_offline_outbox_stops_the_player_on_reconnect(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    wait_for_service_worker(page)
    session_id = start_session(page, pain_before=2)
    wait_until_synced(page)

    page.context.set_offline(True)
    play_until_step(page, "hold")
    play_until_step(page, "release")
    assert int(page.locator("#player").get_attribute("data-pending")) > 0
    # Meanwhile the server has had a rating at the flare level for this session.
    rate_elsewhere(session_id, 8)
    page.clock.run_for(1_000)
    expect(page.locator('[data-screen="play"]')).to_be_visible()  # offline: nothing known yet

    page.context.set_offline(False)
    stopped = page.locator('[data-screen="stopped"]')
    expect(stopped).to_be_visible()
    expect(stopped).to_contain_text("Your pain is very bad today, so no more exercises today.")
    expect(stopped.get_by_role("heading", name="Your plan for today")).to_be_visible()
    re_ask = stopped.get_by_role("link", name="Answer a few questions about new symptoms")
    expect(re_ask).to_be_visible()
    wait_until_synced(page)
    assert server_record(page, live_server, session_id)["status"] == "stopped"


# ---- STOP's reasons ----------------------------------------------------------------------


def test_interrupted_offers_to_carry_on_instead_of_advice(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    session_id = start_session(page, pain_before=2)
    play_until_step(page, "hold")
    stop_with(page, 2, "Interrupted")

    paused = page.locator('[data-screen="interrupted"]')
    expect(paused.get_by_role("heading", name="Session paused")).to_be_visible()
    expect(paused).not_to_contain_text("urgent")
    paused.get_by_role("button", name="Carry on").click()
    expect(page.locator('[data-screen="play"]')).to_be_visible()
    expect(page.locator('[data-action="pause"]')).to_have_text("Pause")
    step = page.locator(".step-text").inner_text()
    play_until_step(page, "release")
    assert page.locator(".step-text").inner_text() != step

    wait_until_synced(page)
    record = server_record(page, live_server, session_id)
    assert record["status"] == "in_progress"
    assert (2, "during") in [(p["score"], p["moment"]) for p in record["pains"]]

    stop_with(page, 2, "Interrupted")
    page.get_by_role("button", name="End the session for today").click()
    stopped = page.locator('[data-screen="stopped"]')
    expect(stopped.get_by_role("heading", name="You stopped the session")).to_be_visible()
    wait_until_synced(page)
    record = server_record(page, live_server, session_id)
    assert (record["status"], record["stop_reason"]) == ("stopped", "interrupted")


def test_dizziness_shows_the_dizziness_advice(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    start_session(page, pain_before=2)
    stop_with(page, 2, "Dizziness")
    stopped = page.locator('[data-screen="stopped"]')
    expect(stopped).to_contain_text("Sit for a minute, then stand up slowly.")
    expect(stopped).to_contain_text("call 911")
    wait_until_synced(page)


def test_numbness_between_the_legs_goes_straight_to_the_emergency_questions(
    page, live_server, cleared
):
    open_player(page, live_server, cleared)
    session_id = start_session(page, pain_before=2)
    play_until_step(page, "hold")
    reason = (
        "Numbness or tingling between the legs or in both legs, or a change in peeing or bowels"
    )
    stop_with(page, 3, reason)
    page.wait_for_url(f"{live_server.url}/safety/symptoms/?form=emergency")
    record = server_record(page, live_server, session_id)
    assert (record["status"], record["stop_reason"]) == ("stopped", "saddle_or_bladder")


def test_the_stop_sheet_links_to_help_which_opens_offline(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    # The player keeps "When to get help" too: once that worker is active.
    active = "navigator.serviceWorker.getRegistration('/help/').then(r => r?.active?.state ?? null)"
    for _ in range(300):
        if page.evaluate(active) == "activated":
            break
        page.wait_for_timeout(50)  # the worker installs in real time, not the page's clock
    assert page.evaluate(active) == "activated"
    start_session(page)
    page.get_by_role("button", name="Stop", exact=True).click()
    link = page.get_by_role("dialog").get_by_role("link", name="When to get help")
    expect(link).to_have_attribute("href", "/help/")
    page.context.set_offline(True)
    link.click()
    page.wait_for_url(f"{live_server.url}/help/")
    expect(page.get_by_role("link", name="Call 911")).to_be_visible()


# ---- the controls ------------------------------------------------------------------------


def test_the_pain_scale_is_one_radio_group_moved_by_the_arrow_keys(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    intro = page.locator('[data-screen="intro"]')
    scale = intro.get_by_role("group", name="How much pain do you have right now?")
    expect(scale.get_by_role("radio")).to_have_count(11)
    scale.get_by_role("radio", name="2", exact=True).check()
    page.keyboard.press("ArrowRight")
    expect(scale.get_by_role("radio", name="3", exact=True)).to_be_checked()
    expect(scale.get_by_role("radio", name="3", exact=True)).to_be_focused()
    # One tab stop: the next Tab leaves the scale.
    page.keyboard.press("Tab")
    expect(intro.get_by_role("button", name="Start")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator('[data-screen="play"]')).to_be_visible()
    wait_until_synced(page)


def test_skip_asks_once_and_keep_going_changes_nothing(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    start_session(page)
    play = page.locator('[data-screen="play"]')
    expect(play.get_by_role("heading", level=1)).to_have_text("Deep Abdominal Strengthening")
    text = page.locator(".step-text").inner_text()
    page.get_by_role("button", name="Skip exercise").click()
    question = page.get_by_role("dialog", name="Skip this exercise?")
    expect(question).to_be_visible()
    question.get_by_role("button", name="Keep going").click()
    expect(question).to_be_hidden()
    assert page.locator(".step-text").inner_text() == text
    page.get_by_role("button", name="Skip exercise").click()
    question.get_by_role("button", name="Skip it").click()
    expect(play.get_by_role("heading", level=1)).to_have_text("Knee Rolls")
    wait_until_synced(page)


def test_a_rating_after_the_session_above_the_ceiling_shows_the_advice(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    start_session(page, pain_before=2)
    from tests.browser.test_player import answer_end_questions

    play_to_the_end(page)
    answer_end_questions(page, pain_after=6)
    summary = page.locator('[data-screen="summary"]')
    expect(summary).to_contain_text("That was too painful")
    wait_until_synced(page)


# ---- STOP is always there -------------------------------------------------------------------

# (viewport, device scale factor, root font size): a phone on its side, the page zoomed to
# 200 % (half the CSS pixels, each drawn twice as big), and the text at 200 %.
SCREENS = {
    "landscape": ({"width": 844, "height": 390}, 1, None),
    "zoom 200 %": ({"width": 195, "height": 422}, 2, None),
    "landscape at zoom 200 %": ({"width": 422, "height": 195}, 2, None),
    "text 200 %": ({"width": 390, "height": 844}, 1, "225%"),
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_stop_and_the_countdown_stay_on_screen(browser, live_server, cleared, name):
    viewport, scale, font_size = SCREENS[name]
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    if font_size:
        # As a browser's text size setting does: the root size, that every rem follows.
        page.add_init_script(
            "addEventListener('DOMContentLoaded', () => "
            f"document.documentElement.style.fontSize = '{font_size}');"
        )
    try:
        open_player(page, live_server, cleared)
        start_session(page)
        play_until_step(page, "hold")
        for target in (
            page.get_by_role("button", name="Stop", exact=True),
            page.locator(".countdown"),
            page.get_by_role("button", name="Pause"),
        ):
            assert fully_visible(page, target), f"{name}: {target} is off screen or covered"
        page.get_by_role("button", name="Stop", exact=True).click()
        expect(page.get_by_role("dialog", name="Stopping")).to_be_visible()
        confirm = page.get_by_role("button", name="Stop the session")
        confirm.scroll_into_view_if_needed()
        assert fully_visible(page, confirm)
    finally:
        context.set_offline(True)
        context.close()


def fully_visible(page, locator) -> bool:
    """Inside the viewport, and the element itself is what is on top there."""
    return locator.evaluate(
        """(element) => {
          const box = element.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) return false;
          if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth)
            return false;
          // Its edges' middles and its centre (a pill-shaped button has no corners).
          const x = (box.left + box.right) / 2;
          const y = (box.top + box.bottom) / 2;
          const r = Math.min(box.height, box.width) / 2;
          const points = [
            [x, y], [x, box.top + 2], [x, box.bottom - 2], [box.left + r, y], [box.right - r, y],
          ];
          return points.every(([x, y]) => {
            const hit = document.elementFromPoint(x, y);
            return hit === element || element.contains(hit);
          });
        }"""
    )
