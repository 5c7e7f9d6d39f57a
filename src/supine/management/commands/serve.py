from __future__ import annotations

import os
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from supine.demo import create_demo


class Command(BaseCommand):
    help = "Migrate, load the exercise library and serve Supine with gunicorn."

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
        argv = [
            sys.executable, "-m", "gunicorn", "supine.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--graceful-timeout", "10",
        ]  # fmt: skip
        try:
            os.execv(sys.executable, argv)  # noqa: S606 — replace this process, no shell
        except OSError as error:
            raise CommandError(f"Could not start gunicorn: {error}") from None
