from __future__ import annotations

import uuid
from datetime import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from supine.clinic.models import ClinicQuerySet, PatientRecordQuerySet


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


def _pending(now: datetime | None) -> Q:
    """Neither used, revoked nor expired."""
    return Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class InvitationQuerySet(PatientRecordQuerySet["Invitation"]):
    def pending(self, now: datetime | None = None) -> Self:
        return self.filter(_pending(now))


class ClinicianInvitationQuerySet(ClinicQuerySet["ClinicianInvitation"]):
    def pending(self, now: datetime | None = None) -> Self:
        return self.filter(_pending(now))


class Invitation(models.Model):
    """A patient's way in: a link and a short code, single use, expiring.

    Only keyed hashes of the link's token and of the code are stored; both are shown once,
    on the card printed when the invitation is made.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "clinic.Patient", on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        "clinic.Clinician", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.patient}"


class ClinicianInvitation(models.Model):
    """A one-time link that lets a colleague make their clinician account at a clinic."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(
        "clinic.Clinic", on_delete=models.CASCADE, related_name="clinician_invitations"
    )
    display_name = models.CharField(max_length=200)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        "clinic.Clinician", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    clinician = models.OneToOneField(
        "clinic.Clinician", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ClinicianInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.display_name}"
