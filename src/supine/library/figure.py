"""The exercise figure: a jointed 3D body posed by an exercise's `[figure]` keyframes.

`render_svg` draws one keyframe as it is seen from the exercise's camera (the still
picture is keyframe 0, with its motion arrows), `render_thumbnail` the keyframe the file
names as telling the exercise apart, and `animation_data` hands the browser what
static/supine/figure.js needs to animate the same drawing. `landmarks` gives a keyframe's
33 BlazePose landmarks in 3D, for comparing a person's pose with the exercise's own.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from supine.library import figure_model as model
from supine.library import figure_svg
from supine.library.figure_kinematics import (
    Vector,
    joint_positions,
    keyframe_times,
    mix_poses,
    pose_at,
    project,
)
from supine.library.figure_model import (
    BLAZEPOSE,
    CONTACT_RADII,
    JOINTS,
    PARTS,
    POINTS,
    RADII,
    Figure,
    FigureError,
    Keyframe,
    Pillow,
    Pose,
    Towel,
)
from supine.library.figure_parse import parse_figure as _parse_structure

__all__ = [
    "BLAZEPOSE",
    "JOINTS",
    "POINTS",
    "Figure",
    "FigureError",
    "Keyframe",
    "Pose",
    "animation_data",
    "capsules",
    "floor_problems",
    "joint_positions",
    "keyframe_times",
    "landmarks",
    "parse_figure",
    "pose_at",
    "render_svg",
    "render_thumbnail",
    "view_box",
]

# A body part that goes this far below the floor (cm) is through it; a point said to rest
# on the floor must be within this much of it.
FLOOR_TOLERANCE = 0.5
CONTACT_TOLERANCE = 1.0
MAT_MARGIN = 12.0
MIN_ARROW = 14.0
PAD = 4.0


def parse_figure(data: Any) -> Figure:
    """Read a `[figure]` table; also refuse keyframes that put the body through the floor."""
    figure = _parse_structure(data)
    for i, frame in enumerate(figure.keyframes):
        problem = floor_problems(figure, frame)
        if problem:
            field, message = problem
            raise FigureError(f"keyframes[{i}]{field}", message)
    return figure


def capsules(figure: Figure) -> tuple[tuple[str, tuple[tuple[str, str, float], ...]], ...]:
    """Every drawn part of this figure (the body's, then any towels) as capsules."""
    body = tuple((name, tuple((a, b, RADII[r]) for a, b, r in shapes)) for name, shapes in PARTS)
    towels = tuple(
        (f"towel_{i}", ((p.start, p.end, RADII["towel"]),))
        for i, p in enumerate(q for q in figure.props if isinstance(q, Towel))
    )
    return body + towels


def floor_problems(figure: Figure, frame: Keyframe) -> tuple[str, str] | None:
    """(field suffix, message) for the first thing in `frame` that contradicts the floor."""
    pos = joint_positions(figure, frame.pose)
    for name, shapes in capsules(figure):
        for a, b, r in shapes:
            depth = -(min(pos[a][1], pos[b][1]) - r)
            if depth > FLOOR_TOLERANCE:
                return "", f"the {name} goes {depth:.1f} cm through the floor"
    for n, point in enumerate(frame.contacts):
        gap = pos[point][1] - CONTACT_RADII[point]
        if abs(gap) > CONTACT_TOLERANCE:
            where = "above" if gap > 0 else "below"
            return f".contacts[{n}]", f"{point} is {abs(gap):.1f} cm {where} the floor"
    return None


def landmarks(figure: Figure, keyframe: int | str) -> dict[str, Vector]:
    """The 33 BlazePose landmarks of a keyframe, in BlazePose's order.

    Centimetres, right-handed, y up and the floor at y = 0, the figure placed as the
    exercise's picture shows it; a camera coach compares them after its own normalising
    (centring on the hips and scaling by torso length, say).
    """
    index = figure.index_of(keyframe) if isinstance(keyframe, str) else keyframe
    pos = joint_positions(figure, figure.keyframes[index].pose)
    return {name: pos[name] for name in BLAZEPOSE}


def scene(figure: Figure, pose: Pose, highlight: Sequence[str]) -> list[tuple[str, str, str]]:
    """(part, path data, fill) for every part, far to near."""
    basis = figure.camera.basis()
    pos = joint_positions(figure, pose)
    screen = {name: project(basis, p) for name, p in pos.items()}
    centre = screen["mid_hip"][2]
    drawn = []
    for index, (name, shapes) in enumerate(capsules(figure)):
        d, depth = "", 0.0
        for a, b, r in shapes:
            sa, sb = screen[a], screen[b]
            d += figure_svg.capsule((sa[0], -sa[1]), (sb[0], -sb[1]), r)
            depth += sa[2] + sb[2]
        depth = depth / (2 * len(shapes))
        if name.startswith("towel"):
            fill = figure_svg.TOWEL
        else:
            fill = figure_svg.shade(depth, centre, name in highlight)
        # Depths in half centimetres, ties by the part's place in the list: the browser
        # sorts the same keys, so the two never disagree on an order.
        drawn.append((-math.floor(depth * 2.0 + 0.5), index, name, d, fill))
    drawn.sort()
    return [(name, d, fill) for _, _, name, d, fill in drawn]


def _loop_poses(figure: Figure) -> list[Pose]:
    samples = [0.0]
    for start, frame in zip(keyframe_times(figure), figure.keyframes, strict=True):
        samples += [start + frame.hold_ms + frame.ms * k / 16 for k in range(16)]
    return [pose_at(figure, t) for t in samples]


def _mat(figure: Figure, poses: Sequence[Pose]) -> list[Vector]:
    xs, zs = [], []
    for pose in poses:
        for x, _, z in joint_positions(figure, pose).values():
            xs.append(x)
            zs.append(z)
    x0, x1 = min(xs) - MAT_MARGIN, max(xs) + MAT_MARGIN
    z0, z1 = min(zs) - MAT_MARGIN, max(zs) + MAT_MARGIN
    return [(x, y, z) for x in (x0, x1) for y in (-1.5, 0.0) for z in (z0, z1)]


def _pillow_corners(pillow: Pillow) -> list[Vector]:
    (x, z), (lx, h, wz) = pillow.at, pillow.size
    return [
        (x + sx * lx / 2, y, z + sz * wz / 2) for sx in (-1, 1) for y in (0.0, h) for sz in (-1, 1)
    ]


def _flat(basis: Any, points: Sequence[Vector]) -> list[tuple[float, float]]:
    return [(s[0], -s[1]) for s in (project(basis, p) for p in points)]


def view_box(figure: Figure, poses: Sequence[Pose] | None = None) -> tuple[int, int, int, int]:
    """Bounds (x, y, width, height in SVG's y-down space) of the poses, mat and props."""
    poses = _loop_poses(figure) if poses is None else poses
    basis = figure.camera.basis()
    xs: list[float] = []
    ys: list[float] = []
    for pose in poses:
        pos = joint_positions(figure, pose)
        for _, shapes in capsules(figure):
            for a, b, r in shapes:
                for p in (pos[a], pos[b]):
                    sx, sy, _ = project(basis, p)
                    xs += [sx - r, sx + r]
                    ys += [-sy - r, -sy + r]
    props = [c for p in figure.props if isinstance(p, Pillow) for c in _pillow_corners(p)]
    for x, y in _flat(basis, _mat(figure, poses) + props):
        xs.append(x)
        ys.append(y)
    left, top = math.floor(min(xs) - PAD), math.floor(min(ys) - PAD)
    return (left, top, math.ceil(max(xs) + PAD) - left, math.ceil(max(ys) + PAD) - top)


def _arrow_path(figure: Figure, point: str, a: Pose, b: Pose, clearance: float) -> list:
    basis = figure.camera.basis()
    path = [
        project(basis, joint_positions(figure, mix_poses(a, b, k / 24))[point]) for k in range(25)
    ]
    flat = [(x, -y) for x, y, _ in path]

    # Keep the arrow clear of the body part at both ends.
    def trim(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        gone = 0.0
        while len(points) > 2:
            step = math.dist(points[0], points[1])
            if gone + step > clearance:
                break
            gone += step
            points = points[1:]
        return points

    flat = trim(flat)
    flat = list(reversed(trim(list(reversed(flat)))))
    length = sum(math.dist(p, q) for p, q in itertools.pairwise(flat))
    if length < MIN_ARROW:
        # A small movement still gets an arrow that can be seen: a straight one ending
        # where the point ends, pointing the way it moves.
        (x0, y0), (x1, y1) = flat[0], flat[-1]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy) or 1.0
        end = (x1, y1)
        flat = [(end[0] - dx / norm * MIN_ARROW, end[1] - dy / norm * MIN_ARROW), end]
    return flat


def _arrows_for(figure: Figure, keyframe: int) -> list:
    name = figure.keyframes[keyframe].name
    paths = []
    for arrow in figure.arrows:
        if name not in (arrow.start, arrow.end):
            continue
        a = figure.keyframes[figure.index_of(arrow.start)].pose
        b = figure.keyframes[figure.index_of(arrow.end)].pose
        paths.append(_arrow_path(figure, arrow.point, a, b, arrow.clearance))
    return paths


def _render(
    figure: Figure,
    keyframe: int,
    *,
    box: tuple[int, int, int, int],
    mat_poses: Sequence[Pose],
    title: str,
    width: int,
    animation_id: str | None,
) -> str:
    if not 0 <= keyframe < len(figure.keyframes):
        raise IndexError(f"keyframe {keyframe} out of range 0..{len(figure.keyframes) - 1}")
    basis = figure.camera.basis()
    pillows = [p for p in figure.props if isinstance(p, Pillow)]
    return figure_svg.document(
        parts=scene(figure, figure.keyframes[keyframe].pose, figure.highlight),
        mat=figure_svg.convex_hull(_flat(basis, _mat(figure, mat_poses))),
        pillows=[figure_svg.convex_hull(_flat(basis, _pillow_corners(p))) for p in pillows],
        arrows=_arrows_for(figure, keyframe),
        box=box,
        title=title,
        width=width,
        animation_id=animation_id,
    )


def render_svg(
    figure: Figure,
    *,
    keyframe: int = 0,
    title: str,
    width: int = 320,
    animation_id: str | None = None,
) -> str:
    """A standalone SVG of one keyframe; `animation_id` names the JSON script to animate it."""
    poses = _loop_poses(figure)
    return _render(
        figure,
        keyframe,
        box=view_box(figure, poses),
        mat_poses=poses,
        title=title,
        width=width,
        animation_id=animation_id,
    )


def render_thumbnail(figure: Figure, *, title: str, width: int = 320) -> str:
    """The keyframe that tells the exercise apart, framed tightly, with its arrows."""
    poses = [figure.keyframes[figure.thumbnail].pose]
    return _render(
        figure,
        figure.thumbnail,
        box=view_box(figure, poses),
        mat_poses=poses,
        title=title,
        width=width,
        animation_id=None,
    )


def animation_data(figure: Figure) -> dict[str, Any]:
    right, up, to_camera = figure.camera.basis()
    return {
        "anchor": figure.anchor,
        "basis": [list(right), list(up), list(to_camera)],
        "body": {
            name: getattr(model, name)
            for name in (
                "LUMBAR",
                "THORAX_LOW",
                "THORAX_HIGH",
                "HIP_HALF",
                "WAIST_HALF",
                "SHOULDER_HALF",
                "SHOULDER_DROP",
                "NECK_TO_HEAD",
                "UPPER_ARM",
                "FOREARM",
                "HAND",
                "THIGH",
                "SHIN",
                "HEEL",
                "TOES",
                "SOLE",
                "BELLY_OUT",
                "BELLY_IN",
                "RADII",
            )
        },
        "joints": list(JOINTS),
        "parts": [[name, [list(s) for s in shapes]] for name, shapes in capsules(figure)],
        "highlight": list(figure.highlight),
        "shade": {
            "span": figure_svg.SHADE_SPAN,
            "near": figure_svg.NEAR,
            "far": figure_svg.FAR,
            "highlightNear": figure_svg.HIGHLIGHT_NEAR,
            "highlightFar": figure_svg.HIGHLIGHT_FAR,
            "towel": figure_svg.TOWEL,
        },
        "periodMs": figure.period_ms,
        "keyframes": [
            {
                "name": k.name,
                "holdMs": k.hold_ms,
                "ms": k.ms,
                "root": list(k.pose.root),
                "angles": dict(k.pose.angles),
                "belly": k.pose.belly,
            }
            for k in figure.keyframes
        ],
    }
