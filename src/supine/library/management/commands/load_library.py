from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from supine.library.loader import EXERCISES_DIR, LibraryError, load_library


class Command(BaseCommand):
    help = "Load the exercise library from its TOML files (safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=EXERCISES_DIR, help="folder of <slug>.toml files"
        )

    def handle(self, *args, dir: Path, **options) -> None:
        try:
            result = load_library(dir)
        except LibraryError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        if not result.changed:
            self.stdout.write(
                f"Exercise library up to date: {len(result.unchanged)} exercises, nothing changed."
            )
            return
        for label, slugs in (("Added", result.created), ("Updated", result.updated)):
            if slugs:
                self.stdout.write(self.style.SUCCESS(f"{label} {len(slugs)}: {', '.join(slugs)}"))
        if result.unchanged:
            self.stdout.write(f"Unchanged: {len(result.unchanged)}")
