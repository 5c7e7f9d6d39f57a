from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class ExerciseQuerySet(models.QuerySet["Exercise"]):
    def active(self) -> ExerciseQuerySet:
        return self.filter(retired=False)


class DoseRangeFields(models.Model):
    """A range for each dose parameter: the library's defaults, or a prescription's."""

    reps_min = models.PositiveSmallIntegerField()
    reps_max = models.PositiveSmallIntegerField()
    hold_seconds_min = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds_max = models.PositiveSmallIntegerField(null=True, blank=True)
    sets_min = models.PositiveSmallIntegerField(default=1)
    sets_max = models.PositiveSmallIntegerField(default=1)

    class Meta:
        abstract = True
        # A minimum never above its maximum, in the database itself.
        constraints = [
            models.CheckConstraint(
                condition=Q(reps_min__gte=1) & Q(reps_min__lte=F("reps_max")),
                name="%(app_label)s_%(class)s_reps_range",
            ),
            models.CheckConstraint(
                condition=Q(sets_min__gte=1) & Q(sets_min__lte=F("sets_max")),
                name="%(app_label)s_%(class)s_sets_range",
            ),
            models.CheckConstraint(
                # Both or neither: a NULL would make the comparison unknown, which passes.
                condition=(Q(hold_seconds_min__isnull=True) & Q(hold_seconds_max__isnull=True))
                | (
                    Q(hold_seconds_min__isnull=False)
                    & Q(hold_seconds_max__isnull=False)
                    & Q(hold_seconds_min__gte=1)
                    & Q(hold_seconds_min__lte=F("hold_seconds_max"))
                ),
                name="%(app_label)s_%(class)s_hold_range",
            ),
        ]


class Exercise(DoseRangeFields):
    """One exercise of the library, loaded from its TOML file or added by a clinic."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    purpose = models.TextField()
    body_regions = models.JSONField(default=list)
    starting_position = models.TextField()
    equipment = models.JSONField(default=list, blank=True)
    steps = models.JSONField(default=list)
    breathing = models.TextField(blank=True)
    cautions = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)
    move_cue = models.CharField(max_length=200)
    hold_cue = models.CharField(max_length=200, blank=True)
    release_cue = models.CharField(max_length=200)

    # The body position it starts in (POSITIONS): a change between exercises waits for the
    # patient's tap in the player (clinical-rules.md §3).
    position = models.CharField(max_length=12, blank=True)

    # The dose ranges (from DoseRangeFields) are the defaults a prescription copies.
    per_side = models.BooleanField(default=False)
    alternate_sides = models.BooleanField(default=False)

    # Beyond the steps (clinical-rules.md §6): what the patient should feel, common mistakes,
    # precautions as [{condition, advice}] from supine.library.precautions.Condition, and
    # whether the exercise is given only after a clinician's assessment.
    feel = models.TextField(blank=True)
    mistakes = models.JSONField(default=list, blank=True)
    precautions = models.JSONField(default=list, blank=True)
    assessment_only = models.BooleanField(default=False)
    # For the people who keep the library (where a text departs from its source, and
    # why); never shown to patients.
    notes = models.TextField(blank=True)

    figure = models.JSONField(default=dict)
    # The camera coach's table, checked (library/coach.py); empty: the coach is not offered.
    coach = models.JSONField(default=dict, blank=True)

    # Where it came from: a shipped file (with the hash of what was loaded) or a clinic.
    source_file = models.CharField(max_length=200, blank=True)
    source_hash = models.CharField(max_length=64, blank=True)
    retired = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            *DoseRangeFields.Meta.constraints,
            models.CheckConstraint(
                condition=~(Q(per_side=True) & Q(alternate_sides=True)),
                name="exercise_one_side_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.name
