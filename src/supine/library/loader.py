"""Read the exercise library from its TOML files and load it into the database.

Parsing is pure (file text in, `ExerciseSpec` out) so that every rule about a
well-formed exercise is tested without a database. Loading is all or nothing:
one malformed file and nothing is written.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from supine.library.coach import CoachError, parse_coach
from supine.library.figure import FigureError, parse_figure
from supine.library.models import Exercise
from supine.library.precautions import PrecautionError, parse_precautions

EXERCISES_DIR = Path(__file__).resolve().parent / "exercises"

_TOP_KEYS = {
    "slug", "name", "purpose", "body_regions", "starting_position", "position", "equipment",
    "steps", "breathing", "cautions", "cues", "dose", "sources", "figure", "coach",
}  # fmt: skip
# Where the body is at the start: the player waits for the patient between two of these.
POSITIONS = ("back", "side", "front", "all_fours", "kneeling", "sitting", "standing")
# What a patient reads beyond the steps, and what they never read (see _guidance).
_GUIDANCE_KEYS = {"feel", "mistakes", "precautions", "assessment_only", "notes"}
_REQUIRED_TEXT = ("slug", "name", "purpose", "starting_position")
_DOSE_KEYS = {"reps", "hold_seconds", "sets", "per_side", "alternate_sides"}
_CUE_KEYS = {"move", "hold", "release"}
_SOURCE_KEYS = {"title", "note", "url"}
DEFAULT_HOLD_CUE = "Hold, and keep breathing."


class LibraryError(ValueError):
    """A malformed exercise file: which file, which field, what is wrong."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file, self.field, self.message = file, field, message
        super().__init__(f"{file}: {field}: {message}")


@dataclass(frozen=True)
class ExerciseSpec:
    slug: str
    name: str
    purpose: str
    body_regions: list[str]
    starting_position: str
    equipment: list[str]
    steps: list[str]
    breathing: str
    cautions: list[str]
    sources: list[dict[str, str]]
    move_cue: str
    hold_cue: str
    release_cue: str
    reps_min: int
    reps_max: int
    hold_seconds_min: int | None
    hold_seconds_max: int | None
    sets_min: int
    sets_max: int
    per_side: bool
    alternate_sides: bool
    position: str = ""
    feel: str = ""
    mistakes: list[str] = field(default_factory=list)
    precautions: list[dict[str, str]] = field(default_factory=list)
    assessment_only: bool = False
    notes: str = ""  # for the people who keep the library; never shown to patients
    figure: dict[str, Any] = field(default_factory=dict)
    # What the camera coach measures (library/coach.py); empty: no coach for it.
    coach: dict[str, Any] = field(default_factory=dict)
    source_file: str = ""
    source_hash: str = ""


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class _Reader:
    """Typed access to one file's table, raising LibraryError that names the field."""

    def __init__(self, file: str, data: Mapping[str, Any]) -> None:
        self.file, self.data = file, data

    def fail(self, field: str, message: str) -> LibraryError:
        return LibraryError(self.file, field, message)

    def check_keys(self, table: Mapping[str, Any], allowed: set[str], prefix: str = "") -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(prefix + key, f"unknown field (expected one of {sorted(allowed)})")

    def text(self, table: Mapping[str, Any], key: str, prefix: str = "", required=True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(prefix + key, "is required")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(prefix + key, "must be a non-empty string")
        return value.strip()

    def texts(self, key: str, *, required: bool) -> list[str]:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must be a list of non-empty strings")
        if required and not value:
            raise self.fail(key, "must not be empty")
        return [v.strip() for v in value]

    def int_range(self, dose: Mapping[str, Any], key: str) -> tuple[int, int]:
        value = dose[key]
        name = f"dose.{key}"
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            raise self.fail(name, "must be a range [min, max] of two whole numbers")
        low, high = value
        if low < 1:
            raise self.fail(name, f"minimum must be at least 1, got {low}")
        if low > high:
            raise self.fail(name, f"minimum {low} is greater than maximum {high}")
        if high > 600:
            raise self.fail(name, f"maximum {high} is implausibly large (over 600)")
        return low, high

    def flag(self, dose: Mapping[str, Any], key: str) -> bool:
        value = dose.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"dose.{key}", "must be true or false")
        return value


