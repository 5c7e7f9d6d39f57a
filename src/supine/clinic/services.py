"""Clinics, clinicians and patients: named actions."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from supine.client_address import current_client_address
from supine.clinic import audit as audit_chain
from supine.clinic.models import (
    Alert,
    AlertKind,
    AlertSeverity,
    AuditEvent,
    Clinic,
    Clinician,
    Patient,
)
from supine.clinic.tasks import schedule_alert_delivery


def create_clinician(*, clinic: Clinic, username: str, password: str, name: str) -> Clinician:
    user = get_user_model().objects.create_user(username=username, password=password)
    return Clinician.objects.create(user=user, clinic=clinic, display_name=name)


def create_patient(*, clinic: Clinic, username: str, password: str, name: str) -> Patient:
    user = get_user_model().objects.create_user(username=username, password=password)
    return Patient.objects.create(user=user, clinic=clinic, display_name=name)


# Safety alerts: a clearance answers them (clinical-rules.md §1, Clearance).
SAFETY_ALERT_KINDS = (
    AlertKind.RED_FLAG,
    AlertKind.REVIEW,
    AlertKind.SESSION_STOPPED,
    AlertKind.FLARE,
)
_SEVERITY_RANK: dict[str, int] = {
    AlertSeverity.INFO: 0,
    AlertSeverity.ATTENTION: 1,
    AlertSeverity.URGENT: 2,
}


def raise_alert(
    *,
    patient: Patient,
    kind: str,
    severity: str,
    reason: str,
    session=None,
) -> Alert:
    """An alert for the patient's clinic; one per session and kind, however often asked.

    Without a session, a kind already open for the patient is raised again on that one
    alert: its count goes up, its time and reason are the latest, its severity the
    higher of the two. An urgent alert's email (and its escalation) is queued in the
    same transaction, so that no alert exists without it and a rolled-back alert sends
    nothing; a repeat of an urgent alert is not emailed again.
    """
    with transaction.atomic():
        if session is not None:
            alert, created = Alert.objects.get_or_create(
                session=session,
                kind=kind,
                defaults={"patient": patient, "severity": severity, "reason": reason[:300]},
            )
            was_urgent = not created
        else:
            # One raiser at a time per patient, so that two repeats make one alert.
            Patient.objects.select_for_update().filter(pk=patient.pk).exists()
            existing = (
                Alert.objects.open()
                .filter(patient=patient, kind=kind, session__isnull=True)
                .order_by("created_at")
                .first()
            )
            if existing is None:
                alert = Alert.objects.create(
                    patient=patient, kind=kind, severity=severity, reason=reason[:300]
                )
                was_urgent = False
            else:
                alert = existing
                was_urgent = alert.severity == AlertSeverity.URGENT
                _bump(alert, severity=severity, reason=reason)
        if alert.severity == AlertSeverity.URGENT and not was_urgent:
            schedule_alert_delivery(alert)
    return alert


def _bump(alert: Alert, *, severity: str, reason: str) -> None:
    alert.count += 1
    alert.last_raised_at = timezone.now()
    alert.reason = reason[:300]
    if _SEVERITY_RANK.get(severity, 0) > _SEVERITY_RANK.get(alert.severity, 0):
        alert.severity = severity
    alert.save(update_fields=["count", "last_raised_at", "reason", "severity"])


def acknowledge_alert(*, clinician: Clinician, alert: Alert, note: str = "") -> Alert:
    """Acknowledged once: of two clinicians acknowledging at the same moment, the first
    is recorded and the second sees their acknowledgement."""
    with transaction.atomic():
        now = timezone.now()
        first = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=clinician, acknowledged_note=note.strip()[:300]
        )
        if first:
            audit(actor=clinician.user, patient=alert.patient, action="alert.acknowledge")
    alert.refresh_from_db(fields=["acknowledged_at", "acknowledged_by", "acknowledged_note"])
    return alert


def close_safety_alerts(
    *, clinician: Clinician, patient: Patient, note: str, raised_by: datetime | None = None
) -> int:
    """A clearance answers the patient's open safety alerts: they are acknowledged by the
    clearing clinician (those raised after `raised_by` were not part of the decision)."""
    alerts = Alert.objects.open().filter(patient=patient, kind__in=SAFETY_ALERT_KINDS)
    if raised_by is not None:
        alerts = alerts.filter(created_at__lte=raised_by)
    return alerts.update(
        acknowledged_at=timezone.now(), acknowledged_by=clinician, acknowledged_note=note[:300]
    )


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


def audit_shown(*, actor, action: str, patients, detail: str = "") -> None:
    """One row for a page of patients, naming each of them by id (not one row each)."""
    ids = " ".join(str(patient.id) for patient in patients)
    audit(actor=actor, action=action, detail=f"{detail} shown: {ids}".strip())


def _event(actor, action: str, patient: Patient | None, detail: str, address: str | None):
    return AuditEvent(
        actor=actor,
        patient=patient,
        action=action[:60],
        detail=detail[: AuditEvent._meta.get_field("detail").max_length],
        address=address or current_client_address(),
    )
