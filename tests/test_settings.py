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
    "SUPINE_SITE_URL": "https://supine.example.org",
    "SUPINE_EMAIL_URL": "submission://alerts:secret@smtp.example.org",
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
     ("SUPINE_ALLOWED_HOSTS", "SUPINE_ALLOWED_HOSTS is required"),
     ("SUPINE_SITE_URL", "SUPINE_SITE_URL is required"),
     ("SUPINE_EMAIL_URL", "SUPINE_EMAIL_URL is required")],
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


def test_production_on_sqlite_keeps_its_connections(tmp_path):
    env = {**PRODUCTION, "SUPINE_VAR_DIR": str(tmp_path)}
    code = (
        "import supine.settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SUPINE_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "60", "True"]
    env["SUPINE_DB_CONN_MAX_AGE"] = "300"
    result = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "300", "True"]


def test_email_settings_come_from_one_url():
    result = settings_in(
        PRODUCTION,
        "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:7] == [
        "'django.core.mail.backends.smtp.EmailBackend'", "'smtp.example.org'", "587",
        "'alerts'", "'secret'", "True", "'Supine <supine@supine.example.org>'",
    ]  # fmt: skip


def test_development_prints_email_and_links_to_itself(tmp_path):
    env = {"SUPINE_DEBUG": "1", "SUPINE_VAR_DIR": str(tmp_path)}
    result = settings_in(env, "EMAIL_BACKEND", "SUPINE_SITE_URL")
    assert result.stdout.split() == [
        "'django.core.mail.backends.console.EmailBackend'", "'http://127.0.0.1:8000'",
    ]  # fmt: skip


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
    [("SUPINE_EMAIL_URL", "smpt://mail.example.org", "SUPINE_EMAIL_URL must start with"),
     ("SUPINE_EMAIL_URL", "smtp://mail.example.org:twenty-five", "SUPINE_EMAIL_URL is not a valid"),
     ("SUPINE_SITE_URL", "supine.example.org", "SUPINE_SITE_URL must be the address"),
     ("SUPINE_EMAIL_FROM", "Supine", "SUPINE_EMAIL_FROM must be an email address")],
)  # fmt: skip
def test_a_wrong_email_or_site_setting_is_named(name, value, message):
    result = settings_in({**PRODUCTION, name: value}, "DEBUG")
    assert result.returncode != 0
    assert message in result.stderr


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


def supine_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SUPINE_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "supine", "check"],
        env={**clean, "SUPINE_VAR_DIR": tempfile.gettempdir(), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_warns_when_alert_email_would_go_nowhere():
    printed = supine_check({**PRODUCTION, "SUPINE_EMAIL_URL": "console:"})
    assert "supine.W001" in printed.stderr
    assert "Urgent alert emails are printed to the console" in printed.stderr
    assert "supine.W001" not in supine_check(PRODUCTION).stderr


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
