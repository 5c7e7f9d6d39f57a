"""How long a signed-in browser session lasts.

Staff (clinicians, the operator) see many patients' records, often on shared clinic
computers: their session ends after 30 idle minutes and 12 hours after signing in
whatever they do (OWASP ASVS 4.0 §3.3.2, level 2). A patient sees only their own
record, on their own phone, and would otherwise have to sign in before every session:
their session lasts `PATIENT_SESSION_DAYS` from signing in, and changing their password
asks for the current one again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from supine.clinic.access import patient_of

SIGNED_IN_AT = "supine_signed_in_at"
SEEN_AT = "supine_seen_at"
STAFF = "supine_staff"
# How often a staff member's "last seen" is written: not on every request.
_SEEN_EVERY = timedelta(minutes=1)


def session_over(*, staff: bool, signed_in_at: datetime, seen_at: datetime, now: datetime) -> bool:
    if staff:
        idle = timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES)
        longest = timedelta(hours=settings.STAFF_SESSION_MAX_HOURS)
        return now - seen_at > idle or now - signed_in_at > longest
    return now - signed_in_at > timedelta(days=settings.PATIENT_SESSION_DAYS)


def start(request: HttpRequest, user) -> None:
    """Stamp a browser session that has just signed in (an API sign-in has none)."""
    if SESSION_KEY not in request.session:
        return
    now = timezone.now()
    staff = patient_of(user) is None
    request.session[SIGNED_IN_AT] = now.timestamp()
    request.session[SEEN_AT] = now.timestamp()
    request.session[STAFF] = staff
    _set_expiry(request, staff, now, now)


def _set_expiry(request: HttpRequest, staff: bool, signed_in_at: datetime, now: datetime) -> None:
    # The session store forgets the session when the rule above would end it anyway.
    if staff:
        request.session.set_expiry(
            min(
                now + timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES),
                signed_in_at + timedelta(hours=settings.STAFF_SESSION_MAX_HOURS),
            )
        )
    else:
        request.session.set_expiry(signed_in_at + timedelta(days=settings.PATIENT_SESSION_DAYS))


def _moment(value) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value is not None else None


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        signed_in_at = _moment(session.get(SIGNED_IN_AT))
        if signed_in_at is not None and SESSION_KEY in session:
            now = timezone.now()
            staff = bool(session.get(STAFF, True))
            seen_at = _moment(session.get(SEEN_AT)) or signed_in_at
            if session_over(staff=staff, signed_in_at=signed_in_at, seen_at=seen_at, now=now):
                logout(request)
            elif staff and now - seen_at >= _SEEN_EVERY:
                session[SEEN_AT] = now.timestamp()
                _set_expiry(request, staff, signed_in_at, now)
        response = self.get_response(request)
        if SESSION_KEY in request.session and SIGNED_IN_AT not in request.session:
            # A session from before these rules: its lifetime starts now.
            start(request, request.user)
        return response


def stamp_on_sign_in(sender, request: HttpRequest | None = None, user=None, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start(request, user)
