"""The static files build as production serves them: hashed names, ES module imports
rewritten to those names, compressed (supine.storage.StaticStorage). The tests use plain
storage, so without this a module graph production cannot build would pass them all."""

from __future__ import annotations

import re

from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "supine.storage.StaticStorage"},
}


def test_the_static_files_build_for_production_and_the_player_imports_hashed_names(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        # Before: "Max post-process passes exceeded" — player modules importing each
        # other in a cycle, which no set of hashed names can satisfy.
        call_command("collectstatic", interactive=False, verbosity=0)
    hashed = [
        path
        for path in (tmp_path / "supine" / "player").glob("player.*.js")
        if re.fullmatch(r"player\.[0-9a-f]{12}\.js", path.name)
    ]
    assert len(hashed) == 1
    imports = re.findall(r'from "\./([^"]+)"', hashed[0].read_text())
    assert imports, "the player imports its modules"
    for name in imports:
        assert re.fullmatch(r"[a-z-]+\.[0-9a-f]{12}\.js", name), name
        assert (tmp_path / "supine" / "player" / name).is_file(), name
