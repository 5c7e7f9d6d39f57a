"""API bearer tokens: issued once, stored only as a hash, expiring, listed and revocable
by their owner, and ended by a change of the owner's password."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from supine.accounts.models import ApiToken

# Writing last_used_at on every call would turn each read into a write.
_LAST_USED_GRANULARITY = timedelta(minutes=5)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _same_password(token: ApiToken, user: User) -> bool:
    return constant_time_compare(token.password_stamp, user.get_session_auth_hash())


def issue_token(*, user: User, days: int | None = None) -> str:
    return issue(user=user, days=days)[0]


def issue(*, user: User, days: int | None = None) -> tuple[str, ApiToken]:
    """A new token for `user` lasting `days` (default: API_TOKEN_DAYS): the raw token
    (shown once) and its record."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=token_hash(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
        password_stamp=user.get_session_auth_hash(),
    )
    return raw, token


def token_for(raw: str) -> ApiToken | None:
    """The live token behind `raw`: not revoked, not expired, its owner active and
    their password unchanged since it was issued."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=token_hash(raw),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if token is None or not _same_password(token, token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(raw: str) -> User | None:
    token = token_for(raw)
    return token.user if token is not None else None


def live_tokens(user: User) -> list[ApiToken]:
    tokens = ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return [token for token in tokens if _same_password(token, user)]


def revoke_token(raw: str) -> bool:
    revoked = ApiToken.objects.filter(key_hash=token_hash(raw), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return revoked > 0


def revoke_token_of(*, user: User, token_id: uuid.UUID) -> bool:
    """Revoke one of `user`'s own tokens; another person's is simply not found."""
    revoked = ApiToken.objects.filter(
        user=user, public_id=token_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return revoked > 0
