from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # What its owner lists and revokes it by; the row number stays internal.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a person can tell their tokens apart.
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    # The owner's session hash (an HMAC of their password hash) when it was issued: a
    # changed password, however it was changed, ends every token issued before.
    password_stamp = models.CharField(max_length=128)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"
