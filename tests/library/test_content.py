"""The exercise files' words (clinical-rules.md §6): real sources, no treatment claims, no
internal notes in front of patients, and the movements described as the rulebook says."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape

from supine.library.loader import EXERCISES_DIR, parse_exercise
from supine.library.models import Exercise

SLUGS = sorted(path.stem for path in EXERCISES_DIR.glob("*.toml"))
# Words that promise an outcome: "cures", "fixes", "heals", "treats", "prevents pain",
# "relieves", "eases". Purpose lines say what an exercise does, never what it will cure.
CLAIM = re.compile(
    r"\b(cur(e|es|ed|ing)|fix(es|ed|ing)?|heal(s|ed|ing)?|treat(s|ed|ing|ment)?|"
    r"prevent(s|ed|ing)?|reliev(e|es|ed|ing)|relief|eas(e|es|ed|ing))\b",
    re.IGNORECASE,
)


def spec(slug: str):
    return parse_exercise(f"{slug}.toml", (EXERCISES_DIR / f"{slug}.toml").read_bytes())


@pytest.mark.parametrize(
    "purpose",
    [
        "Improves flexibility in your lower back and helps prevent pain.",
        "A gentle stretch that eases and lengthens your lower back.",
        "This will cure your back.",
        "Heals the discs.",
        "Treats sciatica.",
        "A quick fix for stiffness.",
    ],
)
def test_the_claim_check_catches_the_seeds_old_purpose_lines(purpose):
    assert CLAIM.search(purpose)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_purpose_line_makes_a_treatment_claim(slug):
    purpose = spec(slug).purpose
    assert not CLAIM.search(purpose), f"{slug}: {purpose!r}"


@pytest.mark.parametrize("slug", SLUGS)
def test_sources_have_real_titles_not_common_practice(slug):
    for source in spec(slug).sources:
        text = f"{source['title']} {source.get('note', '')}".lower()
        assert "common practice" not in text, slug
        assert "common physiotherapy practice" not in text, slug
        assert "clinical rules" not in text, slug  # ours is called "Supine default"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_exercise_says_what_to_feel_and_the_common_mistakes(slug):
    exercise = spec(slug)
    assert exercise.feel
    assert len(exercise.mistakes) >= 2


def test_knee_rolls_no_longer_press_the_back_down():
    text = " ".join([*spec("knee-rolls").steps, spec("knee-rolls").move_cue]).lower()
    assert "press" not in text
    assert "roll" in text


def test_the_dead_bug_brings_the_legs_up_and_down_one_at_a_time():
    exercise = spec("dead-bug")
    assert "one at a time" in exercise.starting_position
    steps = " ".join(exercise.steps)
    assert "Then bring up the other" in steps
    assert "lower your feet to the floor one at a time" in steps
    assert "press your lower back" not in steps


def test_deep_abdominal_strengthening_draws_in_with_the_spine_still():
    exercise = spec("deep-abdominal-strengthening")
    steps = " ".join(exercise.steps).lower()
    assert "draw your belly button in" in steps
    assert "keep your back and pelvis still" in steps
    assert "tilt" not in steps
    assert "draw" in exercise.move_cue.lower()


def test_the_prone_press_up_starts_on_the_elbows():
    steps = spec("prone-press-up").steps
    elbows = next(i for i, s in enumerate(steps) if "onto your elbows" in s)
    hands = next(i for i, s in enumerate(steps) if "on your hands" in s)
    assert elbows < hands


def test_cat_camel_is_five_to_eight_slow_cycles():
    exercise = spec("cat-camel")
    assert (exercise.reps_min, exercise.reps_max) == (5, 8)
    assert exercise.hold_seconds_min is None


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [s for s in SLUGS if spec(s).notes])
def test_internal_notes_are_never_shown(slug, client: Client):
    notes = Exercise.objects.get(slug=slug).notes
    assert notes
    html = client.get(f"/exercises/{slug}/").content.decode()
    # Its first few words, as the page would escape them.
    assert escape(" ".join(notes.split()[:6])) not in html
    body = client.get(f"/api/v1/exercises/{slug}").json()
    assert "notes" not in body
    assert notes not in str(body)
