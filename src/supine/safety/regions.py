"""Where a clinic practises fixes the words and numbers of every safety sentence.

clinical-rules.md §1 (Region): the emergency number and place, the urgent route, and the
everyday words patients in that region use. A clinic has one region; patients see its
words. Numbers appear as text and as tap-to-call links.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Region(StrEnum):
    US = "us"
    UK = "uk"
    EU = "eu"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Region.US: "United States", Region.UK: "United Kingdom", Region.EU: "European Union"}


@dataclass(frozen=True)
class RegionWords:
    emergency_number: str  # "911"
    emergency_room: str  # "the ER": where to go now
    emergency_room_short: str  # "ER": in a label
    urgent_route: str  # who to see today
    urgent_call: tuple[str, str] | None  # a number for urgent advice, when the region has one
    belly: str
    bowel_movement: str
    rectum: str
    doctor: str  # the patient's own doctor


WORDS: dict[Region, RegionWords] = {
    Region.US: RegionWords(
        emergency_number="911",
        emergency_room="the ER (emergency room)",
        emergency_room_short="ER",
        urgent_route="your doctor or an urgent care clinic today",
        urgent_call=None,
        belly="belly",
        bowel_movement="bowel movement",
        rectum="rectum",
        doctor="your doctor",
    ),
    Region.UK: RegionWords(
        emergency_number="999",
        emergency_room="A&E",
        emergency_room_short="A&E",
        urgent_route="NHS 111 or your GP today",
        urgent_call=("NHS 111", "111"),
        belly="tummy",
        bowel_movement="poo",
        rectum="back passage",
        doctor="your GP",
    ),
    Region.EU: RegionWords(
        emergency_number="112",
        emergency_room="the emergency department",
        emergency_room_short="emergency department",
        urgent_route="your doctor or the out-of-hours doctor today",
        urgent_call=None,
        belly="belly",
        bowel_movement="bowel movement",
        rectum="back passage",
        doctor="your doctor",
    ),
}


def words_for(region: str | Region) -> RegionWords:
    return WORDS[Region(region)]


def tel_href(number: str) -> str:
    """A tap-to-call link target: digits and a leading + only."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return f"tel:{digits}"


@dataclass(frozen=True)
class Contact:
    label: str
    tel: str  # as dialled: "911", "+1 555 0100"

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "tel": self.tel}


def contacts(
    *, region: str | Region, clinic_name: str, clinic_phone: str, emergency: bool
) -> list[Contact]:
    """Who to call: the emergency number first when it is an emergency, the clinic always."""
    words = words_for(region)
    found: list[Contact] = []
    if emergency:
        found.append(Contact(f"Emergency: call {words.emergency_number}", words.emergency_number))
    elif words.urgent_call is not None:
        found.append(Contact(f"{words.urgent_call[0]} (urgent advice)", words.urgent_call[1]))
    if clinic_phone:
        found.append(Contact(clinic_name or "Your clinic", clinic_phone))
    return found
