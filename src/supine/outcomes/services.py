from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from supine.appointments.summary import refresh_summary
from supine.clinic.models import Alert, AlertKind, AlertSeverity, Patient
from supine.clinic.services import raise_alert
from supine.outcomes.models import PainMoment, PainReport
from supine.programs.dosing import decide_doses, morning_checkins
from supine.programs.progression import CheckIn, Trend, morning_trend, no_improvement
from supine.programs.tally import DONE_STATUSES
from supine.safety.services import after_pain_rating
from supine.safety.thresholds import clinic_thresholds

# An alert about a trend is raised again only after this long, not every morning.
TREND_ALERT_EVERY = timedelta(days=7)
NO_IMPROVEMENT_ALERT_EVERY = timedelta(days=14)


class PainIdTaken(Exception):
    """The device chose an id that another patient's rating already has."""


def _sent_before(patient: Patient, report_id: uuid.UUID | None) -> PainReport | None:
    if report_id is None:
        return None
    existing = PainReport.objects.filter(id=report_id).first()
    if existing is not None and existing.patient_id != patient.id:
        raise PainIdTaken()
    return existing


def record_pain_once(
    *, patient: Patient, score: int, note: str = "", report_id: uuid.UUID | None = None
) -> tuple[PainReport, bool]:
    """A diary rating stored once, however often (and however simultaneously) the device
    sends it; says whether this call stored it."""
    existing = _sent_before(patient, report_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return record_pain(patient=patient, score=score, note=note, report_id=report_id), True
    except IntegrityError:
        # The same rating sent twice at once: the other request stored it.
        existing = _sent_before(patient, report_id)
        if existing is None:
            raise
        return existing, False


def record_pain(
    *,
    patient: Patient,
    score: int,
    note: str = "",
    moment: str = PainMoment.DIARY,
    report_id: uuid.UUID | None = None,
) -> PainReport:
    if not 0 <= score <= 10:
        raise ValueError(f"Pain is rated 0 to 10; got {score}.")
    with transaction.atomic():
        report = PainReport.objects.create(
            id=report_id or uuid.uuid4(), patient=patient, score=score, note=note, moment=moment
        )
        # A rating at the flare level makes a flare day (clinical-rules.md §2).
        after_pain_rating(patient, report)
    return report


def record_morning_checkin(*, patient: Patient, score: int) -> PainReport:
    """Pain on waking, once a day; it feeds dose progression and the trend alerts."""
    return morning_checkin_once(patient=patient, score=score)[0]


def morning_checkin_once(
    *, patient: Patient, score: int, report_id: uuid.UUID | None = None
) -> tuple[PainReport, bool]:
    """The morning check-in, and whether this call stored it: a second one the same day,
    or the same one sent again (even at the same moment), returns the first."""
    today = timezone.localdate()

    def first_one() -> PainReport | None:
        return _sent_before(patient, report_id) or (
            PainReport.objects.filter(patient=patient, moment=PainMoment.MORNING, day=today)
            .order_by()
            .first()
        )

    existing = first_one()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            report = PainReport.objects.create(
                id=report_id or uuid.uuid4(),
                patient=patient,
                score=score,
                moment=PainMoment.MORNING,
                day=today,
            )
            after_pain_rating(patient, report)
            _check_trends(patient)
            # The next morning is a fact the dose decisions wait for (§3).
            decide_doses(patient)
            refresh_summary(patient)
    except IntegrityError:
        # Two taps at once: the first one stands.
        existing = first_one()
        if existing is None:
            raise
        return existing, False
    return report, True


HISTORY_DAYS = 60


@dataclass(frozen=True)
class RecentHistory:
    """Morning check-ins and the days with a session, over the last HISTORY_DAYS."""

    checkins: list[CheckIn]
    session_days: list[date]


def recent_history(patient: Patient) -> RecentHistory:
    from supine.sessions.models import ExerciseSession

    since = timezone.localdate() - timedelta(days=HISTORY_DAYS)
    session_days = ExerciseSession.objects.filter(
        patient=patient, plan_date__gte=since, status__in=DONE_STATUSES
    )
    return RecentHistory(
        checkins=morning_checkins(patient, since=since),
        session_days=sorted(set(session_days.values_list("plan_date", flat=True))),
    )


def improvement_stalled(patient: Patient, history: RecentHistory | None = None) -> bool:
    """Two weeks of regular sessions and no meaningful change in morning pain (NHS inform)."""
    history = history or recent_history(patient)
    return no_improvement(
        history.checkins,
        history.session_days,
        today=timezone.localdate(),
        thresholds=clinic_thresholds(patient.clinic),
    )


def _check_trends(patient: Patient) -> None:
    history = recent_history(patient)
    thresholds = clinic_thresholds(patient.clinic)
    trend = morning_trend(history.checkins, today=timezone.localdate(), thresholds=thresholds)
    if trend is Trend.WORSENING:
        # Rising alone only stops progress that week; worsening holds and alerts (§3).
        _alert_unless_recent(
            patient,
            AlertKind.PAIN_TREND,
            TREND_ALERT_EVERY,
            "Morning pain is 2 or more above the first week, or has risen 2 weeks running; "
            "the dose is held.",
        )
    if improvement_stalled(patient, history):
        _alert_unless_recent(
            patient,
            AlertKind.NO_IMPROVEMENT,
            NO_IMPROVEMENT_ALERT_EVERY,
            "No meaningful improvement in morning pain after two weeks of regular exercise.",
        )


def _alert_unless_recent(patient: Patient, kind: str, every: timedelta, reason: str) -> None:
    since = timezone.now() - every
    if not Alert.objects.filter(patient=patient, kind=kind, created_at__gte=since).exists():
        raise_alert(patient=patient, kind=kind, severity=AlertSeverity.ATTENTION, reason=reason)
