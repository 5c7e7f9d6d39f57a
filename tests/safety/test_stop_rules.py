"""The stop rules during a session (clinical-rules.md §2, version 2.1): one row per rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supine.safety.limits import SessionLimits
from supine.safety.stop_rules import (
    Rating,
    RatingMoment,
    StopReason,
    StopRule,
    evaluate_session,
    session_advice,
)

M = RatingMoment
R = StopReason
# The demo patient: usual pain 2 → ceiling 5.
USUAL_2 = SessionLimits(ceiling=5, rise=3, flare_at=8, usual=2)
# Usual pain 4 → ceiling 6; usual pain 6 → ceiling 7 (never above 7).
USUAL_4 = SessionLimits(ceiling=6, rise=3, flare_at=8, usual=4)
USUAL_6 = SessionLimits(ceiling=7, rise=3, flare_at=8, usual=6)
US = session_advice("us", "+1 555 010 0100")


def before(score: int) -> Rating:
    return Rating(M.BEFORE, score)


def after_exercise(score: int, name: str = "Bridge") -> Rating:
    return Rating(M.EXERCISE, score, name)


def at_stop(score: int) -> Rating:
    return Rating(M.DURING, score)


def after(score: int) -> Rating:
    return Rating(M.AFTER, score)


# (ratings, stop reason, limits) → (ends, rule, flare, alert, words in the advice)
ROWS = [
    pytest.param([before(2), after_exercise(4)], None, USUAL_2,
                 False, None, False, None, None,
                 id="§2 within the ceiling and no big rise: carry on"),
    pytest.param([before(2), after_exercise(6)], None, USUAL_2,
                 True, StopRule.ABOVE_CEILING, False, "attention", "too painful",
                 id="§2 a rating above the ceiling (5 for usual pain 2): end, attention"),
    pytest.param([before(4), after_exercise(6)], None, USUAL_4,
                 False, None, False, None, None,
                 id="§2 usual pain 4: ceiling 6, so 6 is within it"),
    pytest.param([before(4), after_exercise(7)], None, USUAL_4,
                 True, StopRule.ABOVE_CEILING, False, "attention", "too painful",
                 id="§2 usual pain 4: 7 is above the ceiling of 6"),
    pytest.param([before(6), after_exercise(7)], None, USUAL_6,
                 False, None, False, None, None,
                 id="§2 usual pain 6: ceiling 7 (usual + 2, never above 7)"),
    pytest.param([before(1), after_exercise(4)], None, USUAL_2,
                 True, StopRule.RISE, False, "attention", "went up a lot",
                 id="§2 a rise of 3 over the pre-session rating (Supine default): end"),
    pytest.param([before(1), after_exercise(3)], None, USUAL_2,
                 False, None, False, None, None,
                 id="§2 a rise of 2 is within the NPRS error: carry on"),
    pytest.param([before(2), at_stop(3)], R.PAIN, USUAL_2,
                 True, StopRule.PAIN, False, "attention", "Stopping was the right thing",
                 id="§2 the patient stops for pain: end, attention"),
    pytest.param([before(2), at_stop(3)], R.LEG_SYMPTOMS, USUAL_2,
                 True, StopRule.LEG_SYMPTOMS, False, "attention", "let your leg settle",
                 id="§2 stops for pain, numbness or tingling down a leg: end, attention"),
    pytest.param([before(2), at_stop(3)], "numbness", USUAL_2,
                 True, StopRule.LEG_SYMPTOMS, False, "attention", "let your leg settle",
                 id="§2 a queued legacy 'numbness' STOP reads as leg symptoms"),
    pytest.param([before(2), at_stop(2)], R.SADDLE_OR_BLADDER, USUAL_2,
                 True, StopRule.SADDLE_OR_BLADDER, False, "urgent", "answer a few questions",
                 id="§2 numbness between the legs or bladder change: straight to Part B, urgent"),
    pytest.param([before(2), at_stop(2)], R.DIZZINESS, USUAL_2,
                 True, StopRule.DIZZINESS, False, None, "call 911",
                 id="§2 dizziness ends the session; alerts only twice in 7 days"),
    pytest.param([before(2), at_stop(2)], R.TIRED, USUAL_2,
                 False, None, False, None, "Good work today",
                 id="§2 tired: the patient's stop, no rule, no alert"),
    pytest.param([before(2), at_stop(2)], R.INTERRUPTED, USUAL_2,
                 False, None, False, None, "Do a new session when you are ready",
                 id="§2 interrupted: offered to carry on, not urgent-care advice"),
    pytest.param([before(8)], None, USUAL_2,
                 True, StopRule.FLARE_DAY, True, "attention", "no more exercises today",
                 id="§2 before the session 8 or more: a flare day"),
    pytest.param([before(6)], None, USUAL_2,
                 True, StopRule.BEFORE_ABOVE_CEILING, False, None, "skip the exercises today",
                 id="§2 before the session above the ceiling but below 8: no session today"),
    pytest.param([before(3), after_exercise(4), after(9)], None, USUAL_2,
                 True, StopRule.FLARE_DAY, True, "attention", "flare plan",
                 id="§2 any session rating of 8 or more, even straight after: flare day"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("ratings", "reason", "limits", "ends", "rule", "flare", "alert", "advice"), ROWS
)
def test_each_rule_of_section_2(ratings, reason, limits, ends, rule, flare, alert, advice):
    verdict = evaluate_session(ratings=ratings, stop_reason=reason, limits=limits, advice=US)
    assert verdict.end_session is ends
    assert verdict.rule == rule
    assert verdict.flare is flare
    assert verdict.alert_severity == alert
    if advice is None:
        assert verdict.advice is None
    else:
        assert advice in verdict.advice


def test_the_alert_names_each_rating_and_when_it_was_given():
    verdict = evaluate_session(
        ratings=[before(1), after_exercise(6, "Knee rolls"), at_stop(7)],
        stop_reason=R.PAIN,
        limits=USUAL_2,
    )
    text = " ".join(verdict.reasons)
    assert "6/10 after Knee rolls" in text
    assert "7/10 at STOP" in text
    assert "1/10 before the session" in text


def test_the_advice_is_in_the_regions_words():
    for region, number in (("us", "911"), ("uk", "999"), ("eu", "112")):
        advice = session_advice(region, "01234 567890")
        assert f"call {number}" in advice[StopRule.DIZZINESS]
        assert "01234 567890" in advice[StopRule.ABOVE_CEILING]
    assert "A&E" in session_advice("uk", "")[StopRule.ABOVE_CEILING]
    assert "the ER" in session_advice("us", "")[StopRule.ABOVE_CEILING]


def test_patients_are_told_the_truth_about_who_is_watching():
    # clinical-rules.md §5: an attention alert is seen at the clinic's next check, not at once.
    advice = session_advice("us", "555")
    assert "next check of Supine" in advice[StopRule.ABOVE_CEILING]
    assert "has been told" not in " ".join(advice.values())


def test_stop_offers_every_reason_of_section_2():
    assert [str(reason) for reason in StopReason] == [
        "pain", "leg_symptoms", "saddle_or_bladder", "dizziness", "tired", "interrupted", "other",
    ]  # fmt: skip
    assert StopReason.LEG_SYMPTOMS.label == "Pain, numbness or tingling going down a leg"


@pytest.mark.parametrize("score", [-1, 11])
def test_a_pain_outside_the_0_to_10_scale_is_refused(score):
    with pytest.raises(ValueError, match="from 0 to 10"):
        evaluate_session(ratings=[before(score)], stop_reason=None, limits=USUAL_2)


scores = st.integers(min_value=0, max_value=10)
moments = st.sampled_from([M.EXERCISE, M.DURING, M.AFTER])


@given(
    pre=st.none() | scores,
    later=st.lists(st.tuples(moments, scores), max_size=8),
    reason=st.none() | st.sampled_from(StopReason),
    ceiling=st.integers(5, 7),
)
def test_the_verdict_follows_the_ceiling_the_rise_the_flare_and_the_reason(
    pre, later, reason, ceiling
):
    limits = SessionLimits(ceiling=ceiling, rise=3, flare_at=8, usual=None)
    ratings = ([] if pre is None else [before(pre)]) + [Rating(m, s) for m, s in later]
    verdict = evaluate_session(ratings=ratings, stop_reason=reason, limits=limits)
    scores_later = [s for _, s in later]
    flare = any(r.score >= 8 for r in ratings)
    ends = (
        flare
        or (pre is not None and pre > ceiling)
        or any(s > ceiling for s in scores_later)
        or (pre is not None and any(s - pre >= 3 for s in scores_later))
        or reason in (R.PAIN, R.LEG_SYMPTOMS, R.SADDLE_OR_BLADDER, R.DIZZINESS)
    )
    assert verdict.flare is flare
    assert verdict.end_session is ends
    assert (verdict.alert_severity == "urgent") is (reason is R.SADDLE_OR_BLADDER)
    assert (verdict.rule is not None) is ends
