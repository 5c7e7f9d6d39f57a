"""The words of "When to get help", filled in for each region (clinical-rules.md §1, §2)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from supine.safety.guidance import (
    CAUDA_EQUINA_SIGNS,
    EMERGENCY_CALL_SIGNS,
    EMERGENCY_OTHER_SIGNS,
    FLARE_PLAN,
    URGENT_SIGNS,
    flare_plan,
    help_guidance,
)
from supine.safety.regions import Region, words_for

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def all_text(region: Region) -> list[str]:
    guidance = help_guidance(region)
    texts = [*guidance.flare_plan, guidance.urgent.action, guidance.urgent_cancer]
    for group in [*guidance.emergency, guidance.urgent]:
        texts += [group.action, group.tell]
        texts += [text for sign in group.signs for text in (sign.text, sign.tell)]
    return texts


@pytest.mark.parametrize("region", list(Region))
def test_every_placeholder_is_filled_with_the_regions_words(region):
    for text in all_text(region):
        assert not PLACEHOLDER.search(text), text


@pytest.mark.parametrize(
    ("region", "number", "place", "urgent", "belly", "rectum"),
    [
        (Region.US, "911", "the ER (emergency room)", "urgent care clinic", "belly", "rectum"),
        (Region.UK, "999", "A&E", "NHS 111 or your GP", "tummy", "back passage"),
        (Region.EU, "112", "the emergency department", "out-of-hours doctor", "belly", "back"),
    ],
)
def test_the_actions_name_the_regions_numbers_places_and_words(
    region, number, place, urgent, belly, rectum
):
    guidance = help_guidance(region)
    call_now, cauda_equina, _ = guidance.emergency
    assert call_now.action == f"Call {number} now. Don't drive yourself."
    assert cauda_equina.action == f"Go to {place} now, or call {number}."
    assert urgent in guidance.urgent.action
    assert place in guidance.urgent.action
    assert belly in call_now.signs[1].text
    assert rectum in cauda_equina.signs[0].text
    assert guidance.emergency_number == number


def test_the_cauda_equina_signs_say_what_to_tell_the_emergency_team():
    cauda_equina = help_guidance(Region.US).emergency[1]
    assert "cauda equina syndrome" in cauda_equina.tell
    texts = " ".join(sign.text for sign in cauda_equina.signs)
    for words in ("between your legs", "genitals", "pee", "pads", "both legs", "foot that drags"):
        assert words in texts


def test_chest_pain_and_sudden_belly_pain_call_an_ambulance_rather_than_drive():
    call_now = help_guidance(Region.UK).emergency[0]
    assert [sign.text for sign in call_now.signs] == [
        "Chest pain with your back pain.",
        "Sudden, severe pain in your back and tummy, or feeling faint with it.",
    ]


def test_cancer_and_infection_signs_say_what_to_tell_them():
    other = help_guidance(Region.US).emergency[2]
    tells = {sign.tell for sign in other.signs}
    assert "Tell them: “I have back pain and I've had cancer.”" in tells
    assert "Tell them: “I have back pain and I'm worried about an infection in my spine.”" in tells


def test_the_help_page_lists_every_sign_once():
    guidance = help_guidance(Region.US)
    shown = [sign for group in guidance.emergency for sign in group.signs]
    assert len(shown) == len(EMERGENCY_CALL_SIGNS) + len(CAUDA_EQUINA_SIGNS) + len(
        EMERGENCY_OTHER_SIGNS
    )
    assert len(guidance.urgent.signs) == len(URGENT_SIGNS)


@pytest.mark.parametrize("region", list(Region))
def test_the_flare_plan_covers_clinical_section_2(region):
    plan = flare_plan(region)
    assert len(plan) == len(FLARE_PLAN)
    text = " ".join(plan).lower()
    for part in ("no more exercise sessions today", "position", "walk", "pace", "heat"):
        assert part in text
    doctor = words_for(region).doctor.lower()
    assert f"ask a pharmacist or {doctor} which is right for you" in text
    assert "most flare-ups settle within days to a few weeks" in text
    assert "when to get help" in text


def test_guidance_is_plain_data():
    guidance = help_guidance(Region.EU)
    # Reusable by the Today page, the player and PDFs: nothing but strings and lists.
    assert isinstance(dataclasses.asdict(guidance), dict)
