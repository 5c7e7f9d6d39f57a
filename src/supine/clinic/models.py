from __future__ import annotations

import uuid
from typing import ClassVar, Self, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from supine.vocabulary import AlertSeverity


def default_region() -> str:
    return settings.SUPINE_REGION


def default_time_zone() -> str:
    return settings.TIME_ZONE


def validate_time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "Not a time zone: use a name like Europe/London or America/Los_Angeles."
        ) from None


class Region(models.TextChoices):
    # The vocabulary is supine.safety.regions.Region; these are its values for the database.
    US = "us", "United States"
    UK = "uk", "United Kingdom"
    EU = "eu", "European Union"


# How long a closed account's records are kept before the patient's identity is removed
# from them. Eight years after the last contact is the common guidance for adults' health
# records (e.g. the NHS Records Management Code of Practice; many US states ask 7–10
# years); a clinic sets its own, as its law asks.
DEFAULT_RETENTION_YEARS = 8


# clinical-rules.md §5: unacknowledged urgent alerts escalate after 30 minutes; a clinic may
# shorten this, not lengthen it.
MAX_ESCALATION_MINUTES = 30


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    phone = models.CharField(
        max_length=40, blank=True, help_text="Shown to patients as a tap-to-call number."
    )
    region = models.CharField(
        max_length=2,
        choices=Region.choices,
        default=default_region,
        help_text="Fixes the emergency number and urgent route patients are told.",
    )
    on_call_email = models.EmailField(
        blank=True, help_text="Urgent alerts are emailed here (a link, no health details)."
    )
    escalation_minutes = models.PositiveSmallIntegerField(
        default=MAX_ESCALATION_MINUTES,
        help_text="Unacknowledged urgent alerts go to the clinic's admins after this long.",
    )
    # Stricter values for the safety thresholds (see supine.safety.thresholds).
    safety_thresholds = models.JSONField(default=dict, blank=True)
    # A looser value is refused unless this is set; setting it is recorded in the audit log.
    allow_looser_thresholds = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where the clinic's day begins and ends: reminders and visit times are in it.
    time_zone = models.CharField(
        max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    retention_years = models.PositiveSmallIntegerField(
        default=DEFAULT_RETENTION_YEARS,
        help_text=(
            "Years a deleted account's health records are kept, from its deletion, before "
            "the patient's name and details are removed from them."
        ),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(escalation_minutes__gte=1)
                & models.Q(escalation_minutes__lte=MAX_ESCALATION_MINUTES),
                name="escalation_within_30_minutes",
            ),
            models.CheckConstraint(
                condition=models.Q(retention_years__gte=1) & models.Q(retention_years__lte=100),
                name="retention_from_1_to_100_years",
            ),
        ]

    def __str__(self) -> str:
        return self.name


_Row = TypeVar("_Row", bound=models.Model)


class ClinicQuerySet(models.QuerySet[_Row]):
    """Rows that belong to one clinic. `for_clinic()` is the clinic filter: pages and
    endpoints never write one by hand (tests/test_scoped_fetch.py checks)."""

    # The lookup from a row to its clinic, and to its patient's id (None: no patient).
    clinic_lookup: ClassVar[str] = "clinic"
    patient_lookup: ClassVar[str | None] = None

    def for_clinic(self, clinic: Clinic | uuid.UUID) -> Self:
        clinic_id = clinic.pk if isinstance(clinic, Clinic) else clinic
        return self.filter(**{f"{self.clinic_lookup}_id": clinic_id})

    def for_patient(self, patient: Patient) -> Self:
        """The rows of one patient (none, for rows no patient owns)."""
        if self.patient_lookup is None:
            return self.none()
        return self.filter(**{self.patient_lookup: patient.pk})


class PatientRecordQuerySet(ClinicQuerySet[_Row]):
    """Rows of a patient's record, which belong to the patient's clinic."""

    clinic_lookup = "patient__clinic"
    patient_lookup = "patient"


class ClinicianQuerySet(ClinicQuerySet["Clinician"]):
    pass


class PatientQuerySet(ClinicQuerySet["Patient"]):
    patient_lookup = "pk"


