"""Precautions: which exercises need care, for whom, in words a patient understands.

clinical-rules.md §6 lists, per exercise, the conditions that call for care ("warn when
prescribing; the patient sees plain words"). The conditions are a fixed vocabulary that
matches the safety screen's history items where there is one (osteoporosis is the
screen's `weak_bones`); an exercise file naming any other condition is refused by the
loader, so a typo can never hide a precaution.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# One vocabulary, kept with the patient's record (what a clinician records at enrolment)
# and used here for the exercises' precautions.
from supine.clinic.models import Condition


def condition_words(condition: Condition | str) -> str:
    """The condition as a patient would say it."""
    return _WORDS[Condition(condition)]


_WORDS = {
    Condition.OSTEOPOROSIS: "osteoporosis (weak bones)",
    Condition.HIP_REPLACEMENT: "a hip replacement",
    Condition.PREGNANCY: "pregnancy, or a baby in the last 6 months",
    Condition.KNEE_PROBLEMS: "knee problems",
    Condition.WRIST_PROBLEMS: "wrist problems",
    Condition.SCIATICA: "sciatica (pain spreading down the leg)",
    Condition.SPINAL_STENOSIS: "spinal stenosis (a narrowed spinal canal)",
    Condition.SPONDYLOLISTHESIS: "spondylolisthesis (a slipped vertebra)",
    Condition.RECENT_ABDOMINAL_SURGERY: "recent surgery on your tummy",
}

# What holds for every exercise, for a patient with the condition (clinical-rules.md §6, the
# notes under the table: hip replacement; pregnancy, NHS and ACOG Committee Opinion 804).
ALWAYS: dict[Condition, str] = {
    Condition.HIP_REPLACEMENT: (
        "In the first 3 months after a hip replacement, or if your surgeon gave you hip "
        "precautions: don't bend your hip past a right angle and don't cross your leg over "
        "the middle of your body, unless your surgeon says otherwise."
    ),
    Condition.PREGNANCY: (
        "Stop and call your maternity unit or obstetric provider now for bleeding or fluid "
        "from the vagina, regular painful tightening of the bump, calf pain or swelling, "
        "chest pain or breathlessness."
    ),
}

ASSESSMENT_ONLY_WORDS = (
    "Only do this exercise if a clinician has assessed your back and suggested it for you."
)


class PrecautionError(ValueError):
    """A malformed `precautions` entry: which field, what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Precaution:
    condition: Condition
    advice: str

    @property
    def words(self) -> str:
        return condition_words(self.condition)

    def as_dict(self) -> dict[str, str]:
        return {"condition": self.condition.value, "advice": self.advice}


_KEYS = {"condition", "advice"}


def parse_precautions(value: Any) -> list[Precaution]:
    """`[[precautions]]` tables → Precautions; field names are relative to `precautions`."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PrecautionError("precautions", "must be a list of [[precautions]] tables")
    known = ", ".join(c.value for c in Condition)
    found: list[Precaution] = []
    seen: set[Condition] = set()
    for index, entry in enumerate(value):
        where = f"precautions[{index}]"
        if not isinstance(entry, dict):
            raise PrecautionError(where, "must be a table with condition and advice")
        for key in entry:
            if key not in _KEYS:
                raise PrecautionError(
                    f"{where}.{key}", "unknown field (expected condition and advice)"
                )
        condition, advice = entry.get("condition"), entry.get("advice")
        if condition not in {c.value for c in Condition}:
            raise PrecautionError(
                f"{where}.condition", f"unknown condition {condition!r} (expected one of {known})"
            )
        if not isinstance(advice, str) or not advice.strip():
            raise PrecautionError(f"{where}.advice", "must be a non-empty string")
        if Condition(condition) in seen:
            raise PrecautionError(f"{where}.condition", f"{condition!r} is listed twice")
        seen.add(Condition(condition))
        found.append(Precaution(Condition(condition), advice.strip()))
    return found


def stored_precautions(precautions: Sequence[Mapping[str, str]]) -> list[Precaution]:
    """Precautions as kept in the database (the loader and the admin let in only the
    vocabulary, so nothing is left out here unless the vocabulary itself shrank)."""
    found = []
    for entry in precautions:
        try:
            found.append(Precaution(Condition(entry["condition"]), entry["advice"]))
        except (KeyError, ValueError):
            continue
    return found


@dataclass(frozen=True)
class PersonalPrecautions:
    """An exercise's precautions split into the patient's own and the rest."""

    yours: list[Precaution]
    always: list[str]  # the condition-wide advice for the patient's own conditions
    others: list[Precaution]


def personal_precautions(
    precautions: Sequence[Precaution], conditions: Collection[str]
) -> PersonalPrecautions:
    """The patient's own precautions first; the others stay visible, as a patient may
    have a condition Supine was never told about."""
    yours = [p for p in precautions if p.condition in conditions]
    others = [p for p in precautions if p.condition not in conditions]
    always = [ALWAYS[c] for c in Condition if c in conditions and c in ALWAYS]
    return PersonalPrecautions(yours=yours, always=always, others=others)
