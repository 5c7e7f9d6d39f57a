"""Clinics, clinicians and patients: named actions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from supine.clinic.models import Alert, AlertSeverity, AuditEvent, Clinic, Clinician, Patient
from supine.clinic.tasks import schedule_alert_delivery


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
    """An alert for the patient's clinic; one per session and kind, however often asked.

    An urgent alert's email (and its escalation) is queued in the same transaction, so
    that no alert exists without it and a rolled-back alert sends nothing.
    """
    with transaction.atomic():
        if session is not None:
            alert, created = Alert.objects.get_or_create(
                session=session,
                kind=kind,
                defaults={"patient": patient, "severity": severity, "reason": reason[:300]},
            )
        else:
            alert = Alert.objects.create(
                patient=patient, kind=kind, severity=severity, reason=reason[:300]
            )
            created = True
        if created and alert.severity == AlertSeverity.URGENT:
            schedule_alert_delivery(alert)
    return alert


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
