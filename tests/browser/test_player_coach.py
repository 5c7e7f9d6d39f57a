"""The camera coach in the player, in Chromium with a fake camera that shows no one.

Consent, camera on, the real pose model loaded from Supine, nobody found: the timer plays
on as it does without the coach, the coach records nothing, and no request leaves Supine.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from playwright.sync_api import expect

from supine.coach.assets import ensure
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in


@pytest.fixture(scope="session")
def coach_assets():
    ensure(settings.COACH_ASSETS_DIR, say=lambda _: None)


@pytest.fixture
def cleared(demo):
    from supine.clinic.models import Patient
    from supine.safety.services import safety_status, submit_screening
    from tests.factories import safe_answers

    patient = Patient.objects.get(user__username=demo.patient_username)
    if safety_status(patient).blocked:
        submit_screening(patient=patient, clinician_advised=True, answers=safe_answers())
    return demo


@pytest.fixture
def camera(browser):
    # Chromium's own fake camera: a test pattern, with no person in it.
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    yield launched
    launched.close()


def test_with_the_camera_on_and_no_one_in_view_the_session_plays_as_usual(
    camera, live_server, cleared, coach_assets
):
    context = camera.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(60_000)
    requests: list[str] = []
    posted: list[dict] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))

    def on_request(request):
        if request.method == "POST" and request.url.endswith("/events"):
            posted.extend(json.loads(request.post_data)["events"])

    page.on("request", on_request)
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, live_server, cleared.patient_username)
    page.wait_for_url(f"{live_server.url}/today/")
    page.goto(f"{live_server.url}/session/")
    intro = page.locator('[data-screen="intro"]')
    expect(intro).to_be_visible()
    player = page.locator("#player")
    coach = page.locator('[data-slot="coach"]')
    expect(coach).to_be_hidden()

    # Off by default; turning it on asks first, and says the video stays on the phone.
    intro.get_by_role("button", name="Use the camera coach").click()
    consent = page.locator('[data-slot="coach-consent"]')
    expect(consent).to_be_visible()
    expect(consent).to_contain_text("The video never leaves this phone.")
    consent.get_by_role("button", name="Turn the camera on").click()
    # The runtime and the model load now, from Supine: a while on a slow machine.
    expect(player).to_have_attribute("data-coach", "on", timeout=90_000)
    expect(coach).to_be_visible()
    expect(coach).to_contain_text("about 2 m away; whole body in view")
    # The first exercise moves nothing the camera can see: the coach says so.
    status = page.locator('[data-slot="coach-status"]')
    expect(status).to_contain_text("The camera cannot see this one", timeout=30_000)

    # The session starts and plays on the timer.
    intro.get_by_role("radio", name="2", exact=True).check()
    intro.get_by_role("button", name="Start").click()
    expect(page.locator('[data-screen="play"]')).to_be_visible()
    ready = page.locator('[data-action="ready"]')
    if ready.is_visible():
        ready.click()
    # On to an exercise the coach can see; the pattern on the camera is no one.
    page.get_by_role("button", name="Skip exercise").click()
    page.get_by_role("button", name="Skip it").click()
    if ready.is_visible():
        ready.click()
    expect(status).to_contain_text("No one in view. The timer carries on as usual.", timeout=30_000)
    first = player.get_attribute("data-step")
    text = page.locator(".step-text").inner_text()
    # The countdown runs and the steps move on, exactly as without the coach.
    page.wait_for_function(
        "([kind, text]) => document.querySelector('#player').dataset.step !== kind"
        " || document.querySelector('.step-text').textContent !== text",
        arg=[first, text],
        timeout=30_000,
    )
    expect(player).to_have_attribute("data-coach", "on")

    # Turned off, the camera stops; the session goes on.
    page.get_by_role("button", name="Turn the camera off").click()
    expect(coach).to_be_hidden()
    assert page.evaluate("document.querySelector('[data-slot=\"coach-video\"]').srcObject") is None
    page.get_by_role("button", name="Pause").click()
    page.wait_for_function("() => document.querySelector('#player').dataset.pending === '0'")

    # The model came from Supine; nothing went anywhere else, and the coach sent nothing.
    assert any(url.endswith("/coach/assets/pose_landmarker_lite.task") for url in requests)
    outside = [url for url in requests if not url.startswith(live_server.url + "/")]
    assert not outside, f"requests outside Supine: {outside}"
    assert posted, "the session's events were sent"
    assert not [e for e in posted if e.get("source") == "coach"]
    assert all(set(e) <= {"id", "type", "at", "data"} for e in posted)
    assert not errors
    context.close()
