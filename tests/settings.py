"""Test settings: Supine's own, made fast and self-contained."""

import os

os.environ.setdefault("SUPINE_DEBUG", "1")
os.environ.setdefault("SUPINE_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SUPINE_HTTPS", "0")

from supine.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Lockout is tested on its own; the rest of the suite logs in freely.
AXES_ENABLED = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile
    from pathlib import Path

    # A file, not Django's shared in-memory database: the browser tests' live server
    # answers requests on several threads, and shared-cache SQLite refuses concurrent
    # writers at once ("table is locked") where a file in WAL mode lets them wait.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"supine-test-{os.getpid()}.sqlite3")
    }
