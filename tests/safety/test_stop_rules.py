"""The stop rules during a session (CLINICAL.md §2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supine.safety.stop_rules import StopReason, evaluate_session
from supine.safety.thresholds import DEFAULT_THRESHOLDS, Thresholds

P = StopReason

# (pain_before, pains_during, stop_reason, stop_pain) → (end, red_flag, alert)
STOP_ROWS = [
    pytest.param(
        2, [1, 2, 2], None, None, False, False, None,
        id="§2 pain-monitoring model: 0–2 during exercise is safe → carry on",
    ),
    pytest.param(
        3, [3, 4, 5], None, None, False, False, None,
        id="§2 pain-monitoring model: 3–5 during exercise is acceptable → carry on",
    ),
    pytest.param(
        4, [5, 6], None, None, True, False, "attention",
        id="§2 pain ≥ 6 during a session → end, calm advice, attention alert",
    ),
    pytest.param(
        5, [5], P.PAIN, 6, True, False, "attention",
        id="§2 pain ≥ 6 given on STOP → end, calm advice, attention alert",
    ),
    pytest.param(
        1, [2, 4], None, None, True, False, "attention",
        id="§2 a rise of ≥ 3 over the pre-session rating → end, attention alert",
    ),
    pytest.param(
        1, [3], None, None, False, False, None,
        id="§2 a rise of 2 over the pre-session rating → carry on",
    ),
    pytest.param(
        None, [5], None, None, False, False, None,
        id="§2 no pre-session rating: the rise rule cannot apply → carry on at 5",
    ),
    pytest.param(
        1, [1], P.NUMBNESS, 1, True, False, "attention",
        id="§2 numbness or tingling as the STOP reason → end, attention alert",
    ),
    pytest.param(
        3, [4, 8], None, None, True, True, "urgent",
        id="§2 pain ≥ 8 → red flag, end, urgent alert",
    ),
    pytest.param(
        6, [6], P.PAIN, 8, True, True, "urgent",
        id="§2 pain ≥ 8 given on STOP → red flag, end, urgent alert",
    ),
    pytest.param(
        5, [7], None, None, True, False, "attention",
        id="§2 pain 7 → end, but not a red flag",
    ),
    pytest.param(
        2, [2], P.TIRED, 2, False, False, None,
        id="§2 STOP because tired → just a stop, no alert",
    ),
    pytest.param(
        2, [2], P.INTERRUPTED, None, False, False, None,
        id="§2 STOP because interrupted → just a stop, no alert",
    ),
    pytest.param(
        2, [2], P.OTHER, 2, False, False, None,
        id="§2 STOP for another reason → just a stop, no alert",
    ),
    pytest.param(
        2, [2], P.PAIN, 4, False, False, None,
        id="§2 STOP for pain below the stop rules → just a stop, no alert",
    ),
    pytest.param(
        2, [2], P.DIZZINESS, 2, True, False, None,
        id="§2 STOP because dizzy → ends for today, no alert (not an alert trigger in §2)",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("pain_before", "pains_during", "stop_reason", "stop_pain", "end", "red_flag", "alert"),
    STOP_ROWS,
)
def test_each_stop_rule(
    pain_before: int | None,
    pains_during: list[int],
    stop_reason: StopReason | None,
    stop_pain: int | None,
    end: bool,
    red_flag: bool,
    alert: str | None,
) -> None:
    verdict = evaluate_session(
        pain_before=pain_before,
        pains_during=pains_during,
        stop_reason=stop_reason,
        stop_pain=stop_pain,
    )

    assert verdict.end_session is end
    assert verdict.red_flag is red_flag
    assert verdict.alert_severity == alert
    assert bool(verdict.reasons) is end
    assert verdict.advice


def test_the_advice_after_too_much_pain_is_rest_watch_and_when_to_call() -> None:
    verdict = evaluate_session(pain_before=4, pains_during=[6], stop_reason=None, stop_pain=None)

    assert verdict.advice.startswith("Let's stop here for today.")
    assert "Rest" in verdict.advice
    assert "Contact your clinic if it hasn't eased by tomorrow" in verdict.advice
    assert "back passage or genitals" in verdict.advice
    assert "bladder or bowels" in verdict.advice
    assert verdict.reasons == (
        "Pain reached 6/10 during the session, at or above the stop level of 6.",
    )


def test_the_red_flag_advice_says_contact_the_clinic_today_and_when_to_get_urgent_help() -> None:
    verdict = evaluate_session(pain_before=2, pains_during=[9], stop_reason=None, stop_pain=None)

    assert "contact your clinic today" in verdict.advice
    assert "A&E or call 999" in verdict.advice
    assert "back passage or genitals" in verdict.advice
    assert "bladder or bowels" in verdict.advice
    assert verdict.reasons[0] == (
        "Pain reached 9/10 during the session, at or above the red-flag level of 8."
    )
    assert "Pain rose by 7 points during the session, from 2 to 9" in verdict.reasons[1]


def test_the_numbness_advice_names_numbness_and_the_reason_says_so() -> None:
    verdict = evaluate_session(
        pain_before=1, pains_during=[], stop_reason=StopReason.NUMBNESS, stop_pain=2
    )

    assert "numbness or tingling settle" in verdict.advice
    assert verdict.reasons == ("The patient stopped because of numbness or tingling.",)


def test_a_stop_reason_given_as_its_api_value_is_understood() -> None:
    verdict = evaluate_session(
        pain_before=1,
        pains_during=[],
        stop_reason="numbness",  # type: ignore[arg-type]
        stop_pain=1,
    )
    assert verdict.end_session is True


def test_a_clinics_tighter_stop_level_is_used() -> None:
    tighter = Thresholds(stop_pain=5, pain_rise=2, red_flag_pain=7)

    at_five = evaluate_session(
        pain_before=4, pains_during=[5], stop_reason=None, stop_pain=None, thresholds=tighter
    )
    rise_of_two = evaluate_session(
        pain_before=1, pains_during=[3], stop_reason=None, stop_pain=None, thresholds=tighter
    )
    at_seven = evaluate_session(
        pain_before=6, pains_during=[7], stop_reason=None, stop_pain=None, thresholds=tighter
    )

    assert (at_five.end_session, at_five.alert_severity) == (True, "attention")
    assert (rise_of_two.end_session, rise_of_two.alert_severity) == (True, "attention")
    assert (at_seven.red_flag, at_seven.alert_severity) == (True, "urgent")


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"pain_before": 11}, id="NPRS above 10"),
        pytest.param({"pains_during": [3, -1]}, id="NPRS below 0"),
        pytest.param({"stop_pain": 12}, id="STOP pain above 10"),
    ],
)
def test_a_pain_outside_the_0_to_10_scale_is_refused(kwargs: dict[str, object]) -> None:
    values: dict[str, object] = {
        "pain_before": 2,
        "pains_during": [2],
        "stop_reason": None,
        "stop_pain": None,
        **kwargs,
    }
    with pytest.raises(ValueError, match="from 0 to 10"):
        evaluate_session(**values)  # type: ignore[arg-type]


def test_stop_offers_every_reason_in_clinical_md() -> None:
    assert [str(reason) for reason in StopReason] == [
        "pain",
        "dizziness",
        "numbness",
        "tired",
        "interrupted",
        "other",
    ]
    assert StopReason.NUMBNESS.label == "Numbness or tingling"


pains = st.integers(min_value=0, max_value=10)


@given(
    pain_before=st.none() | pains,
    pains_during=st.lists(pains, max_size=8),
    stop_reason=st.none() | st.sampled_from(StopReason),
    stop_pain=st.none() | pains,
)
def test_the_verdict_follows_the_worst_pain_the_rise_and_the_reason(
    pain_before: int | None,
    pains_during: list[int],
    stop_reason: StopReason | None,
    stop_pain: int | None,
) -> None:
    verdict = evaluate_session(
        pain_before=pain_before,
        pains_during=pains_during,
        stop_reason=stop_reason,
        stop_pain=stop_pain,
    )

    reported = pains_during + ([] if stop_pain is None else [stop_pain])
    worst = max(reported, default=None)
    t = DEFAULT_THRESHOLDS
    red = worst is not None and worst >= t.red_flag_pain
    alerting = (
        red
        or (worst is not None and worst >= t.stop_pain)
        or (pain_before is not None and worst is not None and worst - pain_before >= t.pain_rise)
        or stop_reason is StopReason.NUMBNESS
    )
    assert verdict.red_flag is red
    assert verdict.alert_severity == ("urgent" if red else "attention" if alerting else None)
    assert verdict.end_session is (alerting or stop_reason is StopReason.DIZZINESS)
