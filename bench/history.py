"""Patient pages against the length of their history, and throughput at concurrency 8,
on PostgreSQL.

Two patients of one clinic on the seed program, one with 7 days of history and one with
365: each day a morning check-in and a whole session, recorded through Supine's own
services on that day's clock, so that dose decisions, alerts and summaries are as in use.
They are built once in the database named by BENCH_DATABASE_URL (default: the local
`supine_bench`, beside the 2,000-patient clinic of clinic_scale.py when it is there) and
kept between runs.

1. History: each patient page's median server time and query count for both patients,
   in-process through Django's test client (no network).
2. Throughput: gunicorn on the same database, 8 client threads each with its own
   connection, for /healthz (the baseline, measured first and last), the exercises
   API, the plan, Today and a 10-event batch, signed in as the 365-day patient.

Run: .venv/bin/python bench/history.py [--requests 50] [--seconds 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from datetime import datetime, timedelta
from datetime import time as clock

from clinic_scale import DEFAULT_DB, configure
from server import free_port

CLINIC = "History Clinic"
PASSWORD = "bench-password-1"  # noqa: S105 — a throwaway benchmark database
SHORT, LONG = 7, 365
PAGES = ["/today/", "/session/", "/api/v1/me/plan"]
PROGRAM = ("deep-abdominal-strengthening", "knee-rolls", "bridge")
CONCURRENCY = 8


def username(days: int) -> str:
    return f"bench-history-{days}"


def build_patient(days: int) -> None:
    """A patient whose program began `days` days ago, with a check-in and a session a day."""
    import time_machine
    from django.utils import timezone

    from supine.clinic.models import Clinic
    from supine.clinic.services import create_patient
    from supine.library.models import Exercise
    from supine.outcomes.services import record_morning_checkin
    from supine.programs.models import Prescription
    from supine.programs.services import prescribe, todays_items, todays_plan
    from supine.safety.screening import QUESTIONS
    from supine.safety.services import plan_safety, submit_screening
    from supine.sessions.services import NewEvent, record_events, start_session

    clinic, _ = Clinic.objects.get_or_create(name=CLINIC)
    today = timezone.localdate()
    first = today - timedelta(days=days)

    def at(day, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, clock(hour)))

    with time_machine.travel(at(first, 8), tick=False):
        patient = create_patient(
            clinic=clinic, username=username(days), password=PASSWORD, name=f"History {days}"
        )
        type(patient).objects.filter(pk=patient.pk).update(usual_pain=2)
        patient.usual_pain = 2
        safe = {q.id: not q.flag_on for q in QUESTIONS}  # nothing flagged
        submit_screening(patient=patient, clinician_advised=True, answers=safe)
        exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=PROGRAM)}
        prescription = prescribe(patient=patient, exercises=[exercises[s] for s in PROGRAM])
    Prescription.objects.filter(pk=prescription.pk).update(created_at=at(first, 8))
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        with time_machine.travel(at(day, 7), tick=False):
            record_morning_checkin(patient=patient, score=2)
        start = at(day, 18)
        with time_machine.travel(start, tick=False):
            plan = todays_plan(todays_items(patient), safety=plan_safety(patient))
            session, _ = start_session(patient=patient, session_id=uuid.uuid4(), plan=plan)
            events = [
                NewEvent(uuid.uuid4(), "started", start, {}),
                NewEvent(uuid.uuid4(), "pain_reported", start, {"score": 2, "moment": "before"}),
            ]
            moment = start
            for index, step in enumerate(plan["steps"]):
                moment += timedelta(milliseconds=step["duration_ms"])
                rep = {
                    k: step[k] for k in ("exercise", "set", "rep", "side") if step[k] is not None
                }
                if step["kind"] in ("hold", "release"):
                    kind = "hold_done" if step["kind"] == "hold" else "rep_done"
                    events.append(NewEvent(uuid.uuid4(), kind, moment, rep))
                events.append(NewEvent(uuid.uuid4(), "step_done", moment, {"index": index}))
            events += [
                NewEvent(uuid.uuid4(), "pain_reported", moment, {"score": 1, "moment": "after"}),
                NewEvent(uuid.uuid4(), "finished", moment, {"feeling": "about_right"}),
            ]
        with time_machine.travel(moment, tick=False):
            record_events(session=session, events=events)
        if back % 50 == 0:
            print(f"  {username(days)}: {days - back} days", flush=True)


def ensure_patients() -> dict:
    from django.contrib.auth import get_user_model

    from supine.clinic.models import Patient

    users = get_user_model().objects
    for days in (SHORT, LONG):
        if not users.filter(username=username(days)).exists():
            started = time.perf_counter()
            print(f"Building a patient with {days} days of history …", flush=True)
            build_patient(days)
            print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return {
        days: Patient.objects.select_related("user").get(user__username=username(days))
        for days in (SHORT, LONG)
    }


def cpu_of(url: str, requests: int) -> float:
    """The median CPU time of this process per request to `url`, anonymous: in-process,
    so the database's own work is not in it."""
    from django.test import Client

    client = Client()
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    spent = []
    for _ in range(requests):
        start = time.process_time()
        client.get(url)
        spent.append((time.process_time() - start) * 1000)
    return round(statistics.median(spent), 1)


