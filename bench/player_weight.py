"""What a cold load of the player page (/session/) costs a patient's phone.

Starts Supine as in production (compressed static files, gunicorn), signs in as the demo
patient in one browser context, then opens /session/ in a fresh context with an empty
cache and counts the bytes each response transferred (body as served — compressed where
the server compresses — plus headers), and the time until the player is ready to use
(`#player` leaves its "loading" phase). The figures (inline SVGs and their animation
data) are reported apart: the goal is ≤ 60 KB compressed without them.

Run: .venv/bin/python bench/player_weight.py [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import platform
import re
import statistics

from playwright.sync_api import sync_playwright
from server import PASSWORD, production_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
GOAL_BYTES = 60 * 1024


FIGURES = re.compile(
    r'<svg.*?</svg>|<script id="figure-data" type="application/json">.*?</script>', re.S
)


def figure_bytes(html: str) -> int:
    """What the inline figures add to the page as sent (gzip, as the server sends it)."""
    without = FIGURES.sub("", html)
    return len(gzip.compress(html.encode())) - len(gzip.compress(without.encode()))


def cold_load(browser, base: str, storage_state) -> dict:
    context = browser.new_context(storage_state=storage_state, service_workers="block")
    page = context.new_page()
    sizes: list[tuple[str, int, str]] = []

    def on_finished(request):
        response = request.response()
        if response is None:
            return
        size = request.sizes()
        encoding = response.headers.get("content-encoding", "identity")
        sizes.append(
            (request.url, size["responseBodySize"] + size["responseHeadersSize"], encoding)
        )

    page.on("requestfinished", on_finished)
    page.goto(f"{base}/session/")
    page.wait_for_selector("#player:not([data-phase='loading'])", state="attached")
    ready_ms = page.evaluate(
        "performance.now() - performance.getEntriesByType('navigation')[0].startTime"
    )
    page.wait_for_load_state("networkidle")
    html = page.content()
    context.close()
    total = sum(size for _, size, _ in sizes)
    return {"ready_ms": ready_ms, "total": total, "figures": figure_bytes(html), "sizes": sizes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with production_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        login = browser.new_context()
        page = login.new_page()
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("demo-patient")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/today/")
        state = login.storage_state()
        runs = [cold_load(browser, base, state) for _ in range(args.runs)]
        browser.close()
    last = runs[-1]
    print(f"machine: {platform.machine()}, headless Chromium, production settings, "
          f"{args.runs} cold loads of /session/")  # fmt: skip
    print(f"{'resource':60} {'bytes':>8}  encoding")
    for url, size, encoding in last["sizes"]:
        print(f"{url.split('/', 3)[-1][:60]:60} {size:>8}  {encoding}")
    without = last["total"] - last["figures"]
    print(f"transferred, total:             {last['total']:>8} B")
    print(
        f"  of which figures (SVG + data): {last['figures']:>8} B (compressed, inline in the page)"
    )
    print(f"  without figures:               {without:>8} B  (goal ≤ {GOAL_BYTES} B: "
          f"{'met' if without <= GOAL_BYTES else 'NOT met'})")  # fmt: skip
    ready = [run["ready_ms"] for run in runs]
    print(f"time to interactive: median {statistics.median(ready):.0f} ms, "
          f"min {min(ready):.0f} ms, max {max(ready):.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
