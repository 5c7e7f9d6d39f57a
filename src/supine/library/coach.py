"""An exercise's `[coach]` table: what the camera coach measures, counts and cues.

The camera coach (static/supine/coach/coach.mjs) runs in the patient's browser on the
33 BlazePose landmarks a pose model finds in each camera frame. This module reads and
checks the table, and measures the exercise's own keyframes the way the coach measures a
person, seen from the side as a phone on the floor sees them: a threshold that the
exercise's own poses never cross, or a fault its own target pose commits, is refused
with the field named. `browser_spec` is what the coach module reads.

Measures (all in the image plane, so that the browser computes the same numbers):

- `angle` [a, b, c]: the angle at b between a and c, 0..180 degrees.
- `incline` [a, b]: how far the line from a to b rises above the horizontal, -90..90.
- `rise` [a, b]: how far a is above b, in torso lengths (shoulder to hip).
- `level` [a, b]: how far apart a and b are in height, in torso lengths (never negative).
- `gap` [a, b]: the distance between a and b, in torso lengths.

A point is a BlazePose landmark name ("left_knee") or a name without its side ("knee"):
the coach then measures each side it can see and takes the one further towards the
target (for the rep) or the worse one (for a fault).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from supine.library.figure import BLAZEPOSE, Figure, landmarks

KINDS = {"angle": 3, "incline": 2, "rise": 2, "level": 2, "gap": 2}
SIDELESS = sorted({name.split("_", 1)[1] for name in BLAZEPOSE if name.startswith("left_")})
# The trunk (hip to shoulder) must lie within this many degrees of the horizontal: a
# person standing up makes a lifted bridge's hip angle, but not its trunk.
DEFAULT_TRUNK_MAX = 35.0
DEFAULT_FAULT_MS = 600
PHASES = ("hold", "any")
# The side views a phone on the floor has: from either side of the person.
VIEW_AZIMUTHS = (0.0, 180.0)

_KEYS = {"timer_only", "say", "needed", "trunk_max", "measure", "rest", "target", "enter",
         "exit", "faults"}  # fmt: skip
_TIMER_KEYS = {"timer_only", "say"}
_MEASURE_KEYS = {"kind", "points"}
_FAULT_KEYS = {"name", "cue", "when", "check", "for_ms"}
_CHECK_KEYS = {"kind", "points", "above", "below"}

Point2 = tuple[float, float]


class CoachError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# -- measuring ------------------------------------------------------------------------


def side_view(figure: Figure, keyframe: int, azimuth: float) -> dict[str, Point2]:
    """A keyframe's landmarks seen level from beside the body: (right, up) in cm."""
    a = math.radians(azimuth)
    rx, rz = math.cos(a), -math.sin(a)
    return {n: (p[0] * rx + p[2] * rz, p[1]) for n, p in landmarks(figure, keyframe).items()}


def _sides(points: Sequence[str]) -> list[tuple[str, ...]]:
    if any(p in SIDELESS for p in points):
        return [
            tuple(f"{side}_{p}" if p in SIDELESS else p for p in points)
            for side in ("left", "right")
        ]
    return [tuple(points)]


def _torso(pts: Mapping[str, Point2]) -> float:
    lengths = [math.dist(pts[f"{s}_shoulder"], pts[f"{s}_hip"]) for s in ("left", "right")]
    return sum(lengths) / len(lengths)


def measure(kind: str, names: Sequence[str], pts: Mapping[str, Point2], torso: float) -> float:
    """One measure on named points given as (right, up); see the module's docstring."""
    p = [pts[n] for n in names]
    if kind == "angle":
        (ax, ay), (bx, by), (cx, cy) = p
        v1, v2 = (ax - bx, ay - by), (cx - bx, cy - by)
        cross = v1[0] * v2[1] - v1[1] * v2[0]
        return abs(math.degrees(math.atan2(cross, v1[0] * v2[0] + v1[1] * v2[1])))
    (ax, ay), (bx, by) = p
    if kind == "incline":
        return math.degrees(math.atan2(by - ay, abs(bx - ax)))
    if kind == "rise":
        return (ay - by) / torso
    if kind == "level":
        return abs(ay - by) / torso
    if kind == "gap":
        return math.hypot(ax - bx, ay - by) / torso
    raise ValueError(kind)


def keyframe_values(kind: str, points: Sequence[str], figure: Figure, keyframe: int) -> list[float]:
    """The measure on each side, from each side view, at one keyframe."""
    values: list[float] = []
    for azimuth in VIEW_AZIMUTHS:
        pts = side_view(figure, keyframe, azimuth)
        torso = _torso(pts)
        values.extend(measure(kind, names, pts, torso) for names in _sides(points))
    return values


# -- reading --------------------------------------------------------------------------


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CoachError(field, f"must be a number, not {value!r}")
    return float(value)


