"""The program builder's rules as plain functions (supine.programs.builder)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from supine.programs.builder import (
    ExerciseChoice,
    Filter,
    Ladder,
    LibraryExercise,
    Precaution,
    ProgramChoice,
    Range,
    carried_ladders,
    change_summary,
    matches,
    position_of,
    precaution_conflicts,
    program_problems,
)
from supine.programs.standard_programs import CLINIC_HANDOUT, template_choice

BRIDGE = LibraryExercise("bridge", "Bridge", Range(5, 10), Range(5, 10), Range(1, 1))
CAT_CAMEL = LibraryExercise(
    "cat-camel",
    "Cat–camel",
    Range(5, 8),
    None,
    Range(1, 1),
    precautions=(Precaution("osteoporosis", "Round the back gently."),),
)
PRESS_UP = LibraryExercise(
    "prone-press-up",
    "Prone press-up",
    Range(5, 10),
    Range(2, 2),
    Range(1, 1),
    precautions=(Precaution("pregnancy", "Not in pregnancy."),),
    assessment_only=True,
)
LIBRARY = {e.slug: e for e in (BRIDGE, CAT_CAMEL, PRESS_UP)}


def bridge(reps=(5, 10), hold=(5, 10), sets=(1, 1), **kwargs) -> ExerciseChoice:
    return ExerciseChoice(
        "bridge", Range(*reps), Range(*hold) if hold else None, Range(*sets), **kwargs
    )


def fields(choice: ProgramChoice) -> list[str]:
    return [problem.field for problem in program_problems(choice, LIBRARY)]


def test_ranges_inside_the_librarys_are_accepted():
    assert fields(ProgramChoice((bridge(reps=(6, 8), hold=(5, 5)),))) == []


def test_a_range_above_the_librarys_names_its_max():
    assert fields(ProgramChoice((bridge(reps=(5, 12)),))) == ["exercises.0.reps.max"]


def test_a_range_below_the_librarys_names_its_min():
    assert fields(ProgramChoice((bridge(hold=(3, 10)),))) == ["exercises.0.hold_seconds.min"]


def test_a_minimum_above_its_maximum_is_refused():
    assert fields(ProgramChoice((bridge(reps=(9, 6)),))) == ["exercises.0.reps"]


def test_a_hold_must_match_whether_the_exercise_has_one():
    no_hold = ProgramChoice((bridge(hold=None),))
    assert fields(no_hold) == ["exercises.0.hold_seconds"]
    cat = ExerciseChoice("cat-camel", Range(5, 8), Range(2, 2), Range(1, 1))
    assert fields(ProgramChoice((cat,))) == ["exercises.0.hold_seconds"]


def test_an_unknown_slug_and_a_repeat_are_named():
    unknown = ExerciseChoice("headstand", Range(1, 1), None, Range(1, 1))
    assert fields(ProgramChoice((bridge(), unknown, bridge()))) == [
        "exercises.1.slug",
        "exercises.2.slug",
    ]


def test_an_empty_program_and_bad_frequency_are_refused():
    bad = ProgramChoice((), sessions_per_day=4, days_per_week=0, status="done")
    assert fields(bad) == ["exercises", "sessions_per_day", "days_per_week", "status"]


def test_an_assessment_only_exercise_needs_the_tick():
    press = ExerciseChoice("prone-press-up", Range(5, 10), Range(2, 2), Range(1, 1))
    assert fields(ProgramChoice((press,))) == ["exercises.0.assessment_done"]
    ticked = ExerciseChoice(
        "prone-press-up", Range(5, 10), Range(2, 2), Range(1, 1), assessment_done=True
    )
    assert fields(ProgramChoice((ticked,))) == []


def test_precaution_conflicts_name_only_the_patients_conditions():
    conflicts = precaution_conflicts([BRIDGE, CAT_CAMEL, PRESS_UP], {"osteoporosis"})
    assert [(c.slug, c.condition) for c in conflicts] == [("cat-camel", "osteoporosis")]
    assert precaution_conflicts([BRIDGE, CAT_CAMEL, PRESS_UP], set()) == []
    both = precaution_conflicts([CAT_CAMEL, PRESS_UP], {"osteoporosis", "pregnancy"})
    assert [c.advice for c in both] == ["Round the back gently.", "Not in pregnancy."]


NAMES = {"bridge": "Bridge", "cat-camel": "Cat–camel"}


def test_the_first_version_lists_the_program():
    summary = change_summary(None, ProgramChoice((bridge(),)), NAMES)
    assert summary == "New program: Bridge (reps 5–10, hold 5–10 s, sets 1)."


def test_the_summary_says_what_changed_and_nothing_else():
    cat = ExerciseChoice("cat-camel", Range(5, 8), None, Range(1, 1))
    before = ProgramChoice((bridge(), cat), days_per_week=7)
    after = ProgramChoice(
        (bridge(reps=(5, 8), note="Slowly."),),
        days_per_week=5,
        starts_on=date(2026, 12, 1),
        status="paused",
    )
    assert change_summary(before, after, NAMES) == (
        "Removed Cat–camel; Bridge: reps 5–10 → 5–8; Bridge: note changed; "
        "Days a week 7 → 5; Starts on 2026-12-01 (was —); Paused."
    )


def test_no_change_is_an_empty_summary_and_a_new_ceiling_is_one():
    program = ProgramChoice((bridge(),))
    assert change_summary(program, program, NAMES, ceiling_before=4, ceiling_after=4) == ""
    assert change_summary(program, program, NAMES, ceiling_before=5, ceiling_after=4) == (
        "Pain ceiling confirmed at 4 (was 5)."
    )


def test_added_exercises_and_a_new_order_are_named():
    cat = ExerciseChoice("cat-camel", Range(5, 8), None, Range(1, 1))
    press = ExerciseChoice("prone-press-up", Range(5, 10), Range(2, 2), Range(1, 1))
    before = ProgramChoice((bridge(), cat))
    after = ProgramChoice((cat, bridge(), press))
    assert change_summary(before, after, NAMES) == (
        "Added prone-press-up (reps 5–10, hold 2 s, sets 1); Order changed."
    )


def test_the_ladder_carries_over_only_for_exercises_that_stay():
    reached = datetime(2026, 11, 20, 9, tzinfo=UTC)
    previous = {
        "bridge": Ladder(8, 7, 1, "progress", "Up to 8 reps.", reached),
        "cat-camel": Ladder(6, None, 1, "hold", "Same as last time.", None),
    }
    carried = carried_ladders(previous, ["bridge", "prone-press-up"])
    assert carried == {"bridge": previous["bridge"]}


def test_positions_are_read_from_the_starting_position():
    assert position_of("Lie on your back on the floor, knees bent.") == "back"
    assert position_of("Kneel on all fours, knees under your hips.") == "all_fours"
    assert position_of("Lie on your front on the floor.") == "front"
    assert position_of("Lie on your side with your knees bent.") == "side"
    assert position_of("Float.") == ""


def test_the_filter_needs_every_criterion():
    exercise = dict(
        name="Bridge",
        purpose="Strengthens the glutes.",
        position="back",
        regions=["glutes", "lower back"],
        equipment=[],
    )
    assert matches(Filter(), **exercise)
    assert matches(
        Filter(position="back", region="glutes", equipment="none", search="glute"), **exercise
    )
    assert not matches(Filter(position="all_fours"), **exercise)
    assert not matches(Filter(region="shoulders"), **exercise)
    assert not matches(Filter(equipment="towel"), **exercise)
    assert not matches(Filter(search="bridge towel"), **exercise)


def test_the_clinic_handout_is_the_seeds_three_at_the_seeds_doses():
    library = {
        "deep-abdominal-strengthening": LibraryExercise(
            "deep-abdominal-strengthening", "Deep", Range(5, 10), Range(5, 5), Range(1, 1)
        ),
        "knee-rolls": LibraryExercise(
            "knee-rolls", "Knee", Range(10, 15), Range(5, 5), Range(1, 1)
        ),
        "bridge": BRIDGE,
    }
    program = template_choice(CLINIC_HANDOUT, library)
    doses = [(e.slug, str(e.reps), str(e.hold_seconds)) for e in program.exercises]
    # The seed: hold five seconds, repeat 5-10; hold five seconds, repeat 10-15;
    # hold 5-10 seconds, repeat 5-10.
    assert doses == [
        ("deep-abdominal-strengthening", "5–10", "5"),
        ("knee-rolls", "10–15", "5"),
        ("bridge", "5–10", "5–10"),
    ]
    assert program_problems(program, library) == []
