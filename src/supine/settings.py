"""Supine's settings, read from the environment.

Every setting that matters in production comes from a `SUPINE_*` variable or
`DATABASE_URL`; a value that cannot be understood stops start-up with a message
that names the variable, rather than running with a silent default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from supine.ops.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SUPINE_VAR_DIR", Path.cwd() / "var")).resolve()
# The motion coach's runtime and models (`supine coach_assets`), served under /coach/assets/.
COACH_ASSETS_DIR = Path(os.environ.get("SUPINE_COACH_ASSETS", VAR_DIR / "coach")).resolve()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_email_url(name: str, raw: str) -> dict:
    """Django's EMAIL_* settings from a URL (dj-email-url), refusing what it cannot read."""
    try:
        parsed = dj_email_url.parse(raw)
    except ValueError as error:  # a port that is not a number
        raise ImproperlyConfigured(f"{name} is not a valid email URL: {error}") from None
    if "EMAIL_BACKEND" not in parsed:
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, submission:// (STARTTLS) or console:; "
            f"got {raw.split(':', 1)[0]!r}"
        )
    return parsed


def env_site_url(name: str, raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(
            f"{name} must be the address people use to reach Supine, "
            f"such as https://supine.example-clinic.org; got {raw!r}"
        )
    return raw.strip().rstrip("/")


def _development_secret_key() -> str:
    # Generated once and kept, so that sessions survive a restart of `make run`.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("SUPINE_DEBUG", False)

SECRET_KEY = os.environ.get("SUPINE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SUPINE_SECRET_KEY is required in production (SUPINE_DEBUG off). "
            "Set it to a long random string, or set SUPINE_DEBUG=1 for development."
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env_list("SUPINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "SUPINE_ALLOWED_HOSTS is required in production: a comma-separated list of host names."
    )
CSRF_TRUSTED_ORIGINS = env_list("SUPINE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "supine",
    "supine.accounts",
    "supine.library",
    "supine.clinic",
    "supine.programs",
    "supine.outcomes",
    "supine.sessions",
    "supine.safety",
    "supine.appointments",
    "supine.ops",
]

MIDDLEWARE = [
    # Outermost: it times the whole answer and logs its final status.
    "supine.ops.request_log.RequestLogMiddleware",
    # Pages go out compressed; Django masks the CSRF token per response, which is what
    # keeps compression from leaking it (BREACH).
    "django.middleware.gzip.GZipMiddleware",
    # Sees every answer, however it was produced, before it is compressed.
    "supine.middleware.ApiErrorsAsJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "supine.client_address.ClientAddressMiddleware",
    # Below whitenoise, so that static files keep their long caching.
    "supine.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "supine.middleware.ApiBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "supine.accounts.session_lifetime.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "supine.middleware.ContentSecurityPolicyMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "supine.urls"
WSGI_APPLICATION = "supine.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_SQLITE_PATH = VAR_DIR / "supine.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"),
        conn_max_age=env_int("SUPINE_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] == str(_SQLITE_PATH):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE takes the write
        # lock at the start of a transaction so that concurrent writers wait
        # (up to the timeout) instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Five wrong passwords lock that username from that address for an hour; an address
# that has failed with many usernames is locked for every username (supine.accounts.throttle).
AXES_FAILURE_LIMIT = env_int("SUPINE_LOGIN_FAILURE_LIMIT", 5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SUPINE_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "supine.accounts.lockout.lockout_response"
AXES_HANDLER = "supine.accounts.throttle.SignInThrottle"
AXES_CLIENT_IP_CALLABLE = "supine.client_address.client_address"
# Invitation codes, sign-up and password resets: attempts per address per hour, for
# each of them (supine.accounts.rate_limit).
SUPINE_ENROL_ATTEMPTS_PER_HOUR = env_int("SUPINE_ENROL_ATTEMPTS_PER_HOUR", 20)
# A password reset link lasts this long (Django's own setting, in seconds): 3 days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("SUPINE_TIME_ZONE", "Europe/London")

# The region a new clinic starts in: it fixes the emergency number and the urgent route
# in every patient-facing safety sentence (see supine.safety.regions).
SUPINE_REGION = os.environ.get("SUPINE_REGION", "us").strip().lower()
if SUPINE_REGION not in {"us", "uk", "eu"}:
    raise ImproperlyConfigured(f"SUPINE_REGION must be one of us, uk, eu; got {SUPINE_REGION!r}")

# The address in the links that emails carry (alerts link to the clinic's pages).
_site_url = os.environ.get("SUPINE_SITE_URL", "")
if not _site_url and not DEBUG:
    raise ImproperlyConfigured(
        "SUPINE_SITE_URL is required in production (SUPINE_DEBUG off): the address people "
        "use to reach Supine, such as https://supine.example-clinic.org."
    )
SUPINE_SITE_URL = env_site_url("SUPINE_SITE_URL", _site_url or "http://127.0.0.1:8000")

# Email: urgent alerts reach the clinic by it, so production must say where it goes.
_email_url = os.environ.get("SUPINE_EMAIL_URL", "")
if not _email_url and not DEBUG:
    raise ImproperlyConfigured(
        "SUPINE_EMAIL_URL is required in production (SUPINE_DEBUG off): urgent alerts are "
        "emailed through it. For example submission://user:password@smtp.example.org:587 "
        "(STARTTLS), smtp://host:25, or console: to print them instead."
    )
_email = env_email_url("SUPINE_EMAIL_URL", _email_url or "console:")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
# A mail server that hangs must not hold a worker for long: the send is retried.
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 30
if _email["EMAIL_FILE_PATH"]:
    EMAIL_FILE_PATH = "/" + _email["EMAIL_FILE_PATH"]
_from_host = "localhost" if DEBUG else urlsplit(SUPINE_SITE_URL).hostname
DEFAULT_FROM_EMAIL = os.environ.get("SUPINE_EMAIL_FROM", f"Supine <supine@{_from_host}>")
if "@" not in DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(
        f"SUPINE_EMAIL_FROM must be an email address; got {DEFAULT_FROM_EMAIL!r}"
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (alert email, escalation) is queued in the database, in the same
# transaction as the fact that needs it, and run by `supine worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Development serves straight from the app folders; production from collectstatic's output.
STATIC_ROOT = None if DEBUG else VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "supine.storage.StaticStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# A whole day's event batch fits well under this; anything bigger is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Signed-in sessions (supine.accounts.session_lifetime). Staff — clinicians and the
# operator — are signed out after 30 idle minutes and at most 12 hours after signing in
# (OWASP ASVS 3.3.2); patients, on their own device, stay signed in for this many days.
PATIENT_SESSION_DAYS = env_int("SUPINE_PATIENT_SESSION_DAYS", 14)
STAFF_SESSION_IDLE_MINUTES = 30
STAFF_SESSION_MAX_HOURS = 12
SESSION_COOKIE_AGE = 60 * 60 * 24 * PATIENT_SESSION_DAYS
# API bearer tokens expire this many days after they are issued.
API_TOKEN_DAYS = env_int("SUPINE_TOKEN_DAYS", 30)
for _name, _days in (("SUPINE_PATIENT_SESSION_DAYS", PATIENT_SESSION_DAYS),
                     ("SUPINE_TOKEN_DAYS", API_TOKEN_DAYS)):  # fmt: skip
    if _days < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more; got {_days}")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production serves over HTTPS only, unless the operator says otherwise
# (for example behind a proxy that terminates TLS and is trusted below).
HTTPS = env_bool("SUPINE_HTTPS", not DEBUG)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SUPINE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SUPINE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
BEHIND_PROXY = env_bool("SUPINE_BEHIND_PROXY", False)
# How many proxies of ours stand in front of Supine; the client's address is the entry of
# X-Forwarded-For that many places from the right (supine.client_address).
TRUSTED_PROXY_HOPS = env_int("SUPINE_TRUSTED_PROXY_HOPS", 1) if BEHIND_PROXY else 0
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured(
        f"SUPINE_TRUSTED_PROXY_HOPS must be 0 or more; got {TRUSTED_PROXY_HOPS}"
    )
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

NINJA_PAGINATION_PER_PAGE = 100

# One line per request on `supine.requests` (supine.ops.request_log): the route's pattern,
# never the path or query string; no personal data. JSON by default in production.
SUPINE_LOG_FORMAT = os.environ.get("SUPINE_LOG_FORMAT", "text" if DEBUG else "json").strip()
if SUPINE_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"SUPINE_LOG_FORMAT must be json or text; got {SUPINE_LOG_FORMAT!r}")
LOGGING = logging_config(
    log_format=SUPINE_LOG_FORMAT, level=os.environ.get("SUPINE_LOG_LEVEL", "INFO")
)
