"""Clinics, clinicians and patients: named actions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from supine.client_address import current_client_address
from supine.clinic import audit as audit_chain
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


def audit(
    *,
    actor,
    action: str,
    patient: Patient | None = None,
    detail: str = "",
    address: str | None = None,
) -> None:
    """Record an action on the audit log, from `address` (default: the current request's)."""
    audit_chain.append([_event(actor, action, patient, detail, address)])


def audit_many(*, actor, action: str, patients, address: str | None = None) -> None:
    audit_chain.append(_event(actor, action, patient, "", address) for patient in patients)


def _event(actor, action: str, patient: Patient | None, detail: str, address: str | None):
    return AuditEvent(
        actor=actor,
        patient=patient,
        action=action[:60],
        detail=detail[:300],
        address=address or current_client_address(),
    )
