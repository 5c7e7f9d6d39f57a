"""The clinic at scale: 2,000 patients × 365 days on PostgreSQL; the dashboard's and the
patient page's median server time and SQL query count.

Builds the clinic once in the database named by DATABASE_URL (default: a
`supine_bench` database on the local PostgreSQL, created if missing) with bulk
inserts, then times each page in-process through Django's test client — server time,
without a network — signed in as the clinic's clinician. `--rebuild` starts again.

Run: .venv/bin/python bench/clinic_scale.py [--patients 2000] [--days 365] [--requests 50]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/supine_bench"
CLINIC = "Bench Clinic"
CLINICIAN = "bench-clinician"
PASSWORD = "bench-password-1"  # noqa: S105 — a throwaway benchmark database


def configure(database_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        SUPINE_DEBUG="0",
        SUPINE_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnop",  # noqa: S106
        SUPINE_ALLOWED_HOSTS="testserver",
        SUPINE_HTTPS="0",
        SUPINE_LOG_LEVEL="ERROR",
        SUPINE_EMAIL_URL="console:",
        SUPINE_SITE_URL="http://testserver",
        SUPINE_VAR_DIR=tempfile.mkdtemp(prefix="supine-bench-"),
        DJANGO_SETTINGS_MODULE="supine.settings",
    )
    sys.path.insert(0, str(ROOT / "src"))
    _create_database(database_url)
    import django

    django.setup()


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.replace(parts.path, "/postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def build(patients: int, days: int) -> None:
    """The clinic, bulk-inserted: each patient with a program, a screen, sessions on
    about 70 % of days (pain before and after), morning check-ins on about 85 %, a dose
    step a fortnight, a visit a fortnight (some ahead), and a few open alerts."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from supine.appointments.models import Appointment
    from supine.appointments.summary import refresh_summary
    from supine.clinic.models import Alert, Clinic, Clinician, Patient
    from supine.library.models import Exercise
    from supine.outcomes.models import PainReport
    from supine.programs.models import DoseChange, PrescribedExercise, Prescription
    from supine.safety.models import Screening
    from supine.sessions.models import EventType, ExerciseSession, SessionEvent

    rng = random.Random(9)
    User = get_user_model()
    today = timezone.localdate()
    now = timezone.now()
    seed = list(
        Exercise.objects.filter(slug__in=["deep-abdominal-strengthening", "knee-rolls", "bridge"])
    )
    plan = {
        "steps": [
            {"kind": "release", "exercise": "bridge", "set": 1, "rep": n} for n in range(1, 21)
        ]
    }
    with transaction.atomic():
        clinic = Clinic.objects.create(name=CLINIC)
        user = User.objects.create_user(username=CLINICIAN, password=PASSWORD)
        clinician = Clinician.objects.create(
            user=user, clinic=clinic, display_name="Bench Clinician"
        )
        hashed = make_password(PASSWORD)
        users = User.objects.bulk_create(
            User(username=f"bench-patient-{n}", password=hashed) for n in range(patients)
        )
        people = Patient.objects.bulk_create(
            Patient(user=u, clinic=clinic, display_name=f"Patient {n:04d} {rng.choice('ABCDEFGH')}")
            for n, u in enumerate(users)
        )
        Screening.objects.bulk_create(
            Screening(patient=p, clinician_advised=True, answers={}, urgency="none", blocked=False)
            for p in people
        )
        programs = Prescription.objects.bulk_create(
            Prescription(patient=p, prescribed_by=clinician) for p in people
        )
        items = PrescribedExercise.objects.bulk_create(
            PrescribedExercise(
                prescription=program, exercise=exercise, position=position,
                reps_min=exercise.reps_min, reps_max=exercise.reps_max,
                hold_seconds_min=exercise.hold_seconds_min,
                hold_seconds_max=exercise.hold_seconds_max,
                sets_min=exercise.sets_min, sets_max=exercise.sets_max,
            )
            for program in programs
            for position, exercise in enumerate(seed, start=1)
        )  # fmt: skip
    print(f"  people and programs: {len(people)} patients", flush=True)
    for batch_start in range(0, len(people), 100):
        batch = people[batch_start : batch_start + 100]
        sessions, pains, events, visits = [], [], [], []
        for patient in batch:
            for back in range(days, -1, -1):
                day = today - timedelta(days=back)
                morning = timezone.make_aware(
                    datetime.combine(day, datetime.min.time())
                ) + timedelta(hours=7)
                if rng.random() < 0.85:
                    pains.append(
                        PainReport(
                            patient=patient,
                            score=rng.randint(1, 6),
                            moment="morning",
                            day=day,
                            recorded_at=morning,
                        )
                    )
                if back and rng.random() < 0.7:
                    started = morning + timedelta(hours=11)
                    session = ExerciseSession(
                        id=uuid.uuid4(), patient=patient, plan_date=day,
                        plan=plan if back <= 30 else {"steps": []}, status="completed",
                        started_at=started, ended_at=started + timedelta(minutes=9),
                    )  # fmt: skip
                    sessions.append(session)
                    pains.append(
                        PainReport(
                            patient=patient,
                            session=session,
                            score=rng.randint(1, 5),
                            moment="before",
                            recorded_at=started,
                        )
                    )
                    pains.append(
                        PainReport(
                            patient=patient,
                            session=session,
                            score=rng.randint(1, 5),
                            moment="after",
                            recorded_at=started + timedelta(minutes=9),
                        )
                    )
                    if back <= 30:
                        events += [
                            SessionEvent(
                                id=uuid.uuid4(),
                                session=session,
                                type=EventType.REP_DONE,
                                at=started,
                                data={"exercise": "bridge", "set": 1, "rep": n},
                            )
                            for n in range(1, 19)
                        ]
                if back % 14 == 3:
                    start = timezone.make_aware(
                        datetime.combine(day + timedelta(days=20), datetime.min.time())
                    ) + timedelta(hours=10)
                    visits.append(
                        Appointment(
                            patient=patient, clinician=clinician, starts_at=start, minutes=30
                        )
                    )
        with transaction.atomic():
            ExerciseSession.objects.bulk_create(sessions, batch_size=2000)
            PainReport.objects.bulk_create(pains, batch_size=5000)
            SessionEvent.objects.bulk_create(events, batch_size=5000)
            Appointment.objects.bulk_create(visits, batch_size=2000)
        print(f"  history: {batch_start + len(batch)} patients", flush=True)
    changes = []
    for item in items:
        for step in range(days // 14):
            changes.append(
                DoseChange(
                    item=item,
                    reps=min(item.reps_min + step // 4, item.reps_max),
                    sets=1,
                    change="progress",
                    reason="Progress",
                )
            )
    DoseChange.objects.bulk_create(changes, batch_size=5000)
    DoseChange.objects.filter(item__prescription__patient__clinic=clinic).update(
        created_at=now - timedelta(days=1)
    )
    alerts = [
        Alert(patient=rng.choice(people), kind=kind, severity=severity, reason="Bench alert")
        for kind, severity, count in (
            ("note", "info", 400),
            ("pain_trend", "attention", 60),
            ("red_flag", "urgent", 5),
        )
        for _ in range(count)
    ]
    Alert.objects.bulk_create(alerts)
    for patient in people:
        refresh_summary(patient)
    print("  summaries written", flush=True)


def measure(client, url: str, requests: int) -> dict:
    from django.db import connection

    for _ in range(5):
        assert client.get(url).status_code == 200, url
    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(url)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    configure(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    from django.core.management import call_command
    from django.test import Client

    from supine.clinic.models import Clinic, Clinician, Patient
    from supine.library.loader import load_library

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    load_library()
    if args.rebuild:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        call_command("migrate", verbosity=0)
        load_library()
    if not Clinic.objects.filter(name=CLINIC).exists():
        started = time.perf_counter()
        print(f"Building {args.patients} patients × {args.days} days …", flush=True)
        build(args.patients, args.days)
        print(f"Built in {time.perf_counter() - started:.0f} s", flush=True)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    clinician = Clinician.objects.get(user__username=CLINICIAN)
    patients = Patient.objects.filter(clinic=clinician.clinic).order_by("display_name")
    patient = patients[patients.count() // 2]
    # One connection for the run, as a server with persistent connections keeps one per
    # worker (the query count needs it too: a closed connection forgets its log).
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(clinician.user)
    pages = [
        "/clinic/",
        "/clinic/?page=30",
        "/clinic/?q=0123",
        "/clinic/?sort=last_session",
        "/clinic/?sort=next_visit",
        "/api/v1/clinic/patients",
        "/api/v1/clinic/patients?page=40",
        f"/clinic/patients/{patient.id}/",
    ]
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            for _ in range(5):
                client.get(os.environ["BENCH_PROFILE"].replace("<id>", str(patient.id)))
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return
    rows = [(url, measure(client, url, args.requests)) for url in pages]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, PostgreSQL, "
        f"{Patient.objects.count()} patients, "
        f"{args.requests} requests each, in-process (no network)"
    )
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    for url, figures in rows:
        shown = url.replace(str(patient.id), "<id>")
        print(
            f"{shown:40} {figures['median_ms']:>10} {figures['p95_ms']:>8} "
            f"{figures['queries']:>8} {figures['bytes'] / 1024:>6.0f}"
        )


if __name__ == "__main__":
    main()
