from __future__ import annotations

import uuid

from django.db import models

from supine.clinic.models import Clinician, Patient
from supine.vocabulary import Urgency


class ScreeningForm(models.TextChoices):
    FULL = "full", "Health history and symptoms"
    SYMPTOMS = "symptoms", "Symptoms"
    SHORT = "short", "Symptoms, short form"
    EMERGENCY = "emergency", "Emergency questions"


class AssessedBy(models.TextChoices):
    OWN_DOCTOR = "own_doctor", "The patient's own doctor"
    EMERGENCY_DEPARTMENT = "emergency_department", "An emergency department"
    SPECIALIST = "specialist", "A specialist"
    THIS_CLINICIAN = "this_clinician", "The clearing clinician"


class Screening(models.Model):
    """One pass of the red-flag screen, with the patient's answers as given."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="screenings")
    clinician_advised = models.BooleanField()
    form = models.CharField(max_length=10, choices=ScreeningForm.choices, default="full")
    answers = models.JSONField()
    # For each emergency or urgent "yes": new / checked / unchecked (clinical-rules.md §1).
    confirmations = models.JSONField(default=dict, blank=True)
    flagged = models.JSONField(default=list)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    blocked = models.BooleanField()
    advice = models.TextField(blank=True)
    rulebook_version = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Screening {self.created_at:%Y-%m-%d} ({'blocked' if self.blocked else 'clear'})"


class BlockSource(models.TextChoices):
    SCREENING = "screening", "Red flag in the screen"
    SESSION = "session", "Red flag during a session"
    FLARE = "flare", "Flare days, 3 of the last 4"


class SafetyBlockQuerySet(models.QuerySet["SafetyBlock"]):
    def open(self) -> SafetyBlockQuerySet:
        return self.filter(cleared_at__isnull=True)


class SafetyBlock(models.Model):
    """While a block is open the patient cannot start a session; only a clinician clears it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="safety_blocks")
    source = models.CharField(max_length=10, choices=BlockSource.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    reason = models.CharField(max_length=300)
    advice = models.TextField()
    # The question ids behind it; once cleared they count as reviewed (clinical-rules.md §1).
    flagged = models.JSONField(default=list, blank=True)
    rulebook_version = models.CharField(max_length=10, blank=True)
    screening = models.ForeignKey(Screening, on_delete=models.SET_NULL, null=True, blank=True)
    session = models.ForeignKey(
        "exercise_sessions.ExerciseSession", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    clearance = models.ForeignKey(
        "Clearance", on_delete=models.PROTECT, null=True, blank=True, related_name="blocks"
    )

    objects = SafetyBlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cleared_at__isnull=True, clearance__isnull=True)
                | models.Q(cleared_at__isnull=False, clearance__isnull=False),
                name="block_cleared_with_a_clearance",
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class Clearance(models.Model):
    """A clinician's decision that the patient may exercise: who, when and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="clearances")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    # The medical assessment an emergency or urgent hold needs: who, and when.
    assessed_by = models.CharField(max_length=24, choices=AssessedBy.choices, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    # The clearing clinician's standing at the time, kept with the decision.
    clinician_profession = models.CharField(max_length=20, blank=True)
    clinician_registration = models.CharField(max_length=60, blank=True)
    rulebook_version = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Cleared by {self.clinician} on {self.created_at:%Y-%m-%d}"
