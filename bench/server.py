"""Start Supine as it runs in production (gunicorn, collected and compressed static files)
on a throwaway SQLite database with the demo data, for the benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-1"  # noqa: S105 — a throwaway demo database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def production_server(workers: int = 2) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="supine-bench-") as var:
        env = {
            **os.environ,
            "SUPINE_VAR_DIR": var,
            "SUPINE_DEBUG": "0",
            "SUPINE_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnop",
            "SUPINE_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SUPINE_HTTPS": "0",
            "SUPINE_LOG_LEVEL": "WARNING",
            "SUPINE_EMAIL_URL": "console:",
        }
        env.pop("DATABASE_URL", None)
        supine = [sys.executable, "-m", "supine"]
        port = free_port()
        env["SUPINE_SITE_URL"] = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*supine, "serve", "--port", str(port), "--workers", str(workers), "--demo",
             "--demo-password", PASSWORD],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(f"{url}/healthz", timeout=1),
                ):
                    break
                if server.poll() is not None:
                    raise RuntimeError("the server exited during start-up")
                time.sleep(0.2)
            else:
                raise RuntimeError("the server did not answer within 120 s")
            # The demo patient answers the safety questions once, as on a first sign-in.
            subprocess.run(
                [*supine, "shell", "-c", _SCREEN_DEMO_PATIENT], env=env, cwd=ROOT, check=True
            )
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


_SCREEN_DEMO_PATIENT = """
from supine.clinic.models import Patient
from supine.outcomes.services import record_morning_checkin
from supine.safety.screening import QUESTIONS
from supine.safety.services import submit_screening
patient = Patient.objects.get(user__username="demo-patient")
submit_screening(patient=patient, clinician_advised=True,
                 answers={q.id: not q.flag_on for q in QUESTIONS})
record_morning_checkin(patient=patient, score=2)
"""
