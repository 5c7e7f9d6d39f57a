"""Precautions in the exercise format (clinical-rules.md §6): vocabulary, loader, and who
sees what."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from supine.library.loader import EXERCISES_DIR, LibraryError, load_library, parse_exercise
from supine.library.models import Exercise
from supine.library.precautions import (
    ALWAYS,
    Condition,
    Precaution,
    PrecautionError,
    parse_precautions,
    personal_precautions,
)
from supine.safety.conditions import conditions_from_history, patient_conditions
from tests.factories import make_patient, screen

# clinical-rules.md §6, the table's last column (and its notes: lying on the back in pregnancy).
PREGNANCY_ON_THE_BACK = "pregnancy"
EXPECTED = {
    "deep-abdominal-strengthening": {PREGNANCY_ON_THE_BACK},
    "knee-rolls": {"hip_replacement", "osteoporosis", PREGNANCY_ON_THE_BACK},
    "bridge": {PREGNANCY_ON_THE_BACK},
    "pelvic-tilt": {PREGNANCY_ON_THE_BACK},
    "bottom-to-heels": {"knee_problems", "hip_replacement", "osteoporosis"},
    "knee-to-chest": {"osteoporosis", "hip_replacement", PREGNANCY_ON_THE_BACK},
    "cat-camel": {
        "osteoporosis", "spinal_stenosis", "spondylolisthesis", "wrist_problems", "knee_problems",
    },
    "bird-dog": {"wrist_problems", "knee_problems"},
    "dead-bug": {PREGNANCY_ON_THE_BACK},
    "side-lying-clam": {"hip_replacement"},
    "prone-press-up": {
        "spinal_stenosis", "spondylolisthesis", "pregnancy", "recent_abdominal_surgery",
    },
    "hamstring-stretch": {"sciatica", PREGNANCY_ON_THE_BACK},
}  # fmt: skip


def shipped(slug: str):
    return parse_exercise(f"{slug}.toml", (EXERCISES_DIR / f"{slug}.toml").read_bytes())


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISES_DIR, folder)
    return folder


@pytest.mark.parametrize("slug", EXPECTED)
def test_each_exercise_carries_the_precautions_of_the_clinical_table(slug):
    conditions = {p["condition"] for p in shipped(slug).precautions}
    assert conditions == EXPECTED[slug]


def test_only_the_prone_press_up_is_for_after_an_assessment():
    flagged = {
        path.stem for path in EXERCISES_DIR.glob("*.toml") if shipped(path.stem).assessment_only
    }
    assert flagged == {"prone-press-up"}


def test_the_vocabulary_is_the_one_the_issue_fixes():
    assert {c.value for c in Condition} == {
        "osteoporosis", "hip_replacement", "pregnancy", "knee_problems", "wrist_problems",
        "sciatica", "spinal_stenosis", "spondylolisthesis", "recent_abdominal_surgery",
    }  # fmt: skip


def test_an_unknown_condition_names_its_entry_and_the_vocabulary():
    with pytest.raises(PrecautionError) as raised:
        parse_precautions([{"condition": "osteo", "advice": "Small range."}])
    assert raised.value.field == "precautions[0].condition"
    assert "'osteo'" in raised.value.message
    assert "osteoporosis" in raised.value.message


@pytest.mark.parametrize(
    ("entries", "field"),
    [
        ({"condition": "sciatica"}, "precautions"),
        ([{"condition": "sciatica"}], "precautions[0].advice"),
        ([{"condition": "sciatica", "advice": " "}], "precautions[0].advice"),
        ([{"condition": "sciatica", "advice": "x", "when": "always"}], "precautions[0].when"),
        (["sciatica"], "precautions[0]"),
        (
            [{"condition": "sciatica", "advice": "a"}, {"condition": "sciatica", "advice": "b"}],
            "precautions[1].condition",
        ),
    ],
)
def test_a_malformed_precaution_names_its_field(entries, field):
    with pytest.raises(PrecautionError) as raised:
        parse_precautions(entries)
    assert raised.value.field == field


def test_an_unknown_condition_loads_nothing_and_names_file_and_field(db, library_dir):
    before = Exercise.objects.get(slug="bridge").name
    path = library_dir / "bridge.toml"
    text = path.read_text().replace('condition = "pregnancy"', 'condition = "bad_back"')
    path.write_text(text.replace('name = "Bridge"', 'name = "Glute Bridge"'))
    (library_dir / "bird-dog.toml").write_text(
        (library_dir / "bird-dog.toml").read_text().replace('name = "Bird-Dog"', 'name = "Bird"')
    )
    with pytest.raises(LibraryError) as raised:
        load_library(library_dir)
    assert (raised.value.file, raised.value.field) == ("bridge.toml", "precautions[0].condition")
    assert Exercise.objects.get(slug="bridge").name == before
    assert Exercise.objects.get(slug="bird-dog").name == "Bird-Dog"


def test_the_command_says_nothing_was_loaded_and_where_the_mistake_is(db, library_dir):
    path = library_dir / "bridge.toml"
    path.write_text(path.read_text().replace('condition = "pregnancy"', 'condition = "bad_back"'))
    with pytest.raises(CommandError) as raised:
        call_command("load_library", "--dir", str(library_dir))
    message = str(raised.value)
    assert "Nothing was loaded" in message
    assert "bridge.toml: precautions[0].condition: unknown condition 'bad_back'" in message


def test_assessment_only_must_be_true_or_false(library_dir):
    path = library_dir / "bridge.toml"
    text = path.read_text().replace("\n[cues]", 'assessment_only = "yes"\n\n[cues]', 1)
    with pytest.raises(LibraryError) as raised:
        parse_exercise("bridge.toml", text.encode())
    assert raised.value.field == "assessment_only"


def test_precautions_are_stored_with_the_exercise(db):
    exercise = Exercise.objects.get(slug="prone-press-up")
    assert exercise.assessment_only
    assert {p["condition"] for p in exercise.precautions} == EXPECTED["prone-press-up"]
    assert all(p["advice"] for p in exercise.precautions)


def test_the_patients_own_precautions_come_first_and_the_rest_stay_visible():
    precautions = [
        Precaution(Condition.OSTEOPOROSIS, "Keep the roll small."),
        Precaution(Condition.KNEE_PROBLEMS, "Kneel on a towel."),
    ]
    split = personal_precautions(precautions, {Condition.OSTEOPOROSIS, Condition.HIP_REPLACEMENT})
    assert [p.condition for p in split.yours] == [Condition.OSTEOPOROSIS]
    assert [p.condition for p in split.others] == [Condition.KNEE_PROBLEMS]
    assert split.always == [ALWAYS[Condition.HIP_REPLACEMENT]]


def test_no_conditions_means_nothing_is_personal():
    split = personal_precautions([Precaution(Condition.SCIATICA, "Knee bent.")], ())
    assert (split.yours, split.always) == ([], [])
    assert len(split.others) == 1


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, set()),
        ({"weak_bones": True}, {Condition.OSTEOPOROSIS}),
        ({"hip_replacement": True, "pregnancy": True},
         {Condition.HIP_REPLACEMENT, Condition.PREGNANCY}),
        ({"weak_bones": False, "hip_replacement": False, "pregnancy": False}, set()),
        ({"cancer": True, "steroids": True, "floor_transfer": False}, set()),
    ],
)  # fmt: skip
def test_the_screens_history_answers_map_onto_the_vocabulary(answers, expected):
    assert conditions_from_history(answers) == expected


def test_a_patients_conditions_come_from_their_latest_full_screen(clinic):
    patient = make_patient(clinic, screened=False)
    assert patient_conditions(patient) == set()
    screen(patient, yes=("weak_bones", "hip_replacement"))
    assert patient_conditions(patient) == {Condition.OSTEOPOROSIS, Condition.HIP_REPLACEMENT}
    screen(patient, yes=("hip_replacement",))
    assert patient_conditions(patient) == {Condition.HIP_REPLACEMENT}
