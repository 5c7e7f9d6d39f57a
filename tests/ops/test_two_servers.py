"""More than one machine: two gunicorn servers on one PostgreSQL, sent the same event
batches at the same moment, store every event exactly once and give the same verdict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from supine.accounts.tokens import issue_token
from supine.library.loader import load_library
from supine.sessions.models import SessionEvent
from tests.factories import make_patient
from tests.sessions.helpers import whole_session_events
from tests.test_serve import Output, free_port

BATCH = 10
SERVERS = 2
# Every wait is bounded: a server that does not start or answer fails the test.
START_TIMEOUT = 90
REQUEST_TIMEOUT = 60


def database_url() -> str:
    """The URL of the database this test runs on: pytest-django's test database."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"


class Server:
    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPINE_", "DATABASE_"))}
        env.update(
            DATABASE_URL=database_url(),
            SUPINE_DEBUG="1",
            SUPINE_VAR_DIR=str(tmp_path),
            PYTHONUNBUFFERED="1",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "supine.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "60"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.output = Output(self.process.stdout)

    def wait_until_listening(self) -> None:
        self.output.wait_for(rf"Listening at: {self.url}", timeout=START_TIMEOUT)
        self.output.wait_for(r"Booting worker", timeout=START_TIMEOUT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def post(self, path: str, body: dict, token: str) -> tuple[int, dict]:
        request = urllib.request.Request(  # noqa: S310 (our own http:// URL)
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            return response.status, json.loads(response.read())


@pytest.fixture
def servers(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "two servers share one PostgreSQL; SQLite is a file on one machine "
            "(this runs in the PostgreSQL pass: make test-postgres)"
        )
    started = []
    try:
        for index in range(SERVERS):
            started.append(Server(tmp_path / f"server{index}"))
        for server in started:
            server.wait_until_listening()
        yield started
    finally:
        for server in started:
            server.stop()


def test_two_servers_sent_the_same_batches_at_once_store_every_event_once(servers):
    load_library()
    patient = make_patient()
    token = issue_token(user=patient.user, days=1)
    first, second = servers

    session_id = str(uuid.uuid4())
    status, started = first.post("/api/v1/me/sessions", {"id": session_id}, token)
    assert status == 201
    # The other server knows the session too: the same id again is the same session.
    status, again = second.post("/api/v1/me/sessions", {"id": session_id}, token)
    assert (status, again["id"]) == (200, session_id)

    events = whole_session_events(started["plan"])
    batches = [events[i : i + BATCH] for i in range(0, len(events), BATCH)]
    at_once = threading.Barrier(SERVERS, timeout=REQUEST_TIMEOUT)

    def send_all(server: Server) -> list[tuple[int, dict]]:
        answers = []
        for batch in batches:
            at_once.wait()  # both servers get each batch at the same moment
            path = f"/api/v1/me/sessions/{session_id}/events"
            answers.append(server.post(path, {"events": batch}, token))
        return answers

    with ThreadPoolExecutor(max_workers=SERVERS) as pool:
        answers_first, answers_second = pool.map(send_all, servers)

    for batch, one, other in zip(batches, answers_first, answers_second, strict=True):
        assert one[0] == other[0] == 200, (one, other)
        # Each event was taken by exactly one of the servers; the other saw it as a duplicate.
        taken = one[1]["accepted"] + other[1]["accepted"]
        assert sorted(taken) == sorted(event["id"] for event in batch)
        assert one[1]["session"] == other[1]["session"]
    assert answers_first[-1][1]["session"]["status"] == "completed"

    stored = list(SessionEvent.objects.filter(session_id=session_id).values_list("id", flat=True))
    assert len(stored) == len(events)
    assert {str(event_id) for event_id in stored} == {event["id"] for event in events}
