"""How many frames per second the motion coach's pose landmarker keeps up with.

Starts Supine as in production (bench/server.py), opens the session player as the demo
patient in headless Chromium whose fake camera plays the Sports2D demo video (people
walking and jumping, 640 × 360 as pose.mjs asks a camera for, 30 frames/s;
tests/coach/footage.py makes the Y4M), and
runs the coach's pose source (static/supine/coach/pose.mjs: CPU, VIDEO mode) on the
camera for each model. Reported: frames with landmarks per second of wall time (the
camera gives at most 30), the median time of one `next()` and the share of frames with a
person. The goal is ≥ 20 frames/s with the lite model. Other work on the machine lowers
the figures: the load average is printed with them.

Run: .venv/bin/python bench/coach_fps.py [--frames 300] [--size 640x360]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright
from server import PASSWORD, ROOT, production_server

sys.path.insert(0, str(ROOT))
from tests.coach import footage

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
GOAL_FPS = 20
WARM_UP = 30

SET_UP = """async ({ model, warmUp, width, height }) => {
  const { createPoseSource } = await import("/static/supine/coach/pose.mjs");
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: { exact: width }, height: { exact: height } }, audio: false,
  });
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play();
  const loadStart = performance.now();
  const source = await createPoseSource({ model, video });
  const loadMs = performance.now() - loadStart;
  for (let i = 0; i < warmUp; i++) await source.next();
  window.benchRun = { source, stream };
  return loadMs;
}"""

MEASURE = """async (frames) => {
  const { source, stream } = window.benchRun;
  const times = [];
  let people = 0;
  const start = performance.now();
  for (let i = 0; i < frames; i++) {
    const before = performance.now();
    const frame = await source.next();
    times.push(performance.now() - before);
    if (frame && frame.landmarks) people++;
  }
  const seconds = (performance.now() - start) / 1000;
  source.close();
  stream.getTracks().forEach((track) => track.stop());
  times.sort((a, b) => a - b);
  return { fps: frames / seconds, medianMs: times[times.length >> 1], people };
}"""


def browser_cpu_seconds(marker: str) -> float:
    """CPU time (user + system) used so far by the Chromium started with `marker` in its
    command line, and by every process under it (renderer, GPU, utility)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents, cpu, roots = {}, {}, []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
        if marker.encode() in cmdline and b"--type=" not in cmdline:
            roots.append(pid)
    tree = set(roots)
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(cpu[pid] for pid in tree)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    # What pose.mjs's CAMERA asks a phone for.
    parser.add_argument("--size", default="640x360", help="the camera's WxH")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    assets = Path(os.environ.get("SUPINE_COACH_ASSETS", ROOT / "var" / "coach"))
    if not (assets / "pose_landmarker_lite.task").is_file():
        sys.exit("No coach assets: run `make coach-assets` first.")
    os.environ["SUPINE_COACH_ASSETS"] = str(assets)
    y4m = footage.whole_clip_y4m(width, height)
    results = {}
    with production_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={y4m}"],
        )
        page = browser.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("demo-patient")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/today/")
        page.goto(f"{base}/session/")
        if not page.url.endswith("/session/"):
            sys.exit(f"The player did not open (at {page.url}): {page.inner_text('main')[:300]}")
        marker = f"--use-file-for-fake-video-capture={y4m}"
        for model in ("lite", "full"):
            load_ms = page.evaluate(
                SET_UP,
                {
                    "model": model,
                    "warmUp": WARM_UP,
                    "width": width,
                    "height": height,
                },
            )
            load = os.getloadavg()[0]
            cpu_before = browser_cpu_seconds(marker)
            results[model] = page.evaluate(MEASURE, args.frames)
            cpu = browser_cpu_seconds(marker) - cpu_before
            results[model].update(loadMs=load_ms, load=load, cpuMs=cpu * 1000 / args.frames)
        browser.close()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, headless Chromium, "
        f"fake camera {width}×{height} at {footage.FPS} frames/s "
        f"(Sports2D demo), {args.frames} frames per model after {WARM_UP} to warm up"
    )
    print(f"{'model':6} {'frames/s':>9} {'median next() ms':>17} {'CPU ms/frame':>13} "
          f"{'with a person':>14} {'model load ms':>14} {'load avg':>9}")  # fmt: skip
    for model, r in results.items():
        print(
            f"{model:6} {r['fps']:9.1f} {r['medianMs']:17.1f} {r['cpuMs']:13.1f} "
            f"{r['people'] / args.frames:14.0%} {r['loadMs']:14.0f} {r['load']:9.2f}"
        )
    print(
        "CPU ms/frame: the browser's CPU time (all its processes: camera, decoding, "
        "inference) per frame processed"
    )
    lite = results["lite"]["fps"]
    print(
        f"lite: {lite:.1f} frames/s (goal ≥ {GOAL_FPS}: {'met' if lite >= GOAL_FPS else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