def history_table(patients: dict, requests: int) -> list[dict]:
    """Each page's median time and query count for each patient. The two patients'
    requests alternate, so that a change in the machine's load weighs on both alike."""
    from django.db import connection
    from django.test import Client

    clients = {}
    for days, patient in patients.items():
        clients[days] = Client()
        clients[days].force_login(patient.user)
    rows = []
    for url in PAGES:
        times: dict = {days: [] for days in clients}
        cpu: dict = {days: [] for days in clients}
        queries: dict = {}
        for days, client in clients.items():
            for _ in range(5):
                assert client.get(url).status_code == 200, (url, days)
            seen: list[str] = []

            def record(execute, sql, params, many, context, seen=seen):
                seen.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(record):
                client.get(url)
            queries[days] = len(seen)
        for n in range(requests):
            order = list(clients) if n % 2 else list(reversed(clients))
            for days in order:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = clients[days].get(url)
                times[days].append((time.perf_counter() - start) * 1000)
                cpu[days].append((time.process_time() - start_cpu) * 1000)
                assert response.status_code == 200, (url, days)
        rows.append(
            {
                "page": url,
                **{
                    str(days): {
                        "median_ms": round(statistics.median(times[days]), 1),
                        "cpu_ms": round(statistics.median(cpu[days]), 1),
                        "queries": queries[days],
                    }
                    for days in clients
                },
            }
        )
    return rows


# Throughput ----------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(workers: int):
    port = free_port()
    env = {
        **os.environ,
        "SUPINE_ALLOWED_HOSTS": "127.0.0.1",
        "SUPINE_SITE_URL": f"http://127.0.0.1:{port}",
    }
    # BENCH_SERVER_LOG: a file for the server's log (one JSON line a request, with its
    # server time); by default it is discarded.
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "ab")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "supine.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/healthz", timeout=1):
                break
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited during start-up")
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer within 60 s")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


class Caller:
    """One client thread's connection: reconnects when the server closes it."""

    def __init__(self, port: int, headers: dict) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = headers

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        content = response.read()
        if response.will_close:
            self.conn.close()
        return response.status, content


def batches(caller: Caller):
    """10-event batches as a player sends them, a new session every 20 batches."""
    while True:
        status, content = caller.call("POST", "/api/v1/me/sessions", {"id": str(uuid.uuid4())})
        if status != 201:
            raise RuntimeError(f"starting a session answered {status}: {content[:200]!r}")
        session = json.loads(content)
        steps = session["plan"]["steps"]
        path = f"/api/v1/me/sessions/{session['id']}/events"
        index = 0
        for _ in range(20):
            now = datetime.now().astimezone().isoformat()
            events = [
                {
                    "id": str(uuid.uuid4()),
                    "type": "pain_reported",
                    "at": now,
                    "data": {"score": 2, "moment": "before"},
                }
            ]
            while len(events) < 10:
                step = steps[index % len(steps)]
                if step["kind"] in ("hold", "release") and len(events) < 9:
                    rep = {k: step[k] for k in ("exercise", "set", "rep", "side") if step[k]}
                    kind = "hold_done" if step["kind"] == "hold" else "rep_done"
                    events.append({"id": str(uuid.uuid4()), "type": kind, "at": now, "data": rep})
                events.append(
                    {"id": str(uuid.uuid4()), "type": "step_done", "at": now,
                     "data": {"index": index % len(steps)}}
                )  # fmt: skip
                index += 1
            yield path, {"events": events[:10]}


