from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from supine.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `supine backup`. Refuses a "
        "database that already holds accounts unless --force is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the backup to restore")
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database that already holds data",
        )

    def handle(self, *args, file: Path, force: bool, **options) -> None:
        try:
            restore(file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored the database from {file}."))
