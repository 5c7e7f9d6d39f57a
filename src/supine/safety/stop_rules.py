"""Stop rules during a session (clinical-rules.md §2, rulebook version 2.1).

Session ratings are the pain rated before the session, after each exercise ("How was
that?"), at STOP and straight after; morning and diary ratings are not session ratings.
The device applies these rules at once, offline too, from the limits the plan carries;
the server applies the same rules when the events arrive, and its verdict is final.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from supine.safety.limits import SessionLimits
from supine.safety.regions import Region, RegionWords, words_for
from supine.safety.thresholds import DEFAULT_THRESHOLDS, check_pain
from supine.vocabulary import LEGACY_NUMBNESS, AlertSeverity, StopReason

# What a device may send: the reasons and the legacy one.
ACCEPTED_STOP_REASONS = (*StopReason.values, LEGACY_NUMBNESS)


class StopRule(StrEnum):
    """The rule that decided a session, most serious first."""

    SADDLE_OR_BLADDER = "saddle_or_bladder"
    FLARE_DAY = "flare_day"
    DIZZINESS = "dizziness"
    LEG_SYMPTOMS = "leg_symptoms"
    BEFORE_ABOVE_CEILING = "before_above_ceiling"
    ABOVE_CEILING = "above_ceiling"
    RISE = "rise"
    PAIN = "pain"


class StoppedBy(StrEnum):
    PATIENT = "patient"
    RULE = "rule"


class RatingMoment(StrEnum):
    """When a session rating was given; the words say so (clinical-rules.md §2)."""

    BEFORE = "before"
    EXERCISE = "exercise"  # "How was that?" after an exercise
    DURING = "during"  # at STOP
    AFTER = "after"


_MOMENT_WORDS = {
    RatingMoment.BEFORE: "before the session",
    RatingMoment.EXERCISE: "after {exercise}",
    RatingMoment.DURING: "at STOP",
    RatingMoment.AFTER: "straight after the session",
}


@dataclass(frozen=True)
class Rating:
    moment: RatingMoment
    score: int
    exercise: str = ""  # the exercise's name, for a rating after an exercise

    def describe(self) -> str:
        when = _MOMENT_WORDS[self.moment].format(exercise=self.exercise or "an exercise")
        return f"{self.score}/10 {when}"


# ---------------------------------------------------------------------------------------
# What the patient is told: calm, short, true (clinical-rules.md §2 and §5), in the region's words
# ---------------------------------------------------------------------------------------

_ATTENTION = (
    "Your clinic will see this at their next check of Supine. If you're worried, call them "
    "on {clinic_phone}."
)
_WATCH_FOR = (
    "If you get numbness or tingling between your legs, or a change in peeing or your "
    "bowels, go to {emergency_room} now or call {emergency_number}."
)
ADVICE_TEMPLATES: dict[str, str] = {
    StopRule.SADDLE_OR_BLADDER: (
        "Please answer a few questions about these symptoms now. If they are new or getting "
        "worse, go to {emergency_room} now or call {emergency_number}."
    ),
    StopRule.FLARE_DAY: (
        "Your pain is very bad today, so no more exercises today. Follow your flare plan: "
        "rest in a comfortable position, take short gentle walks, and use heat. Most "
        "flare-ups settle within days to a few weeks. Please answer a few short safety "
        "questions now. " + _ATTENTION
    ),
    StopRule.DIZZINESS: (
        "Let's stop here for today. Sit for a minute, then stand up slowly. If you also have "
        "chest pain, are short of breath or feel faint, call {emergency_number}."
    ),
    StopRule.LEG_SYMPTOMS: (
        "Let's stop here for today. Rest in a comfortable position and let your leg settle. "
        + _ATTENTION
        + " "
        + _WATCH_FOR
    ),
    StopRule.BEFORE_ABOVE_CEILING: (
        "Your pain is higher than usual today, so let's skip the exercises today. Follow "
        "your flare plan: rest in a comfortable position, take short gentle walks, and use "
        "heat. Try again tomorrow."
    ),
    StopRule.ABOVE_CEILING: (
        "That was too painful, so let's stop here for today. Rest in a comfortable position "
        "and let the pain settle. " + _ATTENTION + " " + _WATCH_FOR
    ),
    StopRule.RISE: (
        "Your pain went up a lot, so let's stop here for today. Rest in a comfortable "
        "position and let the pain settle. " + _ATTENTION + " " + _WATCH_FOR
    ),
    StopRule.PAIN: (
        "Stopping was the right thing to do. Rest in a comfortable position and let the pain "
        "settle. " + _ATTENTION + " " + _WATCH_FOR
    ),
    StopReason.TIRED: "Good work today. Rest, and carry on next time.",
    StopReason.INTERRUPTED: "No problem. Do a new session when you are ready.",
    StopReason.OTHER: "No problem. Rest, and carry on when you're ready.",
}
# The plan carries these to the device, keyed as the player reads them.
DEVICE_ADVICE_KEYS = {
    "too_painful": StopRule.ABOVE_CEILING,
    "rise": StopRule.RISE,
    "pain": StopRule.PAIN,
    "leg_symptoms": StopRule.LEG_SYMPTOMS,
    "saddle_or_bladder": StopRule.SADDLE_OR_BLADDER,
    "dizziness": StopRule.DIZZINESS,
    "flare": StopRule.FLARE_DAY,
    "before_above_ceiling": StopRule.BEFORE_ABOVE_CEILING,
    "tired": StopReason.TIRED,
    "interrupted": StopReason.INTERRUPTED,
    "other": StopReason.OTHER,
}


def fill(template: str, words: RegionWords, clinic_phone: str) -> str:
    return template.format(
        emergency_number=words.emergency_number,
        emergency_room=words.emergency_room,
        urgent_route=words.urgent_route,
        clinic_phone=clinic_phone or "the number your clinic gave you",
    )


def session_advice(region: str | Region, clinic_phone: str) -> dict[str, str]:
    """Every stop's advice in the region's words, keyed by rule or stop reason."""
    words = words_for(region)
    return {str(key): fill(text, words, clinic_phone) for key, text in ADVICE_TEMPLATES.items()}


def device_advice(region: str | Region, clinic_phone: str) -> dict[str, str]:
    advice = session_advice(region, clinic_phone)
    return {key: advice[str(rule)] for key, rule in DEVICE_ADVICE_KEYS.items()}


DEFAULT_ADVICE = session_advice(Region.US, "")


# ---------------------------------------------------------------------------------------
# The verdict
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionVerdict:
    end_session: bool  # the session is over for today: no resuming
    rule: StopRule | None  # the most serious rule that applied, if any
    flare: bool  # a session rating at the flare level: no more sessions today
    alert_severity: str | None  # "urgent" | "attention" | None
    reasons: tuple[str, ...]  # for the clinician, one sentence each
    advice: str | None  # for the patient; None while a session simply goes on


_ALERTS = {
    StopRule.SADDLE_OR_BLADDER: AlertSeverity.URGENT,
    StopRule.FLARE_DAY: AlertSeverity.ATTENTION,
    StopRule.LEG_SYMPTOMS: AlertSeverity.ATTENTION,
    StopRule.ABOVE_CEILING: AlertSeverity.ATTENTION,
    StopRule.RISE: AlertSeverity.ATTENTION,
    StopRule.PAIN: AlertSeverity.ATTENTION,
    # Dizziness alerts only when it happens twice in 7 days, and a pre-session rating above
    # the ceiling only on 3 days running: the services count those.
}


def evaluate_session(
    *,
    ratings: Sequence[Rating],
    stop_reason: StopReason | None,
    limits: SessionLimits,
    advice: Mapping[str, str] = DEFAULT_ADVICE,
) -> SessionVerdict:
    """Apply clinical-rules.md §2's stop rules to the session ratings given so far.

    Every rule is checked; the clinician reads each that applied, the patient the advice
    of the most serious. Without a pre-session rating the rise rule cannot apply.
    """
    for rating in ratings:
        check_pain("ratings", rating.score)
    if stop_reason is not None:
        stop_reason = StopReason.parse(stop_reason)
    applied = {**_reason_rules(stop_reason, ratings), **_pain_rules(ratings, limits)}
    if not applied:
        return SessionVerdict(
            end_session=False,
            rule=None,
            flare=False,
            alert_severity=None,
            reasons=(),
            advice=None if stop_reason is None else advice[str(stop_reason)],
        )
    rule = min(applied, key=list(StopRule).index)
    severity = _alert_severity(applied)
    return SessionVerdict(
        end_session=True,
        rule=rule,
        flare=StopRule.FLARE_DAY in applied,
        alert_severity=None if severity is None else str(severity),
        reasons=tuple(applied[r] for r in StopRule if r in applied),
        advice=advice[str(rule)],
    )


def _reason_rules(stop_reason: StopReason | None, ratings: Sequence[Rating]) -> dict[StopRule, str]:
    """The rules a STOP reason applies by itself, each with its sentence for the clinician."""
    applied: dict[StopRule, str] = {}
    if stop_reason is StopReason.SADDLE_OR_BLADDER:
        applied[StopRule.SADDLE_OR_BLADDER] = (
            "Stopped for numbness or tingling between the legs or in both legs, or a change "
            "in peeing or bowels; sent to the emergency questions."
        )
    if stop_reason is StopReason.DIZZINESS:
        applied[StopRule.DIZZINESS] = "Stopped for dizziness."
    if stop_reason is StopReason.LEG_SYMPTOMS:
        applied[StopRule.LEG_SYMPTOMS] = "Stopped for pain, numbness or tingling going down a leg."
    if stop_reason is StopReason.PAIN:
        stop_ratings = [r for r in ratings if r.moment is RatingMoment.DURING]
        rated = f", rating {stop_ratings[-1].describe()}" if stop_ratings else ""
        applied[StopRule.PAIN] = f"Stopped for pain{rated}."
    return applied


def _pain_rules(ratings: Sequence[Rating], limits: SessionLimits) -> dict[StopRule, str]:
    """The rules the session ratings apply: flare level, ceiling, and a rise since before."""
    before = next((r for r in ratings if r.moment is RatingMoment.BEFORE), None)
    later = [r for r in ratings if r.moment is not RatingMoment.BEFORE]
    applied: dict[StopRule, str] = {}
    flares = [r for r in ratings if r.score >= limits.flare_at]
    if flares:
        applied[StopRule.FLARE_DAY] = (
            f"Flare day: pain {', '.join(r.describe() for r in flares)} "
            f"(flare level {limits.flare_at})."
        )
    if before is not None and before.score > limits.ceiling:
        applied[StopRule.BEFORE_ABOVE_CEILING] = (
            f"Pain {before.describe()} was above the ceiling of {limits.ceiling}; no session today."
        )
    above = [r for r in later if r.score > limits.ceiling]
    if above:
        applied[StopRule.ABOVE_CEILING] = (
            f"Pain {', '.join(r.describe() for r in above)}: above the ceiling of {limits.ceiling}."
        )
    if before is not None:
        risen = [r for r in later if r.score - before.score >= limits.rise]
        if risen:
            applied[StopRule.RISE] = (
                f"Pain rose from {before.describe()} to "
                f"{', '.join(r.describe() for r in risen)} (a rise of {limits.rise} or more)."
            )
    return applied


def _alert_severity(applied: Mapping[StopRule, str]) -> AlertSeverity | None:
    """Urgent if any rule applied is, otherwise attention if any alerts at all."""
    severities = {_ALERTS[r] for r in applied if r in _ALERTS}
    if AlertSeverity.URGENT in severities:
        return AlertSeverity.URGENT
    return AlertSeverity.ATTENTION if severities else None


DEFAULT_LIMITS = SessionLimits(
    ceiling=DEFAULT_THRESHOLDS.ceiling_base,
    rise=DEFAULT_THRESHOLDS.pain_rise,
    flare_at=DEFAULT_THRESHOLDS.flare_pain,
    usual=None,
)
