"""The coach's files stay on the phone once the patient turns the coach on, and not
before; the player's policy lets its WebAssembly run and lets nothing leave for elsewhere."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from supine.coach.assets import ensure
from tests.browser.conftest import sign_in
from tests.browser.test_help import wait_for_controller

COACH_CACHE = "supine-coach-0.10.35"
# The smallest WebAssembly module: magic number and version.
EMPTY_MODULE = "new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])"


@pytest.fixture(scope="session")
def coach_assets():
    ensure(settings.COACH_ASSETS_DIR, say=lambda _: None)


@pytest.fixture
def player(page, live_server, demo):
    from supine.clinic.models import Patient
    from supine.safety.services import safety_status, submit_screening
    from tests.factories import safe_answers

    patient = Patient.objects.get(user__username=demo.patient_username)
    if safety_status(patient).blocked:
        submit_screening(patient=patient, clinician_advised=True, answers=safe_answers())
    sign_in(page, live_server, demo.patient_username)
    page.wait_for_url(f"{live_server.url}/today/")
    page.goto(f"{live_server.url}/session/")
    expect(page.locator("#player")).to_be_attached()
    return page


def test_the_coach_files_are_kept_only_once_the_coach_is_turned_on(player, coach_assets):
    page = player
    page.set_default_timeout(60_000)
    wait_for_controller(page)
    before = page.evaluate(
        f"""async () => {{
          const answer = await fetch("/coach/assets/NOTICE.txt");
          return {{ ok: answer.ok, kept: await caches.has("{COACH_CACHE}") }};
        }}"""
    )
    assert before == {"ok": True, "kept": False}

    kept = page.evaluate(
        f"""async () => {{
          const {{ keepForOffline }} = await import("/static/supine/coach/pose.mjs");
          const cached = await keepForOffline({{ model: "lite" }});
          const cache = await caches.open("{COACH_CACHE}");
          const keys = (await cache.keys()).map((request) => new URL(request.url).pathname);
          return {{ cached, keys: keys.sort() }};
        }}"""
    )
    assert kept["cached"] is True
    assert kept["keys"] == [
        "/coach/assets/NOTICE.txt",
        "/coach/assets/pose_landmarker_lite.task",
        "/coach/assets/vision_bundle.mjs",
        "/coach/assets/wasm/vision_wasm_internal.js",
        "/coach/assets/wasm/vision_wasm_internal.wasm",
    ]

    page.context.set_offline(True)
    sizes = page.evaluate(
        """async () => {
          const sizes = {};
          for (const name of ["pose_landmarker_lite.task", "wasm/vision_wasm_internal.wasm"]) {
            const answer = await fetch(`/coach/assets/${name}`);
            sizes[name] = answer.ok ? (await answer.arrayBuffer()).byteLength : answer.status;
          }
          return sizes;
        }"""
    )
    task = settings.COACH_ASSETS_DIR / "pose_landmarker_lite.task"
    wasm = settings.COACH_ASSETS_DIR / "wasm" / "vision_wasm_internal.wasm"
    assert sizes == {
        "pose_landmarker_lite.task": task.stat().st_size,
        "wasm/vision_wasm_internal.wasm": wasm.stat().st_size,
    }


CHECK_POLICY = f"""async () => {{
  const violations = [];
  document.addEventListener("securitypolicyviolation",
    (event) => violations.push(event.effectiveDirective));
  let wasm = "compiled";
  try {{ await WebAssembly.compile({EMPTY_MODULE}); }} catch (error) {{ wasm = error.name; }}
  let sent = "sent";
  try {{
    await fetch("https://usage-metrics.invalid/collect", {{ method: "POST", body: "{{}}" }});
  }} catch (error) {{ sent = error.name; }}
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {{ wasm, sent, violations }};
}}"""


def test_the_player_runs_webassembly_and_sends_nothing_elsewhere(player, live_server):
    result = player.evaluate(CHECK_POLICY)
    assert result["wasm"] == "compiled"
    assert result["sent"] == "TypeError"
    assert result["violations"] == ["connect-src"]


def test_pages_without_the_coach_run_no_webassembly(player, live_server):
    player.goto(f"{live_server.url}/today/")
    result = player.evaluate(CHECK_POLICY)
    assert result["wasm"] == "CompileError"
    assert result["violations"] == ["script-src", "connect-src"]