class Profession(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    CHIROPRACTOR = "chiropractor", "Chiropractor"
    OSTEOPATH = "osteopath", "Osteopath"
    ACUPUNCTURIST = "acupuncturist", "Acupuncturist"
    NURSE = "nurse", "Nurse"
    OTHER = "other", "Other"


class Clinician(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clinicians")
    display_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Where urgent alerts reach this clinician.")
    is_admin = models.BooleanField(default=False, help_text="Edits the clinic's settings.")
    # Clearance governance (clinical-rules.md §1, Clearance): only a clinician the clinic allows
    # lifts a safety hold, and their profession and registration are recorded with it.
    may_clear_holds = models.BooleanField(default=False)
    profession = models.CharField(max_length=20, choices=Profession.choices, blank=True)
    registration_number = models.CharField(
        max_length=60, blank=True, help_text="Licence or registration number."
    )
    # "A clinician the clinic has named as trained to assess red flags" may clear an
    # urgent hold after their own same-day assessment.
    assesses_red_flags = models.BooleanField(default=False)

    objects = ClinicianQuerySet.as_manager()

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_doctor(self) -> bool:
        return self.profession == Profession.DOCTOR


class Condition(models.TextChoices):
    """The precautions vocabulary: conditions an exercise may need care with."""

    OSTEOPOROSIS = "osteoporosis", "Osteoporosis"
    HIP_REPLACEMENT = "hip_replacement", "Hip replacement"
    PREGNANCY = "pregnancy", "Pregnancy"
    KNEE_PROBLEMS = "knee_problems", "Knee problems"
    WRIST_PROBLEMS = "wrist_problems", "Wrist problems"
    SCIATICA = "sciatica", "Sciatica"
    SPINAL_STENOSIS = "spinal_stenosis", "Spinal stenosis"
    SPONDYLOLISTHESIS = "spondylolisthesis", "Spondylolisthesis"
    RECENT_ABDOMINAL_SURGERY = "recent_abdominal_surgery", "Recent abdominal surgery"


class Patient(models.Model):
    # A UUID, never a sequential number, because it appears in links and exports.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A patient's records are kept: their account is closed (made inactive), not deleted.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    display_name = models.CharField(max_length=200)
    # Usual pain recorded at sign-up (0–10): the basis of the pain ceiling until three
    # morning check-ins exist (clinical-rules.md §2).
    usual_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    # A clinician may set the ceiling lower for this patient, never higher than the rule.
    pain_ceiling_cap = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    # The details a "yes" in the health history needs: {question id: text}, e.g. a spinal
    # procedure's date, the hip's side and date, a due date.
    history_details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the clinician recorded at enrolment, from `Condition`: prescribing warns on them.
    conditions = models.JSONField(default=list, blank=True)
    # For the exercise reminders the patient opts in to; never shown to other patients.
    email = models.EmailField(blank=True)
    # "Delete my account" (supine.clinic.closure): the patient asks, a clinician of the
    # clinic confirms, the account is closed; when the clinic's retention period has run,
    # the patient's identity is removed from the records, which are kept.
    deletion_requested_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "Clinician", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        indexes = [models.Index(fields=["clinic", "display_name"], name="patients_by_name")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(usual_pain__isnull=True) | models.Q(usual_pain__lte=10),
                name="usual_pain_nprs_range",
            ),
            models.CheckConstraint(
                condition=models.Q(pain_ceiling_cap__isnull=True)
                | models.Q(pain_ceiling_cap__lte=10),
                name="pain_ceiling_cap_nprs_range",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True)
                | (models.Q(birth_month__gte=1) & models.Q(birth_month__lte=12)),
                name="birth_month_is_a_month",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class AlertKind(models.TextChoices):
    RED_FLAG = "red_flag", "Red flag"
    SESSION_STOPPED = "session_stopped", "Session ended by a stop rule"
    PAIN_TREND = "pain_trend", "Morning pain rising"
    NO_IMPROVEMENT = "no_improvement", "No improvement after two weeks"
    SEVERE_PAIN = "severe_pain", "Severe pain reported outside a session"
    FLARE = "flare", "Flare day (pain 8 or more)"
    REVIEW = "review", "Health history to review"
    DIZZINESS = "dizziness", "Dizziness twice in a week"
    HIGH_BEFORE = "high_before", "Pain above the ceiling before sessions, 3 days running"
    NOTE = "note", "Note for the clinician"
    PROGRAM = "program", "Program needs review"
    READY = "ready", "Ready for the next exercise"


class AlertQuerySet(PatientRecordQuerySet["Alert"]):
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
    # How often it was raised while open: a repeat bumps the one open alert of its kind.
    count = models.PositiveIntegerField(default=1)
    last_raised_at = models.DateTimeField(null=True, blank=True)
    # What the clinician wrote when acknowledging (optional).
    acknowledged_note = models.CharField(max_length=300, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["patient", "acknowledged_at"]),
            # The dashboard reads only open alerts, oldest first within a severity.
            models.Index(
                fields=["severity", "created_at"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="open_alerts",
            ),
        ]
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
    # Indexed by audit_by_patient below, which starts with it.
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    action = models.CharField(max_length=60)
    # Long enough to name every patient a page of the dashboard showed, in one row.
    detail = models.CharField(max_length=4000, blank=True)
    # Where the request came from (supine.client_address); none outside a request.
    address = models.GenericIPAddressField(null=True, blank=True)
    # Set by Supine before the row is written, because it is part of the row's hash.
    created_at = models.DateTimeField(default=timezone.now)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Who read or changed a patient's record, and when: newest first.
            models.Index(fields=["patient", "-created_at"], name="audit_by_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.action}"


class DeliveryKind(models.TextChoices):
    NOTIFY = "notify", "To on-call and the patient's clinician"
    ESCALATE = "escalate", "Escalated to the clinic's admins"
    REVIEW_OVERDUE = "review_overdue", "Review overdue: the clinic's admins told"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the worker"
    SENDING = "sending", "Being sent"
    RETRYING = "retrying", "Failed; will be tried again"
    SENT = "sent", "Sent"
    GAVE_UP = "gave_up", "Failed every attempt"
    NO_RECIPIENTS = "no_recipients", "Nobody at the clinic has an email address"
    CANCELLED = "cancelled", "Not needed: the alert was acknowledged first"


class AlertDelivery(models.Model):
    """One email about an urgent alert, however many attempts it takes (clinical-rules.md §5)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=20, choices=DeliveryKind.choices)
    status = models.CharField(
        max_length=15, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # Clinic staff addresses, for the operator; never a patient's.
    recipients = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "alert deliveries"
        constraints = [
            # An alert is notified once and escalated once, never twice.
            models.UniqueConstraint(fields=["alert", "kind"], name="one_delivery_of_a_kind")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(AlertDelivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    sent = models.BooleanField()
    # The kind of failure (exception class, SMTP code): never a message's text.
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="one_record_per_attempt")
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number}: {'sent' if self.sent else self.error}"
