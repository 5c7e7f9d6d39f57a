"""API bearer tokens: issued once, stored only as a hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from supine.accounts.models import ApiToken

# Writing last_used_at on every call would turn each read into a write.
_LAST_USED_GRANULARITY = timedelta(minutes=5)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, user: AbstractBaseUser) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(raw), prefix=raw[:8])
    return raw


def user_for_token(raw: str) -> AbstractBaseUser | None:
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(raw: str) -> bool:
    revoked = ApiToken.objects.filter(key_hash=_hash(raw), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return revoked > 0
