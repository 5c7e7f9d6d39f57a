from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from supine.demo import create_demo


class Command(BaseCommand):
    help = (
        "Migrate, load the exercise library and serve Supine with gunicorn, with one "
        "background task worker beside it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2))
        )
        parser.add_argument(
            "--demo", action="store_true", help="create the demo accounts if the database is empty"
        )
        parser.add_argument("--demo-password", help="password for new demo accounts")

    def handle(self, *args, host: str, port: int, workers: int, demo: bool, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_library")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{host}:{port}"
        if demo and not get_user_model().objects.exists():
            accounts = create_demo(password=options.get("demo_password"))
            self.stdout.write(
                self.style.SUCCESS(f"Demo accounts created. Sign in at {url}/accounts/login/")
            )
            self.stdout.write(
                f"  patient:   {accounts.patient_username}   password: {accounts.password}"
            )
            self.stdout.write(
                f"  clinician: {accounts.clinician_username} password: {accounts.password}"
            )
        elif demo:
            self.stdout.write(
                f"Sign in at {url}/accounts/login/ as demo-patient or demo-clinician. "
                "Forgot the password? Run: .venv/bin/supine demo --password NEW"
            )
        else:
            self.stdout.write(f"Serving at {url}/")
        self.stdout.flush()
        # No gunicorn access log: it names raw paths and queries; Supine logs each request
        # itself, by its route (supine.ops.request_log).
        web = [
            sys.executable, "-m", "gunicorn", "supine.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--graceful-timeout", "10",
        ]  # fmt: skip
        worker = [sys.executable, "-m", "supine", "worker", "--no-reload"]
        code = Supervisor(web=web, worker=worker, say=self._say).run()
        if code:
            sys.exit(code)

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


class Supervisor:
    """gunicorn and one task worker, as this process's children.

    A stop signal to this process stops both (each once, gracefully); a worker that dies
    is started again; when gunicorn ends, the worker is stopped and its code returned.
    The children have their own process group, so that Ctrl+C reaches them once, from
    here, and on Linux they are told to stop if this process is killed outright.
    """

    # A worker that dies this soon after starting, this many times running, is broken.
    QUICK_DEATH_SECONDS = 10
    QUICK_DEATHS_ALLOWED = 5

    def __init__(self, *, web: list[str], worker: list[str], say) -> None:
        self.web_argv, self.worker_argv, self.say = web, worker, say
        self.stopping = False
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_started = 0.0
        self.quick_deaths = 0

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._stop)
        try:
            self.web = self._spawn(self.web_argv)
        except OSError as error:
            raise CommandError(f"Could not start gunicorn: {error}") from None
        self.say(f"Web server started (pid {self.web.pid})")
        self._start_worker()
        while True:
            pid, status = os.wait()  # any child; resumes after a signal's handler
            code = os.waitstatus_to_exitcode(status)
            if pid == self.web.pid:
                self.web.returncode = code
                self._stop_worker()
                return code
            if self.worker is not None and pid == self.worker.pid:
                self.worker.returncode = code
                self.worker = None
                if not self.stopping and not self._restart_worker(code):
                    self._stop()
                    self.say("The task worker keeps failing; stopping Supine. See its log above.")

    def _start_worker(self) -> None:
        self.worker = self._spawn(self.worker_argv)
        self.worker_started = time.monotonic()
        self.say(f"Task worker started (pid {self.worker.pid})")

    def _restart_worker(self, code: int) -> bool:
        quick = time.monotonic() - self.worker_started < self.QUICK_DEATH_SECONDS
        self.quick_deaths = self.quick_deaths + 1 if quick else 0
        if self.quick_deaths >= self.QUICK_DEATHS_ALLOWED:
            return False
        self.say(f"The task worker stopped (exit code {code}); starting it again")
        self._start_worker()
        return True

    def _stop(self, signum: int | None = None, frame=None) -> None:
        if self.stopping:
            return
        self.stopping = True
        for child in (self.web, self.worker):
            if child is not None and child.returncode is None:
                child.send_signal(signal.SIGTERM)

    def _stop_worker(self) -> None:
        if self.worker is None:
            return
        if self.worker.returncode is None:
            self.worker.send_signal(signal.SIGTERM)
        try:
            self.worker.wait(timeout=30)  # it finishes the task in hand
        except subprocess.TimeoutExpired:
            self.worker.kill()
            self.worker.wait()

    @staticmethod
    def _spawn(argv: list[str]) -> subprocess.Popen:
        return subprocess.Popen(argv, process_group=0, preexec_fn=_stop_with_parent)  # noqa: S603


def _stop_with_parent() -> None:
    # Runs in the child before it starts: SIGTERM when the parent dies, even by SIGKILL.
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
