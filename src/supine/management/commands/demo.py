from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from supine.demo import create_demo


class Command(BaseCommand):
    help = "Create the demo clinic, clinician and patient (or reset their passwords)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", help="password for both demo accounts (default: random)")

    def handle(self, *args, password: str | None, **options) -> None:
        try:
            demo = create_demo(password=password)
        except ValueError as error:
            raise CommandError(str(error)) from None
        verb = "Created" if demo.created else "Reset the passwords of"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo accounts."))
        self.stdout.write(
            login_instructions(demo.patient_username, demo.clinician_username, demo.password)
        )


def login_instructions(patient: str, clinician: str, password: str) -> str:
    return (
        "Sign in at http://127.0.0.1:8000/accounts/login/\n"
        f"  patient:   {patient}  password: {password}\n"
        f"  clinician: {clinician}  password: {password}"
    )
