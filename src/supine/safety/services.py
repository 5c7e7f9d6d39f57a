"""Safety actions on patients: screening, blocks, clearance, and the stop rules applied
to a session's events. The rules themselves are in screening.py and stop_rules.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from supine.clinic.models import AlertKind, Clinician, Patient
from supine.clinic.services import audit, raise_alert
from supine.outcomes.models import PainMoment
from supine.safety.models import BlockSource, Clearance, SafetyBlock, Screening
from supine.safety.screening import (
    ADVICE_CONSULT_FIRST,
    ScreeningOutcome,
    Urgency,
    evaluate_screening,
)
from supine.safety.stop_rules import SessionVerdict, StopReason, evaluate_session
from supine.safety.thresholds import clinic_thresholds
from supine.sessions.models import SessionStatus

SCREENING_REQUIRED_ADVICE = "Before your first session, please answer a few short safety questions."


@dataclass(frozen=True)
class SafetyStatus:
    blocked: bool
    screening_required: bool
    urgency: str
    advice: str

    def as_dict(self) -> dict:
        # Exactly the shape the API promises for a refused plan or session.
        return {
            "blocked": self.blocked,
            "screening_required": self.screening_required,
            "advice": self.advice,
        }


def safety_status(patient: Patient) -> SafetyStatus:
    block = SafetyBlock.objects.open().filter(patient=patient).order_by("-created_at").first()
    if block is not None:
        return SafetyStatus(True, False, block.urgency, block.advice)
    latest = Screening.objects.filter(patient=patient).order_by("-created_at").first()
    if latest is None:
        return SafetyStatus(True, True, Urgency.NONE, SCREENING_REQUIRED_ADVICE)
    if not latest.clinician_advised and not Clearance.objects.filter(patient=patient).exists():
        return SafetyStatus(True, False, Urgency.NONE, ADVICE_CONSULT_FIRST)
    return SafetyStatus(False, False, Urgency.NONE, "")


def submit_screening(
    *, patient: Patient, clinician_advised: bool, answers: Mapping[str, bool]
) -> ScreeningOutcome:
    """Record a screen; a red flag (or no clinician's advice yet) opens a block."""
    cleared = Clearance.objects.filter(patient=patient).exists()
    outcome = evaluate_screening(
        answers, clinician_advised=clinician_advised, cleared_by_clinician=cleared
    )
    with transaction.atomic():
        screening = Screening.objects.create(
            patient=patient,
            clinician_advised=clinician_advised,
            answers=dict(answers),
            flagged=list(outcome.flagged),
            urgency=outcome.urgency,
            blocked=outcome.blocked,
        )
        # Only a red flag opens a block that a clinician must clear; "not yet advised"
        # is lifted by the patient's own confirmation next time, or by a clearance.
        if outcome.flagged:
            SafetyBlock.objects.create(
                patient=patient,
                source=BlockSource.SCREENING,
                urgency=outcome.urgency,
                reason=outcome.reason[:300],
                advice=outcome.advice,
                screening=screening,
            )
        if outcome.alert_severity:
            raise_alert(
                patient=patient,
                kind=AlertKind.RED_FLAG,
                severity=outcome.alert_severity,
                reason=outcome.reason,
            )
    return outcome


def clear_patient(
    *, clinician: Clinician, patient: Patient, reason: str, seen_at: datetime | None = None
) -> Clearance:
    """A clinician of the patient's own clinic lifts the open blocks, and says why.

    With `seen_at`, only blocks raised by then are lifted: a red flag that arrives while
    the clinician is writing the clearance was not part of their decision.
    """
    if patient.clinic_id != clinician.clinic_id:
        raise PermissionError("Only a clinician of the patient's clinic can clear them.")
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why the patient is cleared.")
    with transaction.atomic():
        clearance = Clearance.objects.create(patient=patient, clinician=clinician, reason=reason)
        blocks = SafetyBlock.objects.open().filter(patient=patient)
        if seen_at is not None:
            blocks = blocks.filter(created_at__lte=seen_at)
        blocks.update(cleared_at=clearance.created_at, clearance=clearance)
        audit(actor=clinician.user, patient=patient, action="patient.clear", detail=reason)
    return clearance


def apply_stop_rules(session) -> SessionVerdict:
    """Judge a session by everything reported in it so far; end it and alert if needed.

    Called after each batch of events, so the verdict covers events that arrived in
    any order and any number of batches; alerts and blocks are raised once per session.
    """
    pains = list(session.pain_reports.order_by("recorded_at").values_list("moment", "score"))
    thresholds = clinic_thresholds(session.patient.clinic)
    before = next((score for moment, score in pains if moment == PainMoment.BEFORE), None)
    during = [score for moment, score in pains if moment == PainMoment.DURING]
    stop_pain = during[-1] if session.stop_reason and during else None
    # Pain rated at the end counts as pain of the session; a rating before it at the
    # red-flag level is a red flag too (CLINICAL.md §2: pain ≥ 8 is treated as one).
    during += [score for moment, score in pains if moment == PainMoment.AFTER]
    if before is not None and before >= thresholds.red_flag_pain:
        during.append(before)
    verdict = evaluate_session(
        pain_before=before,
        pains_during=during,
        stop_reason=StopReason(session.stop_reason) if session.stop_reason else None,
        stop_pain=stop_pain,
        thresholds=thresholds,
    )
    if not verdict.end_session:
        return verdict
    # A finished session stays finished; one still going is ended here.
    if session.status == SessionStatus.IN_PROGRESS:
        session.status = SessionStatus.STOPPED
        session.stop_reason = session.stop_reason or StopReason.PAIN
        session.ended_at = session.ended_at or timezone.now()
        session.save(update_fields=["status", "stop_reason", "ended_at"])
    reason = " ".join(verdict.reasons)
    if verdict.alert_severity:
        raise_alert(
            patient=session.patient,
            kind=AlertKind.RED_FLAG if verdict.red_flag else AlertKind.SESSION_STOPPED,
            severity=verdict.alert_severity,
            reason=reason,
            session=session,
        )
    if verdict.red_flag and not SafetyBlock.objects.filter(session=session).exists():
        SafetyBlock.objects.create(
            patient=session.patient,
            source=BlockSource.SESSION,
            urgency=Urgency.SOON,
            reason=reason[:300],
            advice=verdict.advice,
            session=session,
        )
    return verdict
