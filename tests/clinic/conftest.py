"""A real SMTP server on this machine, and the real task worker, for the alert tests."""

from __future__ import annotations

import signal
import socket
import threading
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker

from supine.clinic.models import Clinic, Clinician
from supine.library.loader import load_library
from supine.settings import env_email_url
from tests.factories import make_clinician, make_patient


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What the SMTP server received: (envelope recipients, message) pairs."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        self.arrived.set()
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [message["Subject"] for _, message in self.messages]


class SMTPServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def start(self) -> SMTPServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def use_email_url(settings, url: str) -> None:
    # Through the same parser as SUPINE_EMAIL_URL.
    for name, value in env_email_url("SUPINE_EMAIL_URL", url).items():
        if value is not None:
            setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_port(settings) -> int:
    port = free_port()
    use_email_url(settings, f"smtp://127.0.0.1:{port}")
    return port


@pytest.fixture
def smtp(smtp_port):
    server = SMTPServer(smtp_port).start()
    yield server
    server.stop()


@pytest.fixture
def run_worker(monkeypatch):
    """`supine worker --batch`: run every task that is due, through the database queue."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    # The worker closes idle database connections between tasks; inside a test's
    # transaction that would close the test's own. Django's test cases keep the
    # connection open around requests for the same reason.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    yield run
    # The worker takes over the stop signals; give them back to the test run.
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.fixture
def run_queue(monkeypatch):
    """The backend's own worker, in batch mode, without `supine worker`'s start-up steps."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        db_worker.Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
        ).run()  # fmt: skip

    return run


@pytest.fixture
def library(transactional_db) -> None:
    # Transactional tests run last and each empties the database after itself.
    load_library()


@pytest.fixture
def clinic(db) -> Clinic:
    return Clinic.objects.create(
        name="Riverside Clinic", on_call_email="on-call@riverside.example", escalation_minutes=10
    )


@pytest.fixture
def prescriber(clinic) -> Clinician:
    clinician = make_clinician(clinic, username="prescriber")
    clinician.email = "prescriber@riverside.example"
    clinician.save(update_fields=["email"])
    return clinician


@pytest.fixture
def admin(clinic) -> Clinician:
    clinician = make_clinician(clinic, username="clinic-admin")
    clinician.email = "admin@riverside.example"
    clinician.is_admin = True
    clinician.save(update_fields=["email", "is_admin"])
    return clinician


@pytest.fixture
def patient(clinic, prescriber):
    patient = make_patient(clinic, username="patient")
    patient.prescriptions.filter(active=True).update(prescribed_by=prescriber)
    return patient
