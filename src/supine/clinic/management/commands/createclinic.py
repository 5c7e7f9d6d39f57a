"""`supine createclinic NAME --admin-email E`: a new clinic and its first admin.

The admin's account has no password yet: the command prints a one-time link (valid for
3 days, dead once used) where they choose one. Nothing secret is typed into the shell
or kept in its history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from supine.accounts.invitations import create_clinic
from supine.accounts.reset import reset_path
from supine.clinic.services import audit


class Command(BaseCommand):
    help = "Create a clinic and its first admin, and print a link for them to set a password."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The clinic's name, as patients will see it.")
        parser.add_argument(
            "--admin-email", required=True, help="The first admin's email; also their username."
        )
        parser.add_argument("--admin-name", default="", help="The admin's name (default: email).")

    def handle(self, *args, name: str, admin_email: str, admin_name: str, **options) -> None:
        name, admin_email = name.strip(), admin_email.strip().lower()
        if not name:
            raise CommandError("Give the clinic a name.")
        try:
            validate_email(admin_email)
        except ValidationError:
            raise CommandError(f"Not an email address: {admin_email!r}") from None
        try:
            admin = create_clinic(name=name, admin_email=admin_email, admin_name=admin_name)
        except (ValueError, ValidationError) as error:
            raise CommandError(str(error)) from None
        audit(actor=admin.user, action="clinic.create", detail=f"clinic {admin.clinic_id}")
        link = settings.SUPINE_SITE_URL.rstrip("/") + reset_path(admin.user)
        self.stdout.write(f"Created clinic {name!r}; its admin signs in as {admin_email}.")
        self.stdout.write("Send them this link to choose a password (works once, for 3 days):")
        self.stdout.write(link)
