from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from supine.clinic.models import Clinician, Patient, PatientRecordQuerySet
from supine.library.models import DoseRangeFields, Exercise
from supine.programs.builder import MAX_SESSIONS_PER_DAY
from supine.vocabulary import DoseChangeKind


class ProgramStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class PrescriptionQuerySet(PatientRecordQuerySet["Prescription"]):
    def active(self) -> PrescriptionQuerySet:
        return self.filter(active=True)


class Prescription(models.Model):
    """A patient's home program, as their clinician prescribed it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="prescriptions")
    prescribed_by = models.ForeignKey(
        Clinician, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sessions_per_week = models.PositiveSmallIntegerField(default=7)
    note = models.TextField(blank=True)
    # The pain ceiling as it stood when the clinician set this program (clinical-rules.md §2):
    # it may fall on its own with usual pain, but never rise above this without them.
    pain_ceiling = models.PositiveSmallIntegerField(null=True, blank=True)
    # The end of the last session whose dose decisions are complete: the next decisions
    # start after it.
    decided_until = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Each change to a patient's program is a new version of it (this row); `active`
    # marks the current version, whatever its status.
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.ACTIVE
    )
    sessions_per_day = models.PositiveSmallIntegerField(default=1)
    days_per_week = models.PositiveSmallIntegerField(default=7)
    starts_on = models.DateField(null=True, blank=True)
    # What changed from the version before, in the clinician's words (who and when are
    # prescribed_by and created_at).
    change_summary = models.TextField(blank=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One program at a time: a new one retires the old.
            models.UniqueConstraint(
                fields=["patient"], condition=Q(active=True), name="one_active_prescription"
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1) & Q(sessions_per_week__lte=21),
                name="prescription_frequency_range",
            ),
            models.UniqueConstraint(fields=["patient", "version"], name="one_program_version"),
            models.CheckConstraint(
                condition=Q(sessions_per_day__gte=1)
                & Q(sessions_per_day__lte=MAX_SESSIONS_PER_DAY),
                name="prescription_sessions_per_day_range",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1) & Q(days_per_week__lte=7),
                name="prescription_days_per_week_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Program for {self.patient}, version {self.version}"


class PrescribedExercise(DoseRangeFields):
    """One exercise of a prescription, with the dose ranges the clinician allows."""

    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    # Today's dose as the last decision left it, so that a page reads one row instead of
    # the dose history (decisions are taken when facts arrive; see programs/dosing.py).
    # Empty until the first decision: the bottom of every range.
    dose_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    dose_hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    dose_sets = models.PositiveSmallIntegerField(null=True, blank=True)
    dose_change = models.CharField(max_length=10, choices=DoseChangeKind.choices, blank=True)
    dose_reason = models.CharField(max_length=300, blank=True)
    last_progress_at = models.DateTimeField(null=True, blank=True)
    # A step back at the bottom of its range pauses the exercise until the clinician acts.
    paused_at = models.DateTimeField(null=True, blank=True)
    # The clinician's note to the patient about this exercise.
    note = models.CharField(max_length=300, blank=True)
    # An assessment-only exercise (Exercise.assessment_only) is prescribed only with the
    # clinician's tick that they assessed the patient.
    assessment_done = models.BooleanField(default=False)

    class Meta:
        ordering = ["prescription", "position"]
        constraints = [
            *DoseRangeFields.Meta.constraints,
            models.UniqueConstraint(
                fields=["prescription", "position"], name="prescribed_exercise_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.exercise}"


class DoseChange(models.Model):
    """Each decision about an exercise's dose, with the sentence shown to the patient."""

    # Indexed by dose_history_by_item below, which starts with it.
    item = models.ForeignKey(
        PrescribedExercise, on_delete=models.CASCADE, related_name="doses", db_index=False
    )
    reps = models.PositiveSmallIntegerField()
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    sets = models.PositiveSmallIntegerField()
    change = models.CharField(max_length=10, choices=DoseChangeKind.choices)
    reason = models.CharField(max_length=300)
    # The session the decision followed; each session is decided once per exercise.
    session = models.ForeignKey(
        "exercise_sessions.ExerciseSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the decision was taken on: the ratings, the ceiling, the morning, the trend.
    inputs = models.JSONField(default=dict, blank=True)
    # The clinical rulebook version that made the decision (docs/safety/hazard-log.md).
    rulebook_version = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Dose history: an exercise's decisions, newest first, or those before a day.
            models.Index(fields=["item", "-created_at"], name="dose_history_by_item"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "session"],
                condition=Q(session__isnull=False),
                name="one_dose_decision_per_session",
            )
        ]

    def __str__(self) -> str:
        return self.reason
