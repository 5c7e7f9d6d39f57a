"""Thresholds: the defaults of clinical-rules.md §2–3, tightened by a clinic, never loosened
silently."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supine.safety.thresholds import (
    DEFAULT_THRESHOLDS,
    THRESHOLD_SOURCES,
    LooserThresholdError,
    Thresholds,
    stricter_thresholds,
)

# Written out from docs/clinical-rules.md, not read from the code, so a changed default shows up.
DEFAULT_ROWS = [
    pytest.param("ceiling_base", 5, "Silbernagel", id="§2 ceiling: up to 5"),
    pytest.param("ceiling_top", 7, "Supine default", id="§2 ceiling: never above 7"),
    pytest.param("pain_rise", 3, "Childs", id="§2 a rise of ≥ 3 over the pre-session rating"),
    pytest.param("flare_pain", 8, "Supine default", id="§2 any rating ≥ 8 is a flare day"),
    pytest.param("progress_max_pain", 2, "Silbernagel", id="§3 progress: worst pain ≤ 2"),
    pytest.param("hold_max_pain", 5, "Silbernagel", id="§3 hold: worst pain 3–5"),
    pytest.param(
        "min_days_between_progressions", 2, "Supine default", id="§3 progress at most every 2 days"
    ),
    pytest.param("morning_trend_rise", 1, "weekly mean", id="§3 morning pain up +1 week on week"),
    pytest.param("no_improvement_days", 14, "NHS inform", id="§3 no improvement after 2 weeks"),
]

# One looser value per setting: which way is "looser" is the point of the test.
LOOSER_ROWS = [
    pytest.param("ceiling_base", 6, id="§2 base ceiling raised to 6"),
    pytest.param("pain_rise", 4, id="§2 allowed rise raised to 4"),
    pytest.param("flare_pain", 9, id="§2 flare level raised to 9"),
    pytest.param("progress_max_pain", 3, id="§3 progress allowed at pain 3"),
    pytest.param("hold_max_pain", 6, id="§3 hold allowed at pain 6"),
    pytest.param("min_days_between_progressions", 1, id="§3 progress every day"),
    pytest.param("morning_trend_rise", 2, id="§3 trend alert only at +2"),
    pytest.param("no_improvement_days", 21, id="§3 no improvement only after 3 weeks"),
]

TIGHTER_ROWS = [
    pytest.param({"ceiling_base": 4}, id="§2 base ceiling lowered to 4"),
    pytest.param({"ceiling_top": 6}, id="§2 top ceiling lowered to 6"),
    pytest.param({"pain_rise": 2}, id="§2 allowed rise lowered to 2"),
    pytest.param({"progress_max_pain": 1}, id="§3 progress only at pain 0–1"),
    pytest.param({"hold_max_pain": 4}, id="§3 hold only up to pain 4"),
    pytest.param({"min_days_between_progressions": 3}, id="§3 progress every 3 days"),
    pytest.param({"no_improvement_days": 10}, id="§3 no improvement after 10 days"),
]


@pytest.mark.parametrize(("name", "default", "source_mentions"), DEFAULT_ROWS)
def test_each_default_is_clinical_md_and_names_its_source(
    name: str, default: int, source_mentions: str
) -> None:
    assert getattr(DEFAULT_THRESHOLDS, name) == default
    assert "clinical-rules.md" in THRESHOLD_SOURCES[name]
    assert source_mentions in THRESHOLD_SOURCES[name]


def test_every_threshold_has_a_source() -> None:
    names = {field.name for field in dataclasses.fields(Thresholds)}
    assert set(THRESHOLD_SOURCES) == names
    assert len(DEFAULT_ROWS) == len(names)


@pytest.mark.parametrize(("name", "value"), LOOSER_ROWS)
def test_a_looser_value_is_refused_without_the_override_flag(name: str, value: int) -> None:
    with pytest.raises(LooserThresholdError) as caught:
        stricter_thresholds({name: value})
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.setting, error.default, error.value) == (
        name,
        getattr(DEFAULT_THRESHOLDS, name),
        value,
    )
    message = str(error)
    assert name in message
    assert f"default of {getattr(DEFAULT_THRESHOLDS, name)}" in message
    assert f"={value}" in message


@pytest.mark.parametrize(("name", "value"), LOOSER_ROWS)
def test_a_looser_value_is_applied_and_reported_with_the_override_flag(
    name: str, value: int
) -> None:
    thresholds, loosened = stricter_thresholds({name: value}, allow_looser=True)
    assert getattr(thresholds, name) == value
    assert loosened == [name]


@pytest.mark.parametrize("overrides", TIGHTER_ROWS)
def test_a_tighter_value_is_applied_and_not_reported(overrides: dict[str, int]) -> None:
    thresholds, loosened = stricter_thresholds(overrides)
    for name, value in overrides.items():
        assert getattr(thresholds, name) == value
    assert loosened == []


def test_a_value_equal_to_the_default_is_not_looser() -> None:
    thresholds, loosened = stricter_thresholds(dataclasses.asdict(DEFAULT_THRESHOLDS))
    assert thresholds == DEFAULT_THRESHOLDS
    assert loosened == []


def test_several_loosened_names_are_all_reported_in_field_order() -> None:
    thresholds, loosened = stricter_thresholds(
        {"no_improvement_days": 28, "ceiling_base": 6, "flare_pain": 9}, allow_looser=True
    )
    assert loosened == ["ceiling_base", "flare_pain", "no_improvement_days"]
    assert (thresholds.ceiling_base, thresholds.flare_pain) == (6, 9)


def test_an_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="stop_pian"):
        stricter_thresholds({"stop_pian": 5})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"ceiling_base": 11}, "from 1 to 10", id="pain above 10"),
        pytest.param({"progress_max_pain": -1}, "from 0 to 10", id="pain below 0"),
        pytest.param({"pain_rise": 0}, "from 1 to 10", id="a rise of 0 would end every session"),
        pytest.param({"min_days_between_progressions": 0}, "from 1 to 28", id="zero days"),
        pytest.param({"ceiling_base": True}, "whole number", id="a boolean is not a pain"),
        pytest.param({"ceiling_base": 5.5}, "whole number", id="a fraction is not a rating"),
    ],
)
def test_values_out_of_range_are_refused_even_with_the_override_flag(
    overrides: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        stricter_thresholds(overrides, allow_looser=True)
    assert not isinstance(caught.value, LooserThresholdError)


def test_an_out_of_range_looser_value_reports_the_range_not_the_looseness() -> None:
    with pytest.raises(ValueError, match="from 1 to 10") as caught:
        stricter_thresholds({"ceiling_base": 50})
    assert not isinstance(caught.value, LooserThresholdError)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"ceiling_base": 1}, "progress_max_pain", id="ceiling below progress"),
        pytest.param({"hold_max_pain": 1}, "progress_max_pain", id="hold below progress"),
        pytest.param({"ceiling_top": 4}, "ceiling_base", id="top ceiling below the base"),
        pytest.param({"flare_pain": 7}, "ceiling_top", id="flare at or below the ceiling"),
    ],
)
def test_settings_that_contradict_each_other_are_refused(
    overrides: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        stricter_thresholds(overrides)


def test_contradictions_are_fixed_by_tightening_the_related_setting_too() -> None:
    thresholds, loosened = stricter_thresholds(
        {"ceiling_base": 1, "progress_max_pain": 1, "hold_max_pain": 1}
    )
    assert (thresholds.ceiling_base, thresholds.progress_max_pain, thresholds.hold_max_pain) == (
        1,
        1,
        1,
    )
    assert loosened == []


def test_the_defaults_cannot_be_built_out_of_range_directly() -> None:
    with pytest.raises(ValueError, match="ceiling_base"):
        Thresholds(ceiling_base=0)


SETTING_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "ceiling_base": st.integers(2, 5),
        "ceiling_top": st.integers(5, 7),
        "pain_rise": st.integers(1, 10),
        "flare_pain": st.integers(8, 10),
        "progress_max_pain": st.integers(0, 2),
        "hold_max_pain": st.integers(2, 10),
        "min_days_between_progressions": st.integers(1, 28),
        "morning_trend_rise": st.integers(1, 10),
        "no_improvement_days": st.integers(7, 90),
    },
)


@given(overrides=SETTING_VALUES)
def test_looser_values_are_refused_without_the_flag_and_reported_with_it(
    overrides: dict[str, int],
) -> None:
    looser = {
        name
        for name, value in overrides.items()
        if (
            value < getattr(DEFAULT_THRESHOLDS, name)
            if name == "min_days_between_progressions"
            else value > getattr(DEFAULT_THRESHOLDS, name)
        )
    }
    if looser:
        with pytest.raises(LooserThresholdError) as caught:
            stricter_thresholds(overrides)
        assert caught.value.setting in looser
    else:
        thresholds, loosened = stricter_thresholds(overrides)
        assert loosened == []
        assert all(getattr(thresholds, name) == value for name, value in overrides.items())

    thresholds, loosened = stricter_thresholds(overrides, allow_looser=True)
    assert set(loosened) == looser
    assert all(getattr(thresholds, name) == value for name, value in overrides.items())
