"""Clinics, clinicians and patients: named actions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from supine.clinic.models import Alert, AuditEvent, Clinic, Clinician, Patient
from supine.library.models import Exercise
from supine.programs.services import prescribe

DEMO_CLINIC = "Demo Clinic"
DEMO_CLINICIAN = "demo-clinician"
DEMO_PATIENT = "demo-patient"
# The seed article's three exercises, in its order.
DEMO_PROGRAM = ("deep-abdominal-strengthening", "knee-rolls", "bridge")


@dataclass(frozen=True)
class DemoAccounts:
    clinician_username: str
    patient_username: str
    password: str
    created: bool


def create_clinician(*, clinic: Clinic, username: str, password: str, name: str) -> Clinician:
    user = get_user_model().objects.create_user(username=username, password=password)
    return Clinician.objects.create(user=user, clinic=clinic, display_name=name)


def create_patient(*, clinic: Clinic, username: str, password: str, name: str) -> Patient:
    user = get_user_model().objects.create_user(username=username, password=password)
    return Patient.objects.create(user=user, clinic=clinic, display_name=name)


def create_demo(*, password: str | None = None) -> DemoAccounts:
    """The demo clinic, clinician and patient with the seed's program.

    Run again, it leaves the data alone and only resets the two passwords.
    """
    password = password or secrets.token_urlsafe(9)
    users = get_user_model().objects
    with transaction.atomic():
        existing = users.filter(username__in=[DEMO_CLINICIAN, DEMO_PATIENT])
        if existing.count() == 2:
            for user in existing:
                user.set_password(password)
                user.save(update_fields=["password"])
            return DemoAccounts(DEMO_CLINICIAN, DEMO_PATIENT, password, created=False)
        if existing.exists():
            raise ValueError("Only one of the two demo accounts exists; remove it first.")
        exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=DEMO_PROGRAM)}
        missing = [slug for slug in DEMO_PROGRAM if slug not in exercises]
        if missing:
            raise ValueError(f"Load the exercise library first (missing: {', '.join(missing)}).")
        clinic = Clinic.objects.create(name=DEMO_CLINIC)
        clinician = create_clinician(
            clinic=clinic, username=DEMO_CLINICIAN, password=password, name="Dr Demo Clinician"
        )
        patient = create_patient(
            clinic=clinic, username=DEMO_PATIENT, password=password, name="Demo Patient"
        )
        prescribe(
            patient=patient,
            exercises=[exercises[slug] for slug in DEMO_PROGRAM],
            prescribed_by=clinician,
        )
    return DemoAccounts(DEMO_CLINICIAN, DEMO_PATIENT, password, created=True)


def raise_alert(
    *,
    patient: Patient,
    kind: str,
    severity: str,
    reason: str,
    session=None,
) -> Alert:
    """An alert for the patient's clinic; one per session and kind, however often asked."""
    if session is not None:
        alert, _ = Alert.objects.get_or_create(
            session=session,
            kind=kind,
            defaults={"patient": patient, "severity": severity, "reason": reason[:300]},
        )
        return alert
    return Alert.objects.create(patient=patient, kind=kind, severity=severity, reason=reason[:300])


def acknowledge_alert(*, clinician: Clinician, alert: Alert) -> Alert:
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = clinician
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit(actor=clinician.user, patient=alert.patient, action="alert.acknowledge")
    return alert


def audit(*, actor, action: str, patient: Patient | None = None, detail: str = "") -> None:
    AuditEvent.objects.create(actor=actor, patient=patient, action=action, detail=detail[:300])


def audit_many(*, actor, action: str, patients) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=actor, patient=patient, action=action) for patient in patients
    )
