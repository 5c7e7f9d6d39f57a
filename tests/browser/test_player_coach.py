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


def fake_pose_module(slug: str, rest: str, target: str) -> str:
    """A stand-in for pose.mjs that "sees" the exercise's own figure doing reps.

    The figure's keyframes seen from the side, as pixels of a 640 × 480 camera; the real
    coach logic (coach.mjs) and the player do the rest.
    """
    import tomllib

    from supine.library.coach import side_view
    from supine.library.figure import parse_figure
    from supine.library.loader import EXERCISES_DIR

    data = tomllib.loads((EXERCISES_DIR / f"{slug}.toml").read_text())
    figure = parse_figure(data["figure"])

    def pixels(name: str) -> list[list[float]]:
        points = side_view(figure, figure.index_of(name), 0.0)
        xs = [p[0] for p in points.values()]
        middle = (min(xs) + max(xs)) / 2
        return [
            [(320 + 2.5 * (x - middle)) / 640, (420 - 2.5 * y) / 480] for x, y in points.values()
        ]

    poses = json.dumps({"rest": pixels(rest), "target": pixels(target)})
    return f"""
const POSES = {poses};
// One rep every 10 s: rest 2 s, up 1 s, held 5 s, down 1 s, rest 1 s.
function fraction(ms) {{
  const t = ms % 10000;
  if (t < 2000) return 0;
  if (t < 3000) return (t - 2000) / 1000;
  if (t < 8000) return 1;
  if (t < 9000) return 1 - (t - 8000) / 1000;
  return 0;
}}
export async function createPoseSource() {{
  const start = performance.now();
  let closed = false;
  return {{
    async next() {{
      await new Promise((resolve) => setTimeout(resolve, 33));
      if (closed) return null;
      const t = performance.now();
      const f = fraction(t - start);
      const landmarks = POSES.rest.map(([x, y], i) => ({{
        x: x + (POSES.target[i][0] - x) * f,
        y: y + (POSES.target[i][1] - y) * f,
        z: 0,
        visibility: 0.95,
      }}));
      return {{ t, width: 640, height: 480, landmarks }};
    }},
    close() {{ closed = true; }},
  }};
}}
export async function keepForOffline() {{ return false; }}
"""


def test_reps_the_coach_sees_are_recorded_as_the_coachs(camera, live_server, cleared):
    from supine.sessions.models import SessionEvent

    # No service worker: it would answer for pose.mjs before the route below could.
    context = camera.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(60_000)
    posted: list[dict] = []
    page.on(
        "request",
        lambda r: (
            posted.extend(json.loads(r.post_data)["events"])
            if r.method == "POST" and r.url.endswith("/events")
            else None
        ),
    )
    # The pose model is replaced by the bridge's own figure, served from Supine's address.
    body = fake_pose_module("bridge", "start", "lifted")
    page.route(
        "**/static/supine/coach/pose*.mjs",
        lambda route: route.fulfill(body=body, content_type="text/javascript"),
    )
    sign_in(page, live_server, cleared.patient_username)
    page.wait_for_url(f"{live_server.url}/today/")
    page.goto(f"{live_server.url}/session/")
    intro = page.locator('[data-screen="intro"]')
    intro.get_by_role("button", name="Use the camera coach").click()
    page.get_by_role("button", name="Turn the camera on").click()
    player = page.locator("#player")
    expect(player).to_have_attribute("data-coach", "on")
    intro.get_by_role("radio", name="2", exact=True).check()
    intro.get_by_role("button", name="Start").click()
    expect(page.locator('[data-screen="play"]')).to_be_visible()

    # On to the bridge (the demo's third exercise), then let it play in real time.
    ready = page.locator('[data-action="ready"]')
    name = page.locator('[data-slot="exercise"]')
    for _ in range(6):
        if "Bridge" in name.inner_text():
            break
        if ready.is_visible():
            ready.click()
        page.get_by_role("button", name="Skip exercise").click()
        page.get_by_role("button", name="Skip it").click()
        how = page.locator('[data-slot="how"]')
        if how.is_visible():
            how.get_by_role("button", name="Skip").click()
    expect(name).to_contain_text("Bridge")
    status = page.locator('[data-slot="coach-status"]')
    expect(status).to_contain_text("We can see you.", timeout=30_000)
    for _ in range(60):
        if ready.is_visible():
            ready.click()
        if any(e.get("source") == "coach" for e in posted):
            break
        page.wait_for_timeout(1_000)
    by_coach = [e for e in posted if e.get("source") == "coach"]
    assert by_coach, "the coach recorded a rep or a hold"
    assert {e["type"] for e in by_coach} <= {"rep_done", "hold_done"}
    assert all(e["data"]["exercise"] == "bridge" for e in by_coach)
    page.wait_for_function("() => document.querySelector('#player').dataset.pending === '0'")
    stored = SessionEvent.objects.filter(id__in=[e["id"] for e in by_coach])
    assert {e.source for e in stored} == {"coach"}
    context.close()
