"""Usual pain and the pain ceiling (clinical-rules.md §2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supine.safety.limits import pain_ceiling, usual_pain
from supine.safety.thresholds import Thresholds


@pytest.mark.parametrize(
    ("mornings", "recorded", "usual"),
    [
        pytest.param([], 2, 2, id="no check-ins: the usual pain recorded at sign-up"),
        pytest.param([5, 5], 2, 2, id="two check-ins are not enough"),
        pytest.param([4, 5, 6], 2, 5, id="from 3 check-ins: their median"),
        pytest.param([9, 9, 9, 1, 1, 1, 2, 2, 2, 3], 0, 2, id="only the last 7 count"),
        pytest.param([3, 4, 5, 6], None, 4, id="a half-point median is rounded down"),
        pytest.param([], None, None, id="nothing known"),
    ],
)
def test_usual_pain(mornings, recorded, usual):
    assert usual_pain(mornings, recorded) == usual


@pytest.mark.parametrize(
    ("usual", "ceiling"),
    [(None, 5), (0, 5), (2, 5), (3, 5), (4, 6), (5, 7), (6, 7), (9, 7)],
)
def test_the_ceiling_is_min_7_max_5_usual_plus_2(usual, ceiling):
    assert pain_ceiling(usual) == ceiling


def test_the_ceiling_never_rises_above_what_a_clinician_confirmed_or_capped():
    assert pain_ceiling(6, confirmed=5) == 5
    assert pain_ceiling(2, confirmed=7) == 5  # it falls on its own
    assert pain_ceiling(6, cap=4) == 4


def test_a_clinics_stricter_ceiling_is_used():
    assert pain_ceiling(6, thresholds=Thresholds(ceiling_base=4, ceiling_top=6)) == 6
    assert pain_ceiling(1, thresholds=Thresholds(ceiling_base=4, ceiling_top=6)) == 4


@given(st.none() | st.integers(0, 10))
def test_the_ceiling_is_always_between_5_and_7(usual):
    assert 5 <= pain_ceiling(usual) <= 7
