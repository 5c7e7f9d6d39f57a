"""Supine's shared words, each defined once: values and the labels people read.

The rules (supine.safety, supine.programs), the models' choices, the API's schemas and
the pages all take these from here, so a value or a label changes in one place. They
are Django choices (a `str` enum with a label), so they compare equal to the values
stored in the database and sent as JSON. This module sits below every app: any layer
may import it.
"""

from __future__ import annotations

from django.db import models


class StopReason(models.TextChoices):
    """Why the patient pressed STOP (clinical-rules.md §2)."""

    PAIN = "pain", "Pain"
    # Pain, numbness or tingling going down a leg.
    LEG_SYMPTOMS = "leg_symptoms", "Pain, numbness or tingling going down a leg"
    # Goes straight to Part B's emergency questions.
    SADDLE_OR_BLADDER = (
        "saddle_or_bladder",
        "Numbness or tingling between the legs or in both legs, or a change in peeing or bowels",
    )
    DIZZINESS = "dizziness", "Dizziness"
    TIRED = "tired", "Tired"
    INTERRUPTED = "interrupted", "Interrupted"
    OTHER = "other", "Something else"

    @classmethod
    def parse(cls, value: str) -> StopReason:
        # Devices that queued a STOP before version 2 send "numbness" (numbness or
        # tingling): read as pain, numbness or tingling going down a leg.
        return cls.LEG_SYMPTOMS if value == LEGACY_NUMBNESS else cls(value)


LEGACY_NUMBNESS = "numbness"


class AlertSeverity(models.TextChoices):
    """How soon the clinic should look at an alert."""

    INFO = "info", "Info"
    ATTENTION = "attention", "Attention"
    URGENT = "urgent", "Urgent"


class Urgency(models.TextChoices):
    """What the safety screen's answers call for (clinical-rules.md §1)."""

    NONE = "none", "None"
    REVIEW = "review", "Clinician review"
    SOON = "soon", "Urgent today"
    EMERGENCY = "emergency", "Emergency"


class DoseChangeKind(models.TextChoices):
    """What a dose decision did to an exercise (clinical-rules.md §3)."""

    START = "start", "Start"
    PROGRESS = "progress", "Progress"
    HOLD = "hold", "Hold"
    STEP_BACK = "step_back", "Step back"
    # A step back at the bottom of the range: the clinician is told.
    PAUSE = "pause", "Paused"


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"
