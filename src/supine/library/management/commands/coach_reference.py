from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from supine.library.coach import library_reference
from supine.library.loader import EXERCISES_DIR, LibraryError, read_library


class Command(BaseCommand):
    help = (
        "Write each exercise's coach table and keyframe landmarks as JSON, for the camera "
        "coach's tests (make coach-eval)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", type=Path, default=EXERCISES_DIR, help="folder of exercises")
        parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")

    def handle(self, *args, dir: Path, out: Path, **options) -> None:
        try:
            data = library_reference(read_library(dir))
        except LibraryError as error:
            raise CommandError(str(error)) from None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        self.stdout.write(f"Wrote {len(data['exercises'])} exercises to {out}")
