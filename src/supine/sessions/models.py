from __future__ import annotations

import uuid

from django.db import models

from supine.clinic.models import Patient, PatientRecordQuerySet
from supine.vocabulary import SessionStatus, StopReason


class EventType(models.TextChoices):
    STARTED = "started"
    STEP_DONE = "step_done"
    REP_DONE = "rep_done"
    HOLD_DONE = "hold_done"
    PAUSED = "paused"
    RESUMED = "resumed"
    PAIN_REPORTED = "pain_reported"
    STOPPED = "stopped"
    FINISHED = "finished"


class EventSource(models.TextChoices):
    TIMER = "", "The player's timer"
    COACH = "coach", "The camera coach"


class Feeling(models.TextChoices):
    TOO_EASY = "too_easy", "Too easy"
    ABOUT_RIGHT = "about_right", "About right"
    TOO_HARD = "too_hard", "Too hard"


class SessionQuerySet(PatientRecordQuerySet["ExerciseSession"]):
    pass


class ExerciseSession(models.Model):
    """One performed session: the plan it followed and what the events say happened."""

    # Chosen by the patient's device, so that it can be created offline and retried.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="sessions")
    plan_date = models.DateField()
    # The timeline as it was when the session started; later changes don't rewrite history.
    plan = models.JSONField()
    status = models.CharField(
        max_length=12, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    # The server's verdict (clinical-rules.md §2), returned with every events answer: who ended
    # the session, the rule that decided it, what the patient is told, and whether it made
    # the day a flare day. Stored so that a replayed batch gets the same answer.
    stopped_by = models.CharField(max_length=10, blank=True)
    stop_rule = models.CharField(max_length=24, blank=True)
    advice = models.TextField(blank=True)
    flare = models.BooleanField(default=False)
    rulebook_version = models.CharField(max_length=10, blank=True)
    feeling = models.CharField(max_length=12, choices=Feeling.choices, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            # A patient's sessions by day (history, adherence, repeats of a stop rule) and
            # by end (the dose decisions walk the ended sessions in order).
            models.Index(fields=["patient", "plan_date"], name="sessions_by_patient_day"),
            models.Index(fields=["patient", "ended_at"], name="sessions_by_patient_end"),
        ]

    def __str__(self) -> str:
        return f"Session {self.plan_date} ({self.get_status_display()})"


class SessionEvent(models.Model):
    """Something that happened in a session, as the device recorded it.

    The id is the device's own UUID: a batch sent twice stores each event once.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    # No index of its own: the (session, type) index below starts with the session.
    session = models.ForeignKey(
        ExerciseSession, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    type = models.CharField(max_length=16, choices=EventType.choices)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)
    # Who saw a rep or hold done: "" the player's timer, "coach" the camera coach.
    source = models.CharField(max_length=8, choices=EventSource.choices, blank=True, default="")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "received_at"]
        indexes = [models.Index(fields=["session", "type"])]

    def __str__(self) -> str:
        return f"{self.type} at {self.at:%H:%M:%S}"