def _text(table: Mapping[str, Any], key: str, field: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CoachError(field, "is required: a non-empty string")
    return value.strip()


def _only(table: Mapping[str, Any], allowed: set[str], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise CoachError(prefix + key, f"unknown field (expected one of {sorted(allowed)})")


def _point(value: Any, field: str) -> str:
    if value not in BLAZEPOSE and value not in SIDELESS:
        raise CoachError(
            field,
            f"{value!r} is not a landmark: use a BlazePose name (left_knee) or one without "
            f"its side ({', '.join(SIDELESS)})",
        )
    return value


def _measure(raw: Any, field: str, keys: set[str]) -> tuple[str, list[str]]:
    if not isinstance(raw, dict):
        raise CoachError(field, "must be a table: { kind = ..., points = [...] }")
    _only(raw, keys, field + ".")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise CoachError(f"{field}.kind", f"must be one of {', '.join(KINDS)}; got {kind!r}")
    points = raw.get("points")
    if not isinstance(points, list) or len(points) != KINDS[kind]:
        raise CoachError(f"{field}.points", f"{kind} takes {KINDS[kind]} landmarks")
    return kind, [_point(p, f"{field}.points[{i}]") for i, p in enumerate(points)]


def _names(raw: Any, field: str, figure: Figure) -> list[int]:
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not names:
        raise CoachError(field, "must name a keyframe, or a list of keyframes")
    known = [k.name for k in figure.keyframes]
    out: list[int] = []
    for name in names:
        if name not in known:
            raise CoachError(field, f"{name!r} is not a keyframe (expected one of {known})")
        out.extend(i for i, k in enumerate(figure.keyframes) if k.name == name)
    return out


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def parse_coach(raw: Any, figure: Figure) -> dict[str, Any]:
    """Check a `[coach]` table against the exercise's figure; the table, normalised."""
    if not isinstance(raw, dict):
        raise CoachError("", "must be a table")
    timer_only = raw.get("timer_only", False)
    if not isinstance(timer_only, bool):
        raise CoachError("timer_only", "must be true or false")
    if timer_only:
        _only(raw, _TIMER_KEYS, "")
        return {"timer_only": True, "say": _text(raw, "say", "say")}
    _only(raw, _KEYS - {"say"}, "")

    needed = raw.get("needed")
    if not isinstance(needed, list) or not needed:
        raise CoachError("needed", "is required: the landmarks the camera must see")
    needed = [_point(p, f"needed[{i}]") for i, p in enumerate(needed)]
    trunk_max = _number(raw.get("trunk_max", DEFAULT_TRUNK_MAX), "trunk_max")
    if not 5 <= trunk_max <= 80:
        raise CoachError("trunk_max", f"must be between 5 and 80 degrees, not {_fmt(trunk_max)}")

    kind, points = _measure(raw.get("measure"), "measure", _MEASURE_KEYS)
    rest = _names(raw.get("rest"), "rest", figure)
    target = _names(raw.get("target"), "target", figure)
    enter, exit_ = _number(raw.get("enter"), "enter"), _number(raw.get("exit"), "exit")

    if enter == exit_:
        raise CoachError("exit", "must differ from enter: the gap between them is the hysteresis")
    _check_thresholds(kind, points, figure, rest, target, enter, exit_)
    _check_trunk_level(figure, (*rest, *target), trunk_max)

    faults = raw.get("faults", [])
    if not isinstance(faults, list):
        raise CoachError("faults", "must be a list of [[coach.faults]] tables")
    parsed_faults = [_fault(f, i, figure, target, rest) for i, f in enumerate(faults)]
    names = [f["name"] for f in parsed_faults]
    if len(set(names)) != len(names):
        raise CoachError("faults", "each fault needs its own name")
    return {
        "timer_only": False,
        "needed": needed,
        "trunk_max": trunk_max,
        "measure": {"kind": kind, "points": points},
        "rest": raw["rest"] if isinstance(raw["rest"], list) else [raw["rest"]],
        "target": raw["target"] if isinstance(raw["target"], list) else [raw["target"]],
        "enter": enter,
        "exit": exit_,
        "faults": parsed_faults,
    }


def _check_thresholds(
    kind: str,
    points: list[str],
    figure: Figure,
    rest: list[int],
    target: list[int],
    enter: float,
    exit_: float,
) -> None:
    """The rest poses measure on one side of both thresholds, the targets beyond `enter`."""

    def best(index: int, up: bool) -> float:
        values = keyframe_values(kind, points, figure, index)
        return max(values) if up else min(values)

    up = enter > exit_
    for index in rest:
        value = best(index, up)
        if (value >= exit_) if up else (value <= exit_):
            name = figure.keyframes[index].name
            raise CoachError(
                "exit",
                f"the rest keyframe {name!r} measures {_fmt(value)}, not "
                f"{'below' if up else 'above'} {_fmt(exit_)}: a rep would never end",
            )
    for index in target:
        value = best(index, up)
        if (value <= enter) if up else (value >= enter):
            name = figure.keyframes[index].name
            raise CoachError(
                "enter",
                f"the target keyframe {name!r} measures {_fmt(value)}, not "
                f"{'above' if up else 'below'} {_fmt(enter)}: no rep would ever count",
            )


def _check_trunk_level(figure: Figure, keyframes: Sequence[int], trunk_max: float) -> None:
    """Every pose the coach counts has the trunk near level (a standing person never is)."""
    for index in keyframes:
        incline = max(
            abs(v) for v in keyframe_values("incline", ["hip", "shoulder"], figure, index)
        )
        if incline > trunk_max:
            raise CoachError(
                "trunk_max",
                f"the keyframe {figure.keyframes[index].name!r} has the trunk "
                f"{_fmt(incline)} degrees from level, more than {_fmt(trunk_max)}",
            )


def _fault(raw: Any, i: int, figure: Figure, target: list[int], rest: list[int]) -> dict[str, Any]:
    at = f"faults[{i}]"
    if not isinstance(raw, dict):
        raise CoachError(at, "must be a table")
    _only(raw, _FAULT_KEYS, at + ".")
    name = _text(raw, "name", f"{at}.name")
    if not name.replace("_", "").isalnum() or name != name.lower():
        raise CoachError(f"{at}.name", "must be lowercase letters, digits and underscores")
    cue = _text(raw, "cue", f"{at}.cue")
    if len(cue) > 200:
        raise CoachError(f"{at}.cue", "must be at most 200 characters: it is spoken")
    when = raw.get("when", "hold")
    if when not in PHASES:
        raise CoachError(f"{at}.when", f"must be one of {', '.join(PHASES)}; got {when!r}")
    for_ms = _number(raw.get("for_ms", DEFAULT_FAULT_MS), f"{at}.for_ms")
    if not 0 <= for_ms <= 10_000:
        raise CoachError(f"{at}.for_ms", "must be between 0 and 10000 milliseconds")
    check = raw.get("check")
    kind, points = _measure(check, f"{at}.check", _CHECK_KEYS)
    assert isinstance(check, dict)  # _measure refuses anything else
    has_above, has_below = "above" in check, "below" in check
    if has_above == has_below:
        raise CoachError(f"{at}.check", "needs exactly one of above or below")
    limit = _number(check["above" if has_above else "below"], f"{at}.check.above")
    # The exercise's own poses never commit the fault they are checked for.
    for index in target if when == "hold" else (*target, *rest):
        values = keyframe_values(kind, points, figure, index)
        worst = max(values) if has_above else min(values)
        if (worst > limit) if has_above else (worst < limit):
            raise CoachError(
                f"{at}.check",
                f"the exercise's own keyframe {figure.keyframes[index].name!r} measures "
                f"{_fmt(worst)}, {'above' if has_above else 'below'} {_fmt(limit)}: "
                "it would be told off for its own pose",
            )
    check_out = {"kind": kind, "points": points, ("above" if has_above else "below"): limit}
    return {"name": name, "cue": cue, "when": when, "for_ms": for_ms, "check": check_out}


def reference(figure: Figure) -> list[dict[str, Any]]:
    """Each keyframe's timing and 3D landmarks (cm, y up), for generating test sequences."""
    return [
        {
            "name": k.name,
            "hold_ms": k.hold_ms,
            "ms": k.ms,
            "landmarks": [
                [round(c, 3) for c in point] for point in landmarks(figure, index).values()
            ],
        }
        for index, k in enumerate(figure.keyframes)
    ]


def library_reference(specs: Sequence[Any]) -> dict[str, Any]:
    """The library as the coach's tests read it: each exercise's dose, coach table and poses.

    `specs` are loader.ExerciseSpec; the figure tables were checked when they were read.
    """
    from supine.library.figure import parse_figure

    return {
        "landmarks": list(BLAZEPOSE),
        "exercises": [
            {
                "slug": spec.slug,
                "reps": [spec.reps_min, spec.reps_max],
                "hold_seconds": (
                    [spec.hold_seconds_min, spec.hold_seconds_max]
                    if spec.hold_seconds_min
                    else None
                ),
                "per_side": spec.per_side,
                "alternate_sides": spec.alternate_sides,
                "coach": spec.coach,
                "keyframes": reference(parse_figure(spec.figure)),
                # The rep measure of each keyframe, as this module computes it from both
                # side views: the browser's measures are tested against these.
                "measured": _measured(spec.coach, parse_figure(spec.figure)),
            }
            for spec in specs
        ],
    }


def _measured(coach: Mapping[str, Any], figure: Figure) -> list[list[float]] | None:
    if not coach or coach.get("timer_only"):
        return None
    kind, points = coach["measure"]["kind"], coach["measure"]["points"]
    return [
        [round(v, 6) for v in keyframe_values(kind, points, figure, i)]
        for i in range(len(figure.keyframes))
    ]
