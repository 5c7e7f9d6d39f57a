"""Dose progression: where the next session's dose goes, and the sentence that says why.

The rules are clinical-rules.md §3 (rulebook 2.1). A session's ratings are judged against
the patient's own pain ceiling, min(7, max(5, usual + 2)) (§2), and the next morning
against their usual morning pain, so that someone whose usual pain is 4 can progress and
someone whose usual pain is 6 is not stepped back every session. Decisions are taken when
the facts arrive — a session ends, the next morning's check-in lands — never while a page
is read. The prescribed ranges are the clinician's; the dose never leaves them. Plain
values in, plain values out: no Django.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from supine.safety.thresholds import DEFAULT_THRESHOLDS, PAIN_MAX, Thresholds
from supine.vocabulary import DoseChangeKind as Change

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
    """One session, as it concerns one exercise of it."""

    ended_at: datetime
    completed: bool  # every planned rep and hold of this exercise was done
    ended_early: bool  # the session was stopped, by the patient or a rule
    # The patient stopped for pain or leg symptoms, or a rule ended the session for pain.
    stopped_for_pain: bool
    ceiling: int  # the pain ceiling in force for the session (§2)
    # Every session rating that concerns this exercise: before, after it ("How was
    # that?"), at STOP and straight after the session.
    ratings: tuple[int, ...]
    # This exercise is the one rated above the ceiling or playing at STOP — or nothing
    # says which, and so every exercise is.
    blamed: bool
    feeling: str | None = None  # "too_easy" | "about_right" | "too_hard"
    pain_before: int | None = None

    @property
    def above_ceiling(self) -> bool:
        return any(rating > self.ceiling for rating in self.ratings)


@dataclass(frozen=True)
class CheckIn:
    day: date
    pain: int  # morning pain, 0–10


class Trend(StrEnum):
    """Weekly mean morning pain (§3, Trend)."""

    STEADY = "steady"
    RISING = "rising"  # 1 or more above the week before: no progress this week
    # 2 or more above the first week, or higher in each of 2 weeks running: hold, alert,
    # and Part B's short form.
    WORSENING = "worsening"


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
# clinical-rules.md §3, taken one unit at a time). Progress is one rung up, step back one down.

_ORDER = ("reps", "hold_seconds", "sets")


def dose_ladder(ranges: DoseRanges) -> list[DoseLevel]:
    rungs = [starting_dose(ranges)]
    while (higher := _step_up(ranges, rungs[-1])) is not None:
        rungs.append(higher)
    return rungs


def starting_dose(ranges: DoseRanges) -> DoseLevel:
    # The bottom of every range: NHS inform, start gently and build up (clinical-rules.md §3).
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


# Progress waits at least this many days after the last progress; after "too easy", less.
MIN_DAYS_AFTER_TOO_EASY = 1
# The next morning within this of usual morning pain allows progress; this + 1 steps back
# (a rise of 2 is beyond the NPRS error, Childs et al. 2005).
MORNING_ALLOWANCE = 1


def decide_next_dose(
    *,
    ranges: DoseRanges,
    current: DoseLevel,
    session: SessionOutcome,
    morning_after: CheckIn | None,
    usual_morning: int | None,
    last_progress_at: datetime | None,
    morning_missed: bool = False,
    trend: Trend = Trend.STEADY,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> DoseDecision | None:
    """The next session's dose after ``session``, or None while it cannot be decided yet.

    Step back, at once: the patient stopped for pain, or a rating above the ceiling — for
    the exercise rated above it or playing at STOP, or for all when nothing says which —
    or the next morning 2 or more above usual morning pain. At the bottom of the range a
    step back pauses the exercise instead.

    Everything else waits for the next morning's check-in (None until then). Without it
    (``morning_missed``: the morning passed) the dose holds: never progress without it.
    Hold after "too hard", a session ended early for a reason other than pain, a rating
    above the ceiling, a morning above usual + 1, or a week whose morning pain is rising.
    Progress one step (reps first, then the hold, then sets), at most every 2 days — 1
    day after "too easy" — when the session was completed within the ceiling.
    """
    _check_inputs(session, morning_after, usual_morning)
    dose = clamp_dose(ranges, current)
    morning = None if morning_after is None else morning_after.pain
    # The morning is compared with usual morning pain, or without one, the pre-session
    # rating.
    usual = usual_morning if usual_morning is not None else session.pain_before

    step_back_because = _step_back_because(session, morning, usual)
    if step_back_because is not None:
        return _step_back(ranges, dose, step_back_because)

    staying = f"Staying at {_describe(dose, _last_raised(ranges, dose))}"
    if morning is None:
        if not morning_missed:
            return None  # progress and hold both wait to hear how it settled by morning
        return DoseDecision(
            dose=dose,
            change=Change.HOLD,
            reason=f"{staying} — tell us your morning pain so we can build up.",
        )
    hold_because = _hold_because(session, morning, usual, trend)
    if hold_because is not None:
        return DoseDecision(dose=dose, change=Change.HOLD, reason=f"{staying} — {hold_because}.")
    return _progress(ranges, dose, session, last_progress_at, thresholds, staying)


def _check_inputs(
    session: SessionOutcome, morning_after: CheckIn | None, usual_morning: int | None
) -> None:
    for name, pain in (
        ("ratings", max(session.ratings, default=None)),
        ("morning pain", None if morning_after is None else morning_after.pain),
        ("usual_morning", usual_morning),
    ):
        if pain is not None and not 0 <= pain <= PAIN_MAX:
            raise ValueError(f"{name} must be a pain rating from 0 to 10, got {pain}.")
    if morning_after is not None and morning_after.day < session.ended_at.date():
        raise ValueError(
            f"The morning check-in ({morning_after.day}) is before the session "
            f"({session.ended_at.date()}); it cannot say how the session settled."
        )


def _step_back_because(
    session: SessionOutcome, morning: int | None, usual: int | None
) -> str | None:
    """Why the dose steps back at once, or None."""
    if session.blamed and session.stopped_for_pain:
        return "you stopped last session because of pain"
    if session.blamed and session.above_ceiling:
        return "last session was more painful than it should be"
    if morning is not None and usual is not None and morning >= usual + MORNING_ALLOWANCE + 1:
        return "your pain was higher the next morning"
    return None


def _step_back(ranges: DoseRanges, dose: DoseLevel, because: str) -> DoseDecision:
    """One rung down; at the bottom of the range, a pause (the clinic is told)."""
    lower = _step_down(ranges, dose)
    if lower is None:
        return DoseDecision(
            dose=dose,
            change=Change.PAUSE,
            reason=(
                f"Let's pause this exercise for now — {because}, and it is "
                "already at its gentlest; your clinic will look at your program."
            ),
        )
    lower_dose, changed = lower
    return DoseDecision(
        dose=lower_dose,
        change=Change.STEP_BACK,
        reason=f"Going back to {_describe(lower_dose, changed)} — {because}.",
    )


def _hold_because(
    session: SessionOutcome, morning: int, usual: int | None, trend: Trend
) -> str | None:
    """Why the dose holds once the morning is known, or None to consider progress."""
    if session.feeling == "too_hard":
        return "you said last time was too hard"
    if session.ended_early:
        return "let's finish a full session at this level first"
    if not session.completed:
        return "let's finish every rep of it at this level first"
    if not session.ratings:
        return "rate your pain before your next session so we can build up"
    if session.above_ceiling:
        return "it was sore last time, though it settled by morning"
    if usual is not None and morning > usual + MORNING_ALLOWANCE:
        return "your back was a little sorer the next morning"
    if trend is not Trend.STEADY:
        return "your morning pain has crept up this week"
    return None


def _progress(
    ranges: DoseRanges,
    dose: DoseLevel,
    session: SessionOutcome,
    last_progress_at: datetime | None,
    thresholds: Thresholds,
    staying: str,
) -> DoseDecision:
    """One rung up, unless at the top of the range or moved up too recently."""
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
        wait = (
            MIN_DAYS_AFTER_TOO_EASY
            if session.feeling == "too_easy"
            else thresholds.min_days_between_progressions
        )
        if days < wait:
            return DoseDecision(
                dose=dose,
                change=Change.HOLD,
                reason=f"{staying} for now — you moved up recently, so we build up slowly.",
            )
    changed = next(name for name in _ORDER if getattr(higher, name) != getattr(dose, name))
    because = (
        "you said it was too easy"
        if session.feeling == "too_easy"
        else ("last time was comfortable")
    )
    return DoseDecision(
        dose=higher,
        change=Change.PROGRESS,
        reason=f"You're ready for {_describe(higher, changed)} — {because}.",
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


def _week_mean(checkins: Sequence[CheckIn], first: date, last: date) -> Fraction | None:
    pains = [c.pain for c in checkins if first <= c.day <= last]
    if len(pains) < TREND_MIN_CHECKINS_PER_WEEK:
        return None
    return Fraction(sum(pains), len(pains))


def morning_trend(
    checkins: Sequence[CheckIn],
    *,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Trend:
    """Weekly mean morning pain (§3, Trend): steady, rising, or worsening.

    This week is today and the 6 days before; the weeks before it, the 7 days before each.
    The first week is the 7 days from the first check-in. Each week needs 3 check-ins, or
    it says nothing. Rising: 1 or more above the week before (morning_trend_rise).
    Worsening: 2 or more above the first week, or higher in each of 2 weeks running.
    """
    week = timedelta(days=TREND_WEEK_DAYS)
    this_start = today - timedelta(days=TREND_WEEK_DAYS - 1)
    this = _week_mean(checkins, this_start, today)
    if this is None:
        return Trend.STEADY
    before = _week_mean(checkins, this_start - week, this_start - timedelta(days=1))
    two_before = _week_mean(checkins, this_start - 2 * week, this_start - week - timedelta(days=1))
    first_day = min((c.day for c in checkins), default=today)
    first = (
        _week_mean(checkins, first_day, first_day + timedelta(days=TREND_WEEK_DAYS - 1))
        if first_day + week <= this_start
        else None
    )
    rise = thresholds.morning_trend_rise
    if (first is not None and this - first >= 2 * rise) or (
        before is not None and two_before is not None and this > before > two_before
    ):
        return Trend.WORSENING
    if before is not None and this - before >= rise:
        return Trend.RISING
    return Trend.STEADY


def morning_trend_rising(
    checkins: Sequence[CheckIn],
    *,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> bool:
    """Morning pain up week over week, or worsening: no progress this week."""
    return morning_trend(checkins, today=today, thresholds=thresholds) is not Trend.STEADY


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
