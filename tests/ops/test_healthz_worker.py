"""`GET /healthz` reports the task worker's last heartbeat, in one query, and stays 200
when the worker is late: the web app is up, and the worker's tasks wait in the database."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django_tasks_db.management.commands import db_worker

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def run_worker(monkeypatch):
    """`supine worker --batch`, then the queue as a running worker would see it later."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    # Inside a test's transaction the worker must not close the test's connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def start() -> None:
        call_command("worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    def run_due_tasks() -> None:
        db_worker.Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
        ).run()  # fmt: skip

    yield start, run_due_tasks
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def healthz() -> dict:
    response = Client().get("/healthz")
    assert response.status_code == 200
    return response.json()


def test_without_a_worker_ever_seen_healthz_is_200_and_says_so(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        answer = healthz()
    assert answer == {
        "status": "ok",
        "database": "ok",
        "worker": {"last_seen": None, "age_seconds": None, "ok": False},
    }


def test_a_worker_records_its_heartbeat_when_it_starts(db, run_worker):
    start, _ = run_worker
    with time_machine.travel(START, tick=False):
        start()
    with time_machine.travel(START + timedelta(seconds=75), tick=False):
        worker = healthz()["worker"]
    assert worker == {"last_seen": "2026-03-02T09:00:00+00:00", "age_seconds": 75, "ok": True}


def test_a_late_worker_is_reported_and_healthz_stays_200(db, run_worker):
    start, _ = run_worker
    with time_machine.travel(START, tick=False):
        start()
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        worker = healthz()["worker"]
    assert worker == {"last_seen": "2026-03-02T09:00:00+00:00", "age_seconds": 600, "ok": False}


def test_the_periodic_task_keeps_the_heartbeat_fresh(db, run_worker, django_assert_num_queries):
    start, run_due_tasks = run_worker
    with time_machine.travel(START, tick=False):
        start()  # queues look_after_deliveries for two minutes later
    later = START + timedelta(minutes=7)
    with time_machine.travel(later, tick=False):
        run_due_tasks()
    with (
        time_machine.travel(later + timedelta(seconds=30), tick=False),
        django_assert_num_queries(1),
    ):
        worker = healthz()["worker"]
    assert worker == {"last_seen": "2026-03-02T09:07:00+00:00", "age_seconds": 30, "ok": True}
