"""Scoring the outcome questionnaires (clinical-rules.md §4) against their published
scoring rules and worked examples."""

from __future__ import annotations

import pytest

from supine.outcomes.questionnaires import (
    QUESTIONNAIRES,
    InvalidAnswers,
    activity_changes,
    meaningful_change,
    percent_change,
    score,
    startback_band,
)


def rmdq(ticked: set[int]) -> dict[str, bool]:
    return {f"q{n}": n in ticked for n in range(1, 25)}


def startback(agree: set[int], bothersome: int) -> dict[str, int]:
    answers: dict[str, int] = {f"q{n}": int(n in agree) for n in range(1, 9)}
    answers["q9"] = bothersome
    return answers


def test_rmdq_has_the_24_statements_and_keeps_the_copyright_line():
    q = QUESTIONNAIRES["rmdq"]
    assert len(q.items) == 24
    assert q.items[0].text == "I stay at home most of the time because of my back."
    assert q.items[23].text == "I stay in bed most of the time because of my back."
    assert "Roland" in q.copyright and "Morris" in q.copyright and "1983" in q.copyright


def test_rmdq_score_is_the_number_of_statements_ticked():
    """Roland & Morris, Spine 1983; 8: 141–144 (and Roland & Fairbank, Spine 2000; 25:
    3115–3124): the score is the number of statements ticked, 0 to 24."""
    assert score("rmdq", rmdq(set())).score == 0
    assert score("rmdq", rmdq({1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22})).score == 12
    assert score("rmdq", rmdq(set(range(1, 25)))).score == 24


def test_rmdq_worked_example_12_to_2_is_a_meaningful_improvement_of_83_percent():
    """The Roland–Morris authors' scoring notes: a patient scoring 12 at the start of
    treatment and 2 at its end has improved by 10 points, 83% (10/12 × 100)."""
    first = score("rmdq", rmdq(set(range(1, 13)))).score
    latest = score("rmdq", rmdq({3, 7})).score
    assert (first, latest) == (12, 2)
    assert percent_change("rmdq", first, latest) == 83
    assert meaningful_change("rmdq", first, latest) == "better"


def test_rmdq_meaningful_change_is_5_points_either_way():
    """Ostelo et al., Spine 2008; 33: 90–94: 5 points on the RMDQ."""
    assert meaningful_change("rmdq", 14, 10) is None  # 4 points: not meaningful
    assert meaningful_change("rmdq", 14, 9) == "better"
    assert meaningful_change("rmdq", 9, 14) == "worse"
    assert percent_change("rmdq", 9, 14) == -56


def test_psfs_score_is_the_mean_of_the_activities():
    """Stratford et al., Physiotherapy Canada 1995; 47: 258–263: each activity is rated
    0–10 and the total score is the sum of the activity scores divided by their number."""
    activities = [
        {"name": "Lifting my grandson", "score": 3},
        {"name": "Gardening", "score": 4},
        {"name": "Sitting through a film", "score": 6},
    ]
    assert score("psfs", activities).score == pytest.approx(4.33)
    five = [{"name": f"Activity {n}", "score": s} for n, s in enumerate([2, 4, 5, 7, 8])]
    assert score("psfs", {"activities": five}).score == 5.2


def test_psfs_change_is_2_on_the_mean_and_3_on_one_activity():
    """Stratford 1995 (minimal detectable change): 2 points on the mean, 3 on one
    activity; higher is better on the PSFS."""
    assert meaningful_change("psfs", 4.33, 6.33) == "better"
    assert meaningful_change("psfs", 4.33, 6.0) is None
    assert meaningful_change("psfs", 6, 4) == "worse"
    assert percent_change("psfs", 4, 6) == 50
    first = [{"name": "Gardening", "score": 2}, {"name": "Driving", "score": 5}]
    latest = [{"name": "gardening ", "score": 5}, {"name": "Driving", "score": 3}]
    assert activity_changes(first, latest) == {"gardening ": "better"}


def test_psfs_wants_3_to_5_named_activities_scored_0_to_10():
    with pytest.raises(InvalidAnswers) as refused:
        score("psfs", [{"name": "Walking", "score": 11}, {"name": "", "score": 2}])
    assert set(refused.value.problems) == {"activities", "a1.score", "a2.name"}


def test_nprs_is_the_rating_and_2_points_is_meaningful():
    """Ostelo et al., Spine 2008: 2 points (or 30%) on the 0–10 pain scale."""
    assert score("nprs", {"pain": 7}).score == 7
    assert meaningful_change("nprs", 7, 5) == "better"
    assert meaningful_change("nprs", 7, 6) is None
    assert meaningful_change("nprs", 3, 5) == "worse"
    with pytest.raises(InvalidAnswers) as refused:
        score("nprs", {"pain": 11})
    assert "pain" in refused.value.problems


@pytest.mark.parametrize(
    ("agree", "bothersome", "total", "band"),
    [
        # Hill et al., Arthritis Rheum 2008; 59: 632–641, and Keele's scoring guide:
        # total 0–3 low risk; 4+ medium; 4+ with the distress subscale (5–9) at 4+ high.
        ({1, 2, 3}, 2, 3, "low"),
        ({1, 2, 3, 4}, 0, 4, "medium"),
        ({1, 2, 5, 6, 7}, 1, 5, "medium"),  # distress 3: "moderately" scores 0
        ({1, 5, 6, 7}, 3, 5, "high"),  # distress 4: "very much" scores 1
        ({5, 6, 7, 8}, 4, 5, "high"),
        (set(range(1, 9)), 4, 9, "high"),
    ],
)
def test_startback_total_and_band(agree, bothersome, total, band):
    scored = score("startback", startback(agree, bothersome))
    assert (scored.score, scored.band) == (total, band)


def test_startback_band_rule():
    assert startback_band(3, 3) == "low"
    assert startback_band(4, 3) == "medium"
    assert startback_band(4, 4) == "high"
    assert meaningful_change("startback", 8, 1) is None


def test_missing_and_invalid_items_are_each_named():
    answers = rmdq({1, 2})
    del answers["q7"]
    answers["q3"] = 1  # RMDQ wants true or false
    answers["q99"] = True
    with pytest.raises(InvalidAnswers) as refused:
        score("rmdq", answers)
    assert set(refused.value.problems) == {"q3", "q7", "q99"}
    with pytest.raises(InvalidAnswers) as refused:
        score("startback", {**startback(set(), 0), "q9": 5, "q2": 2})
    assert set(refused.value.problems) == {"q2", "q9"}


def test_oswestry_is_never_shipped():
    assert "odi" not in QUESTIONNAIRES and "oswestry" not in QUESTIONNAIRES
    assert all("oswestry" not in q.title.lower() for q in QUESTIONNAIRES.values())
