"""Settings come from the environment and fail loudly; production defaults are secure."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

PRODUCTION = {
    "SUPINE_DEBUG": "0",
    "SUPINE_SECRET_KEY": "x" * 50,
    "SUPINE_ALLOWED_HOSTS": "supine.example.org",
}


def settings_in(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SUPINE_", "DATABASE_"))}
    code = "import supine.settings as s; " + "; ".join(
        f"print(repr(getattr(s, {name!r}, None)))" for name in names
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "SUPINE_VAR_DIR": tempfile.gettempdir(), **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SUPINE_SECRET_KEY", "SUPINE_SECRET_KEY is required"),
     ("SUPINE_ALLOWED_HOSTS", "SUPINE_ALLOWED_HOSTS is required")],
)  # fmt: skip
def test_production_refuses_to_start_without_its_secrets(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = settings_in(env, "DEBUG")
    assert result.returncode != 0
    assert message in result.stderr


def test_a_setting_that_cannot_be_understood_is_named():
    result = settings_in({**PRODUCTION, "SUPINE_HTTPS": "maybe"}, "DEBUG")
    assert result.returncode != 0
    assert "SUPINE_HTTPS must be one of" in result.stderr


def test_production_defaults_are_secure():
    result = settings_in(
        PRODUCTION,
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "31536000"]


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    env = {"SUPINE_DEBUG": "1", "SUPINE_VAR_DIR": str(tmp_path)}
    first = settings_in(env, "SECRET_KEY").stdout
    second = settings_in(env, "SECRET_KEY").stdout
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_default_database_is_sqlite_in_wal_mode(tmp_path):
    result = settings_in({"SUPINE_DEBUG": "1", "SUPINE_VAR_DIR": str(tmp_path)}, "DATABASES")
    assert "journal_mode=WAL" in result.stdout
    assert str(tmp_path / "supine.sqlite3") in result.stdout


@pytest.mark.parametrize(
    ("env", "hops"),
    [({}, "0"),
     ({"SUPINE_TRUSTED_PROXY_HOPS": "2"}, "0"),
     ({"SUPINE_BEHIND_PROXY": "1"}, "1"),
     ({"SUPINE_BEHIND_PROXY": "1", "SUPINE_TRUSTED_PROXY_HOPS": "2"}, "2")],
)  # fmt: skip
def test_forwarded_addresses_are_trusted_only_behind_a_proxy(env, hops):
    result = settings_in({**PRODUCTION, **env}, "TRUSTED_PROXY_HOPS")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [hops]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [("SUPINE_TRUSTED_PROXY_HOPS", "-1", "SUPINE_TRUSTED_PROXY_HOPS must be 0 or more"),
     ("SUPINE_TOKEN_DAYS", "0", "SUPINE_TOKEN_DAYS must be 1 or more"),
     ("SUPINE_PATIENT_SESSION_DAYS", "0", "SUPINE_PATIENT_SESSION_DAYS must be 1 or more")],
)  # fmt: skip
def test_a_lifetime_or_hop_count_out_of_range_is_named(name, value, message):
    result = settings_in({**PRODUCTION, "SUPINE_BEHIND_PROXY": "1", name: value}, "DEBUG")
    assert result.returncode != 0
    assert message in result.stderr


def test_lifetimes_and_limits_come_from_the_environment():
    env = {"SUPINE_PATIENT_SESSION_DAYS": "7", "SUPINE_TOKEN_DAYS": "10",
           "SUPINE_LOGIN_ADDRESS_FAILURE_LIMIT": "50"}  # fmt: skip
    result = settings_in(
        {**PRODUCTION, **env},
        "PATIENT_SESSION_DAYS",
        "SESSION_COOKIE_AGE",
        "API_TOKEN_DAYS",
        "SIGN_IN_ADDRESS_FAILURE_LIMIT",
    )
    assert result.stdout.split() == ["7", str(7 * 86400), "10", "50"]
