"""Safety actions on patients: screening, holds, clearance, flare days and the stop rules
applied to a session's events. The rules themselves are plain functions in screening.py,
stop_rules.py and limits.py; this module reads and stores what they need and decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from supine.clinic.models import Alert, AlertKind, AlertSeverity, Clinician, Patient
from supine.clinic.services import audit, close_safety_alerts, raise_alert
from supine.outcomes.models import PainMoment, PainReport
from supine.safety.limits import (
    USUAL_PAIN_WINDOW,
    SessionLimits,
    pain_ceiling,
    session_limits,
    usual_pain,
)
from supine.safety.models import AssessedBy, BlockSource, Clearance, SafetyBlock, Screening
from supine.safety.regions import Contact, contacts, words_for
from supine.safety.rulebook import RULEBOOK_VERSION
from supine.safety.screening import (
    ADVICE_CONSULT_FIRST,
    HISTORY_IDS,
    Form,
    History,
    ScreeningOutcome,
    Urgency,
    evaluate_screening,
    history_from,
)
from supine.safety.stop_rules import (
    Rating,
    RatingMoment,
    SessionVerdict,
    StoppedBy,
    StopReason,
    StopRule,
    device_advice,
    evaluate_session,
    fill,
    session_advice,
)
from supine.safety.thresholds import clinic_thresholds
from supine.sessions.models import SessionStatus

SCREENING_REQUIRED_ADVICE = "Before your first session, please answer a few short safety questions."
# Part B's short form is asked once a week, at the first morning check-in (clinical-rules.md §1).
SHORT_FORM_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class SafetyStatus:
    blocked: bool
    screening_required: bool
    urgency: str
    advice: str
    flare: bool = False

    def as_dict(self) -> dict:
        # The shape the API promises for a refused plan or session (it only gains fields).
        return {
            "blocked": self.blocked,
            "screening_required": self.screening_required,
            "advice": self.advice,
            "flare": self.flare,
        }


_URGENCY_ORDER = {Urgency.EMERGENCY: 0, Urgency.SOON: 1, Urgency.REVIEW: 2, Urgency.NONE: 3}


def safety_status(patient: Patient) -> SafetyStatus:
    """May the patient start a session now, and if not, what are they told?"""
    blocks = list(SafetyBlock.objects.open().filter(patient=patient).order_by("-created_at")[:20])
    if blocks:
        block = min(blocks, key=lambda b: _URGENCY_ORDER.get(Urgency(b.urgency), 3))
        return SafetyStatus(True, False, block.urgency, block.advice)
    screened, advised_or_cleared = _screened_and_advised_or_cleared(patient)
    if not screened:
        return SafetyStatus(True, True, Urgency.NONE, SCREENING_REQUIRED_ADVICE)
    if not advised_or_cleared:
        return SafetyStatus(True, False, Urgency.NONE, ADVICE_CONSULT_FIRST)
    flare = todays_flare(patient)
    if flare is not None:
        return SafetyStatus(True, False, Urgency.NONE, flare_advice(patient, flare), flare=True)
    return SafetyStatus(False, False, Urgency.NONE, "")


def _screened_and_advised_or_cleared(patient: Patient) -> tuple[bool, bool]:
    """Has the patient answered the full screen; were they advised to exercise, or
    cleared? One query."""
    screenings = Screening.objects.filter(patient=OuterRef("pk"))
    row = (
        Patient.objects.filter(pk=patient.pk)
        .annotate(
            screened=Exists(screenings.filter(form=Form.FULL)),
            advised=Exists(screenings.filter(clinician_advised=True)),
            cleared=Exists(Clearance.objects.filter(patient=OuterRef("pk"))),
        )
        .values_list("screened", "advised", "cleared")
        .get()
    )
    screened, advised, cleared = row
    return screened, advised or cleared


def _advised_or_cleared(patient: Patient) -> bool:
    return (
        Screening.objects.filter(patient=patient, clinician_advised=True).exists()
        or Clearance.objects.filter(patient=patient).exists()
    )


def short_form_due(patient: Patient) -> bool:
    """The weekly short form of Part B: due when no screen was answered for a week."""
    since = timezone.now() - SHORT_FORM_EVERY
    return not Screening.objects.filter(patient=patient, created_at__gte=since).exists()


def patient_history(patient: Patient, answers: Mapping[str, bool] | None = None) -> History:
    """Part A as the patient last answered it (or as in `answers`, a full form's)."""
    if answers is None:
        answers = last_history_answers(patient)
    birth = (
        (patient.birth_year, patient.birth_month or 1) if patient.birth_year is not None else None
    )
    return history_from(
        answers,
        birth=birth,
        procedure_when=(patient.history_details or {}).get("spinal_procedure", ""),
        today=timezone.localdate(),
    )


def last_history_answers(patient: Patient) -> dict[str, bool]:
    latest = (
        Screening.objects.filter(patient=patient, form=Form.FULL)
        .order_by("-created_at")
        .values_list("answers", flat=True)
        .first()
    )
    return {qid: value for qid, value in (latest or {}).items() if qid in HISTORY_IDS}


def reviewed_questions(patient: Patient) -> frozenset[str]:
    """Questions whose "yes" a clinician has reviewed (cleared): they don't hold again."""
    ids: set[str] = set()
    for flagged in SafetyBlock.objects.filter(
        patient=patient, cleared_at__isnull=False
    ).values_list("flagged", flat=True):
        ids.update(flagged or [])
    return frozenset(ids)


class InvalidDetails(ValueError):
    pass


def _parse_birth(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.strip().split("-")[:2])
    except ValueError:
        raise InvalidDetails("details.born: give the month and year as YYYY-MM") from None
    this_year = timezone.localdate().year
    if not (this_year - 120 <= year <= this_year and 1 <= month <= 12):
        raise InvalidDetails("details.born: give the month and year as YYYY-MM")
    return year, month


def submit_screening(
    *,
    patient: Patient,
    answers: Mapping[str, bool],
    clinician_advised: bool | None = None,
    form: Form = Form.FULL,
    confirmations: Mapping[str, str] | None = None,
    details: Mapping[str, str] | None = None,
) -> ScreeningOutcome:
    """Record a screen; what holds sessions opens a hold, and the clinic is told."""
    details = {key: str(value).strip()[:200] for key, value in (details or {}).items()}
    born = details.pop("born", "")
    if born:
        patient.birth_year, patient.birth_month = _parse_birth(born)
    if details:
        patient.history_details = {**(patient.history_details or {}), **details}
    if form is Form.FULL and clinician_advised is None:
        raise ValueError("clinician_advised is required with the full screen.")
    advised = bool(clinician_advised) or _advised_or_cleared(patient)
    history = patient_history(patient, dict(answers) if form is Form.FULL else None)
    clinic = patient.clinic
    outcome = evaluate_screening(
        answers,
        form=form,
        history=history,
        confirmations=confirmations,
        reviewed=reviewed_questions(patient),
        clinician_advised=advised,
        region=clinic.region,
        clinic_phone=clinic.phone,
    )
    with transaction.atomic():
        if born or details:
            patient.save(update_fields=["birth_year", "birth_month", "history_details"])
        _record_screening(patient, outcome, form, answers, confirmations, clinician_advised)
    return outcome


def _record_screening(
    patient: Patient,
    outcome: ScreeningOutcome,
    form: Form,
    answers: Mapping[str, bool],
    confirmations: Mapping[str, str] | None,
    clinician_advised: bool | None,
) -> None:
    """Store the screen; open a hold and tell the clinic where it says so."""
    screening = Screening.objects.create(
        patient=patient,
        form=form,
        clinician_advised=bool(clinician_advised),
        answers=dict(answers),
        confirmations=dict(confirmations or {}),
        flagged=list(outcome.flagged),
        urgency=outcome.urgency,
        blocked=outcome.blocked,
        advice=outcome.advice,
        rulebook_version=RULEBOOK_VERSION,
    )
    # What a clinician must see opens a hold; "not yet advised" is lifted by the
    # patient's own confirmation or by a clearance.
    if outcome.blocking:
        SafetyBlock.objects.create(
            patient=patient,
            source=BlockSource.SCREENING,
            urgency=outcome.urgency,
            reason=outcome.reason[:300],
            advice=outcome.advice,
            flagged=list(outcome.blocking),
            rulebook_version=RULEBOOK_VERSION,
            screening=screening,
        )
    if outcome.alert_severity and outcome.blocking:
        raise_alert(
            patient=patient,
            kind=AlertKind.RED_FLAG
            if outcome.urgency in (Urgency.EMERGENCY, Urgency.SOON)
            else AlertKind.REVIEW,
            severity=outcome.alert_severity,
            reason=outcome.reason,
        )
    if outcome.note:
        raise_alert(
            patient=patient,
            kind=AlertKind.NOTE,
            severity=AlertSeverity.INFO,
            reason=outcome.note,
        )


def report_checked_by_doctor(*, patient: Patient) -> Alert | None:
    """The patient says a doctor has checked them: the clinic is told; the hold stays."""
    if not SafetyBlock.objects.open().filter(patient=patient).exists():
        return None
    return raise_alert(
        patient=patient,
        kind=AlertKind.REVIEW,
        severity=AlertSeverity.ATTENTION,
        reason="The patient says a doctor has checked them; the hold stays until a "
        "clinician records a clearance with the assessment.",
    )


def confirm_advised(*, patient: Patient) -> SafetyStatus:
    """One tap: "My doctor or physiotherapist has said these exercises suit me"."""
    latest = Screening.objects.filter(patient=patient).order_by("-created_at").first()
    if latest is None:
        return safety_status(patient)
    if not latest.clinician_advised:
        Screening.objects.filter(pk=latest.pk).update(clinician_advised=True)
    return safety_status(patient)


def screening_contacts(patient: Patient, urgency: str) -> list[Contact]:
    clinic = patient.clinic
    return contacts(
        region=clinic.region,
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        emergency=urgency == Urgency.EMERGENCY,
    )


class ClearanceRefused(ValueError):
    """The clearance lacks what the hold needs (clinical-rules.md §1, Clearance)."""


def clear_patient(
    *,
    clinician: Clinician,
    patient: Patient,
    reason: str,
    assessed_by: str = "",
    assessed_on: date | None = None,
    seen_at: datetime | None = None,
) -> Clearance:
    """A clinician the clinic allows lifts the open holds, and records why and on what.

    An emergency hold needs a recorded medical assessment (who and when); the clearing
    clinician's own assessment counts only if they are a doctor. An urgent hold needs the
    same, or a same-day assessment by a clinician the clinic named as trained to assess
    red flags. With `seen_at`, only holds raised by then are lifted: a red flag that
    arrives while the clinician is writing was not part of their decision.
    """
    if patient.clinic_id != clinician.clinic_id:
        raise PermissionError("Only a clinician of the patient's clinic can clear them.")
    if not clinician.may_clear_holds:
        raise PermissionError(
            "Your clinic has not allowed you to clear safety holds; ask a clinic admin."
        )
    reason = reason.strip()
    if not reason:
        raise ClearanceRefused("reason: say why the patient is cleared.")
    blocks = SafetyBlock.objects.open().filter(patient=patient)
    if seen_at is not None:
        blocks = blocks.filter(created_at__lte=seen_at)
    urgencies = set(blocks.values_list("urgency", flat=True))
    _check_assessment(clinician, urgencies, assessed_by, assessed_on)
    with transaction.atomic():
        clearance = Clearance.objects.create(
            patient=patient,
            clinician=clinician,
            reason=reason,
            assessed_by=assessed_by,
            assessed_on=assessed_on,
            clinician_profession=clinician.profession,
            clinician_registration=clinician.registration_number,
            rulebook_version=RULEBOOK_VERSION,
        )
        blocks.update(cleared_at=clearance.created_at, clearance=clearance)
        close_safety_alerts(
            clinician=clinician, patient=patient, note=f"Cleared: {reason}", raised_by=seen_at
        )
        audit(actor=clinician.user, patient=patient, action="patient.clear", detail=reason)
    return clearance


def _check_assessment(
    clinician: Clinician, urgencies: set[str], assessed_by: str, assessed_on: date | None
) -> None:
    serious = urgencies & {Urgency.EMERGENCY, Urgency.SOON}
    if not serious:
        return
    if not assessed_by or assessed_on is None:
        raise ClearanceRefused(
            "assessed_by, assessed_on: an emergency or urgent hold is cleared only with a "
            "recorded assessment — who assessed the patient, and when."
        )
    if assessed_on > timezone.localdate():
        raise ClearanceRefused("assessed_on: the assessment cannot be in the future.")
    if assessed_by != AssessedBy.THIS_CLINICIAN:
        return
    if Urgency.EMERGENCY in serious and not clinician.is_doctor:
        raise ClearanceRefused(
            "assessed_by: an emergency hold needs a doctor's assessment; your own counts "
            "only if you are a doctor."
        )
    trained_today = clinician.assesses_red_flags and assessed_on == timezone.localdate()
    if not (clinician.is_doctor or trained_today):
        raise ClearanceRefused(
            "assessed_by: an urgent hold needs a doctor's assessment, or a same-day "
            "assessment by a clinician the clinic has named as trained to assess red flags."
        )


def patient_usual_pain(patient: Patient) -> int | None:
    """The median of the last 7 morning check-ins, or the usual pain from sign-up."""
    mornings = list(
        PainReport.objects.filter(patient=patient, moment=PainMoment.MORNING)
        .order_by("-day")
        .values_list("score", flat=True)[:USUAL_PAIN_WINDOW]
    )
    return usual_pain(mornings[::-1], patient.usual_pain)


def ceiling_to_confirm(patient: Patient) -> int:
    """The ceiling a clinician confirms when they set or review the program."""
    return pain_ceiling(
        patient_usual_pain(patient),
        thresholds=clinic_thresholds(patient.clinic),
        cap=patient.pain_ceiling_cap,
    )


def patient_limits(patient: Patient, *, program=None) -> SessionLimits:
    """The ceiling and the other limits in force for this patient today. `program`: the
    active Prescription, when the caller has read it already."""
    from supine.programs.models import Prescription

    if program is not None:
        confirmed = program.pain_ceiling
    else:
        confirmed = (
            Prescription.objects.active()
            .filter(patient=patient)
            .values_list("pain_ceiling", flat=True)
            .first()
        )
    return session_limits(
        patient_usual_pain(patient),
        thresholds=clinic_thresholds(patient.clinic),
        confirmed=confirmed,
        cap=patient.pain_ceiling_cap,
    )


def plan_safety(patient: Patient, *, program=None) -> dict:
    """What today's plan carries so that the device applies the stop rules at once.
    `program`: the active Prescription, when the caller has read it already."""
    clinic = patient.clinic
    return {
        "limits": patient_limits(patient, program=program).as_dict(),
        "advice": device_advice(clinic.region, clinic.phone),
        "emergency_number": words_for(clinic.region).emergency_number,
        "clinic_phone": clinic.phone,
    }


def day_start(day: date | None = None) -> datetime:
    """The start of a calendar day in Supine's time zone, as an aware datetime."""
    day = day or timezone.localdate()
    return timezone.make_aware(datetime.combine(day, time.min))


def todays_flare(patient: Patient) -> PainReport | None:
    """Today's first rating at the flare level (session, morning or diary), if any."""
    level = clinic_thresholds(patient.clinic).flare_pain
    return (
        PainReport.objects.filter(patient=patient, score__gte=level, recorded_at__gte=day_start())
        .order_by("recorded_at")
        .first()
    )


def flare_today(patient: Patient) -> bool:
    """A flare day: no more sessions today (clinical-rules.md §2)."""
    return todays_flare(patient) is not None


_WHEN_RATED: dict[str, str] = {
    PainMoment.MORNING: "this morning",
    PainMoment.DIARY: "in your diary today",
    PainMoment.BEFORE: "before your session today",
    PainMoment.EXERCISE: "during your session today",
    PainMoment.DURING: "when you stopped your session today",
    PainMoment.AFTER: "after your session today",
}


def flare_advice(patient: Patient, rating: PainReport) -> str:
    """The flare plan, saying when the rating was given."""
    clinic = patient.clinic
    when = _WHEN_RATED.get(rating.moment, "today")
    advice = session_advice(clinic.region, clinic.phone)[StopRule.FLARE_DAY]
    return f"You rated your pain {rating.score}/10 {when}. {advice}"


def _ratings(session) -> list[Rating]:
    names = {
        step.get("exercise"): step.get("name") or step.get("exercise")
        for step in session.plan.get("steps", [])
        if step.get("exercise")
    }
    return [
        Rating(RatingMoment(moment), score, names.get(exercise, exercise))
        for moment, score, exercise in session.pain_reports.order_by("recorded_at").values_list(
            "moment", "score", "exercise"
        )
        if moment in RatingMoment.__members__.values()
    ]


def apply_stop_rules(session, *, unsaved: Sequence[str] = ()) -> SessionVerdict:
    """Judge a session by every rating in it so far; end it, tell the clinic, store why.

    Called after each batch of events, so the verdict covers events that arrived in any
    order and any number of batches; alerts are raised once per session and kind, and the
    stored verdict is what every later answer about the session returns. `unsaved`: the
    session's fields the caller changed and has not written; they are written with the
    verdict, in one statement.
    """
    patient = session.patient
    clinic = patient.clinic
    verdict = evaluate_session(
        ratings=_ratings(session),
        stop_reason=StopReason.parse(session.stop_reason) if session.stop_reason else None,
        limits=patient_limits(patient),
        advice=session_advice(clinic.region, clinic.phone),
    )
    _store_verdict(session, verdict, unsaved)
    _tell_the_clinic(session, verdict)
    return verdict


def _store_verdict(session, verdict: SessionVerdict, unsaved: Sequence[str] = ()) -> None:
    """Save the verdict on the session, ending it if it is still going, with the fields
    the caller changed and has not written (`unsaved`), in one statement."""
    fields = {
        "stop_rule": str(verdict.rule or ""),
        "advice": verdict.advice or "",
        "flare": verdict.flare,
        "rulebook_version": RULEBOOK_VERSION,
    }
    if session.stop_reason:
        fields["stopped_by"] = StoppedBy.PATIENT
    if verdict.end_session and session.status == SessionStatus.IN_PROGRESS:
        # A finished session stays finished; one still going is ended here.
        fields.update(
            status=SessionStatus.STOPPED,
            stopped_by=StoppedBy.RULE,
            ended_at=session.ended_at or timezone.now(),
        )
    changed = [name for name, value in fields.items() if getattr(session, name) != value]
    for name in changed:
        setattr(session, name, fields[name])
    to_save = [*unsaved, *(name for name in changed if name not in unsaved)]
    if to_save:
        session.save(update_fields=to_save)


def _tell_the_clinic(session, verdict: SessionVerdict) -> None:
    """The alerts a verdict raises: at once, or once a rule has repeated."""
    patient = session.patient
    if verdict.alert_severity:
        kinds: dict[StopRule | None, AlertKind] = {
            StopRule.SADDLE_OR_BLADDER: AlertKind.RED_FLAG,
            StopRule.FLARE_DAY: AlertKind.FLARE,
        }
        kind = kinds.get(verdict.rule, AlertKind.SESSION_STOPPED)
        raise_alert(
            patient=patient,
            kind=kind,
            severity=verdict.alert_severity,
            reason=" ".join(verdict.reasons),
            session=session,
        )
    if verdict.flare:
        _after_flare(patient)
    if verdict.rule is StopRule.DIZZINESS:
        _alert_on_repeats(
            patient,
            rule=StopRule.DIZZINESS,
            days=DIZZINESS_DAYS,
            times=2,
            kind=AlertKind.DIZZINESS,
            by_day=False,
            reason="Sessions stopped for dizziness twice in 7 days.",
        )
    if verdict.rule is StopRule.BEFORE_ABOVE_CEILING:
        _alert_on_repeats(
            patient,
            rule=StopRule.BEFORE_ABOVE_CEILING,
            days=HIGH_BEFORE_DAYS,
            times=HIGH_BEFORE_DAYS,
            kind=AlertKind.HIGH_BEFORE,
            by_day=True,
            reason="Pain above the ceiling before a session on 3 days running; no sessions.",
        )


DIZZINESS_DAYS = 7
HIGH_BEFORE_DAYS = 3
# Flare days on this many of the last FLARE_WINDOW_DAYS days hold sessions for review.
FLARE_HOLD_DAYS = 3
FLARE_WINDOW_DAYS = 4
REPEAT_ALERT_EVERY = timedelta(days=7)

ADVICE_FLARE_HOLD = (
    "Your pain has been very bad for several days. Please see a doctor in the next day or "
    "two: {urgent_route}. Your exercises are paused until your clinic has looked at this."
)


def _alert_on_repeats(
    patient: Patient,
    *,
    rule: StopRule,
    days: int,
    times: int,
    kind: str,
    reason: str,
    by_day: bool,
) -> None:
    from supine.sessions.models import ExerciseSession

    since = timezone.localdate() - timedelta(days=days - 1)
    sessions = ExerciseSession.objects.filter(patient=patient, stop_rule=rule, plan_date__gte=since)
    # Days running count days; "twice in 7 days" counts sessions.
    seen = sessions.values("plan_date").distinct().count() if by_day else sessions.count()
    recent = Alert.objects.filter(
        patient=patient, kind=kind, created_at__gte=timezone.now() - REPEAT_ALERT_EVERY
    )
    if seen >= times and not recent.exists():
        raise_alert(patient=patient, kind=kind, severity=AlertSeverity.ATTENTION, reason=reason)


def flare_days(patient: Patient, *, days: int = FLARE_WINDOW_DAYS) -> set[date]:
    """The calendar days, among the last `days`, with a rating at the flare level."""
    level = clinic_thresholds(patient.clinic).flare_pain
    first = timezone.localdate() - timedelta(days=days - 1)
    moments = PainReport.objects.filter(
        patient=patient, score__gte=level, recorded_at__gte=day_start(first)
    ).values_list("recorded_at", flat=True)
    return {timezone.localdate(moment) for moment in moments}


def _after_flare(patient: Patient) -> None:
    """Flare on 3 of the last 4 days: sessions wait for the clinic (clinical-rules.md §2)."""
    if len(flare_days(patient)) < FLARE_HOLD_DAYS:
        return
    if SafetyBlock.objects.open().filter(patient=patient, source=BlockSource.FLARE).exists():
        return
    clinic = patient.clinic
    advice = fill(ADVICE_FLARE_HOLD, words_for(clinic.region), clinic.phone)
    reason = "Pain of 8 or more on 3 of the last 4 days; sessions held for review."
    SafetyBlock.objects.create(
        patient=patient,
        source=BlockSource.FLARE,
        urgency=Urgency.REVIEW,
        reason=reason,
        advice=advice,
        rulebook_version=RULEBOOK_VERSION,
    )
    raise_alert(
        patient=patient, kind=AlertKind.FLARE, severity=AlertSeverity.ATTENTION, reason=reason
    )


def after_pain_rating(patient: Patient, report: PainReport) -> None:
    """A morning or diary rating at the flare level makes a flare day (clinical-rules.md §2)."""
    if report.score < clinic_thresholds(patient.clinic).flare_pain:
        return
    when = report.get_moment_display().lower()
    raise_alert(
        patient=patient,
        kind=AlertKind.FLARE,
        severity=AlertSeverity.ATTENTION,
        reason=f"Flare day: pain {report.score}/10 ({when}).",
    )
    _after_flare(patient)
