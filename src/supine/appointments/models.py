"""Visits to the clinic, the calendar feeds that carry them, and what the clinic's
dashboard reads about each patient without reading their history."""

from __future__ import annotations

import uuid
from datetime import time

from django.db import models
from django.db.models import Q

from supine.clinic.models import Clinician, Patient, PatientRecordQuerySet


class VisitKind(models.TextChoices):
    ACUPUNCTURE = "acupuncture", "Acupuncture"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    REVIEW = "review", "Review"
    ASSESSMENT = "assessment", "Assessment"
    OTHER = "other", "Visit"


class AppointmentQuerySet(PatientRecordQuerySet["Appointment"]):
    def booked(self) -> AppointmentQuerySet:
        return self.filter(cancelled_at__isnull=True)


class Appointment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    clinician = models.ForeignKey(
        Clinician, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=30)
    kind = models.CharField(max_length=20, choices=VisitKind.choices, default=VisitKind.ACUPUNCTURE)
    # Seen by the patient (on Today and in their calendar): no clinical notes here.
    note = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every change bumps it, so that a calendar sees a moved visit as changed (SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(
                fields=["patient", "starts_at"],
                condition=Q(cancelled_at__isnull=True),
                name="booked_visits_by_patient",
            ),
            models.Index(
                fields=["clinician", "starts_at"],
                condition=Q(cancelled_at__isnull=True),
                name="booked_visits_by_clinician",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5) & Q(minutes__lte=480), name="visit_length_5_to_480"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


DEFAULT_REMINDER_TIME = time(9, 0)


class CalendarFeed(models.Model):
    """A person's calendar feed and, for a patient, their exercise reminder.

    The feed's secret is derived from the server's secret key, the person and
    `generation` (supine.appointments.calendar): nothing secret is stored, reading the
    URL writes nothing, and rotating it (generation + 1) kills the old URL. A person
    without a row has generation 0 and the default reminder, off.
    """

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    clinician = models.OneToOneField(
        Clinician, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    generation = models.PositiveIntegerField(default=0)
    # The patient's time of day for the daily exercise reminder, in their clinic's zone.
    reminder_time = models.TimeField(default=DEFAULT_REMINDER_TIME)
    # Opted in to a reminder email on days with exercise.
    email_reminders = models.BooleanField(default=False)
    # The clinic-local day the last reminder email went out: one a day.
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(patient__isnull=False, clinician__isnull=True)
                | Q(patient__isnull=True, clinician__isnull=False),
                name="feed_of_one_person",
            )
        ]
        indexes = [
            models.Index(
                fields=["reminder_time"], condition=Q(email_reminders=True), name="reminders_on"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed {self.pk}"


class PatientSummary(models.Model):
    """What the dashboard shows about a patient, kept up to date when the facts arrive
    (a session ends, a morning check-in lands) so that a page of 50 patients reads 50
    rows, not their histories (supine.appointments.summary)."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    last_session_on = models.DateField(null=True, blank=True)
    # Clinic-local days with a session, the last 14 of them at most (ISO dates).
    session_days = models.JSONField(default=list, blank=True)
    last_morning_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    last_morning_on = models.DateField(null=True, blank=True)
    # programs.progression.Trend: steady, rising, worsening (blank: no check-in yet).
    morning_trend = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "patient summaries"
        indexes = [models.Index(fields=["last_session_on"])]

    def __str__(self) -> str:
        return f"Summary of {self.patient_id}"
