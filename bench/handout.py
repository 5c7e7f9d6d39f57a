"""The printed handout: how long WeasyPrint takes to make it for a 4-exercise program.

A throwaway SQLite database with the library loaded and one patient on four exercises;
the handout is made once cold (the figures drawn for the first time) and then `--runs`
times; the median and the slowest are reported against the 1 s budget.

Run: .venv/bin/python bench/handout.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ("deep-abdominal-strengthening", "knee-rolls", "bridge", "pelvic-tilt")
BUDGET_S = 1.0


def configure() -> None:
    var = tempfile.mkdtemp(prefix="supine-bench-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{var}/bench.sqlite3",
        SUPINE_DEBUG="0",
        SUPINE_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnop",  # noqa: S106
        SUPINE_ALLOWED_HOSTS="testserver",
        SUPINE_HTTPS="0",
        SUPINE_LOG_LEVEL="ERROR",
        SUPINE_EMAIL_URL="console:",
        SUPINE_SITE_URL="http://testserver",
        SUPINE_VAR_DIR=var,
        DJANGO_SETTINGS_MODULE="supine.settings",
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from supine.library.loader import load_library

    load_library()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    configure()
    from supine.clinic.models import Clinic
    from supine.clinic.services import create_patient
    from supine.library.models import Exercise
    from supine.programs.services import prescribe
    from supine.reports.handout import handout_pdf

    clinic = Clinic.objects.create(name="Bench Clinic", phone="+1 555 0100")
    patient = create_patient(
        clinic=clinic,
        username="bench-patient",
        password="bench-password-1",  # noqa: S106 — a throwaway benchmark database
        name="Bench Patient",
    )
    found = {e.slug: e for e in Exercise.objects.filter(slug__in=EXERCISES)}
    prescribe(patient=patient, exercises=[found[slug] for slug in EXERCISES])

    started = time.perf_counter()
    size = len(handout_pdf(patient))
    cold = time.perf_counter() - started
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        handout_pdf(patient)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"Handout PDF, {len(EXERCISES)} exercises ({platform.python_version()}, {size:,} bytes)")
    print(f"  cold (first, figures drawn): {cold * 1000:7.0f} ms")
    print(f"  median of {args.runs}:           {median * 1000:7.0f} ms")
    print(f"  slowest:                    {max(times) * 1000:7.0f} ms")
    verdict = "within" if max(cold, *times) <= BUDGET_S else "OVER"
    print(f"  {verdict} the {BUDGET_S:.0f} s budget")


if __name__ == "__main__":
    main()
