"""The figure's vocabulary: body proportions, joint names and the frozen pose data."""

from __future__ import annotations

from dataclasses import dataclass

# Where the camera is: "side" at floor level (a floor line is drawn), "top" overhead (a mat
# is drawn). The plane is which of the body's planes faces the camera: kneeling or lying on
# the back seen from the side is "profile"; lying on the back seen from above, or on one
# side seen from the front (the clam), is "frontal".
VIEWS = ("side", "top")
PLANES = ("profile", "frontal")
DEFAULT_PLANE = {"side": "profile", "top": "frontal"}

# Angles in degrees. `trunk` is absolute (direction from pelvis to waist, counter-clockwise
# from +x); every other angle is relative to its parent segment, positive = flexion. In
# profile the figure's front is its trunk direction turned 90 degrees clockwise, so lying
# on the back puts the head on the left (trunk = 180) and lying face down or kneeling puts
# it on the right (trunk near 0).
JOINTS = (
    "trunk",
    "spine",
    "neck",
    "shoulder_near",
    "elbow_near",
    "shoulder_far",
    "elbow_far",
    "hip_near",
    "knee_near",
    "ankle_near",
    "hip_far",
    "knee_far",
    "ankle_far",
)

# Anatomical limits for profile pictures. Facing the camera the angles are plain rotations
# within the picture, so only the wide limit applies there.
PROFILE_RANGES = {
    "trunk": (-360.0, 360.0),
    "spine": (-60.0, 90.0),
    "neck": (-60.0, 90.0),
    "shoulder": (-90.0, 200.0),
    "elbow": (0.0, 160.0),
    "hip": (-45.0, 160.0),
    "knee": (0.0, 165.0),
    "ankle": (-90.0, 45.0),  # -90: kneeling or prone, foot flat along the floor
}
FACING_RANGE = (-180.0, 180.0)


@dataclass(frozen=True)
class Segment:
    name: str
    start: str
    end: str
    length: float
    width: float


# Proportions of an adult of about 170 cm; widths are the stroke thickness in the side view.
SEGMENTS = (
    Segment("torso_lower", "hip", "waist", 26.0, 20.0),
    Segment("torso_upper", "waist", "shoulder", 27.0, 20.0),
    Segment("neck", "shoulder", "head", 19.0, 9.0),
    *(
        Segment(f"{part}_{side}", start, end, length, width)
        for side in ("far", "near")
        for part, start, end, length, width in (
            ("upper_arm", f"shoulder_{side}", f"elbow_{side}", 29.0, 8.0),
            ("forearm", f"elbow_{side}", f"hand_{side}", 30.0, 7.0),
            ("thigh", f"hip_{side}", f"knee_{side}", 43.0, 12.0),
            ("shin", f"knee_{side}", f"ankle_{side}", 42.0, 9.0),
            ("foot", f"ankle_{side}", f"toe_{side}", 16.0, 7.0),
        )
    ),
)
SEGMENT_NAMES = tuple(s.name for s in SEGMENTS)
HEAD_RADIUS = 11.0
SOLE_DEPTH = 3.5  # half the foot's stroke width
# Facing the camera the torso shows its width, and the limbs hang off its sides instead of
# sharing one joint as they do in profile.
FLAT_TORSO_WIDTH = 32.0
HALF_WIDTHS = {"profile": (0.0, 0.0), "frontal": (13.0, 9.0)}  # shoulder, hip
# A keyframe's `scale` draws a segment shorter than it is when it points at the camera
# (bent knees seen from above). A slightly oblique view can also stretch one a little.
MAX_SCALE = 1.25


class FigureError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Pose:
    angles: dict[str, float]
    root: tuple[float, float]  # where the figure's anchor joint is
    scale: dict[str, float]  # per segment length as drawn, 1 = its full length


@dataclass(frozen=True)
class Keyframe:
    name: str
    pose: Pose
    hold_ms: float  # time spent still at this pose
    ms: float  # then the time to move to the next keyframe (the last one moves to the first)


@dataclass(frozen=True)
class Pillow:
    x: float
    width: float
    height: float


@dataclass(frozen=True)
class Towel:
    start: str
    end: str


@dataclass(frozen=True)
class Figure:
    view: str
    plane: str
    keyframes: tuple[Keyframe, ...]
    props: tuple[Pillow | Towel, ...] = ()
    # The joint that stays put while angles are interpolated: the knee on all fours, the
    # feet in a bridge. Anything else drifts a little between keyframes.
    anchor: str = "hip"

    @property
    def period_ms(self) -> float:
        return sum(k.hold_ms + k.ms for k in self.keyframes)


# Every point joint_positions returns; `sole` is the ball of the foot, where a towel pulls.
POINTS = (
    "hip",
    "waist",
    "shoulder",
    "head",
    *(
        f"{part}_{side}"
        for side in ("near", "far")
        for part in ("shoulder", "elbow", "hand", "hip", "knee", "ankle", "toe", "sole")
    ),
)
