from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from supine.clinic.audit import verify
from supine.clinic.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit log: `supine audit verify` walks its hash chain from the start."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["verify"], help="what to do with the audit log")

    def handle(self, *args, action: str, **options) -> None:
        checked, broken = verify()
        if broken is not None:
            row = AuditEvent.objects.filter(id=broken.row_id).values("created_at").first()
            when = f" (written {row['created_at']:%Y-%m-%d %H:%M:%S %Z})" if row else ""
            before = "1 row" if checked == 1 else f"{checked} rows"
            raise CommandError(
                f"The audit log is broken at row {broken.row_id}{when}: {broken.reason}. "
                f"{before.capitalize()} before it {'is' if checked == 1 else 'are'} intact."
            )
        self.stdout.write(self.style.SUCCESS(f"The audit log is intact: {checked} rows checked."))
