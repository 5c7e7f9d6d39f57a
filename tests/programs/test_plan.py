"""The session plan: the timeline every player, the handout and the tests share."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supine.programs.plan import (
    CHANGE_POSITION_MS,
    CUE_MS,
    DONE_MS,
    FLOWING_MOVE_MS,
    FLOWING_RELEASE_MS,
    GET_DOWN_MS,
    MOVE_MS,
    RELEASE_MS,
    REST_BETWEEN_SETS_MS,
    SETUP_MS,
    SWITCH_SIDE_MS,
    Dose,
    PlannedExercise,
    Step,
    build_timeline,
    timeline_dicts,
    total_ms,
)

# Written out, not taken from the enum, so a kind added or renamed by mistake shows up.
ALLOWED_KINDS = {"setup", "cue", "move", "hold", "release", "rest", "switch_side", "done"}
DICT_KEYS = {"kind", "exercise", "set", "rep", "side", "text", "cue", "duration_ms", "self_paced"}


def exercise(slug: str = "bridge", position: str | None = None, **dose: object) -> PlannedExercise:
    return PlannedExercise(
        position=position,
        slug=slug,
        name=slug.replace("-", " ").title(),
        starting_position="Lie on your back, knees bent, feet flat.",
        move_cue="Breathe out, squeeze your buttocks and lift.",
        hold_cue="Hold, and keep breathing.",
        release_cue="Slowly lower down.",
        dose=Dose(**dose),  # type: ignore[arg-type]
    )


def bridge(reps: int = 5, hold_seconds: int | None = 5, **dose: object) -> PlannedExercise:
    return exercise("bridge", reps=reps, hold_seconds=hold_seconds, **dose)


doses = st.builds(
    lambda reps, hold_seconds, sets, sidedness: Dose(
        reps=reps,
        hold_seconds=hold_seconds,
        sets=sets,
        per_side=sidedness == "per_side",
        alternate_sides=sidedness == "alternate",
    ),
    reps=st.integers(min_value=1, max_value=12),
    hold_seconds=st.none() | st.integers(min_value=1, max_value=30),
    sets=st.integers(min_value=1, max_value=4),
    sidedness=st.sampled_from(["none", "per_side", "alternate"]),
)
positions = st.none() | st.sampled_from(["back", "side", "all_fours", "front", "standing"])
sessions = st.lists(st.tuples(doses, positions), max_size=4).map(
    lambda ds: [
        PlannedExercise(
            slug=f"exercise-{i}",
            name=f"Exercise {i}",
            starting_position="Lie on your back.",
            move_cue="Move.",
            hold_cue="Hold.",
            release_cue="Release.",
            dose=d,
            position=p,
        )
        for i, (d, p) in enumerate(ds)
    ]
)


def steps_of(steps: Sequence[Step], slug: str) -> list[Step]:
    return [s for s in steps if s.exercise == slug]


def reps_done(dose: Dose) -> int:
    return dose.reps * dose.sets * (2 if dose.per_side else 1)


def sides_of(steps: Sequence[Step], kind: str) -> list[str | None]:
    return [s.side for s in steps if s.kind == kind]


def alternating(n: int) -> list[str]:
    return ["left" if i % 2 == 0 else "right" for i in range(n)]


def one_side_then_the_other(n: int) -> list[str]:
    return ["left"] * (n // 2) + ["right"] * (n // 2)


# Properties over any valid session.


@given(sessions)
def test_every_exercise_holds_once_per_rep_per_side(session: list[PlannedExercise]) -> None:
    steps = build_timeline(session)
    for ex in session:
        holds = [s for s in steps_of(steps, ex.slug) if s.kind == "hold"]
        expected = 0 if ex.dose.hold_seconds is None else reps_done(ex.dose)
        assert len(holds) == expected


@given(sessions)
def test_every_rep_on_every_side_ends_with_one_release(session: list[PlannedExercise]) -> None:
    steps = build_timeline(session)
    for ex in session:
        releases = [s for s in steps_of(steps, ex.slug) if s.kind == "release"]
        moves = [s for s in steps_of(steps, ex.slug) if s.kind == "move"]
        assert len(releases) == reps_done(ex.dose)
        assert len(moves) == reps_done(ex.dose)


@given(sessions)
def test_every_hold_lasts_exactly_the_dose(session: list[PlannedExercise]) -> None:
    steps = build_timeline(session)
    for ex in session:
        for step in steps_of(steps, ex.slug):
            if step.kind == "hold":
                assert ex.dose.hold_seconds is not None
                assert step.duration_ms == ex.dose.hold_seconds * 1000


@given(sessions)
def test_sided_exercises_alternate_left_and_right(session: list[PlannedExercise]) -> None:
    steps = build_timeline(session)
    for ex in session:
        mine = steps_of(steps, ex.slug)
        n = reps_done(ex.dose)
        if ex.dose.per_side or ex.dose.alternate_sides:
            order = one_side_then_the_other if ex.dose.per_side else alternating
            assert sides_of(mine, "release") == order(n)
            assert sides_of(mine, "move") == order(n)
            if ex.dose.hold_seconds is not None:
                assert sides_of(mine, "hold") == order(n)
        else:
            assert {s.side for s in mine} == {None}


@given(sessions)
def test_a_per_side_exercise_changes_sides_once_after_every_rep_of_a_side(
    session: list[PlannedExercise],
) -> None:
    steps = build_timeline(session)
    for ex in session:
        mine = steps_of(steps, ex.slug)
        switches = [i for i, s in enumerate(mine) if s.kind == "switch_side"]
        if not ex.dose.per_side:
            assert switches == []
            continue
        # Never between reps: every rep of every set on the left, one change, then right.
        assert len(switches) == 1
        (i,) = switches
        before, after = mine[:i], mine[i + 1 :]
        assert {s.side for s in before if s.rep is not None} == {"left"}
        assert {s.side for s in after if s.rep is not None} == {"right"}
        assert sum(1 for s in before if s.kind == "release") == ex.dose.reps * ex.dose.sets
        assert mine[i].self_paced and mine[i].side == "right"


@given(sessions)
def test_self_paced_steps_appear_only_at_changes_of_position_and_of_side(
    session: list[PlannedExercise],
) -> None:
    steps = build_timeline(session)
    position = "standing"
    for step in steps:
        if step.kind == "setup":
            ex = next(e for e in session if e.slug == step.exercise)
            changes = ex.position is None or ex.position != position
            assert step.self_paced is changes
            assert step.duration_ms == (
                SETUP_MS if not changes else GET_DOWN_MS if position == "standing" and
                ex.position != "standing" else CHANGE_POSITION_MS
            )  # fmt: skip
            position = ex.position
        else:
            assert step.self_paced is (step.kind == "switch_side")


@given(sessions)
def test_the_total_is_the_sum_of_the_steps(session: list[PlannedExercise]) -> None:
    steps = build_timeline(session)
    assert total_ms(steps) == sum(d["duration_ms"] for d in timeline_dicts(steps))  # type: ignore[misc]


@given(sessions)
def test_no_step_is_instant(session: list[PlannedExercise]) -> None:
    assert all(step.duration_ms > 0 for step in build_timeline(session))


@given(sessions)
def test_only_the_eight_kinds_appear(session: list[PlannedExercise]) -> None:
    assert {str(step.kind) for step in build_timeline(session)} <= ALLOWED_KINDS


@given(sessions)
def test_the_session_ends_with_a_single_done(session: list[PlannedExercise]) -> None:
    steps = build_timeline(session)
    assert [s.kind for s in steps].count("done") == 1
    last = steps[-1]
    assert last.kind == "done"
    assert (last.exercise, last.set, last.rep, last.side) == (None, None, None, None)


@given(sessions)
def test_each_exercise_starts_with_setup_then_the_dose_in_words(
    session: list[PlannedExercise],
) -> None:
    steps = build_timeline(session)
    # Exercises follow one another in order, with no rest in between.
    slugs_in_order = [slug for slug, _ in groupby(s.exercise for s in steps[:-1])]
    assert slugs_in_order == [ex.slug for ex in session]
    for ex in session:
        mine = steps_of(steps, ex.slug)
        assert [s.kind for s in mine[:2]] == ["setup", "cue"]
        assert [s.kind for s in mine].count("setup") == 1
        assert [s.kind for s in mine].count("cue") == 1
        assert ex.name in mine[0].text


@given(sessions)
def test_reps_run_from_one_to_the_dose_within_each_set(session: list[PlannedExercise]) -> None:
    steps = build_timeline(session)
    for ex in session:
        rep_steps = [s for s in steps_of(steps, ex.slug) if s.rep is not None]
        sets = list(range(1, ex.dose.sets + 1))
        # A per-side exercise plays every set on the left, then every set on the right.
        key = (lambda s: (s.side, s.set)) if ex.dose.per_side else (lambda s: s.set)
        groups = [k for k, _ in groupby(rep_steps, key=key)]
        expected = (
            [(side, n) for side in ("left", "right") for n in sets] if ex.dose.per_side else sets
        )
        assert groups == expected
        for _, in_set in groupby(rep_steps, key=key):
            reps = [rep for rep, _ in groupby(s.rep for s in in_set)]
            assert reps == list(range(1, ex.dose.reps + 1))


@given(sessions)
def test_every_rep_is_move_then_hold_then_release(session: list[PlannedExercise]) -> None:
    steps = build_timeline(session)
    for ex in session:
        rep_steps = [s for s in steps_of(steps, ex.slug) if s.rep is not None]
        expected = (
            ["move", "release"]
            if ex.dose.hold_seconds is None
            else [
                "move",
                "hold",
                "release",
            ]
        )
        for _, one_rep in groupby(rep_steps, key=lambda s: (s.set, s.rep, s.side)):
            assert [s.kind for s in one_rep] == expected


@given(sessions)
def test_sets_are_separated_by_a_rest_after_the_set_just_finished(
    session: list[PlannedExercise],
) -> None:
    steps = build_timeline(session)
    for ex in session:
        mine = steps_of(steps, ex.slug)
        rests = [(i, s) for i, s in enumerate(mine) if s.kind == "rest"]
        between = list(range(1, ex.dose.sets))
        assert [s.set for _, s in rests] == (between * 2 if ex.dose.per_side else between)
        for i, rest in rests:
            assert mine[i - 1].set == rest.set
            assert mine[i + 1].set == rest.set + 1  # type: ignore[operator]
            assert f"set {rest.set + 1} of {ex.dose.sets}" in rest.text  # type: ignore[operator]


@given(sessions)
def test_every_step_becomes_a_dict_with_exactly_the_nine_keys(
    session: list[PlannedExercise],
) -> None:
    steps = build_timeline(session)
    dicts = timeline_dicts(steps)
    assert len(dicts) == len(steps)
    for d in dicts:
        assert set(d) == DICT_KEYS
    # Players receive it as JSON, so it must survive the trip unchanged.
    assert json.loads(json.dumps(dicts)) == dicts


# Worked examples, checked by hand.


def test_the_seed_bridge_at_five_reps_of_five_seconds() -> None:
    steps = build_timeline([bridge(reps=5, hold_seconds=5)])

    assert [s.kind for s in steps] == (
        ["setup", "cue"] + ["move", "hold", "release"] * 5 + ["done"]
    )
    holds = [s for s in steps if s.kind == "hold"]
    assert [(h.set, h.rep, h.side, h.duration_ms) for h in holds] == [
        (1, 1, None, 5000),
        (1, 2, None, 5000),
        (1, 3, None, 5000),
        (1, 4, None, 5000),
        (1, 5, None, 5000),
    ]
    assert {h.cue for h in holds} == {"Hold, and keep breathing."}
    assert steps[0].text == "Get ready: Bridge"
    assert "Lie on your back, knees bent, feet flat." in steps[0].cue
    assert steps[1].text == "5 reps, holding for 5 seconds each"
    # The first exercise starts with getting down to the floor: self-paced.
    assert steps[0].self_paced
    assert total_ms(steps) == GET_DOWN_MS + CUE_MS + 5 * (MOVE_MS + 5000 + RELEASE_MS) + DONE_MS


def test_an_empty_session_is_only_done() -> None:
    steps = build_timeline([])
    assert [s.as_dict() for s in steps] == [
        {
            "kind": "done",
            "exercise": None,
            "set": None,
            "rep": None,
            "side": None,
            "text": "Well done — that's today's session.",
            "cue": "Well done — that's today's session.",
            "duration_ms": DONE_MS,
            "self_paced": False,
        }
    ]


def test_a_per_side_exercise_is_all_left_then_one_change_then_all_right() -> None:
    steps = build_timeline([bridge(reps=2, hold_seconds=3, per_side=True)])
    sided = [(s.kind, s.rep, s.side) for s in steps if s.side is not None]
    assert sided == [
        ("move", 1, "left"),
        ("hold", 1, "left"),
        ("release", 1, "left"),
        ("move", 2, "left"),
        ("hold", 2, "left"),
        ("release", 2, "left"),
        ("switch_side", None, "right"),
        ("move", 1, "right"),
        ("hold", 1, "right"),
        ("release", 1, "right"),
        ("move", 2, "right"),
        ("hold", 2, "right"),
        ("release", 2, "right"),
    ]
    assert steps[1].text == "2 reps on each side, holding for 3 seconds each"
    switch = next(s for s in steps if s.kind == "switch_side")
    assert switch.text == "Change sides: now your right"
    assert switch.self_paced
    assert switch.duration_ms == SWITCH_SIDE_MS


def test_exercises_in_the_same_position_follow_without_a_wait() -> None:
    back = [
        exercise("deep-abdominal", reps=1, hold_seconds=5, position="back"),
        exercise("bridge", reps=1, hold_seconds=5, position="back"),
        exercise("bird-dog", reps=1, hold_seconds=5, position="all_fours"),
    ]
    setups = [s for s in build_timeline(back) if s.kind == "setup"]
    assert [(s.self_paced, s.duration_ms) for s in setups] == [
        (True, GET_DOWN_MS),
        (False, SETUP_MS),
        (True, CHANGE_POSITION_MS),
    ]


def test_sided_steps_name_their_side_on_screen_and_as_the_movement_starts() -> None:
    steps = build_timeline([bridge(reps=1, hold_seconds=2, per_side=True)])
    moves = [s for s in steps if s.kind == "move"]
    assert [m.cue for m in moves] == [
        "Left side. Breathe out, squeeze your buttocks and lift.",
        "Right side. Breathe out, squeeze your buttocks and lift.",
    ]
    two = [s.cue for s in build_timeline([bridge(reps=2, per_side=True)]) if s.kind == "move"]
    assert two[1] == "Breathe out, squeeze your buttocks and lift."  # the side said once
    for step in steps:
        if step.side is not None and step.kind != "switch_side":
            assert str(step.side) in step.text


def test_alternating_sides_carry_on_across_sets() -> None:
    steps = build_timeline([bridge(reps=3, hold_seconds=2, sets=2, alternate_sides=True)])
    releases = [(s.set, s.rep, s.side) for s in steps if s.kind == "release"]
    # Three reps a set: the second set starts on the right, so each side gets three.
    assert releases == [
        (1, 1, "left"),
        (1, 2, "right"),
        (1, 3, "left"),
        (2, 1, "right"),
        (2, 2, "left"),
        (2, 3, "right"),
    ]
    assert not any(s.kind == "switch_side" for s in steps)
    first_move = next(s for s in steps if s.kind == "move")
    assert first_move.cue == "To the left. Breathe out, squeeze your buttocks and lift."
    rest = next(s for s in steps if s.kind == "rest")
    assert "right" in rest.cue
    assert steps[1].text == "2 sets of 3 reps, alternating sides, holding for 2 seconds each"


def test_sets_rest_between_them_but_not_after_the_last() -> None:
    steps = build_timeline([bridge(reps=1, hold_seconds=1, sets=3)])
    assert [(s.kind, s.set) for s in steps] == [
        ("setup", None),
        ("cue", None),
        ("move", 1),
        ("hold", 1),
        ("release", 1),
        ("rest", 1),
        ("move", 2),
        ("hold", 2),
        ("release", 2),
        ("rest", 2),
        ("move", 3),
        ("hold", 3),
        ("release", 3),
        ("done", None),
    ]
    rests = [s for s in steps if s.kind == "rest"]
    assert [r.text for r in rests] == ["Rest before set 2 of 3", "Rest before set 3 of 3"]
    assert {r.duration_ms for r in rests} == {REST_BETWEEN_SETS_MS}
    assert steps[1].text == "3 sets of 1 rep, holding for 1 second each"


def test_a_movement_without_a_hold_has_no_hold_step_and_moves_slowly() -> None:
    cat_camel = exercise("cat-camel", reps=4, hold_seconds=None)
    steps = build_timeline([cat_camel])
    assert [s.kind for s in steps] == ["setup", "cue"] + ["move", "release"] * 4 + ["done"]
    assert {s.duration_ms for s in steps if s.kind == "move"} == {FLOWING_MOVE_MS}
    assert {s.duration_ms for s in steps if s.kind == "release"} == {FLOWING_RELEASE_MS}
    assert steps[1].text == "4 reps"


def test_there_is_no_rest_between_exercises() -> None:
    steps = build_timeline([bridge(reps=1), exercise("knee-rolls", reps=1, hold_seconds=5)])
    kinds = [s.kind for s in steps]
    assert "rest" not in kinds
    second_setup = kinds.index("setup", 1)
    assert steps[second_setup - 1].kind == "release"
    assert steps[second_setup].exercise == "knee-rolls"


@pytest.mark.parametrize(
    ("dose", "message"),
    [
        ({"reps": 0, "hold_seconds": 5}, "at least 1 rep"),
        ({"reps": -3, "hold_seconds": 5}, "at least 1 rep"),
        ({"reps": 5, "hold_seconds": 5, "sets": 0}, "at least 1 set"),
        ({"reps": 5, "hold_seconds": 0}, "hold_seconds"),
        ({"reps": 5, "hold_seconds": -1}, "hold_seconds"),
        (
            {"reps": 5, "hold_seconds": 5, "per_side": True, "alternate_sides": True},
            "not both",
        ),
    ],
)
def test_a_dose_that_cannot_be_played_is_refused(dose: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Dose(**dose)  # type: ignore[arg-type]


def test_the_seed_program_waits_only_to_get_down_to_the_floor(db) -> None:
    from supine.demo import DEMO_PROGRAM
    from supine.library.models import Exercise
    from supine.programs.plan import Dose
    from supine.programs.services import TodayItem, todays_timeline

    items = [
        TodayItem(exercise=Exercise.objects.get(slug=slug), dose=Dose(reps=5, hold_seconds=5))
        for slug in DEMO_PROGRAM
    ]
    setups = [s for s in todays_timeline(items) if s.kind == "setup"]
    # All three on the back: one wait, to get down to the floor.
    assert [s.self_paced for s in setups] == [True, False, False]
