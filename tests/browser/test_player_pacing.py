"""Where a body has to move, the player waits for the patient; after each exercise it
asks "How was that?" (clinical-rules.md §3)."""

# ruff: noqa: F811
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_player import (  # noqa: F401 (fixtures)
    SLICE_MS,
    cleared,
    demo_patient,
    errors,
    keep_going,
    open_player,
    plan,
    play_to_the_end,
    play_until_step,
    server_record,
    start_session,
    wait_until_synced,
)


def prescribe_only(demo, slug: str) -> None:
    from supine.library.models import Exercise
    from supine.programs.services import prescribe

    prescribe(patient=demo_patient(demo), exercises=[Exercise.objects.get(slug=slug)])


def test_the_clam_changes_sides_once_and_waits_for_the_tap(page, live_server, cleared, errors):
    prescribe_only(cleared, "side-lying-clam")
    open_player(page, live_server, cleared)
    session_id = start_session(page, pain_before=2)
    steps = plan(page)["steps"]
    assert [s["kind"] for s in steps].count("switch_side") == 1
    ready = page.get_by_role("button", name="I'm ready")
    # Getting down to the floor: no countdown, however long it takes.
    expect(ready).to_be_visible()
    expect(page.locator(".countdown")).to_be_hidden()
    page.clock.run_for(120_000)
    expect(page.locator(".step-text")).to_have_text("Get ready: Side-Lying Clam")
    ready.click()

    play_until_step(page, "switch_side", limit_ms=600_000)
    expect(page.locator(".step-text")).to_contain_text("Change sides")
    page.clock.run_for(60_000)  # rolling over: the player waits
    player = page.locator("#player")
    assert player.get_attribute("data-step") == "switch_side"
    ready.click()
    expect(player).to_have_attribute("data-step", "move")
    assert "right" in page.locator(".step-text").inner_text()

    play_to_the_end(page)
    from tests.browser.test_player import answer_end_questions

    answer_end_questions(page, pain_after=1)
    wait_until_synced(page)
    record = server_record(page, live_server, session_id)
    (clam,) = record["exercises"]
    assert clam["reps_done"] == clam["reps_planned"] > 0


def test_how_was_that_after_an_exercise_is_one_tap_and_reaches_the_server(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    session_id = start_session(page, pain_before=2)
    how = page.locator('[data-slot="how"]')
    for _ in range(600_000 // SLICE_MS):
        if how.is_visible():
            break
        ready = page.get_by_role("button", name="I'm ready")
        if ready.is_visible():
            ready.click()
        page.clock.run_for(SLICE_MS)
    expect(how).to_be_visible()
    expect(how).to_contain_text("How was Deep Abdominal Strengthening?")
    player = page.locator("#player")
    before = player.get_attribute("data-step")
    page.clock.run_for(30_000)  # the session waits for the answer
    assert player.get_attribute("data-step") == before
    how.locator("label.score").nth(3).click()  # one tap
    expect(how).to_be_hidden()
    wait_until_synced(page)
    pains = server_record(page, live_server, session_id)["pains"]
    assert [(p["score"], p["moment"]) for p in pains] == [(2, "before"), (3, "exercise")]


def test_a_rating_above_the_ceiling_after_an_exercise_ends_the_session(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    start_session(page, pain_before=2)
    how = page.locator('[data-slot="how"]')
    for _ in range(600_000 // SLICE_MS):
        if how.is_visible():
            break
        keep_going(page)
        page.clock.run_for(SLICE_MS)
    how.locator("label.score").nth(7).click()  # 7, above the demo patient's ceiling of 5
    stopped = page.locator('[data-screen="stopped"]')
    expect(stopped).to_be_visible()
    expect(stopped).to_contain_text("too painful")
    wait_until_synced(page)
