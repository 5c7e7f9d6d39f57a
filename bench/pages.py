"""Server time of Supine's main pages against a near-bare Django view on the same server.

The baseline is /healthz: a plain function view that runs one `SELECT 1`. Each page is
requested sequentially over one keep-alive connection, signed in as the demo patient or
clinician; the figures are medians and 95th percentiles of the wall time per request.

Run: .venv/bin/python bench/pages.py [--requests 300]
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import re
import statistics
import time
from urllib.parse import urlencode, urlsplit

from server import PASSWORD, production_server

PATIENT_PAGES = ["/today/", "/session/", "/api/v1/me/plan", "/exercises/bridge/figure.svg"]
CLINICIAN_PAGES = ["/clinic/", "/api/v1/clinic/alerts"]
PUBLIC_PAGES = ["/api/v1/exercises", "/exercises/"]


class Browser:
    """A keep-alive HTTP client that remembers cookies: enough to sign in and browse."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode(
            {"csrfmiddlewaretoken": token.decode(), "username": username, "password": PASSWORD}
        )
        status, _ = self.request(
            "POST", "/accounts/login/", body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        if status != 302:
            raise RuntimeError(f"sign-in as {username} failed ({status})")


def measure(browser: Browser, path: str, requests: int) -> dict:
    for _ in range(10):  # warm-up: imports, caches, connection
        browser.request("GET", path)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        status, _ = browser.request("GET", path)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with production_server(workers=1) as base:
        anonymous, patient, clinician = Browser(base), Browser(base), Browser(base)
        patient.sign_in("demo-patient")
        clinician.sign_in("demo-clinician")
        baseline = measure(anonymous, "/healthz", args.requests)
        rows = [("/healthz (baseline)", baseline)]
        for browser, paths in (
            (anonymous, PUBLIC_PAGES), (patient, PATIENT_PAGES), (clinician, CLINICIAN_PAGES)
        ):  # fmt: skip
            rows += [(path, measure(browser, path, args.requests)) for path in paths]
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, gunicorn 1 worker, SQLite, {args.requests} requests each"
    )
    print(f"{'page':38} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
    for path, figures in rows:
        ratio = figures["median_ms"] / baseline["median_ms"]
        print(f"{path:38} {figures['median_ms']:>10} {figures['p95_ms']:>8} {ratio:>10.1f}×")
    print(json.dumps({path: figures for path, figures in rows}))


if __name__ == "__main__":
    main()
