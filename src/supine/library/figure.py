"""The articulated exercise figure: a pose sequence read from an exercise's `[figure]` table.

World coordinates are centimetre-like units with y pointing up and the floor at y = 0.
The browser animator (static/supine/figure.js) repeats `pose_at` and `joint_positions`
operation for operation, so keep the two in step when changing either.
"""

from __future__ import annotations

import math
from typing import Any

from supine.library import figure_svg
from supine.library.figure_model import (
    FLAT_TORSO_WIDTH,
    HALF_WIDTHS,
    HEAD_RADIUS,
    JOINTS,
    POINTS,
    SEGMENT_NAMES,
    SEGMENTS,
    SOLE_DEPTH,
    Figure,
    FigureError,
    Keyframe,
    Pillow,
    Pose,
    Segment,
    Towel,
)
from supine.library.figure_parse import parse_figure

__all__ = [
    "JOINTS",
    "POINTS",
    "SEGMENTS",
    "Figure",
    "FigureError",
    "Keyframe",
    "Pillow",
    "Pose",
    "Towel",
    "animation_data",
    "joint_positions",
    "keyframe_times",
    "parse_figure",
    "pose_at",
    "render_svg",
    "segment_width",
    "view_box",
]

_RAD = math.pi / 180.0


def _ease(s: float) -> float:
    # Smoothstep: plain arithmetic, so the browser computes bit-for-bit the same value.
    return s * s * (3.0 - 2.0 * s)


def _mix(a: float, b: float, e: float) -> float:
    return a + (b - a) * e


def pose_at(figure: Figure, t_ms: float) -> Pose:
    if not math.isfinite(t_ms):
        raise ValueError(f"time must be finite, not {t_ms!r}")
    t = t_ms % figure.period_ms
    start = 0.0
    frames = figure.keyframes
    for i, frame in enumerate(frames):
        end = start + frame.hold_ms + frame.ms
        if t < end or i == len(frames) - 1:
            moving = t - start - frame.hold_ms
            if moving <= 0:
                return frame.pose
            e = _ease(min(moving / frame.ms, 1.0))
            a, b = frame.pose, frames[(i + 1) % len(frames)].pose
            return Pose(
                angles={j: _mix(a.angles[j], b.angles[j], e) for j in JOINTS},
                root=(_mix(a.root[0], b.root[0], e), _mix(a.root[1], b.root[1], e)),
                scale={s: _mix(a.scale[s], b.scale[s], e) for s in SEGMENT_NAMES},
            )
        start = end
    raise AssertionError("unreachable: the last keyframe catches every time")


def keyframe_times(figure: Figure) -> tuple[float, ...]:
    times, start = [], 0.0
    for frame in figure.keyframes:
        times.append(start)
        start += frame.hold_ms + frame.ms
    return tuple(times)


def _step(p: tuple[float, float], length: float, deg: float) -> tuple[float, float]:
    r = deg * _RAD
    return (p[0] + length * math.cos(r), p[1] + length * math.sin(r))


def joint_positions(figure: Figure, pose: Pose) -> dict[str, tuple[float, float]]:
    a, lengths = pose.angles, {s.name: s.length * pose.scale[s.name] for s in SEGMENTS}
    shoulder_half, hip_half = HALF_WIDTHS[figure.plane]
    lower = a["trunk"]
    upper = lower - a["spine"]
    hip = (0.0, 0.0)
    waist = _step(hip, lengths["torso_lower"], lower)
    shoulder = _step(waist, lengths["torso_upper"], upper)
    out = {"hip": hip, "waist": waist, "shoulder": shoulder}
    out["head"] = _step(shoulder, lengths["neck"], upper - a["neck"])
    for side, sign in (("near", 1.0), ("far", -1.0)):
        # In profile both sides share one joint; facing the camera they sit either side.
        s = _step(shoulder, sign * shoulder_half, upper - 90.0)
        arm = upper + 180.0 + a[f"shoulder_{side}"]
        fore = arm + a[f"elbow_{side}"]
        out[f"shoulder_{side}"] = s
        out[f"elbow_{side}"] = _step(s, lengths[f"upper_arm_{side}"], arm)
        out[f"hand_{side}"] = _step(out[f"elbow_{side}"], lengths[f"forearm_{side}"], fore)
        h = _step(hip, sign * hip_half, lower - 90.0)
        thigh = lower + 180.0 + a[f"hip_{side}"]
        shin = thigh - a[f"knee_{side}"]
        foot = shin + 90.0 + a[f"ankle_{side}"]
        out[f"hip_{side}"] = h
        out[f"knee_{side}"] = _step(h, lengths[f"thigh_{side}"], thigh)
        out[f"ankle_{side}"] = _step(out[f"knee_{side}"], lengths[f"shin_{side}"], shin)
        out[f"toe_{side}"] = _step(out[f"ankle_{side}"], lengths[f"foot_{side}"], foot)
        # The ball of the foot on the skin of the sole: where a towel or strap pulls.
        ball = _step(out[f"ankle_{side}"], 0.7 * lengths[f"foot_{side}"], foot)
        out[f"sole_{side}"] = _step(ball, SOLE_DEPTH, foot - 90.0)
    # Built from the pelvis outwards, then moved so the anchor joint sits on the root.
    dx = pose.root[0] - out[figure.anchor][0]
    dy = pose.root[1] - out[figure.anchor][1]
    return {name: (x + dx, y + dy) for name, (x, y) in out.items()}


