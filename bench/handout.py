"""The printed handout: how long WeasyPrint takes to make it for a 4-exercise program.

A throwaway SQLite database with the library loaded and one patient on four exercises;
the handout is made once cold (the figures drawn for the first time) and then `--runs`
times; the median and the slowest are reported against the 1 s budget, as wall time and
as this process's CPU time (which a busy shared machine inflates less).

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

    def timed() -> tuple[float, float, int]:
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(handout_pdf(patient))
        return time.perf_counter() - wall, time.process_time() - cpu, size

    cold_wall, cold_cpu, size = timed()
    runs = [timed() for _ in range(args.runs)]
    walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
    print(f"Handout PDF, {len(EXERCISES)} exercises ({platform.python_version()}, {size:,} bytes)")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("                               wall ms   CPU ms")
    print(f"  cold (first, figures drawn) {cold_wall * 1000:8.0f} {cold_cpu * 1000:8.0f}")
    print(
        f"  median of {args.runs:<3}              "
        f"{statistics.median(walls) * 1000:8.0f} {statistics.median(cpus) * 1000:8.0f}"
    )
    print(f"  slowest                     {max(walls) * 1000:8.0f} {max(cpus) * 1000:8.0f}")
    verdict = "within" if statistics.median(walls) <= BUDGET_S else "OVER"
    print(f"  median wall time {verdict} the {BUDGET_S:.0f} s budget")


if __name__ == "__main__":
    main()