def throughput(port: int, name: str, headers: dict, seconds: float, work) -> dict:
    """Requests per second of `work(caller)` from CONCURRENCY threads for `seconds`."""
    counts = [0] * CONCURRENCY
    failures: list[str] = []
    start_line = threading.Barrier(CONCURRENCY + 1)
    stop = threading.Event()

    def run(slot: int) -> None:
        try:
            step = work(Caller(port, headers))
            next(step)  # warm: the connection open, a first request answered
        except Exception as error:
            failures.append(f"{name}: {error}")
            stop.set()
        start_line.wait()
        try:
            while not stop.is_set():
                next(step)
                counts[slot] += 1
        except Exception as error:
            failures.append(f"{name}: {error}")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise RuntimeError(failures[0])
    return {"requests": sum(counts), "per_second": sum(counts) / elapsed}


def getter(path: str):
    def work(caller: Caller):
        while True:
            status, _ = caller.call("GET", path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            yield

    return work


def poster(caller: Caller):
    for path, body in batches(caller):
        status, content = caller.call("POST", path, body)
        if status != 200 or len(json.loads(content)["accepted"]) != 10:
            raise RuntimeError(f"a batch answered {status}: {content[:200]!r}")
        yield


def throughput_table(patient, seconds: float, workers: int) -> list[tuple[str, dict]]:
    from django.test import Client

    from supine.accounts.tokens import issue

    raw, _ = issue(user=patient.user)
    bearer = {"Authorization": f"Bearer {raw}"}
    client = Client()
    client.force_login(patient.user)
    cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    runs = [
        ("/healthz (baseline, first)", {}, getter("/healthz")),
        ("/api/v1/exercises", {}, getter("/api/v1/exercises")),
        ("/api/v1/me/plan", bearer, getter("/api/v1/me/plan")),
        ("/today/", cookie, getter("/today/")),
        ("10-event batch", bearer, poster),
        ("/healthz (baseline, last)", {}, getter("/healthz")),
    ]
    with gunicorn(workers) as port:
        return [(name, throughput(port, name, headers, seconds, w)) for name, headers, w in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    configure(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections

    from supine.clinic.models import Patient
    from supine.library.loader import load_library

    logging.getLogger("supine.requests").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    load_library()
    patients = ensure_patients()
    # One connection for the run, as a server with persistent connections keeps one per
    # worker (the query count needs it too: a closed connection forgets its log).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, PostgreSQL, "
        f"{Patient.objects.count()} patients in the database; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    history = history_table(patients, args.requests)
    print(f"\nHistory: {args.requests} requests each, in-process (no network)")
    print(
        f"{'page':18} {'7 d ms':>8} {'365 d ms':>9} {'ratio':>6} {'7 d q':>6} {'365 d q':>8}"
        f" {'365 d CPU ms':>13}"
    )
    worst = 0.0
    for row in history:
        short, long = row[str(SHORT)], row[str(LONG)]
        ratio = long["median_ms"] / short["median_ms"]
        worst = max(worst, ratio)
        print(
            f"{row['page']:18} {short['median_ms']:>8} {long['median_ms']:>9} {ratio:>5.2f}× "
            f"{short['queries']:>6} {long['queries']:>8} {long['cpu_ms']:>13}"
        )
    baseline_cpu = {url: cpu_of(url, args.requests) for url in ("/healthz", "/api/v1/exercises")}
    for url, spent in baseline_cpu.items():
        print(f"{url:18} CPU ms {spent} (in-process, anonymous)")
    same_counts = all(r[str(SHORT)]["queries"] == r[str(LONG)]["queries"] for r in history)
    print(f"worst ratio {worst:.2f}× (goal ≤ 1.5×); query counts equal: {same_counts}")
    result = {"history": history, "cpu_ms": baseline_cpu}
    if not args.skip_throughput:
        rows = throughput_table(patients[LONG], args.seconds, args.workers)
        base = statistics.mean(
            figures["per_second"] for name, figures in rows if name.startswith("/healthz")
        )
        print(
            f"\nThroughput: gunicorn {args.workers} sync workers, {CONCURRENCY} client threads, "
            f"{args.seconds:g} s each, as the {LONG}-day patient"
        )
        print(f"{'endpoint':28} {'req/s':>8} {'× /healthz':>11}")
        for name, figures in rows:
            print(f"{name:28} {figures['per_second']:>8.1f} {figures['per_second'] / base:>10.2f}×")
        result["throughput"] = {name: figures for name, figures in rows}
        result["baseline_per_second"] = base
    print(json.dumps(result))
    if not same_counts:
        sys.exit("The query counts differ with the history length.")


if __name__ == "__main__":
    main()