def segment_width(figure: Figure, segment: Segment) -> float:
    if segment.name.startswith("torso") and figure.plane == "frontal":
        return FLAT_TORSO_WIDTH
    return segment.width


def view_box(figure: Figure) -> tuple[int, int, int, int]:
    """Bounds (x, y, width, height in SVG's y-down space) of every frame of the loop."""
    samples = [0.0, *keyframe_times(figure)]
    for start, frame in zip(keyframe_times(figure), figure.keyframes, strict=True):
        samples += [start + frame.hold_ms + frame.ms * k / 16 for k in range(1, 16)]
    pad = max(segment_width(figure, s) for s in SEGMENTS) / 2 + 4
    xs: list[float] = []
    ys: list[float] = [0.0] if figure.view == "side" else []
    for t in samples:
        for x, y in joint_positions(figure, pose_at(figure, t)).values():
            xs.append(x)
            ys.append(y)
    for prop in figure.props:
        if isinstance(prop, Pillow):
            xs += [prop.x - prop.width / 2, prop.x + prop.width / 2]
    left, right = math.floor(min(xs) - pad), math.ceil(max(xs) + pad)
    top = math.ceil(max(ys) + max(pad, HEAD_RADIUS + 4))
    bottom = math.floor(min(ys) - pad) if figure.view == "top" else -6
    return (left, -top, right - left, top - bottom)


def render_svg(
    figure: Figure,
    *,
    keyframe: int = 0,
    title: str,
    width: int = 320,
    animation_id: str | None = None,
) -> str:
    """A standalone SVG of one keyframe; `animation_id` names the JSON script to animate it."""
    if not 0 <= keyframe < len(figure.keyframes):
        raise IndexError(f"keyframe {keyframe} out of range 0..{len(figure.keyframes) - 1}")
    return figure_svg.document(
        view=figure.view,
        positions=joint_positions(figure, figure.keyframes[keyframe].pose),
        widths={s.name: segment_width(figure, s) for s in SEGMENTS},
        head_radius=HEAD_RADIUS,
        pillows=tuple((p.x, p.width, p.height) for p in figure.props if isinstance(p, Pillow)),
        towels=tuple((p.start, p.end) for p in figure.props if isinstance(p, Towel)),
        box=view_box(figure),
        title=title,
        width=width,
        animation_id=animation_id,
    )


def animation_data(figure: Figure) -> dict[str, Any]:
    return {
        "view": figure.view,
        "anchor": figure.anchor,
        "joints": list(JOINTS),
        "segments": [
            {"name": s.name, "start": s.start, "end": s.end, "length": s.length} for s in SEGMENTS
        ],
        "soleDepth": SOLE_DEPTH,
        "plane": figure.plane,
        "halfWidths": dict(zip(("shoulder", "hip"), HALF_WIDTHS[figure.plane], strict=True)),
        "periodMs": figure.period_ms,
        "keyframes": [
            {
                "name": k.name,
                "holdMs": k.hold_ms,
                "ms": k.ms,
                "root": list(k.pose.root),
                "angles": dict(k.pose.angles),
                "scale": dict(k.pose.scale),
            }
            for k in figure.keyframes
        ],
        "props": [
            {"kind": "towel", "from": p.start, "to": p.end}
            for p in figure.props
            if isinstance(p, Towel)
        ],
        "viewBox": list(view_box(figure)),
    }