def parse_exercise(file: str, content: bytes) -> ExerciseSpec:
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise LibraryError(file, "(file)", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise LibraryError(file, "(file)", f"is not valid TOML: {error}") from None
    r = _Reader(file, data)
    r.check_keys(data, _TOP_KEYS | _GUIDANCE_KEYS)
    slug, name, purpose, starting_position = (r.text(data, key) for key in _REQUIRED_TEXT)
    if not slug.replace("-", "").isalnum() or slug != slug.lower():
        raise r.fail("slug", "must be lowercase letters, digits and hyphens")
    if Path(file).stem != slug:
        raise r.fail("slug", f"must match the file name ({Path(file).stem!r})")
    position = r.text(data, "position")
    if position not in POSITIONS:
        raise r.fail("position", f"must be one of {', '.join(POSITIONS)}; got {position!r}")

    cues = data.get("cues")
    if not isinstance(cues, dict):
        raise r.fail("cues", "is required: a table with move, hold and release")
    r.check_keys(cues, _CUE_KEYS, "cues.")

    reps, sets, hold, per_side, alternate = _dose(r, data)
    parsed_sources = _sources(r, data)
    figure = _figure(r, data)
    coach = _coach(r, data, figure)

    return ExerciseSpec(
        slug=slug,
        name=name,
        purpose=purpose,
        body_regions=r.texts("body_regions", required=True),
        starting_position=starting_position,
        position=position,
        equipment=r.texts("equipment", required=False),
        steps=r.texts("steps", required=True),
        breathing=r.text(data, "breathing", required=False),
        cautions=r.texts("cautions", required=False),
        sources=parsed_sources,
        move_cue=r.text(cues, "move", "cues."),
        hold_cue=r.text(cues, "hold", "cues.", required=False) or DEFAULT_HOLD_CUE,
        release_cue=r.text(cues, "release", "cues."),
        reps_min=reps[0],
        reps_max=reps[1],
        hold_seconds_min=hold[0],
        hold_seconds_max=hold[1],
        sets_min=sets[0],
        sets_max=sets[1],
        per_side=per_side,
        alternate_sides=alternate,
        **_guidance(r, data),
        figure=figure,
        coach=coach,
        source_file=Path(file).name,
        source_hash=hashlib.sha256(content).hexdigest(),
    )


def _dose(r: _Reader, data: Mapping[str, Any]) -> tuple:
    """The dose ranges: reps, sets, hold (None, None without one), and the sides."""
    dose = data.get("dose")
    if not isinstance(dose, dict):
        raise r.fail("dose", "is required: a table with reps, hold_seconds, sets")
    r.check_keys(dose, _DOSE_KEYS, "dose.")
    for key in ("reps", "sets"):
        if key not in dose:
            raise r.fail(f"dose.{key}", "is required")
    reps = r.int_range(dose, "reps")
    sets = r.int_range(dose, "sets")
    hold = r.int_range(dose, "hold_seconds") if "hold_seconds" in dose else (None, None)
    per_side, alternate = r.flag(dose, "per_side"), r.flag(dose, "alternate_sides")
    if per_side and alternate:
        raise r.fail("dose.alternate_sides", "cannot be true together with per_side")
    return reps, sets, hold, per_side, alternate


def _sources(r: _Reader, data: Mapping[str, Any]) -> list[dict[str, str]]:
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        raise r.fail("sources", "is required: at least one [[sources]] entry with a title")
    parsed_sources = []
    for index, source in enumerate(sources):
        prefix = f"sources[{index}]."
        if not isinstance(source, dict):
            raise r.fail(f"sources[{index}]", "must be a table")
        r.check_keys(source, _SOURCE_KEYS, prefix)
        entry = {"title": r.text(source, "title", prefix)}
        for key in ("note", "url"):
            if key in source:
                entry[key] = r.text(source, key, prefix)
        parsed_sources.append(entry)
    return parsed_sources


def _figure(r: _Reader, data: Mapping[str, Any]) -> dict:
    figure = data.get("figure")
    if not isinstance(figure, dict):
        raise r.fail("figure", "is required: the pose sequence (a [figure] table)")
    try:
        parse_figure(figure)
    except FigureError as error:
        raise r.fail(f"figure.{error.field}", error.message) from None
    return figure


def _coach(r: _Reader, data: Mapping[str, Any], figure: dict) -> dict:
    """The camera coach's table, checked against the exercise's own keyframes."""
    if "coach" not in data:
        return {}
    try:
        return parse_coach(data["coach"], parse_figure(figure))
    except CoachError as error:
        raise r.fail(f"coach.{error.field}".rstrip("."), error.message) from None


def _guidance(r: _Reader, data: Mapping[str, Any]) -> dict[str, Any]:
    """What to feel, common mistakes, precautions (clinical-rules.md §6) and internal notes."""
    try:
        precautions = parse_precautions(data.get("precautions"))
    except PrecautionError as error:
        raise r.fail(error.field, error.message) from None
    assessment_only = data.get("assessment_only", False)
    if not isinstance(assessment_only, bool):
        raise r.fail("assessment_only", "must be true or false")
    return {
        "feel": r.text(data, "feel", required=False),
        "mistakes": r.texts("mistakes", required=False),
        "precautions": [p.as_dict() for p in precautions],
        "assessment_only": assessment_only,
        "notes": r.text(data, "notes", required=False),
    }


def read_library(directory: Path = EXERCISES_DIR) -> list[ExerciseSpec]:
    """Parse every `*.toml` in `directory`; the first malformed file raises LibraryError."""
    specs = [
        parse_exercise(path.name, path.read_bytes()) for path in sorted(directory.glob("*.toml"))
    ]
    if not specs:
        raise LibraryError(str(directory.name), "(directory)", "holds no *.toml exercise files")
    return specs


def load_library(directory: Path = EXERCISES_DIR) -> LoadResult:
    """Create or update an Exercise for each file; unchanged files write nothing."""
    specs = read_library(directory)
    result = LoadResult()
    existing = {e.slug: e for e in Exercise.objects.filter(slug__in=[s.slug for s in specs])}
    with transaction.atomic():
        for spec in specs:
            values = asdict(spec)
            current = existing.get(spec.slug)
            if current is None:
                Exercise.objects.create(**values)
                result.created.append(spec.slug)
            elif current.source_hash == spec.source_hash and not current.retired:
                result.unchanged.append(spec.slug)
            else:
                Exercise.objects.filter(pk=current.pk).update(
                    **values, retired=False, updated_at=timezone.now()
                )
                result.updated.append(spec.slug)
    return result
