"""Dose progression: where the next session's dose goes, and the sentence that says why.

The rules are CLINICAL.md §3, built on the pain-monitoring model (Thomeé 1997; Silbernagel
et al., Am J Sports Med 2007): pain 0–2 during exercise is safe, 3–5 acceptable, above 5
too much, and the next morning tells whether it settled. The prescribed ranges are the
clinician's; the dose never leaves them. Plain values in, plain values out: no Django.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from supine.safety.thresholds import DEFAULT_THRESHOLDS, PAIN_MAX, Thresholds

# "Regular exercise" for the no-improvement rule (NHS inform: see someone if it hasn't
# improved after a couple of weeks of exercising): sessions on most days, i.e. at least
# 8 of the last 14 days — four days a week or more.
REGULAR_WINDOW_DAYS = 14
REGULAR_MIN_SESSION_DAYS = 8

# Minimal important change in pain on the 0–10 scale: 2 points or 30% (Ostelo et al.,
# Spine 2008). Less than that over two weeks counts as no improvement.
MIN_IMPORTANT_CHANGE_POINTS = 2
MIN_IMPORTANT_CHANGE_SHARE = Fraction(30, 100)
# How many check-ins make "the first" and "the last" mean: one rating is too noisy.
CHECKINS_PER_MEAN = 3

# The morning trend compares weekly means with enough check-ins to mean something.
TREND_WEEK_DAYS = 7
TREND_MIN_CHECKINS_PER_WEEK = 3


@dataclass(frozen=True)
class DoseRanges:
    reps: tuple[int, int]
    hold_seconds: tuple[int, int] | None  # None: the exercise has no hold
    sets: tuple[int, int]

    def __post_init__(self) -> None:
        for name, bounds, lowest in (
            ("reps", self.reps, 1),
            ("hold_seconds", self.hold_seconds, 1),
            ("sets", self.sets, 1),
        ):
            if bounds is None:
                continue
            low, high = bounds
            if low < lowest or high < low:
                raise ValueError(
                    f"The {name} range must run from at least {lowest} up, with its minimum "
                    f"no higher than its maximum; got {low}–{high}."
                )


@dataclass(frozen=True)
class DoseLevel:
    reps: int
    hold_seconds: int | None
    sets: int


@dataclass(frozen=True)
class SessionOutcome:
    ended_at: datetime
    completed: bool  # every step of the plan was done
    # The patient stopped for pain, or a stop rule ended the session for pain.
    stopped_for_pain: bool
    worst_pain: int | None  # the highest rating during the session, STOP included
    pain_before: int | None  # the pre-session rating: the baseline for the morning after


@dataclass(frozen=True)
class CheckIn:
    day: date
    pain: int  # morning pain, 0–10


class Change(StrEnum):
    START = "start"
    PROGRESS = "progress"
    HOLD = "hold"
    STEP_BACK = "step_back"


@dataclass(frozen=True)
class DoseDecision:
    dose: DoseLevel
    change: Change
    reason: str  # one sentence, shown to the patient


# ---------------------------------------------------------------------------------------
# The ladder
# ---------------------------------------------------------------------------------------
# Each rung raises exactly one parameter by one unit and never lowers another: reps from
# the minimum to the maximum, then the hold, then the sets ("reps +1 or +2, or hold +1–2 s",
# CLINICAL.md §3, taken one unit at a time). Progress is one rung up, step back one down.

_ORDER = ("reps", "hold_seconds", "sets")


def dose_ladder(ranges: DoseRanges) -> list[DoseLevel]:
    rungs = [starting_dose(ranges)]
    while (higher := _step_up(ranges, rungs[-1])) is not None:
        rungs.append(higher)
    return rungs


def starting_dose(ranges: DoseRanges) -> DoseLevel:
    # The bottom of every range: NHS inform, start gently and build up (CLINICAL.md §3).
    return DoseLevel(
        reps=ranges.reps[0],
        hold_seconds=None if ranges.hold_seconds is None else ranges.hold_seconds[0],
        sets=ranges.sets[0],
    )


def starting_decision(ranges: DoseRanges) -> DoseDecision:
    dose = starting_dose(ranges)
    return DoseDecision(
        dose=dose,
        change=Change.START,
        reason=(
            f"Starting gently at {_describe_all(dose)} — you'll build up as it feels comfortable."
        ),
    )


def clamp_dose(ranges: DoseRanges, dose: DoseLevel) -> DoseLevel:
    """The dose brought back inside the prescribed ranges (a range may have been changed)."""
    return DoseLevel(
        reps=_clamp(dose.reps, ranges.reps),
        hold_seconds=(
            None
            if ranges.hold_seconds is None
            else _clamp(
                ranges.hold_seconds[0] if dose.hold_seconds is None else dose.hold_seconds,
                ranges.hold_seconds,
            )
        ),
        sets=_clamp(dose.sets, ranges.sets),
    )


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return min(max(value, bounds[0]), bounds[1])


def _bounds(ranges: DoseRanges, name: str) -> tuple[int, int] | None:
    return getattr(ranges, name)


def _step_up(ranges: DoseRanges, dose: DoseLevel) -> DoseLevel | None:
    # Raise the first parameter, in ladder order, that is below its maximum. On the
    # ladder that is exactly the next rung. A dose a clinician set by hand between rungs
    # moves one unit the same way instead of being snapped to a rung, so it never jumps.
    for name in _ORDER:
        bounds = _bounds(ranges, name)
        if bounds is not None and getattr(dose, name) < bounds[1]:
            return _with(dose, name, getattr(dose, name) + 1)
    return None


def _step_down(ranges: DoseRanges, dose: DoseLevel) -> tuple[DoseLevel, str] | None:
    # The mirror image: lower the last parameter, in ladder order, above its minimum.
    for name in reversed(_ORDER):
        bounds = _bounds(ranges, name)
        if bounds is not None and getattr(dose, name) > bounds[0]:
            return _with(dose, name, getattr(dose, name) - 1), name
    return None


def _with(dose: DoseLevel, name: str, value: int) -> DoseLevel:
    return dataclasses.replace(dose, **{name: value})


# ---------------------------------------------------------------------------------------
# The decision after a session
# ---------------------------------------------------------------------------------------


def decide_next_dose(
    *,
    ranges: DoseRanges,
    current: DoseLevel,
    session: SessionOutcome,
    morning_after: CheckIn | None,
    last_progress_at: datetime | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> DoseDecision | None:
    """The next session's dose after ``session``, or None while it cannot be decided yet.

    None means "keep the current dose for now": progress and hold both need the next
    morning's check-in, so without it only a step back is decided. When the decision is a
    progress, the caller records ``session.ended_at`` as the new ``last_progress_at``;
    progress days are counted in calendar days of these datetimes.

    Missing pain values never lead to progress: without a pre-session rating there is no
    baseline to compare the morning with, and without a rating during the session there
    is no evidence it was comfortable. Both hold (once the morning is in) and ask for the
    missing rating next time. A too-painful session still steps back at once.
    """
    for name, pain in (
        ("worst_pain", session.worst_pain),
        ("pain_before", session.pain_before),
        ("morning pain", None if morning_after is None else morning_after.pain),
    ):
        if pain is not None and not 0 <= pain <= PAIN_MAX:
            raise ValueError(f"{name} must be a pain rating from 0 to 10, got {pain}.")
    if morning_after is not None and morning_after.day < session.ended_at.date():
        raise ValueError(
            f"The morning check-in ({morning_after.day}) is before the session "
            f"({session.ended_at.date()}); it cannot say how the session settled."
        )

    dose = clamp_dose(ranges, current)
    worst = session.worst_pain
    baseline = session.pain_before
    morning = None if morning_after is None else morning_after.pain

    # Step back: worst pain > 5, stopped for pain, or the morning above the baseline
    # (CLINICAL.md §3; pain-monitoring model, Thomeé 1997; Silbernagel et al. 2007). Pain
    # at a tightened stop level steps back too, so a session the stop rules ended never
    # holds or progresses. Decided at once: it does not wait for the morning.
    step_back_because: str | None = None
    if session.stopped_for_pain:
        step_back_because = "you stopped last session because of pain"
    elif worst is not None and (
        worst > thresholds.hold_max_pain or worst > thresholds.ceiling_base
    ):
        step_back_because = "last session was too painful"
    elif morning is not None and baseline is not None and morning > baseline:
        step_back_because = "your pain was higher the next morning"
    if step_back_because is not None:
        lower = _step_down(ranges, dose)
        if lower is None:
            return DoseDecision(
                dose=dose,
                change=Change.HOLD,
                reason=(
                    f"Staying at {_describe_all(dose)}, the gentlest level in your program — "
                    f"{step_back_because}."
                ),
            )
        lower_dose, changed = lower
        return DoseDecision(
            dose=lower_dose,
            change=Change.STEP_BACK,
            reason=f"Going back to {_describe(lower_dose, changed)} — {step_back_because}.",
        )

    if morning is None:
        return None  # progress and hold both need to know it settled by morning

    staying = f"Staying at {_describe(dose, _last_raised(ranges, dose))}"
    if baseline is None:
        return DoseDecision(
            dose=dose,
            change=Change.HOLD,
            reason=f"{staying} — rate your pain before your next session so we can build up.",
        )
    if worst is None:
        return DoseDecision(
            dose=dose,
            change=Change.HOLD,
            reason=f"{staying} — rate your pain during your next session so we can build up.",
        )
    if worst > thresholds.progress_max_pain:
        # 3–5 and settled by morning: hold (pain-monitoring model, "acceptable").
        return DoseDecision(
            dose=dose,
            change=Change.HOLD,
            reason=f"{staying} — you felt some pain last time, and it settled by morning.",
        )
    if not session.completed:
        return DoseDecision(
            dose=dose,
            change=Change.HOLD,
            reason=f"{staying} — let's finish a full session at this level first.",
        )

    # Comfortable (0–2), completed and settled: progress, at most once every
    # min_days_between_progressions days (CLINICAL.md §3).
    higher = _step_up(ranges, dose)
    if higher is None:
        return DoseDecision(
            dose=dose,
            change=Change.HOLD,
            reason=(
                f"You're at the top of your program's range — staying at {_describe_all(dose)}."
            ),
        )
    if last_progress_at is not None:
        days = (session.ended_at.date() - last_progress_at.date()).days
        if days < thresholds.min_days_between_progressions:
            return DoseDecision(
                dose=dose,
                change=Change.HOLD,
                reason=f"{staying} for now — you moved up recently, so we build up slowly.",
            )
    changed = next(name for name in _ORDER if getattr(higher, name) != getattr(dose, name))
    return DoseDecision(
        dose=higher,
        change=Change.PROGRESS,
        reason=f"You're ready for {_describe(higher, changed)} — last time was comfortable.",
    )


def _last_raised(ranges: DoseRanges, dose: DoseLevel) -> str:
    # The parameter the ladder is currently building: the one a step back would lower.
    lower = _step_down(ranges, dose)
    return "reps" if lower is None else lower[1]


def _describe(dose: DoseLevel, name: str) -> str:
    if name == "hold_seconds":
        return f"{dose.hold_seconds}-second holds"
    if name == "sets":
        return _count(dose.sets, "set")
    return _count(dose.reps, "rep")


def _describe_all(dose: DoseLevel) -> str:
    parts = [_count(dose.reps, "rep")]
    if dose.hold_seconds is not None:
        parts.append(f"{dose.hold_seconds}-second holds")
    if dose.sets > 1:
        parts.append(_count(dose.sets, "set"))
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ---------------------------------------------------------------------------------------
# Trends over weeks
# ---------------------------------------------------------------------------------------


def morning_trend_rising(
    checkins: Sequence[CheckIn],
    *,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> bool:
    """Morning pain up week over week by morning_trend_rise or more (CLINICAL.md §3).

    This week is today and the 6 days before; last week the 7 days before that. Each
    week needs at least 3 check-ins, or there is no trend to speak of. When True the
    caller holds the dose and alerts the clinician.
    """
    this_week_start = today - timedelta(days=TREND_WEEK_DAYS - 1)
    last_week_start = this_week_start - timedelta(days=TREND_WEEK_DAYS)
    this_week = [c.pain for c in checkins if this_week_start <= c.day <= today]
    last_week = [c.pain for c in checkins if last_week_start <= c.day < this_week_start]
    if min(len(this_week), len(last_week)) < TREND_MIN_CHECKINS_PER_WEEK:
        return False
    rise = Fraction(sum(this_week), len(this_week)) - Fraction(sum(last_week), len(last_week))
    return rise >= thresholds.morning_trend_rise


def no_improvement(
    checkins: Sequence[CheckIn],
    session_days: Sequence[date],
    *,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> bool:
    """No meaningful improvement after regular exercise (NHS inform; Ostelo 2008).

    True when the first session is at least no_improvement_days ago, sessions have been
    regular, and the mean of the last 3 morning check-ins is not lower than the mean of
    the first 3 by a minimal important change (2 points or 30%). Fewer than 6 check-ins
    say nothing either way, so False. A patient whose recent mornings are pain-free has
    nothing left to improve, so False too. When True the caller suggests contacting the
    clinic and tells the clinician.
    """
    past_sessions = {day for day in session_days if day <= today}
    if not past_sessions:
        return False
    if (today - min(past_sessions)).days < thresholds.no_improvement_days:
        return False
    window_start = today - timedelta(days=REGULAR_WINDOW_DAYS - 1)
    if sum(1 for day in past_sessions if day >= window_start) < REGULAR_MIN_SESSION_DAYS:
        return False
    ratings = [c.pain for c in sorted(checkins, key=lambda c: c.day) if c.day <= today]
    if len(ratings) < 2 * CHECKINS_PER_MEAN:
        return False
    first = Fraction(sum(ratings[:CHECKINS_PER_MEAN]), CHECKINS_PER_MEAN)
    last = Fraction(sum(ratings[-CHECKINS_PER_MEAN:]), CHECKINS_PER_MEAN)
    if last == 0:
        return False
    drop = first - last
    improved = drop >= MIN_IMPORTANT_CHANGE_POINTS or (
        first > 0 and drop / first >= MIN_IMPORTANT_CHANGE_SHARE
    )
    return not improved
