"""Supine's settings, read from the environment.

Every setting that matters in production comes from a `SUPINE_*` variable or
`DATABASE_URL`; a value that cannot be understood stops start-up with a message
that names the variable, rather than running with a silent default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SUPINE_VAR_DIR", Path.cwd() / "var")).resolve()

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
    "supine",
    "supine.accounts",
    "supine.library",
    "supine.clinic",
    "supine.programs",
    "supine.outcomes",
    "supine.sessions",
    "supine.safety",
]

MIDDLEWARE = [
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

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("SUPINE_TIME_ZONE", "Europe/London")
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SUPINE_LOG_LEVEL", "INFO")},
    # Request logs carry URLs and never bodies; URLs carry no personal data by design.
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
