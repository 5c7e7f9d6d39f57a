"""Reading and checking an exercise's `[figure]` table; every error names its field."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from supine.library.figure_model import (
    DEFAULT_PLANE,
    FACING_RANGE,
    JOINTS,
    MAX_SCALE,
    PLANES,
    POINTS,
    PROFILE_RANGES,
    SEGMENT_NAMES,
    VIEWS,
    Figure,
    FigureError,
    Keyframe,
    Pillow,
    Pose,
    Towel,
)


def _number(value: Any, field: str) -> float:
    # TOML booleans are ints to Python; an angle of `true` is a typo, not 1 degree.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FigureError(field, f"must be a number, not {value!r}")
    return float(value)


def _angle_range(plane: str, joint: str) -> tuple[float, float]:
    kind = joint.removesuffix("_near").removesuffix("_far")
    if plane == "frontal" and kind != "trunk":
        return FACING_RANGE
    return PROFILE_RANGES[kind]


def _parse_props(raw: Any, view: str) -> tuple[Pillow | Towel, ...]:
    if not isinstance(raw, list):
        raise FigureError("props", "must be a list of tables")
    props: list[Pillow | Towel] = []
    for i, item in enumerate(raw):
        at = f"props[{i}]"
        if not isinstance(item, Mapping):
            raise FigureError(at, "must be a table")
        kind = item.get("kind")
        if kind == "pillow":
            if view == "top":
                raise FigureError(f"{at}.kind", "a pillow needs a floor line (the side view)")
            _only(item, {"kind", "x", "width", "height"}, at)
            pillow = Pillow(
                x=_number(item.get("x", 0), f"{at}.x"),
                width=_number(item.get("width", 34), f"{at}.width"),
                height=_number(item.get("height", 6), f"{at}.height"),
            )
            if pillow.width <= 0 or pillow.height <= 0:
                raise FigureError(at, "width and height must be greater than 0")
            props.append(pillow)
        elif kind == "towel":
            _only(item, {"kind", "from", "to"}, at)
            ends = []
            for key in ("from", "to"):
                if item.get(key) not in POINTS:
                    raise FigureError(f"{at}.{key}", f"must name a joint, not {item.get(key)!r}")
                ends.append(item[key])
            props.append(Towel(start=ends[0], end=ends[1]))
        else:
            raise FigureError(f"{at}.kind", f"must be 'pillow' or 'towel', not {kind!r}")
    return tuple(props)


def _only(table: Mapping[str, Any], allowed: set[str], at: str = "") -> None:
    # Field paths are relative to the [figure] table, so its own keys carry no prefix.
    for key in table:
        if key not in allowed:
            field = f"{at}.{key}" if at else str(key)
            raise FigureError(field, f"unknown key; expected one of {', '.join(sorted(allowed))}")


def _parse_keyframe(raw: Any, i: int, plane: str, previous: Pose | None) -> Keyframe:
    at = f"keyframes[{i}]"
    if not isinstance(raw, Mapping):
        raise FigureError(at, "must be a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise FigureError(f"{at}.name", "must be a non-empty string")
    timing = {}
    for key, default in (("ms", None), ("hold_ms", 0.0)):
        if key not in raw and default is None:
            raise FigureError(f"{at}.{key}", "is required (milliseconds to the next keyframe)")
        timing[key] = _number(raw.get(key, default), f"{at}.{key}")
    if timing["ms"] <= 0:
        raise FigureError(f"{at}.ms", "must be greater than 0")
    if timing["hold_ms"] < 0:
        raise FigureError(f"{at}.hold_ms", "must not be negative")

    # A keyframe lists only what changes; everything else carries over from the one before.
    angles = dict(previous.angles) if previous else {}
    scale = dict(previous.scale) if previous else dict.fromkeys(SEGMENT_NAMES, 1.0)
    root = previous.root if previous else None
    for key, value in raw.items():
        field = f"{at}.{key}"
        if key in ("name", "ms", "hold_ms"):
            continue
        if key == "root":
            if not isinstance(value, list) or len(value) != 2:
                raise FigureError(field, "must be [x, y]")
            root = (_number(value[0], f"{field}[0]"), _number(value[1], f"{field}[1]"))
        elif key == "scale":
            if not isinstance(value, Mapping):
                raise FigureError(field, "must be a table of segment = factor")
            for seg, factor in value.items():
                if seg not in SEGMENT_NAMES:
                    raise FigureError(f"{field}.{seg}", "unknown segment")
                scale[seg] = _number(factor, f"{field}.{seg}")
                if not 0 < scale[seg] <= MAX_SCALE:
                    raise FigureError(
                        f"{field}.{seg}", f"must be above 0 and at most {MAX_SCALE:g}"
                    )
        elif key in JOINTS:
            angle = _number(value, field)
            low, high = _angle_range(plane, key)
            if not low <= angle <= high:
                raise FigureError(field, f"{angle:g} is outside {low:g}..{high:g} degrees")
            angles[key] = angle
        else:
            raise FigureError(field, "unknown joint")
    if previous is None:
        missing = [j for j in JOINTS if j not in angles]
        if missing:
            raise FigureError(f"{at}.{missing[0]}", "the first keyframe must set every joint")
        if root is None:
            raise FigureError(f"{at}.root", "the first keyframe must set the root [x, y]")
    assert root is not None
    pose = Pose(angles={j: angles[j] for j in JOINTS}, root=root, scale=scale)
    return Keyframe(name=name, pose=pose, hold_ms=timing["hold_ms"], ms=timing["ms"])


def parse_figure(data: Mapping[str, Any]) -> Figure:
    if not isinstance(data, Mapping):
        raise FigureError("figure", "must be a table")
    _only(data, {"view", "plane", "anchor", "keyframes", "props"})
    view = data.get("view", "side")
    if view not in VIEWS:
        raise FigureError("view", f"must be one of {', '.join(VIEWS)}, not {view!r}")
    plane = data.get("plane", DEFAULT_PLANE[view])
    if plane not in PLANES:
        raise FigureError("plane", f"must be one of {', '.join(PLANES)}, not {plane!r}")
    anchor = data.get("anchor", "hip")
    if anchor not in POINTS:
        raise FigureError("anchor", f"must name a joint, not {anchor!r}")
    raw_keyframes = data.get("keyframes")
    if raw_keyframes is None:
        raise FigureError("keyframes", "is missing: give at least a start and an end keyframe")
    if not isinstance(raw_keyframes, list):
        raise FigureError("keyframes", "must be a list of tables ([[figure.keyframes]])")
    if len(raw_keyframes) < 2:
        raise FigureError("keyframes", f"needs at least 2 keyframes, got {len(raw_keyframes)}")
    keyframes: list[Keyframe] = []
    for i, raw in enumerate(raw_keyframes):
        keyframes.append(_parse_keyframe(raw, i, plane, keyframes[-1].pose if keyframes else None))
    names = [k.name for k in keyframes]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise FigureError(f"keyframes[{i}].name", f"{name!r} is used twice")
    props = _parse_props(data.get("props", []), view)
    return Figure(view=view, plane=plane, keyframes=tuple(keyframes), props=props, anchor=anchor)
