"""The `[coach]` table: every shipped exercise has one, checked against its own keyframes."""

from __future__ import annotations

import pytest

from supine.library.coach import keyframe_values, parse_coach
from supine.library.figure import parse_figure
from supine.library.loader import EXERCISES_DIR, LibraryError, load_library, parse_exercise
from supine.library.models import Exercise

SLUGS = sorted(path.stem for path in EXERCISES_DIR.glob("*.toml"))
TIMER_ONLY = {"pelvic-tilt", "deep-abdominal-strengthening"}


def bridge_text() -> str:
    return (EXERCISES_DIR / "bridge.toml").read_text()


def parse_bridge(old: str, new: str):
    text = bridge_text()
    assert old in text, old
    return parse_exercise("bridge.toml", text.replace(old, new, 1).encode())


@pytest.mark.parametrize("slug", SLUGS)
def test_every_exercise_has_a_coach_table_and_only_the_unseeable_are_timer_only(slug):
    spec = parse_exercise(f"{slug}.toml", (EXERCISES_DIR / f"{slug}.toml").read_bytes())
    assert spec.coach, f"{slug} has no [coach] table"
    assert spec.coach["timer_only"] is (slug in TIMER_ONLY)
    if slug in TIMER_ONLY:
        assert "camera cannot see" in spec.coach["say"]
    else:
        assert spec.coach["needed"] and spec.coach["trunk_max"] <= 45


def test_the_faults_the_issue_names_are_there():
    def faults(slug):
        spec = parse_exercise(f"{slug}.toml", (EXERCISES_DIR / f"{slug}.toml").read_bytes())
        return {f["name"] for f in spec.coach["faults"]}

    assert {"hips_low", "one_side_dropping"} <= faults("bridge")
    assert {"arm_above_back", "leg_above_back", "hips_turning"} <= faults("bird-dog")
    assert "shoulder_lifting" in faults("knee-rolls")


def test_the_bridge_is_measured_from_its_keyframes():
    text = bridge_text()
    import tomllib

    figure = parse_figure(tomllib.loads(text)["figure"])
    start = keyframe_values("angle", ["shoulder", "hip", "knee"], figure, 0)
    lifted = keyframe_values("angle", ["shoulder", "hip", "knee"], figure, 1)
    assert all(125 < v < 135 for v in start)
    assert all(v > 178 for v in lifted)


@pytest.mark.parametrize(
    "old, new, field, message",
    [
        ("enter = 165", "enter = 185", "coach.enter", "'lifted' measures 180, not above 185"),
        ("exit = 145", "exit = 125", "coach.exit", "'start' measures 130, not below 125"),
        ("exit = 145", "exit = 165", "coach.exit", "must differ from enter"),
        ('target = "lifted"', 'target = "up"', "coach.target", "'up' is not a keyframe"),
        (
            'measure = { kind = "angle", points = ["shoulder", "hip", "knee"] }',
            'measure = { kind = "angle", points = ["shoulder", "hips", "knee"] }',
            "coach.measure.points[1]",
            "'hips' is not a landmark",
        ),
        (
            'measure = { kind = "angle", points = ["shoulder", "hip", "knee"] }',
            'measure = { kind = "angle", points = ["shoulder", "hip"] }',
            "coach.measure.points",
            "angle takes 3 landmarks",
        ),
        (
            'measure = { kind = "angle",',
            'measure = { kind = "twist",',
            "coach.measure.kind",
            "must be one of",
        ),
        ("below = 157", "below = 181", "coach.faults[0].check", "'lifted' measures 180, below 181"),
        ('name = "hips_low"', 'name = "Hips low"', "coach.faults[0].name", "lowercase"),
        ("needed = [", "trunk_max = 10\nneeded = [", "coach.trunk_max", "'lifted' has the trunk"),
        ("[coach]", "[coach]\nspeed = 2", "coach.speed", "unknown field"),
        (
            "[coach]",
            '[coach]\nsay = "Hello"',
            "coach.say",
            "unknown field",
        ),
    ],
)
def test_each_mistake_in_a_coach_table_is_named(old, new, field, message):
    with pytest.raises(LibraryError) as caught:
        parse_bridge(old, new)
    assert caught.value.field == field
    assert message in caught.value.message


def test_a_timer_only_table_needs_what_to_say():
    text = (EXERCISES_DIR / "pelvic-tilt.toml").read_text()
    broken = text.replace('say = "', 'said = "')
    with pytest.raises(LibraryError) as caught:
        parse_exercise("pelvic-tilt.toml", broken.encode())
    assert caught.value.field == "coach.said"


def test_the_coach_table_is_stored_and_reaches_the_database(db):
    load_library()
    bridge = Exercise.objects.get(slug="bridge")
    assert bridge.coach["measure"] == {"kind": "angle", "points": ["shoulder", "hip", "knee"]}
    assert bridge.coach["enter"] == 165.0
    assert Exercise.objects.get(slug="pelvic-tilt").coach["timer_only"] is True


def test_parse_coach_is_pure_and_normalises_single_names():
    import tomllib

    data = tomllib.loads(bridge_text())
    coach = parse_coach(data["coach"], parse_figure(data["figure"]))
    assert coach["rest"] == ["start"] and coach["target"] == ["lifted"]
    assert coach["faults"][0]["when"] == "hold" and coach["faults"][0]["for_ms"] == 600
