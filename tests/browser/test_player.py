"""The guided session player, end to end: the demo patient plays today's session in a
real browser on a fake clock, and the server's record is what was done."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

# Fake time is moved on in slices, so that the page's frames, timers, storage and
# requests interleave roughly as they would in real life.
SLICE_MS = 5_000


@pytest.fixture(autouse=True)
def quiet_page(transactional_db, page):
    """The page falls silent before the test database is emptied: its outbox may still be
    sending, and SQLite's shared in-memory test database refuses a flush mid-request."""
    in_flight: set = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield
    page.context.set_offline(True)  # nothing new starts
    for _ in range(200):  # and what had started ends
        if not in_flight:
            break
        page.wait_for_timeout(25)
    page.context.close()


@pytest.fixture
def cleared(demo):
    """The demo patient, through the safety screen with no red flags and a clinician's advice."""
    from supine.safety.services import safety_status, submit_screening
    from tests.factories import safe_answers

    patient = demo_patient(demo)
    if safety_status(patient).blocked:
        submit_screening(patient=patient, clinician_advised=True, answers=safe_answers())
    assert not safety_status(patient).blocked
    return demo


def demo_patient(demo):
    from supine.clinic.models import Patient

    return Patient.objects.get(user__username=demo.patient_username)


@pytest.fixture
def errors(page):
    """JavaScript errors and console errors; every test here ends with none."""
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(f"pageerror: {error}"))

    def on_console(message):
        # Chromium reports each request that fails while offline as a console error;
        # those are the point of the offline test, not a fault in the page.
        if message.type == "error" and "net::ERR_INTERNET_DISCONNECTED" not in message.text:
            found.append(f"console: {message.text}")

    page.on("console", on_console)
    yield found
    assert not found


@pytest.fixture
def posted_event_ids(page):
    """Every event id the page sent, counting retries."""
    sent: list[str] = []

    def on_request(request):
        if request.method == "POST" and request.url.endswith("/events"):
            sent.extend(event["id"] for event in json.loads(request.post_data)["events"])

    page.on("request", on_request)
    return sent


def open_player(page, live_server, demo):
    page.clock.install()
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/today/")
    # Today asks about the morning's pain before it offers the session.
    page.get_by_role("button", name="Pain 2 out of 10").click()
    page.wait_for_url(f"{live_server.url}/today/")
    page.get_by_role("link", name="Start").click()
    page.wait_for_url(f"{live_server.url}/session/")
    expect(page.locator('[data-screen="intro"]')).to_be_visible()
    # From here on the page's time moves only when the test moves it.
    now = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, tz=UTC)
    page.clock.pause_at(now + timedelta(seconds=1))


def start_session(page, pain_before: int = 2, expect_screen: str = "play") -> str:
    intro = page.locator('[data-screen="intro"]')
    intro.get_by_role("radio", name=str(pain_before), exact=True).check()
    intro.get_by_role("button", name="Start").click()
    expect(page.locator(f'[data-screen="{expect_screen}"]')).to_be_visible()
    return page.locator("#player").get_attribute("data-session")


def wait_for_service_worker(page) -> None:
    page.evaluate(
        """async () => {
          await navigator.serviceWorker.ready;
          const workers = navigator.serviceWorker;
          if (!workers.controller) {
            await new Promise((resolve) =>
              workers.addEventListener("controllerchange", resolve, { once: true }));
          }
        }"""
    )


def plan(page) -> dict:
    return page.evaluate("JSON.parse(document.getElementById('plan-data').textContent)")


def keep_going(page, how_was_that: int = 1) -> None:
    """Answer what the player waits for, as the patient would: "I'm ready" at a change of
    position or of side, and "How was that?" after an exercise (one tap on the scale)."""
    how = page.locator('[data-slot="how"]')
    if how.is_visible():
        how.locator("label.score").nth(how_was_that).click()
    ready = page.locator('[data-action="ready"]')
    if ready.is_visible():
        ready.click()


def play_for(page, ms: int) -> None:
    while ms > 0:
        keep_going(page)
        page.clock.run_for(min(SLICE_MS, ms))
        ms -= SLICE_MS
    keep_going(page)


