from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from supine.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the whole database to FILE, safe while Supine runs "
        "(SQLite: its online backup; PostgreSQL: pg_dump's custom format)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="where to write the backup")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = file.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up the database to {file} ({size:,} bytes)."))
