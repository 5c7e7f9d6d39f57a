"""Clinics, clinicians and patients: named actions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from supine.clinic.models import Alert, AuditEvent, Clinic, Clinician, Patient


def create_clinician(*, clinic: Clinic, username: str, password: str, name: str) -> Clinician:
    user = get_user_model().objects.create_user(username=username, password=password)
    return Clinician.objects.create(user=user, clinic=clinic, display_name=name)


def create_patient(*, clinic: Clinic, username: str, password: str, name: str) -> Patient:
    user = get_user_model().objects.create_user(username=username, password=password)
    return Patient.objects.create(user=user, clinic=clinic, display_name=name)


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
    """Acknowledged once: of two clinicians acknowledging at the same moment, the first
    is recorded and the second sees their acknowledgement."""
    with transaction.atomic():
        now = timezone.now()
        first = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=clinician
        )
        if first:
            audit(actor=clinician.user, patient=alert.patient, action="alert.acknowledge")
    alert.refresh_from_db(fields=["acknowledged_at", "acknowledged_by"])
    return alert


def audit(*, actor, action: str, patient: Patient | None = None, detail: str = "") -> None:
    AuditEvent.objects.create(actor=actor, patient=patient, action=action, detail=detail[:300])


def audit_many(*, actor, action: str, patients) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=actor, patient=patient, action=action) for patient in patients
    )