def play_to_the_end(page) -> None:
    """Play on, answering what the player asks, until the end screen: the self-paced steps
    and "How was that?" make a session's length the patient's, not the plan's total."""
    end = page.locator('[data-screen="end"]')
    for _ in range(2 * plan(page)["total_ms"] // SLICE_MS + 20):
        if end.is_visible():
            return
        keep_going(page)
        page.clock.run_for(SLICE_MS)
    expect(end).to_be_visible()


def play_until_step(page, kind: str, limit_ms: int = 120_000) -> None:
    player = page.locator("#player")
    for _ in range(limit_ms // 250):
        if player.get_attribute("data-step") == kind:
            return
        keep_going(page)
        page.clock.run_for(250)
    raise AssertionError(f"no {kind} step within {limit_ms} ms")


def answer_end_questions(page, pain_after: int = 1) -> None:
    end = page.locator('[data-screen="end"]')
    expect(end).to_be_visible()
    end.get_by_role("radio", name=str(pain_after), exact=True).check()
    end.get_by_role("radio", name="About right").check()
    end.get_by_label("Anything to tell your clinic? (optional)").fill("Easier than last week.")
    end.get_by_role("button", name="Finish").click()
    expect(page.locator('[data-screen="summary"]')).to_be_visible()


def wait_until_synced(page) -> None:
    """Until the outbox is empty; fake time moves on so that a scheduled retry happens."""
    player = page.locator("#player")
    for _ in range(40):
        if player.get_attribute("data-pending") == "0":
            return
        try:
            expect(player).to_have_attribute("data-pending", "0", timeout=1_000)
            return
        except AssertionError:
            page.clock.run_for(2_000)
    raise AssertionError(f"still {player.get_attribute('data-pending')} records to send")


def server_record(page, live_server, session_id: str) -> dict:
    response = page.request.get(f"{live_server.url}/api/v1/me/sessions/{session_id}")
    assert response.ok, response.text()
    return response.json()


def assert_everything_done(record: dict) -> None:
    assert record["exercises"], record
    for exercise in record["exercises"]:
        assert exercise["reps_done"] == exercise["reps_planned"] > 0, exercise
        assert exercise["holds_done"] == exercise["holds_planned"], exercise


def test_the_demo_patient_plays_the_whole_session(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    session_id = start_session(page, pain_before=2)
    player = page.locator("#player")
    assert page.locator(".step-text").inner_text() == "Get ready: Deep Abdominal Strengthening"
    assert page.locator(".figure-slot:not([hidden]) svg").count() == 1

    steps = plan(page)["steps"]
    first_hold = next(s for s in steps if s["kind"] == "hold")
    reps = max(s["rep"] or 0 for s in steps if s["exercise"] == first_hold["exercise"])
    play_until_step(page, "hold")
    assert page.locator(".step-detail").inner_text() == f"Rep 1 of {reps}"
    countdown = int(page.locator(".countdown").inner_text())
    assert 1 <= countdown <= first_hold["duration_ms"] // 1000

    play_to_the_end(page)
    answer_end_questions(page, pain_after=1)
    releases = sum(1 for s in steps if s["kind"] == "release")
    summary_reps = page.locator('[data-screen="summary"] [data-slot="reps"]')
    assert summary_reps.inner_text() == f"{releases} of {releases}"
    wait_until_synced(page)

    record = server_record(page, live_server, session_id)
    assert record["status"] == "completed"
    assert_everything_done(record)
    pains = [(p["score"], p["moment"]) for p in record["pains"]]
    # Before, "How was that?" after each exercise but the last (one tap: 1), and after.
    exercises = len({s["exercise"] for s in steps if s["exercise"]})
    assert pains == [(2, "before"), *[(1, "exercise")] * (exercises - 1), (1, "after")]
    assert record["feeling"] == "about_right"
    assert record["note"] == "Easier than last week."
    assert player.get_attribute("data-phase") == "summary"


def test_stop_mid_hold_records_the_pain_and_the_reason(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    session_id = start_session(page, pain_before=3)
    play_until_step(page, "hold")
    page.clock.run_for(1_000)

    page.get_by_role("button", name="Stop", exact=True).click()
    sheet = page.get_by_role("dialog")
    expect(sheet).to_be_visible()
    sheet.get_by_role("radio", name="7", exact=True).check()
    sheet.get_by_role("radio", name="Pain", exact=True).check()
    sheet.get_by_role("button", name="Stop the session").click()

    stopped = page.locator('[data-screen="stopped"]')
    expect(stopped).to_be_visible()
    # 7 is above the demo patient's ceiling: the "too painful" advice, and where to get help.
    expect(stopped).to_contain_text("That was too painful, so let's stop here for today.")
    expect(stopped.get_by_role("link", name="When to get help")).to_be_visible()
    wait_until_synced(page)

    record = server_record(page, live_server, session_id)
    assert record["status"] == "stopped"
    assert record["stop_reason"] == "pain"
    assert (7, "during") in [(p["score"], p["moment"]) for p in record["pains"]]
    first = record["exercises"][0]
    assert first["holds_done"] == 0  # stopped in the first hold
    assert first["reps_done"] == 0


def test_the_keyboard_pauses_resumes_and_stops(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    start_session(page)
    page.get_by_role("button", name="I'm ready").click()  # down on the floor
    page.clock.run_for(1_000)
    countdown = page.locator(".countdown")
    pause = page.locator('[data-action="pause"]')
    pause.focus()

    page.keyboard.press("Space")
    expect(pause).to_have_text("Resume")
    frozen = countdown.inner_text()
    page.clock.run_for(4_000)
    assert countdown.inner_text() == frozen

    page.keyboard.press("Space")
    expect(pause).to_have_text("Pause")
    page.clock.run_for(2_000)
    assert countdown.inner_text() != frozen

    page.keyboard.press("s")
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(pause).to_have_text("Resume")


def test_a_reload_resumes_the_same_session_at_the_same_step_paused(
    page, live_server, cleared, errors
):
    open_player(page, live_server, cleared)
    session_id = start_session(page)
    play_until_step(page, "hold")
    page.clock.run_for(500)
    step_text = page.locator(".step-text").inner_text()

    page.reload()
    expect(page.locator('[data-screen="play"]')).to_be_visible()
    player = page.locator("#player")
    assert player.get_attribute("data-session") == session_id
    assert player.get_attribute("data-step") == "hold"
    assert page.locator(".step-text").inner_text() == step_text
    expect(page.locator('[data-action="pause"]')).to_have_text("Resume")
    page.clock.run_for(10_000)  # paused: nothing moves
    assert player.get_attribute("data-step") == "hold"


def test_a_session_finished_offline_is_synced_exactly_once(
    page, live_server, cleared, errors, posted_event_ids
):
    from supine.sessions.models import SessionEvent

    open_player(page, live_server, cleared)
    # The service worker must have cached the page before the connection goes.
    wait_for_service_worker(page)
    session_id = start_session(page)
    total_ms = plan(page)["total_ms"]
    play_for(page, 30_000)

    page.context.set_offline(True)
    play_for(page, total_ms)
    answer_end_questions(page)
    pending = int(page.locator("#player").get_attribute("data-pending"))
    assert pending > 0, "nothing was waiting to be sent while offline"

    response = page.reload()
    assert response is not None and response.from_service_worker
    summary = page.locator('[data-screen="summary"]')
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("when you're back online")

    page.context.set_offline(False)
    wait_until_synced(page)

    record = server_record(page, live_server, session_id)
    assert record["status"] == "completed"
    assert_everything_done(record)
    stored = list(SessionEvent.objects.filter(session_id=session_id).values_list("id", "type"))
    stored_ids = {str(event_id) for event_id, _ in stored}
    # Every event the page tried to send (offline attempts and retries included) is
    # stored, and each step and rep once.
    assert stored_ids == set(posted_event_ids)
    steps = SessionEvent.objects.filter(session_id=session_id, type="step_done")
    indices = Counter(e.data["index"] for e in steps)
    assert sorted(indices) == list(range(len(plan(page)["steps"])))
    assert set(indices.values()) == {1}
    types = Counter(event_type for _, event_type in stored)
    assert types["started"] == types["finished"] == 1


def test_a_patient_blocked_after_opening_the_player_sees_the_advice_and_no_player(
    page, live_server, cleared
):
    from supine.safety.services import safety_status, submit_screening
    from tests.factories import safe_answers

    # Not the `errors` fixture: the refusal itself is logged by the browser as a 403.
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    open_player(page, live_server, cleared)
    # A red flag reported after the page was opened (in another tab, or a page kept
    # from yesterday): the server refuses the session.
    patient = demo_patient(cleared)
    submit_screening(
        patient=patient, clinician_advised=True, answers=safe_answers(flagged=("ces_saddle",))
    )
    advice = safety_status(patient).advice
    assert advice

    start_session(page, expect_screen="blocked")
    expect(page.locator('[data-screen="blocked"]')).to_contain_text(advice)
    expect(page.locator('[data-screen="play"]')).to_be_hidden()
    expect(page.get_by_role("button", name="Stop", exact=True)).to_have_count(0)
    page.clock.run_for(10_000)
    expect(page.locator('[data-screen="play"]')).to_be_hidden()
    expect(page.locator("#player")).to_have_attribute("data-pending", "0")
    assert not page_errors


def test_the_voice_says_each_cue_once_and_counts_down_the_hold(page, live_server, cleared, errors):
    # Speech is recorded instead of played; the page never knows the difference.
    page.add_init_script(
        """window.spoken = [];
        speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);"""
    )
    open_player(page, live_server, cleared)
    start_session(page)
    play_until_step(page, "release")
    steps = plan(page)["steps"]
    assert [s["kind"] for s in steps[:5]] == ["setup", "cue", "move", "hold", "release"]
    cues = [s["cue"] for s in steps[:5]]
    assert page.evaluate("window.spoken") == [
        "Let's begin.",
        *cues[:4],
        "3",
        "2",
        "1",
        cues[4],
    ]


def test_mute_silences_the_voice_and_is_remembered(page, live_server, cleared, errors):
    page.add_init_script(
        """window.spoken = [];
        speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);"""
    )
    open_player(page, live_server, cleared)
    start_session(page)
    mute = page.get_by_role("button", name="Mute")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    spoken = len(page.evaluate("window.spoken"))
    play_until_step(page, "hold")
    assert len(page.evaluate("window.spoken")) == spoken

    page.reload()
    expect(page.get_by_role("button", name="Mute")).to_have_attribute("aria-pressed", "true")


def test_the_figure_moves_with_the_rep_unless_motion_is_reduced(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    start_session(page)
    figure = page.locator(".figure-slot:not([hidden]) svg")

    play_until_step(page, "move")
    before = figure.inner_html()
    page.clock.run_for(1_000)
    assert figure.inner_html() != before, "the figure did not move during the move step"

    # Reduced motion: each step shows the pose it ends in, without the frames between.
    page.emulate_media(reduced_motion="reduce")
    play_until_step(page, "release")
    play_until_step(page, "move")
    moving = figure.inner_html()
    page.clock.run_for(1_000)
    assert figure.inner_html() == moving, "the figure tweened although motion is reduced"
    play_until_step(page, "hold")
    assert figure.inner_html() == moving, "the move step did not show the held pose"
    play_until_step(page, "release")
    assert figure.inner_html() != moving, "the release step did not go back to the start"


def test_skip_back_and_carry_on(page, live_server, cleared, errors):
    open_player(page, live_server, cleared)
    start_session(page)
    steps = plan(page)["steps"]
    first_of_next = next(i for i, s in enumerate(steps) if s["exercise"] != steps[0]["exercise"])
    text = page.locator(".step-text")
    countdown = page.locator(".countdown")

    page.get_by_role("button", name="Skip exercise").click()
    page.get_by_role("dialog", name="Skip this exercise?").get_by_role(
        "button", name="Skip it"
    ).click()
    expect(text).to_have_text(steps[first_of_next]["text"])
    expect(countdown).to_have_text(str(steps[first_of_next]["duration_ms"] // 1000))

    page.clock.run_for(3_000)
    page.get_by_role("button", name="Back one step").click()
    last_of_first = steps[first_of_next - 1]
    expect(text).to_have_text(last_of_first["text"])
    expect(countdown).to_have_text(str(last_of_first["duration_ms"] // 1000))

    # STOP by mistake: "Carry on" goes straight back to the session.
    page.get_by_role("button", name="Stop", exact=True).click()
    page.get_by_role("button", name="Carry on instead").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.locator('[data-action="pause"]')).to_have_text("Pause")
    page.clock.run_for(last_of_first["duration_ms"] + 100)
    expect(text).to_have_text(steps[first_of_next]["text"])
