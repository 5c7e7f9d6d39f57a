"""A small per-address limit for the ways in that are not a sign-in (django-axes covers
those): invitation codes, sign-up, password resets.

Counted in the cache, per address and per kind of attempt, in fixed windows. A limit
reached answers 429 with the same words whatever was asked, so it tells nothing.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from supine.client_address import current_client_address

MESSAGE = "Too many attempts from here. Please wait an hour and try again, or ask your clinic."


def allow(kind: str, *, address: str | None = None, now: float | None = None) -> bool:
    """Count one attempt of `kind` from `address`; False once the hour's limit is passed."""
    address = address or current_client_address() or "unknown"
    window = int((now if now is not None else time.time()) // 3600)
    key = f"supine:rate:{kind}:{address}:{window}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= settings.SUPINE_ENROL_ATTEMPTS_PER_HOUR
