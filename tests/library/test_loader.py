from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from supine.library.loader import EXERCISES_DIR, LibraryError, load_library, parse_exercise
from supine.library.models import Exercise

SEED = {
    # slug: (hold min, hold max, reps min, reps max) from the clinic article
    "deep-abdominal-strengthening": (5, 5, 5, 10),
    "knee-rolls": (5, 5, 10, 15),
    "bridge": (5, 10, 5, 10),
}


def bridge_text() -> str:
    return (EXERCISES_DIR / "bridge.toml").read_text()


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISES_DIR, folder)
    return folder


def test_the_library_ships_at_least_the_twelve_clinical_exercises():
    slugs = {path.stem for path in EXERCISES_DIR.glob("*.toml")}
    assert {
        "deep-abdominal-strengthening", "knee-rolls", "bridge", "pelvic-tilt",
        "bottom-to-heels", "knee-to-chest", "cat-camel", "bird-dog", "dead-bug",
        "side-lying-clam", "prone-press-up", "hamstring-stretch",
    } <= slugs  # fmt: skip


@pytest.mark.parametrize("slug", SEED)
def test_the_seed_exercises_keep_the_seed_doses(slug):
    spec = parse_exercise(f"{slug}.toml", (EXERCISES_DIR / f"{slug}.toml").read_bytes())
    assert (spec.hold_seconds_min, spec.hold_seconds_max, spec.reps_min, spec.reps_max) == SEED[
        slug
    ]


def test_knee_rolls_actually_roll_the_knees_from_side_to_side():
    spec = parse_exercise("knee-rolls.toml", (EXERCISES_DIR / "knee-rolls.toml").read_bytes())
    assert spec.alternate_sides
    assert any("roll" in step.lower() for step in spec.steps)


def test_loading_twice_changes_nothing_the_second_time(db, library_dir):
    Exercise.objects.all().delete()
    first = load_library(library_dir)
    second = load_library(library_dir)
    assert len(first.created) >= 12
    assert not second.changed
    assert sorted(second.unchanged) == sorted(first.created)


def test_a_changed_file_updates_its_exercise(db, library_dir):
    load_library(library_dir)
    path = library_dir / "bridge.toml"
    path.write_text(path.read_text().replace('name = "Bridge"', 'name = "Glute Bridge"'))
    result = load_library(library_dir)
    assert result.updated == ["bridge"]
    assert Exercise.objects.get(slug="bridge").name == "Glute Bridge"


def test_a_malformed_file_loads_nothing_and_names_file_and_field(db, library_dir):
    Exercise.objects.all().delete()
    path = library_dir / "bridge.toml"
    path.write_text(path.read_text().replace("reps = [5, 10]", "reps = [10, 5]"))
    with pytest.raises(LibraryError) as raised:
        load_library(library_dir)
    assert raised.value.file == "bridge.toml"
    assert raised.value.field == "dose.reps"
    assert "greater than maximum" in raised.value.message
    assert not Exercise.objects.exists()


def test_the_command_reports_a_malformed_file_and_loads_nothing(db, library_dir):
    path = library_dir / "bridge.toml"
    path.write_text(path.read_text().replace('name = "Bridge"', "name = 3"))
    before = Exercise.objects.get(slug="bridge").name
    with pytest.raises(CommandError, match=r"bridge.toml: name: must be a non-empty string"):
        call_command("load_library", dir=library_dir)
    assert Exercise.objects.get(slug="bridge").name == before


def test_the_command_says_when_nothing_changed(db, capsys):
    call_command("load_library")
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (('slug = "bridge"', 'slug = "bridges"'), "slug", "must match the file name"),
        (("[dose]", "[dose]\nrepetitions = 3"), "dose.repetitions", "unknown field"),
        (("hold_seconds = [5, 10]", "hold_seconds = [0, 10]"), "dose.hold_seconds", "at least 1"),
        (("hold_seconds = [5, 10]", 'hold_seconds = "5"'), "dose.hold_seconds", "range"),
        (("per_side = false", 'per_side = "no"'), "dose.per_side", "true or false"),
        (("[cues]", "[unused]\n[cues]"), "unused", "unknown field"),
        (('name = "Bridge"', "name = 1 ="), "(file)", "not valid TOML"),
    ],
)
def test_each_kind_of_mistake_is_named(change, field, message):
    old, new = change
    text = bridge_text()
    assert old in text, "the example file no longer contains the text this test edits"
    with pytest.raises(LibraryError) as raised:
        parse_exercise("bridge.toml", text.replace(old, new, 1).encode())
    assert raised.value.field == field
    assert message in raised.value.message


def test_a_missing_figure_is_named():
    text = bridge_text().split("[figure]")[0]
    with pytest.raises(LibraryError) as raised:
        parse_exercise("bridge.toml", text.encode())
    assert raised.value.field == "figure"


def test_a_broken_figure_names_the_figure_field():
    text = bridge_text().split("[figure]")[0] + "[figure]\nview = 'side'\nkeyframes = []\n"
    with pytest.raises(LibraryError) as raised:
        parse_exercise("bridge.toml", text.encode())
    assert raised.value.field.startswith("figure.")


def test_the_documented_figure_example_is_valid():
    # docs/exercise-format.md shows a [figure] table; it must stay one that loads.
    import re
    import tomllib

    from supine.library.figure import parse_figure

    doc = (EXERCISES_DIR.parents[3] / "docs" / "exercise-format.md").read_text()
    block = re.search(r"```toml\n(\[figure\].*?)```", doc, re.S)
    assert block is not None
    figure = parse_figure(tomllib.loads(block.group(1))["figure"])
    assert [k.name for k in figure.keyframes] == ["start", "lifted"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("camera = { azimuth = 0, elevation = 8 }\n", "", "figure.camera"),
        ("left_knee = 79.2", "left_kneecap = 79.2", "figure.keyframes[1].left_kneecap"),
        ("left_knee = 79.2", "left_knee = 179.2", "figure.keyframes[1].left_knee"),
    ],
)
def test_a_bad_figure_names_file_and_field_and_loads_nothing(db, library_dir, old, new, field):
    Exercise.objects.all().delete()
    path = library_dir / "bridge.toml"
    assert old in path.read_text(), "the example file no longer contains the text this test edits"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(LibraryError) as raised:
        load_library(library_dir)
    assert (raised.value.file, raised.value.field) == ("bridge.toml", field)
    assert not Exercise.objects.exists()


def test_an_unknown_position_is_named():
    source = (
        (EXERCISES_DIR / "bridge.toml")
        .read_text()
        .replace('position = "back"', 'position = "upside down"')
    )
    with pytest.raises(LibraryError, match=r"bridge.toml: position: must be one of"):
        parse_exercise("bridge.toml", source.encode())
