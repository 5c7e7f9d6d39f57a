from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    # Stricter values for the safety thresholds (see supine.safety.thresholds).
    safety_thresholds = models.JSONField(default=dict, blank=True)
    # A looser value is refused unless this is set; setting it is recorded in the audit log.
    allow_looser_thresholds = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from supine.safety.thresholds import stricter_thresholds

        try:
            stricter_thresholds(
                self.safety_thresholds or {}, allow_looser=self.allow_looser_thresholds
            )
        except ValueError as error:
            raise ValidationError({"safety_thresholds": str(error)}) from None


class Clinician(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clinicians")
    display_name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.display_name


class Patient(models.Model):
    # A UUID, never a sequential number, because it appears in links and exports.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A patient's records are kept: their account is closed (made inactive), not deleted.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    display_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class AlertSeverity(models.TextChoices):
    INFO = "info", "Info"
    ATTENTION = "attention", "Attention"
    URGENT = "urgent", "Urgent"


class AlertKind(models.TextChoices):
    RED_FLAG = "red_flag", "Red flag"
    SESSION_STOPPED = "session_stopped", "Session ended by a stop rule"
    PAIN_TREND = "pain_trend", "Morning pain rising"
    NO_IMPROVEMENT = "no_improvement", "No improvement after two weeks"
    SEVERE_PAIN = "severe_pain", "Severe pain reported outside a session"


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(acknowledged_at__isnull=True)


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    severity = models.CharField(max_length=10, choices=AlertSeverity.choices)
    reason = models.CharField(max_length=300)
    # The session that raised it, so that a batch delivered twice raises it once.
    session = models.ForeignKey(
        "exercise_sessions.ExerciseSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Clinician, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "acknowledged_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind"],
                condition=models.Q(session__isnull=False),
                name="one_alert_of_a_kind_per_session",
            )
        ]

    def __str__(self) -> str:
        return self.reason


class AuditEvent(models.Model):
    """Every read and change of a patient's record by staff, and every refused attempt.

    The rows form a chain (supine.clinic.audit): each stores the hash of the one before,
    so a row changed or removed afterwards shows as a broken link.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events"
    )
    # A patient with audit rows cannot be deleted: the rows must keep saying whose record.
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60)
    detail = models.CharField(max_length=300, blank=True)
    # Where the request came from (supine.client_address); none outside a request.
    address = models.GenericIPAddressField(null=True, blank=True)
    # Set by Supine before the row is written, because it is part of the row's hash.
    created_at = models.DateTimeField(default=timezone.now)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.actor} {self.action}"
