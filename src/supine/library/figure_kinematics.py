"""Forward kinematics of the 3D figure, and the pose at any moment of its loop.

The browser animator (static/supine/figure.js) repeats `pose_at`, `joint_positions` and
`project` operation for operation, in the same order, so that at every keyframe it draws
exactly the picture the server rendered. Keep the two in step when changing either.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from supine.library import figure_model as m
from supine.library.figure_model import JOINTS, Figure, Pose

Vector = tuple[float, float, float]
Matrix = tuple[Vector, Vector, Vector]

_RAD = math.pi / 180.0


def _ease(s: float) -> float:
    # Smoothstep: plain arithmetic, so the browser computes bit-for-bit the same value.
    return s * s * (3.0 - 2.0 * s)


def _mix(a: float, b: float, e: float) -> float:
    return a + (b - a) * e


def mix_poses(a: Pose, b: Pose, e: float) -> Pose:
    return Pose(
        angles={j: _mix(a.angles[j], b.angles[j], e) for j in JOINTS},
        root=(
            _mix(a.root[0], b.root[0], e),
            _mix(a.root[1], b.root[1], e),
            _mix(a.root[2], b.root[2], e),
        ),
        belly=_mix(a.belly, b.belly, e),
    )


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
            return mix_poses(frame.pose, frames[(i + 1) % len(frames)].pose, e)
        start = end
    raise AssertionError("unreachable: the last keyframe catches every time")


def keyframe_times(figure: Figure) -> tuple[float, ...]:
    times, start = [], 0.0
    for frame in figure.keyframes:
        times.append(start)
        start += frame.hold_ms + frame.ms
    return tuple(times)


def _rot(axis: int, deg: float) -> Matrix:
    r = deg * _RAD
    c, s = math.cos(r), math.sin(r)
    if axis == 0:
        return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))
    if axis == 1:
        return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Matrix, b: Matrix) -> Matrix:
    rows = [
        tuple(a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j] for j in range(3))
        for i in range(3)
    ]
    return (rows[0], rows[1], rows[2])  # type: ignore[return-value]


def _at(p: Vector, frame: Matrix, v: tuple[float, float, float]) -> Vector:
    """The point `v` (in `frame`'s axes) away from `p`."""
    return (
        p[0] + (frame[0][0] * v[0] + frame[0][1] * v[1] + frame[0][2] * v[2]),
        p[1] + (frame[1][0] * v[0] + frame[1][1] * v[1] + frame[1][2] * v[2]),
        p[2] + (frame[2][0] * v[0] + frame[2][1] * v[1] + frame[2][2] * v[2]),
    )


def _joint(parent: Matrix, flex: float, side: float, twist: float) -> Matrix:
    # Flexion about the joint's z axis, then abduction about x, then rotation about the
    # bone's own long axis.
    return _mul(_mul(_mul(parent, _rot(2, flex)), _rot(0, side)), _rot(1, twist))


def joint_positions(figure: Figure, pose: Pose) -> dict[str, Vector]:
    a, body = pose.angles, m
    out: dict[str, Vector] = {}
    origin: Vector = (0.0, 0.0, 0.0)
    pelvis = _mul(_rot(2, a["trunk"] - 90.0), _rot(1, a["roll"]))
    out["mid_hip"] = origin
    out["left_hip"] = _at(origin, pelvis, (0.0, 0.0, -body.HIP_HALF))
    out["right_hip"] = _at(origin, pelvis, (0.0, 0.0, body.HIP_HALF))
    out["pelvis_top"] = _at(origin, pelvis, (0.0, 8.0, 0.0))
    out["pelvis_front"] = _at(origin, pelvis, (body.RADII["torso"], 3.0, 0.0))
    out["lower_back"] = _at(origin, pelvis, (-body.RADII["torso"], 18.0, 0.0))
    belly = body.BELLY_OUT - body.BELLY_IN * pose.belly
    out["belly_low"] = _at(origin, pelvis, (belly, 6.0, 0.0))
    out["belly_high"] = _at(origin, pelvis, (belly, 19.0, 0.0))
    out["belly"] = _at(origin, pelvis, (belly + body.RADII["belly"], 12.5, 0.0))
    waist = out["waist"] = _at(origin, pelvis, (0.0, body.LUMBAR, 0.0))
    # The spine bends at two places, the waist and the chest, each taking half.
    half = _joint(
        _rot(2, 0.0), -a["spine_flexion"] / 2.0, -a["spine_side"] / 2.0, a["spine_twist"] / 2.0
    )
    middle = _mul(pelvis, half)
    out["left_waist"] = _at(waist, middle, (0.0, 0.0, -body.WAIST_HALF))
    out["right_waist"] = _at(waist, middle, (0.0, 0.0, body.WAIST_HALF))
    chest = out["chest"] = _at(waist, middle, (0.0, body.THORAX_LOW, 0.0))
    out["upper_back"] = _at(waist, middle, (-body.RADII["torso"], body.THORAX_LOW, 0.0))
    upper = _mul(middle, half)
    neck = out["neck_base"] = _at(chest, upper, (0.0, body.THORAX_HIGH, 0.0))
    _head(out, a, neck, upper)
    for side, z in (("left", -1.0), ("right", 1.0)):
        _limbs(out, a, side, z, neck=neck, upper=upper, pelvis=pelvis)
    # Built from the pelvis outwards, then moved so the anchor point sits on the root.
    anchor = out[figure.anchor]
    dx, dy, dz = (pose.root[i] - anchor[i] for i in range(3))
    return {name: (x + dx, y + dy, z + dz) for name, (x, y, z) in out.items()}


def _head(out: dict[str, Vector], a: Mapping[str, float], neck: Vector, upper: Matrix) -> None:
    body = m
    head_frame = _joint(upper, -a["neck_flexion"], -a["neck_side"], a["neck_turn"])
    head = out["head"] = _at(neck, head_frame, body.NECK_TO_HEAD)
    out["nose"] = _at(head, head_frame, (10.0, -1.5, 0.0))
    for side, z in (("left", -1.0), ("right", 1.0)):
        out[f"{side}_eye_inner"] = _at(head, head_frame, (8.8, 2.0, 1.6 * z))
        out[f"{side}_eye"] = _at(head, head_frame, (8.2, 2.0, 3.2 * z))
        out[f"{side}_eye_outer"] = _at(head, head_frame, (7.4, 2.0, 4.6 * z))
        out[f"{side}_ear"] = _at(head, head_frame, (0.0, 0.5, 7.5 * z))
        out[f"mouth_{side}"] = _at(head, head_frame, (8.8, -4.5, 2.2 * z))


def _limbs(
    out: dict[str, Vector],
    a: Mapping[str, float],
    side: str,
    z: float,
    *,
    neck: Vector,
    upper: Matrix,
    pelvis: Matrix,
) -> None:
    """One side's arm and leg, from the shoulder and the hip outwards."""
    body = m
    # `inward` turns each side's abduction and rotation so that positive means the
    # same movement on the left and on the right.
    inward = -z
    angle = {name: a[f"{side}_{name}"] for name in m.LIMB_RANGES}
    shoulder = out[f"{side}_shoulder"] = _at(
        neck, upper, (0.0, -body.SHOULDER_DROP, body.SHOULDER_HALF * z)
    )
    arm = _joint(
        upper,
        angle["shoulder_flexion"],
        inward * angle["shoulder_abduction"],
        inward * angle["shoulder_rotation"],
    )
    elbow = out[f"{side}_elbow"] = _at(shoulder, arm, (0.0, -body.UPPER_ARM, 0.0))
    forearm = _mul(arm, _rot(2, angle["elbow"]))
    wrist = out[f"{side}_wrist"] = _at(elbow, forearm, (0.0, -body.FOREARM, 0.0))
    # The palm faces backwards in the neutral pose, the thumb towards the middle.
    hand = _mul(forearm, _rot(2, angle["wrist"]))
    out[f"{side}_hand"] = _at(wrist, hand, (0.0, -body.HAND, 0.0))
    out[f"{side}_index"] = _at(wrist, hand, (0.0, -9.5, 2.0 * inward))
    out[f"{side}_pinky"] = _at(wrist, hand, (0.0, -8.5, -2.5 * inward))
    out[f"{side}_thumb"] = _at(wrist, hand, (-1.5, -5.0, 4.0 * inward))
    hip = out[f"{side}_hip"]
    thigh = _joint(
        pelvis,
        angle["hip_flexion"],
        inward * angle["hip_abduction"],
        inward * angle["hip_rotation"],
    )
    knee = out[f"{side}_knee"] = _at(hip, thigh, (0.0, -body.THIGH, 0.0))
    shin = _mul(thigh, _rot(2, -angle["knee"]))
    ankle = out[f"{side}_ankle"] = _at(knee, shin, (0.0, -body.SHIN, 0.0))
    foot = _mul(shin, _rot(2, angle["ankle"]))
    out[f"{side}_heel"] = _at(ankle, foot, body.HEEL)
    out[f"{side}_foot_index"] = _at(ankle, foot, body.TOES)
    out[f"{side}_sole"] = _at(ankle, foot, body.SOLE)


def project(basis: tuple[Vector, Vector, Vector], p: Vector) -> tuple[float, float, float]:
    """Screen x, screen y (up) and depth (larger is further from the camera)."""
    right, up, to_camera = basis
    return (
        p[0] * right[0] + p[1] * right[1] + p[2] * right[2],
        p[0] * up[0] + p[1] * up[1] + p[2] * up[2],
        -(p[0] * to_camera[0] + p[1] * to_camera[1] + p[2] * to_camera[2]),
    )
