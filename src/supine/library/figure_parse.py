"""Reading and checking an exercise's `[figure]` table; every error names its field."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from supine.library.figure_model import (
    BELLY_RANGE,
    CONTACT_RADII,
    JOINT_RANGES,
    JOINTS,
    PART_NAMES,
    POINTS,
    Arrow,
    Camera,
    Figure,
    FigureError,
    Keyframe,
    Pillow,
    Pose,
    Towel,
)

_FIGURE_KEYS = {"camera", "anchor", "thumbnail", "highlight", "arrows", "props", "keyframes"}
_TIMING = {"name", "ms", "hold_ms", "root", "belly", "contacts"}


def _number(value: Any, field: str) -> float:
    # TOML booleans are ints to Python; an angle of `true` is a typo, not 1 degree.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FigureError(field, f"must be a number, not {value!r}")
    return float(value)


def _numbers(value: Any, count: int, field: str, shape: str) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) != count:
        raise FigureError(field, f"must be {shape}")
    return tuple(_number(v, f"{field}[{i}]") for i, v in enumerate(value))


def _only(table: Mapping[str, Any], allowed: set[str], at: str = "") -> None:
    # Field paths are relative to the [figure] table, so its own keys carry no prefix.
    for key in table:
        if key not in allowed:
            field = f"{at}.{key}" if at else str(key)
            raise FigureError(field, f"unknown key; expected one of {', '.join(sorted(allowed))}")


def _point(value: Any, field: str) -> str:
    if value not in POINTS:
        raise FigureError(field, f"must name a point of the figure, not {value!r}")
    return value


def _parse_camera(raw: Any) -> Camera:
    if raw is None:
        raise FigureError(
            "camera", "is missing: say where the picture is seen from, e.g. "
            "{ azimuth = 0, elevation = 10 }"
        )  # fmt: skip
    if not isinstance(raw, Mapping):
        raise FigureError("camera", "must be a table { azimuth = ..., elevation = ... }")
    _only(raw, {"azimuth", "elevation"}, "camera")
    for key in ("azimuth", "elevation"):
        if key not in raw:
            raise FigureError(f"camera.{key}", "is required (degrees)")
    azimuth = _number(raw["azimuth"], "camera.azimuth")
    elevation = _number(raw["elevation"], "camera.elevation")
    if not -180 <= azimuth <= 360:
        raise FigureError("camera.azimuth", f"{azimuth:g} is outside -180..360 degrees")
    if not 0 <= elevation <= 90:
        raise FigureError("camera.elevation", f"{elevation:g} is outside 0..90 degrees")
    return Camera(azimuth=azimuth, elevation=elevation)


def _parse_props(raw: Any) -> tuple[Pillow | Towel, ...]:
    if not isinstance(raw, list):
        raise FigureError("props", "must be a list of tables")
    props: list[Pillow | Towel] = []
    for i, item in enumerate(raw):
        at = f"props[{i}]"
        if not isinstance(item, Mapping):
            raise FigureError(at, "must be a table")
        kind = item.get("kind")
        if kind == "pillow":
            _only(item, {"kind", "at", "size"}, at)
            x, z = _numbers(item.get("at"), 2, f"{at}.at", "[x, z], its centre on the floor")
            size = _numbers(
                item.get("size", [34, 7, 50]), 3, f"{at}.size", "[length, height, width]"
            )
            if min(size) <= 0:
                raise FigureError(f"{at}.size", "every side must be greater than 0")
            props.append(Pillow(at=(x, z), size=(size[0], size[1], size[2])))
        elif kind == "towel":
            _only(item, {"kind", "from", "to"}, at)
            start = _point(item.get("from"), f"{at}.from")
            props.append(Towel(start=start, end=_point(item.get("to"), f"{at}.to")))
        else:
            raise FigureError(f"{at}.kind", f"must be 'pillow' or 'towel', not {kind!r}")
    return tuple(props)


def _keyframe_timing(raw: Mapping[str, Any], at: str) -> dict[str, float]:
    timing = {}
    for key, default in (("ms", None), ("hold_ms", 0.0)):
        if key not in raw and default is None:
            raise FigureError(f"{at}.{key}", "is required (milliseconds to the next keyframe)")
        timing[key] = _number(raw.get(key, default), f"{at}.{key}")
    if timing["ms"] <= 0:
        raise FigureError(f"{at}.ms", "must be greater than 0")
    if timing["hold_ms"] < 0:
        raise FigureError(f"{at}.hold_ms", "must not be negative")
    return timing


def _contacts(value: Any, field: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FigureError(field, "must be a list of points")
    for n, point in enumerate(value):
        if point not in CONTACT_RADII:
            raise FigureError(
                f"{field}[{n}]",
                f"{point!r} is not a point that can rest on the floor; expected one "
                f"of {', '.join(CONTACT_RADII)}",
            )
    return tuple(value)


def _parse_keyframe(raw: Any, i: int, previous: Keyframe | None) -> Keyframe:
    at = f"keyframes[{i}]"
    if not isinstance(raw, Mapping):
        raise FigureError(at, "must be a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise FigureError(f"{at}.name", "must be a non-empty string")
    timing = _keyframe_timing(raw, at)

    # A keyframe lists only what changes; everything else carries over from the one
    # before. The first keyframe starts from the neutral pose (every angle 0).
    if previous is None:
        for key in ("root", "trunk"):
            if key not in raw:
                raise FigureError(f"{at}.{key}", "the first keyframe must set it")
        contacts: tuple[str, ...] = ()
        angles, root, belly = dict.fromkeys(JOINTS, 0.0), None, 0.0
    else:
        pose = previous.pose
        angles, root, belly = dict(pose.angles), pose.root, pose.belly
        contacts = previous.contacts
    for key, value in raw.items():
        field = f"{at}.{key}"
        if key in ("name", "ms", "hold_ms"):
            continue
        if key == "root":
            x, y, z = _numbers(value, 3, field, "[x, y, z]")
            root = (x, y, z)
        elif key == "belly":
            belly = _number(value, field)
            low, high = BELLY_RANGE
            if not low <= belly <= high:
                raise FigureError(field, f"{belly:g} is outside {low:g}..{high:g}")
        elif key == "contacts":
            contacts = _contacts(value, field)
        elif key in JOINT_RANGES:
            angle = _number(value, field)
            low, high = JOINT_RANGES[key]
            if not low <= angle <= high:
                raise FigureError(field, f"{angle:g} is outside {low:g}..{high:g} degrees")
            angles[key] = angle
        else:
            raise FigureError(field, "unknown joint")
    assert root is not None
    return Keyframe(
        name=name,
        pose=Pose(angles=angles, root=root, belly=belly),
        hold_ms=timing["hold_ms"],
        ms=timing["ms"],
        contacts=contacts,
    )


def _parse_arrows(raw: Any, names: list[str]) -> tuple[Arrow, ...]:
    if not isinstance(raw, list):
        raise FigureError("arrows", "must be a list of tables")
    arrows = []
    for i, item in enumerate(raw):
        at = f"arrows[{i}]"
        if not isinstance(item, Mapping):
            raise FigureError(at, "must be a table")
        _only(item, {"point", "from", "to", "clearance"}, at)
        ends = []
        for key in ("from", "to"):
            if item.get(key) not in names:
                raise FigureError(f"{at}.{key}", f"must name a keyframe, not {item.get(key)!r}")
            ends.append(item[key])
        if ends[0] == ends[1]:
            raise FigureError(f"{at}.to", "must differ from `from`")
        clearance = _number(item.get("clearance", 6), f"{at}.clearance")
        if clearance < 0:
            raise FigureError(f"{at}.clearance", "must not be negative")
        point = _point(item.get("point"), f"{at}.point")
        arrows.append(Arrow(point=point, start=ends[0], end=ends[1], clearance=clearance))
    return tuple(arrows)


def parse_figure(data: Mapping[str, Any]) -> Figure:
    if not isinstance(data, Mapping):
        raise FigureError("figure", "must be a table")
    _only(data, _FIGURE_KEYS)
    camera = _parse_camera(data.get("camera"))
    anchor = _point(data.get("anchor", "mid_hip"), "anchor")
    raw_keyframes = data.get("keyframes")
    if raw_keyframes is None:
        raise FigureError("keyframes", "is missing: give at least a start and an end keyframe")
    if not isinstance(raw_keyframes, list):
        raise FigureError("keyframes", "must be a list of tables ([[figure.keyframes]])")
    if len(raw_keyframes) < 2:
        raise FigureError("keyframes", f"needs at least 2 keyframes, got {len(raw_keyframes)}")
    keyframes: list[Keyframe] = []
    for i, raw in enumerate(raw_keyframes):
        keyframes.append(_parse_keyframe(raw, i, keyframes[-1] if keyframes else None))
    names = [k.name for k in keyframes]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise FigureError(f"keyframes[{i}].name", f"{name!r} is used twice")
    thumbnail = data.get("thumbnail")
    if thumbnail is None:
        raise FigureError("thumbnail", "is missing: name the keyframe that shows the exercise best")
    if thumbnail not in names:
        raise FigureError("thumbnail", f"must name a keyframe, not {thumbnail!r}")
    highlight = data.get("highlight")
    if highlight is None:
        raise FigureError("highlight", 'is missing: name the parts that move, e.g. ["left_thigh"]')
    if not isinstance(highlight, list) or not highlight:
        raise FigureError("highlight", "must be a non-empty list of parts")
    for i, part in enumerate(highlight):
        if part not in PART_NAMES:
            raise FigureError(
                f"highlight[{i}]",
                f"{part!r} is not a part; expected one of {', '.join(PART_NAMES)}",
            )
    return Figure(
        camera=camera,
        highlight=tuple(highlight),
        keyframes=tuple(keyframes),
        thumbnail=names.index(thumbnail),
        arrows=_parse_arrows(data.get("arrows", []), names),
        props=_parse_props(data.get("props", [])),
        anchor=anchor,
    )
