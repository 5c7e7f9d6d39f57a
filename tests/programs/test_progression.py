"""Dose progression: up, hold or back, inside the prescribed ranges (clinical-rules.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supine.programs.progression import (
    Change,
    CheckIn,
    DoseDecision,
    DoseLevel,
    DoseRanges,
    SessionOutcome,
    Trend,
    clamp_dose,
    decide_next_dose,
    dose_ladder,
    morning_trend,
    morning_trend_rising,
    no_improvement,
    starting_decision,
    starting_dose,
)
from supine.safety.thresholds import DEFAULT_THRESHOLDS, Thresholds

# The seed's bridge: hold 5–10 s, repeat 5–10 times, one set.
BRIDGE = DoseRanges(reps=(5, 10), hold_seconds=(5, 10), sets=(1, 1))
SESSION_AT = datetime(2025, 3, 3, 18, 0, tzinfo=UTC)
NEXT_MORNING = date(2025, 3, 4)


def dose(reps: int, hold: int | None = 5, sets: int = 1) -> DoseLevel:
    return DoseLevel(reps=reps, hold_seconds=hold, sets=sets)


def session(
    worst: int | None,
    before: int | None = 2,
    *,
    completed: bool = True,
    stopped_for_pain: bool = False,
    ended_early: bool = False,
    ceiling: int = 5,
    blamed: bool = True,
    feeling: str | None = None,
    at: datetime = SESSION_AT,
) -> SessionOutcome:
    ratings = tuple(r for r in (before, worst) if r is not None)
    return SessionOutcome(
        ended_at=at,
        completed=completed,
        ended_early=ended_early or stopped_for_pain,
        stopped_for_pain=stopped_for_pain,
        ceiling=ceiling,
        ratings=ratings,
        blamed=blamed,
        feeling=feeling,
        pain_before=before,
    )


def decide(
    current: DoseLevel,
    outcome: SessionOutcome,
    morning: int | None,
    last_progress_at: datetime | None = None,
    ranges: DoseRanges = BRIDGE,
    usual: int | None = 2,
    trend: Trend = Trend.STEADY,
    missed: bool = False,
) -> DoseDecision | None:
    return decide_next_dose(
        ranges=ranges,
        current=current,
        session=outcome,
        morning_after=None if morning is None else CheckIn(day=NEXT_MORNING, pain=morning),
        usual_morning=usual,
        last_progress_at=last_progress_at,
        morning_missed=missed,
        trend=trend,
    )


def rung(ranges: DoseRanges, level: DoseLevel) -> int:
    return dose_ladder(ranges).index(level)


# (current, session, morning pain, last progress) → (dose, change, sentence for the patient)
# (usual morning pain, the session, next morning, last progress) → (dose, change, reason).
# Usual pain 0, 4 and 6 each with their own ceiling: min(7, max(5, usual + 2)).
P, H, B, X = Change.PROGRESS, Change.HOLD, Change.STEP_BACK, Change.PAUSE
DECISION_ROWS = [
    pytest.param(0, session(worst=2, before=0), 0, None, dose(7), P,
                 "You're ready for 7 reps — last time was comfortable.",
                 id="§3 usual pain 0: completed within the ceiling, morning as usual → progress"),
    pytest.param(0, session(worst=2, before=0), 1, None, dose(7), P,
                 "You're ready for 7 reps — last time was comfortable.",
                 id="§3 usual 0: a morning 1 above usual still progresses"),
    pytest.param(0, session(worst=2, before=0), 2, None, dose(5), B,
                 "Going back to 5 reps — your pain was higher the next morning.",
                 id="§3 usual 0: a morning 2 above usual steps back"),
    pytest.param(4, session(worst=6, before=4, ceiling=6), 4, None, dose(7), P,
                 "You're ready for 7 reps — last time was comfortable.",
                 id="§3 usual pain 4: ceiling 6, so 6 during is within it → progress"),
    pytest.param(4, session(worst=5, before=4, ceiling=6), 5, None, dose(7), P,
                 "You're ready for 7 reps — last time was comfortable.",
                 id="§3 usual 4: morning 5 is within usual + 1 → progress"),
    pytest.param(4, session(worst=7, before=4, ceiling=6), None, None, dose(5), B,
                 "Going back to 5 reps — last session was more painful than it should be.",
                 id="§3 usual 4: 7 is above the ceiling of 6 → step back at once"),
    pytest.param(6, session(worst=7, before=6, ceiling=7), 6, None, dose(7), P,
                 "You're ready for 7 reps — last time was comfortable.",
                 id="§3 usual pain 6: ceiling 7, a session at 7 is not stepped back"),
    pytest.param(6, session(worst=6, before=6, ceiling=7), 8, None, dose(5), B,
                 "Going back to 5 reps — your pain was higher the next morning.",
                 id="§3 usual 6: morning 8 (usual + 2) steps back"),
    pytest.param(2, session(worst=3, stopped_for_pain=True), None, None, dose(5), B,
                 "Going back to 5 reps — you stopped last session because of pain.",
                 id="§3 stopped for pain → step back at once"),
    pytest.param(2, session(worst=6, blamed=False), 2, None, dose(6), H,
                 "Staying at 6 reps — it was sore last time, though it settled by morning.",
                 id="§3 another exercise was rated above the ceiling → hold this one"),
    pytest.param(2, session(worst=2), None, None, None, None, None,
                 id="§3 progress and hold wait for the next morning's check-in"),
    pytest.param(2, session(worst=2), "missed", None, dose(6), H,
                 "Staying at 6 reps — tell us your morning pain so we can build up.",
                 id="§3 no morning check-in → hold: never progress without it"),
    pytest.param(2, session(worst=2, feeling="too_hard"), 2, None, dose(6), H,
                 "Staying at 6 reps — you said last time was too hard.",
                 id="§3 'too hard' → hold"),
    pytest.param(2, session(worst=2, ended_early=True), 2, None, dose(6), H,
                 "Staying at 6 reps — let's finish a full session at this level first.",
                 id="§3 ended early for a reason other than pain → hold"),
    pytest.param(2, session(worst=2), 2, SESSION_AT - timedelta(days=1), dose(6), H,
                 "Staying at 6 reps for now — you moved up recently, so we build up slowly.",
                 id="§3 at most every 2 days"),
    pytest.param(2, session(worst=2, feeling="too_easy"), 2, SESSION_AT - timedelta(days=1),
                 dose(7), P, "You're ready for 7 reps — you said it was too easy.",
                 id="§3 after 'too easy', 1 day is enough"),
    pytest.param(2, session(worst=2), 2, "rising", dose(6), H,
                 "Staying at 6 reps — your morning pain has crept up this week.",
                 id="§3 trend: weekly morning pain up 1 → no progress this week"),
    pytest.param(2, session(worst=2, before=None), 2, None, dose(7), P,
                 "You're ready for 7 reps — last time was comfortable.",
                 id="§3 a rating during is enough without one before"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("usual", "outcome", "morning", "last", "expected", "change", "reason"), DECISION_ROWS
)
def test_each_progression_rule(usual, outcome, morning, last, expected, change, reason) -> None:
    decision = decide(
        dose(6),
        outcome,
        None if morning == "missed" else morning,
        last_progress_at=None if last == "rising" else last,
        usual=usual,
        trend=Trend.RISING if last == "rising" else Trend.STEADY,
        missed=morning == "missed",
    )
    if expected is None:
        assert decision is None
    else:
        assert decision == DoseDecision(dose=expected, change=change, reason=reason)


def test_a_step_back_at_the_bottom_of_the_range_pauses_the_exercise() -> None:
    decision = decide(dose(5), session(worst=7), None)
    assert decision is not None and decision.change is Change.PAUSE
    assert decision.dose == dose(5)
    assert "pause this exercise" in decision.reason


def test_the_usual_morning_falls_back_to_the_pre_session_rating() -> None:
    decision = decide(dose(6), session(worst=2, before=1), 3, usual=None)
    assert decision is not None and decision.change is Change.STEP_BACK


def test_a_clinics_slower_pace_is_used() -> None:
    decision = decide_next_dose(
        ranges=BRIDGE,
        current=dose(7),
        session=session(worst=0),
        morning_after=CheckIn(day=NEXT_MORNING, pain=2),
        usual_morning=2,
        last_progress_at=SESSION_AT - timedelta(days=2),
        thresholds=Thresholds(min_days_between_progressions=3),
    )
    assert decision is not None and decision.change is Change.HOLD


def test_a_morning_check_in_before_the_session_is_refused() -> None:
    with pytest.raises(ValueError, match="before the session"):
        decide_next_dose(
            ranges=BRIDGE,
            current=dose(6),
            session=session(worst=1),
            morning_after=CheckIn(day=SESSION_AT.date() - timedelta(days=1), pain=1),
            usual_morning=2,
            last_progress_at=None,
        )


def test_a_pain_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="from 0 to 10"):
        decide(dose(6), session(worst=11), 1)


def test_start_at_the_bottom_of_every_range() -> None:
    # §3 "Start at the bottom of the range (NHS inform: start gently, build up)."
    ranges = DoseRanges(reps=(8, 10), hold_seconds=(20, 30), sets=(2, 3))

    assert starting_dose(ranges) == DoseLevel(reps=8, hold_seconds=20, sets=2)
    assert starting_decision(ranges) == DoseDecision(
        dose=DoseLevel(reps=8, hold_seconds=20, sets=2),
        change=Change.START,
        reason=(
            "Starting gently at 8 reps, 20-second holds and 2 sets — "
            "you'll build up as it feels comfortable."
        ),
    )


def test_the_ladder_raises_reps_then_hold_then_sets_one_unit_at_a_time() -> None:
    ranges = DoseRanges(reps=(5, 7), hold_seconds=(5, 6), sets=(1, 2))

    assert dose_ladder(ranges) == [
        dose(5, 5, 1),
        dose(6, 5, 1),
        dose(7, 5, 1),
        dose(7, 6, 1),
        dose(7, 6, 2),
    ]


def test_the_ladder_of_an_exercise_without_a_hold_only_moves_reps_and_sets() -> None:
    ranges = DoseRanges(reps=(5, 6), hold_seconds=None, sets=(1, 2))

    assert dose_ladder(ranges) == [dose(5, None), dose(6, None), dose(6, None, 2)]


def test_a_range_with_its_minimum_above_its_maximum_is_refused() -> None:
    with pytest.raises(ValueError, match="reps range"):
        DoseRanges(reps=(10, 5), hold_seconds=None, sets=(1, 1))


def test_clamping_brings_every_parameter_inside_its_range() -> None:
    assert clamp_dose(BRIDGE, dose(2, hold=30, sets=4)) == dose(5, hold=10, sets=1)
    assert clamp_dose(BRIDGE, dose(7, hold=None)) == dose(7, hold=5)
    no_hold = DoseRanges(reps=(5, 10), hold_seconds=None, sets=(1, 1))
    assert clamp_dose(no_hold, dose(7, hold=5)) == dose(7, hold=None)


# ---------------------------------------------------------------------------------------
# Trends: morning pain week over week, and no improvement after two weeks
# ---------------------------------------------------------------------------------------

TODAY = date(2025, 3, 31)


def checkins_on(days_ago_to_pain: dict[int, int]) -> list[CheckIn]:
    return [
        CheckIn(day=TODAY - timedelta(days=ago), pain=pain)
        for ago, pain in days_ago_to_pain.items()
    ]


TREND_ROWS = [
    pytest.param({13: 2, 11: 2, 8: 2, 6: 3, 3: 3, 0: 3}, Trend.RISING,
                 id="§3 weekly mean morning pain up 1 on the week before → no progress"),
    pytest.param({13: 2, 11: 2, 8: 2, 6: 3, 3: 3, 0: 2}, Trend.STEADY,
                 id="§3 up by less than 1 on the weekly means → steady"),
    pytest.param({13: 5, 11: 4, 8: 3, 6: 2, 3: 2, 0: 2}, Trend.STEADY,
                 id="§3 falling week over week → steady"),
    pytest.param({13: 1, 8: 1, 6: 5, 3: 5, 0: 5}, Trend.STEADY,
                 id="§3 fewer than 3 check-ins last week → no trend to speak of"),
    pytest.param({20: 0, 19: 0, 18: 0, 6: 3, 3: 3, 0: 3, 1: 3}, Trend.WORSENING,
                 id="§3 2 or more above the first week → hold, alert, short form"),
    pytest.param({20: 1, 18: 1, 15: 1, 13: 2, 10: 2, 8: 2, 6: 2, 3: 2, 0: 3}, Trend.WORSENING,
                 id="§3 higher in each of 2 weeks running → worsening"),
    pytest.param({27: 2, 25: 2, 23: 2, 6: 3, 3: 3, 0: 3}, Trend.STEADY,
                 id="§3 only 1 above the first week, and no week before to compare → steady"),
]  # fmt: skip


@pytest.mark.parametrize(("pains", "trend"), TREND_ROWS)
def test_the_morning_trend(pains: dict[int, int], trend: Trend) -> None:
    found = morning_trend(checkins_on(pains), today=TODAY, thresholds=DEFAULT_THRESHOLDS)
    assert found is trend
    assert morning_trend_rising(checkins_on(pains), today=TODAY) is (trend is not Trend.STEADY)


def daily_sessions(days: int) -> list[date]:
    return [TODAY - timedelta(days=ago) for ago in range(days)]


def every_other_day(days: int) -> list[date]:
    return [TODAY - timedelta(days=ago) for ago in range(0, days, 2)]


NO_IMPROVEMENT_ROWS = [
    pytest.param(
        {14: 5, 13: 5, 12: 5, 2: 4, 1: 4, 0: 4},
        daily_sessions(15),
        True,
        id="§3 no improvement after 2 weeks of regular exercise → suggest contacting the clinic",
    ),
    pytest.param(
        {14: 8, 13: 8, 12: 8, 2: 6, 1: 6, 0: 6},
        daily_sessions(15),
        False,
        id="§3 no improvement: a drop of 2 points (25%) is improvement (§4, Ostelo 2008)",
    ),
    pytest.param(
        {14: 4, 13: 3, 12: 3, 2: 3, 1: 2, 0: 2},
        daily_sessions(15),
        False,
        id="§3 no improvement: a drop of exactly 30% is improvement (§4, Ostelo 2008)",
    ),
    pytest.param(
        {14: 9, 13: 9, 12: 8, 2: 7, 1: 7, 0: 7},
        daily_sessions(15),
        True,
        id="§3 no improvement: a drop under 2 points and under 30% → suggest the clinic",
    ),
    pytest.param(
        {14: 3, 13: 3, 12: 3, 2: 2, 1: 2, 0: 2},
        daily_sessions(15),
        False,
        id="§3 no improvement: a drop of 30% under 2 points is improvement (§4, Ostelo 2008)",
    ),
    pytest.param(
        {14: 5, 13: 5, 12: 5, 2: 4, 1: 4, 0: 4},
        daily_sessions(13),
        False,
        id="§3 under 2 weeks since the first session → too early to say",
    ),
    pytest.param(
        {14: 5, 13: 5, 12: 5, 2: 4, 1: 4, 0: 4},
        every_other_day(15),
        False,
        id="§3 sessions on only 7 of the last 14 days are not regular exercise",
    ),
    pytest.param(
        {14: 5, 13: 5, 12: 5, 2: 4, 1: 4, 0: 4},
        [TODAY - timedelta(days=20), *daily_sessions(8)],
        True,
        id="§3 sessions on 8 of the last 14 days are regular exercise",
    ),
    pytest.param(
        {14: 5, 13: 5, 2: 4, 1: 4, 0: 4},
        daily_sessions(15),
        False,
        id="§3 fewer than 6 morning check-ins → not enough to say",
    ),
    pytest.param(
        {14: 0, 13: 0, 12: 0, 2: 0, 1: 0, 0: 0},
        daily_sessions(15),
        False,
        id="§3 pain-free mornings → nothing left to improve",
    ),
]


@pytest.mark.parametrize(("pains", "session_days", "expected"), NO_IMPROVEMENT_ROWS)
def test_no_improvement(pains: dict[int, int], session_days: list[date], expected: bool) -> None:
    assert no_improvement(checkins_on(pains), session_days, today=TODAY) is expected


# ---------------------------------------------------------------------------------------
# Properties: any run of sessions and check-ins
# ---------------------------------------------------------------------------------------


@st.composite
def dose_ranges(draw: st.DrawFn) -> DoseRanges:
    def bounds(lowest: int, highest: int, span: int) -> tuple[int, int]:
        low = draw(st.integers(lowest, highest))
        return low, low + draw(st.integers(0, span))

    return DoseRanges(
        reps=bounds(1, 15, 6),
        hold_seconds=bounds(1, 30, 6) if draw(st.booleans()) else None,
        sets=bounds(1, 3, 2),
    )


pains = st.integers(0, 10)


@dataclass(frozen=True)
class Event:
    days_later: int
    completed: bool
    stopped_for_pain: bool
    worst: int | None
    before: int | None
    morning: int | None


events_strategy = st.builds(
    Event,
    days_later=st.integers(0, 3),
    completed=st.booleans(),
    stopped_for_pain=st.booleans(),
    worst=st.none() | pains,
    before=st.none() | pains,
    morning=st.none() | pains,
)


@given(ranges=dose_ranges(), data=st.data(), events=st.lists(events_strategy, max_size=40))
def test_the_dose_stays_in_range_moves_one_rung_and_progresses_at_most_every_two_days(
    ranges: DoseRanges, data: st.DataObject, events: list[Event]
) -> None:
    ladder = dose_ladder(ranges)
    current = data.draw(st.sampled_from(ladder))
    at = SESSION_AT
    last_progress_at: datetime | None = None

    for event in events:
        at += timedelta(days=event.days_later, hours=1)
        next_morning = at.date() + timedelta(days=1)
        decision = decide_next_dose(
            ranges=ranges,
            current=current,
            session=session(
                worst=event.worst,
                before=event.before,
                completed=event.completed,
                stopped_for_pain=event.stopped_for_pain,
                at=at,
            ),
            morning_after=None if event.morning is None else CheckIn(next_morning, event.morning),
            usual_morning=2,
            last_progress_at=last_progress_at,
        )
        if decision is None:
            continue

        new = decision.dose
        assert ranges.reps[0] <= new.reps <= ranges.reps[1]
        assert ranges.sets[0] <= new.sets <= ranges.sets[1]
        if ranges.hold_seconds is None:
            assert new.hold_seconds is None
        else:
            assert new.hold_seconds is not None
            assert ranges.hold_seconds[0] <= new.hold_seconds <= ranges.hold_seconds[1]
        moved = rung(ranges, new) - rung(ranges, current)
        expected_move = {Change.PROGRESS: 1, Change.HOLD: 0, Change.STEP_BACK: -1, Change.PAUSE: 0}
        assert moved == expected_move[decision.change]
        assert decision.reason.count(". ") == 0 and decision.reason.endswith(".")
        if decision.change is Change.PROGRESS:
            if last_progress_at is not None:
                days = (at.date() - last_progress_at.date()).days
                assert days >= DEFAULT_THRESHOLDS.min_days_between_progressions
            last_progress_at = at
        current = new


@given(
    ranges=dose_ranges(),
    current=st.builds(
        DoseLevel,
        reps=st.integers(1, 30),
        hold_seconds=st.none() | st.integers(1, 40),
        sets=st.integers(1, 5),
    ),
    worst=st.none() | pains,
    before=st.none() | pains,
    morning=st.none() | pains,
    stopped_for_pain=st.booleans(),
)
def test_any_current_dose_is_clamped_and_then_moves_by_at_most_one_unit(
    ranges: DoseRanges,
    current: DoseLevel,
    worst: int | None,
    before: int | None,
    morning: int | None,
    stopped_for_pain: bool,
) -> None:
    decision = decide(
        current,
        session(worst=worst, before=before, stopped_for_pain=stopped_for_pain),
        morning,
        ranges=ranges,
    )
    if decision is None:
        return
    clamped = clamp_dose(ranges, current)
    assert clamp_dose(ranges, decision.dose) == decision.dose
    steps = [
        abs(decision.dose.reps - clamped.reps),
        abs((decision.dose.hold_seconds or 0) - (clamped.hold_seconds or 0)),
        abs(decision.dose.sets - clamped.sets),
    ]
    assert sum(steps) <= 1
