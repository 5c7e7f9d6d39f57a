from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from supine.clinic.models import Patient


class PainMoment(models.TextChoices):
    DIARY = "diary", "Diary entry"
    MORNING = "morning", "On waking"
    BEFORE = "before", "Before a session"
    EXERCISE = "exercise", "After an exercise"
    DURING = "during", "At STOP"
    AFTER = "after", "After a session"


class PainReport(models.Model):
    """A pain rating on the 0–10 numeric rating scale (NPRS)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="pain_reports")
    score = models.PositiveSmallIntegerField()
    moment = models.CharField(max_length=10, choices=PainMoment.choices, default=PainMoment.DIARY)
    note = models.TextField(blank=True, max_length=1000)
    # The exercise a rating after an exercise ("How was that?") was about.
    exercise = models.CharField(max_length=80, blank=True)
    # Set from the device's clock for ratings given during a session (possibly offline).
    recorded_at = models.DateTimeField(default=timezone.now)
    # The clinic-local day of a morning check-in: one per patient per day.
    day = models.DateField(null=True, blank=True)
    session = models.ForeignKey(
        "exercise_sessions.ExerciseSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pain_reports",
    )

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["patient", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=10), name="pain_score_nprs_range"
            ),
            models.UniqueConstraint(
                fields=["patient", "day"],
                condition=Q(moment="morning"),
                name="one_morning_checkin_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/10 ({self.get_moment_display()})"


class QuestionnaireCode(models.TextChoices):
    RMDQ = "rmdq", "Roland–Morris Disability Questionnaire"
    PSFS = "psfs", "Patient-Specific Functional Scale"
    NPRS = "nprs", "Pain rating (0–10)"
    STARTBACK = "startback", "STarT Back Screening Tool"


class QuestionnaireResponse(models.Model):
    """One completed outcome questionnaire (clinical-rules.md §4), scored when stored.

    `answers`: RMDQ, NPRS and STarT Back {item id: bool | int}; PSFS {"activities":
    [{"name", "score"}]}.
    """

    # Chosen by the device when it sends one, so that a retry is stored once.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    code = models.CharField(max_length=12, choices=QuestionnaireCode.choices)
    answers = models.JSONField()
    score = models.DecimalField(max_digits=5, decimal_places=2)
    band = models.CharField(max_length=10, blank=True)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [
            models.Index(
                fields=["patient", "code", "-completed_at"], name="questionnaires_by_patient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.score}"
