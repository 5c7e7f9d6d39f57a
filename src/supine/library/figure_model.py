"""The figure's vocabulary: its joints and their ranges, body proportions, and pose data.

The figure is a jointed 3D body. World coordinates are centimetres, right-handed, with y
pointing up and the floor at y = 0. Each body part's frame, standing upright in its
neutral pose, has x pointing forward, y up and z to the body's right; the left side is
at negative z. Landmark names follow the 33-point BlazePose topology (`nose`,
`left_shoulder`, `left_foot_index`, ...), so a pose read from a camera can be compared
with an exercise's keyframes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SIDES = ("left", "right")

# Degrees. `trunk` and `roll` place the pelvis: `trunk` is the direction from the pelvis
# to the waist in the x-y plane, counter-clockwise from +x (standing is 90, lying on the
# back with the head towards -x is 180, face down or on all fours with the head towards
# +x is about 0); `roll` turns the body about its own long axis first (positive turns the
# front to the body's left, so lying on the back with roll = 90 is lying on the left
# side). Every other angle is relative to its parent, 0 in the neutral standing pose.
# Per side, positive means flexion, abduction (away from the middle) and external
# rotation; `wrist` positive bends the back of the hand towards the forearm (as when the
# palm is flat on the floor on all fours); `ankle` positive pulls the toes up, negative
# points them. The spine's angles are shared equally by the waist and the chest.
BODY_RANGES = {
    "trunk": (-360.0, 360.0),
    "roll": (-180.0, 180.0),
    "spine_flexion": (-45.0, 60.0),
    "spine_side": (-30.0, 30.0),
    "spine_twist": (-50.0, 50.0),
    "neck_flexion": (-50.0, 70.0),
    "neck_side": (-40.0, 40.0),
    "neck_turn": (-80.0, 80.0),
}
LIMB_RANGES = {
    "shoulder_flexion": (-50.0, 180.0),
    "shoulder_abduction": (-45.0, 180.0),
    "shoulder_rotation": (-90.0, 90.0),
    "elbow": (0.0, 150.0),
    "wrist": (-80.0, 90.0),
    "hip_flexion": (-30.0, 135.0),
    "hip_abduction": (-30.0, 50.0),
    "hip_rotation": (-45.0, 60.0),
    "knee": (0.0, 155.0),
    "ankle": (-80.0, 30.0),
}
JOINT_RANGES = {
    **BODY_RANGES,
    **{f"{side}_{name}": span for side in SIDES for name, span in LIMB_RANGES.items()},
}
JOINTS = tuple(JOINT_RANGES)
# How far the belly is drawn in: 0 relaxed, 1 fully drawn in (not a joint, but a pose value).
BELLY_RANGE = (0.0, 1.0)

# Proportions of an adult of about 170 cm (lengths between joint centres).
LUMBAR = 24.0  # pelvis centre to waist
THORAX_LOW = 15.0  # waist to chest
THORAX_HIGH = 14.0  # chest to the base of the neck, between the shoulders
HIP_HALF = 9.0  # from the middle to each hip joint
WAIST_HALF = 8.0
SHOULDER_HALF = 17.0
SHOULDER_DROP = 3.0  # the shoulder joints sit a little below the base of the neck
NECK_TO_HEAD = (2.0, 19.0, 0.0)  # base of the neck to the centre of the head
UPPER_ARM = 28.0
FOREARM = 25.0
HAND = 9.0
THIGH = 43.0
SHIN = 42.0
HEEL = (-4.5, -5.5, 0.0)  # from the ankle, in the foot's frame
TOES = (15.5, -5.5, 0.0)
SOLE = (8.0, -8.5, 0.0)  # under the ball of the foot, where a towel or strap pulls
BELLY_OUT = 5.5  # how far the belly's centre sits in front of the spine, relaxed
BELLY_IN = 5.0  # how much of that goes when it is fully drawn in

# Radii of the capsules the body is drawn with (and checked against the floor with).
RADII = {
    "torso": 11.5,
    "hips": 9.0,
    "flank": 7.0,
    "shoulders": 6.0,
    "belly": 8.5,
    "neck": 5.5,
    "head": 10.5,
    "nose": 2.5,
    "upper_arm": 4.5,
    "forearm": 3.8,
    "hand": 3.2,
    "thigh": 7.0,
    "shin": 5.0,
    "foot": 3.2,
    "towel": 1.6,
}

# The 33 BlazePose landmarks, in BlazePose's order.
BLAZEPOSE = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
# Points of the figure that are not BlazePose landmarks: the spine, the middle of the
# hand, where a towel meets the sole, and points on the body's surface that motion arrows
# start from.
EXTRA_POINTS = (
    "mid_hip",
    "pelvis_top",
    "waist",
    "chest",
    "neck_base",
    "head",
    "belly",
    "belly_low",
    "belly_high",
    "pelvis_front",
    "lower_back",
    "upper_back",
    *(f"{side}_{name}" for side in SIDES for name in ("waist", "hand", "sole")),
)
POINTS = BLAZEPOSE + EXTRA_POINTS

# Each body part is drawn as one shape made of capsules (start point, end point, radius
# name); parts are painted far to near. A point repeated is a ball (the head).
PARTS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("pelvis", (("left_hip", "right_hip", "hips"), ("mid_hip", "pelvis_top", "torso"))),
    (
        "torso",
        (
            ("pelvis_top", "waist", "torso"),
            ("left_hip", "left_waist", "flank"),
            ("right_hip", "right_waist", "flank"),
            ("waist", "chest", "torso"),
            ("chest", "neck_base", "torso"),
            ("left_waist", "left_shoulder", "flank"),
            ("right_waist", "right_shoulder", "flank"),
            ("left_shoulder", "right_shoulder", "shoulders"),
        ),
    ),
    ("belly", (("belly_low", "belly_high", "belly"),)),
    ("head", (("neck_base", "head", "neck"), ("head", "head", "head"), ("head", "nose", "nose"))),
    *(
        (f"{side}_{part}", tuple((f"{side}_{a}", f"{side}_{b}", r) for a, b, r in capsules))
        for side in SIDES
        for part, capsules in (
            ("upper_arm", (("shoulder", "elbow", "upper_arm"),)),
            ("forearm", (("elbow", "wrist", "forearm"), ("wrist", "hand", "hand"))),
            ("thigh", (("hip", "knee", "thigh"),)),
            ("shin", (("knee", "ankle", "shin"),)),
            ("foot", (("ankle", "heel", "foot"), ("heel", "foot_index", "foot"))),
        )
    ),
)
PART_NAMES = tuple(name for name, _ in PARTS)

# Where a point touches the floor when it rests on it: its height is then this radius.
CONTACT_RADII = {
    **{
        f"{side}_{name}": RADII[r]
        for side in SIDES
        for name, r in (
            ("heel", "foot"),
            ("foot_index", "foot"),
            ("knee", "thigh"),
            ("elbow", "forearm"),
            ("wrist", "forearm"),
            ("hand", "hand"),
            ("index", "hand"),
        )
    },
    "head": RADII["head"],
    "mid_hip": RADII["torso"],
}


class FigureError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Camera:
    """An orthographic view: where the camera stands around the figure and how high."""

    azimuth: float  # 0: looking along -z (the right side of a figure lying head to -x)
    elevation: float  # 0: level with the floor, 90: straight down

    def basis(
        self,
    ) -> tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]:
        """Screen right, screen up, and the direction from the figure to the camera."""
        az, el = math.radians(self.azimuth), math.radians(self.elevation)
        to_camera = (math.cos(el) * math.sin(az), math.sin(el), math.cos(el) * math.cos(az))
        right = (math.cos(az), 0.0, -math.sin(az))
        up = (
            to_camera[1] * right[2] - to_camera[2] * right[1],
            to_camera[2] * right[0] - to_camera[0] * right[2],
            to_camera[0] * right[1] - to_camera[1] * right[0],
        )
        return right, up, to_camera


@dataclass(frozen=True)
class Pose:
    angles: dict[str, float]
    root: tuple[float, float, float]  # where the figure's anchor point is
    belly: float = 0.0  # 0 relaxed .. 1 drawn in


@dataclass(frozen=True)
class Keyframe:
    name: str
    pose: Pose
    hold_ms: float  # time spent still at this pose
    ms: float  # then the time to move to the next keyframe (the last one moves to the first)
    contacts: tuple[str, ...] = ()  # points that rest on the floor in this pose


@dataclass(frozen=True)
class Pillow:
    at: tuple[float, float]  # centre on the floor (x, z)
    size: tuple[float, float, float]  # length along x, height, width along z


@dataclass(frozen=True)
class Towel:
    start: str
    end: str


@dataclass(frozen=True)
class Arrow:
    """The path a point travels from one keyframe to another, drawn on still pictures."""

    point: str
    start: str  # keyframe names
    end: str
    clearance: float = 6.0  # how far the arrow stays from the point at either end


@dataclass(frozen=True)
class Figure:
    camera: Camera
    keyframes: tuple[Keyframe, ...]
    thumbnail: int  # the keyframe that tells the exercise apart
    highlight: tuple[str, ...] = ()  # the parts that move, drawn in the highlight colours
    arrows: tuple[Arrow, ...] = ()
    props: tuple[Pillow | Towel, ...] = ()
    # The point that stays put while angles are interpolated: a knee on all fours, the
    # heels in a bridge. Anything else drifts a little between keyframes.
    anchor: str = "mid_hip"

    @property
    def period_ms(self) -> float:
        return sum(k.hold_ms + k.ms for k in self.keyframes)

    def index_of(self, name: str) -> int:
        return next(i for i, k in enumerate(self.keyframes) if k.name == name)
