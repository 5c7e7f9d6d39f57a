from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supine.library.figure import (
    JOINTS,
    POINTS,
    SEGMENTS,
    Figure,
    FigureError,
    Pose,
    animation_data,
    joint_positions,
    keyframe_times,
    parse_figure,
    pose_at,
    render_svg,
    segment_width,
)
from supine.library.figure_model import HEAD_RADIUS, SEGMENT_NAMES
from supine.library.figure_svg import FAR, NEAR, fmt

SRC = Path(__file__).resolve().parents[2] / "src" / "supine"
EXERCISES = SRC / "library" / "exercises"
FIGURE_JS = SRC / "static" / "supine" / "figure.js"
SVG = "{http://www.w3.org/2000/svg}"
SLUGS = (
    "deep-abdominal-strengthening",
    "knee-rolls",
    "bridge",
    "pelvic-tilt",
    "bottom-to-heels",
    "knee-to-chest",
    "cat-camel",
    "bird-dog",
    "dead-bug",
    "side-lying-clam",
    "prone-press-up",
    "hamstring-stretch",
)


def shipped_tables() -> dict[str, dict[str, Any]]:
    return {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))["figure"]
        for path in sorted(EXERCISES.glob("*.toml"))
    }


SHIPPED = {slug: parse_figure(table) for slug, table in shipped_tables().items()}


def hook_lying(**changes: Any) -> dict[str, Any]:
    start = {
        "name": "start",
        "ms": 1000,
        "root": [0, 10],
        "trunk": 180,
        "spine": 0,
        "neck": 4,
        "shoulder_near": -6,
        "elbow_near": 0,
        "shoulder_far": -4,
        "elbow_far": 0,
        "hip_near": 50,
        "knee_near": 109,
        "ankle_near": -43,
        "hip_far": 50,
        "knee_far": 109,
        "ankle_far": -43,
    }
    lifted = {"name": "lifted", "ms": 1000, "hold_ms": 500, "hip_near": 110, "knee_near": 120}
    return {"view": "side", "keyframes": [start, lifted], **changes}


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def field_of(table: dict[str, Any]) -> str:
    with pytest.raises(FigureError) as caught:
        parse_figure(table)
    assert str(caught.value) == f"{caught.value.field}: {caught.value.message}"
    return caught.value.field


def segment_lengths(figure: Figure, t: float) -> dict[str, float]:
    pose = pose_at(figure, t)
    pos = joint_positions(figure, pose)
    return {s.name: math.dist(pos[s.start], pos[s.end]) for s in SEGMENTS}


# ---- the shipped library ----------------------------------------------------------------


def test_every_listed_exercise_ships_a_figure() -> None:
    assert set(SLUGS) <= set(SHIPPED)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_shipped_figure_parses_and_renders_each_keyframe(slug: str) -> None:
    figure = SHIPPED[slug]
    assert len(figure.keyframes) >= 2
    for k in range(len(figure.keyframes)):
        root = parse_svg(render_svg(figure, keyframe=k, title=slug))
        assert root.tag == f"{SVG}svg"
        segs = {el.get("data-seg") for el in root.iter() if el.get("data-seg")}
        assert segs >= {"torso", "neck", "head", "thigh_near", "forearm_far", "foot_far"}


@pytest.mark.parametrize("slug", sorted(s for s, f in SHIPPED.items() if f.view == "side"))
def test_no_keyframe_puts_any_part_of_the_body_through_the_floor(slug: str) -> None:
    figure = SHIPPED[slug]
    # Strokes are centred on the joints, so a limb's edge sits half its width below them;
    # the floor line itself is 2 units thick, which hides a 1 unit overlap.
    for frame in figure.keyframes:
        pos = joint_positions(figure, frame.pose)
        assert min(y for _, y in pos.values()) >= 0, frame.name
        for seg in SEGMENTS:
            edge = min(pos[seg.start][1], pos[seg.end][1]) - segment_width(figure, seg) / 2
            assert edge >= -1.0, (frame.name, seg.name, edge)
        assert pos["head"][1] - HEAD_RADIUS >= -1.0, frame.name


@pytest.mark.parametrize("slug", sorted(s for s, f in SHIPPED.items() if f.view == "side"))
def test_nothing_sinks_into_the_floor_between_keyframes_either(slug: str) -> None:
    figure = SHIPPED[slug]
    for i in range(200):
        t = figure.period_ms * i / 200
        pos = joint_positions(figure, pose_at(figure, t))
        for seg in SEGMENTS:
            edge = min(pos[seg.start][1], pos[seg.end][1]) - segment_width(figure, seg) / 2
            assert edge >= -1.0, (t, seg.name, edge)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_the_anchor_joint_stays_put_through_the_whole_loop(slug: str) -> None:
    figure = SHIPPED[slug]
    if len({k.pose.root for k in figure.keyframes}) > 1:
        pytest.skip("this figure moves its anchor on purpose")
    root = figure.keyframes[0].pose.root
    for t in range(0, int(figure.period_ms), 97):
        x, y = joint_positions(figure, pose_at(figure, t))[figure.anchor]
        assert math.isclose(x, root[0], abs_tol=1e-9)
        assert math.isclose(y, root[1], abs_tol=1e-9)


def test_the_bridge_lifts_the_hips_into_line_with_shoulders_and_knees() -> None:
    figure = SHIPPED["bridge"]
    start, lifted = (joint_positions(figure, k.pose) for k in figure.keyframes)
    assert lifted["hip"][1] > start["hip"][1] + 15
    a = math.atan2(
        lifted["hip"][1] - lifted["shoulder"][1], lifted["hip"][0] - lifted["shoulder"][0]
    )
    b = math.atan2(
        lifted["knee_near"][1] - lifted["hip"][1], lifted["knee_near"][0] - lifted["hip"][0]
    )
    assert abs(math.degrees(a - b)) < 3
    for pos in (start, lifted):  # shoulders and feet stay on the floor
        assert pos["shoulder"][1] < 12
        assert pos["toe_near"][1] < 5


def test_knee_rolls_take_both_knees_to_each_side_in_turn() -> None:
    figure = SHIPPED["knee-rolls"]
    frames = {k.name: joint_positions(figure, k.pose) for k in figure.keyframes}
    for knee in ("knee_near", "knee_far"):
        centre = frames["centre"][knee][1]
        assert frames["left"][knee][1] > centre + 10
        assert frames["right"][knee][1] < centre - 10
        assert frames["centre again"][knee][1] == centre
    for pos in frames.values():  # the feet stay where they are
        assert math.isclose(pos["ankle_near"][1], frames["centre"]["ankle_near"][1], abs_tol=2)


def test_bird_dog_reaches_one_arm_forward_and_the_opposite_leg_back() -> None:
    figure = SHIPPED["bird-dog"]
    pos = joint_positions(figure, figure.keyframes[-1].pose)
    assert pos["hand_near"][0] > pos["head"][0]
    assert pos["ankle_far"][0] < pos["hip"][0] - 60
    assert pos["hand_far"][1] < 5 and pos["knee_near"][1] < 7  # still on hand and knee


# ---- interpolation and kinematics -------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_pose_at_a_keyframes_time_is_exactly_that_keyframe(slug: str) -> None:
    figure = SHIPPED[slug]
    for frame, t in zip(figure.keyframes, keyframe_times(figure), strict=True):
        assert pose_at(figure, t) == frame.pose
        assert pose_at(figure, t + frame.hold_ms) == frame.pose
        assert pose_at(figure, t + 3 * figure.period_ms) == frame.pose


def test_the_loop_returns_smoothly_to_the_first_keyframe() -> None:
    figure = SHIPPED["bridge"]
    almost = pose_at(figure, figure.period_ms - 1e-6)
    first = figure.keyframes[0].pose
    assert all(math.isclose(almost.angles[j], first.angles[j], abs_tol=1e-6) for j in JOINTS)
    halfway = pose_at(figure, figure.period_ms - figure.keyframes[-1].ms / 2)
    assert halfway.angles["trunk"] == pytest.approx((180 + 202) / 2)


@settings(max_examples=200, deadline=None)
@given(slug=st.sampled_from(sorted(SHIPPED)), fraction=st.floats(0, 1, exclude_max=True))
def test_interpolated_angles_stay_between_the_neighbouring_keyframes(
    slug: str, fraction: float
) -> None:
    figure = SHIPPED[slug]
    t = fraction * figure.period_ms
    times = keyframe_times(figure)
    i = max(n for n, start in enumerate(times) if start <= t)
    a = figure.keyframes[i].pose
    b = figure.keyframes[(i + 1) % len(figure.keyframes)].pose
    pose = pose_at(figure, t)
    for j in JOINTS:
        low, high = sorted((a.angles[j], b.angles[j]))
        assert low - 1e-9 <= pose.angles[j] <= high + 1e-9, j


@settings(max_examples=200, deadline=None)
@given(slug=st.sampled_from(sorted(SHIPPED)), t=st.floats(-1e6, 1e6))
def test_interpolated_pose_keeps_every_segment_length(slug: str, t: float) -> None:
    figure = SHIPPED[slug]
    pose = pose_at(figure, t)
    for seg, length in segment_lengths(figure, t).items():
        expected = next(s.length for s in SEGMENTS if s.name == seg) * pose.scale[seg]
        assert math.isclose(length, expected, rel_tol=1e-9, abs_tol=1e-9), seg


def test_forward_kinematics_follows_the_angle_conventions() -> None:
    figure = parse_figure(hook_lying())
    full_length = dict.fromkeys(SEGMENT_NAMES, 1.0)
    standing = dict.fromkeys(JOINTS, 0.0) | {"trunk": 90.0}
    pos = joint_positions(figure, Pose(standing, (0, 100), full_length))
    # Upright and straight: head above shoulders above hips, feet below, toes forward.
    assert pos["shoulder"] == pytest.approx((0, 153))
    assert pos["head"] == pytest.approx((0, 172))
    assert pos["ankle_near"] == pytest.approx((0, 15))
    assert pos["toe_near"] == pytest.approx((16, 15))
    assert pos["hand_far"] == pytest.approx((0, 94))
    bent = standing | {"hip_near": 90.0, "knee_near": 90.0, "shoulder_near": 90.0}
    pos = joint_positions(figure, Pose(bent, (0, 100), full_length))
    assert pos["knee_near"] == pytest.approx((43, 100))  # hip flexion brings the thigh forward
    assert pos["ankle_near"] == pytest.approx((43, 58))  # knee flexion folds the shin back down
    assert pos["hand_near"] == pytest.approx((59, 153))  # shoulder flexion raises the arm forward


# ---- parsing ----------------------------------------------------------------------------


def test_pose_at_refuses_a_time_that_is_not_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        pose_at(SHIPPED["bridge"], math.inf)


def test_a_missing_keyframe_list_is_named() -> None:
    assert field_of({"view": "side"}) == "keyframes"


def test_a_single_keyframe_is_not_a_movement() -> None:
    table = hook_lying()
    table["keyframes"] = table["keyframes"][:1]
    assert field_of(table) == "keyframes"


def test_an_unknown_joint_is_named_with_its_keyframe() -> None:
    table = hook_lying()
    table["keyframes"][1]["kneee_near"] = 30
    assert field_of(table) == "keyframes[1].kneee_near"


@pytest.mark.parametrize("bad", ["90", True, None, [90], math.nan])
def test_an_angle_that_is_not_a_number_is_named(bad: Any) -> None:
    table = hook_lying()
    table["keyframes"][1]["knee_near"] = bad
    assert field_of(table) == "keyframes[1].knee_near"


def test_an_angle_outside_its_range_is_named() -> None:
    table = hook_lying()
    table["keyframes"][1]["elbow_far"] = -20
    with pytest.raises(FigureError, match=r"keyframes\[1\].elbow_far: -20 is outside 0..160"):
        parse_figure(table)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"view": "sideways"}, "view"),
        ({"plane": "oblique"}, "plane"),
        ({"anchor": "elbow"}, "anchor"),
        ({"colour": "red"}, "colour"),
        ({"props": [{"kind": "dumbbell"}]}, "props[0].kind"),
        ({"props": [{"kind": "towel", "from": "hand_near", "to": "heel"}]}, "props[0].to"),
        ({"view": "top", "props": [{"kind": "pillow"}]}, "props[0].kind"),
    ],
)
def test_bad_figure_settings_are_named(change: dict[str, Any], field: str) -> None:
    assert field_of(hook_lying(**change)) == field


def test_the_first_keyframe_must_be_complete_and_the_rest_inherit() -> None:
    table = hook_lying()
    del table["keyframes"][0]["neck"]
    assert field_of(table) == "keyframes[0].neck"
    table = hook_lying()
    del table["keyframes"][0]["root"]
    assert field_of(table) == "keyframes[0].root"
    figure = parse_figure(hook_lying())
    assert figure.keyframes[1].pose.angles["hip_far"] == 50
    assert figure.keyframes[1].pose.angles["hip_near"] == 110
    assert figure.keyframes[1].pose.root == (0, 10)


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("ms", 0, "keyframes[1].ms"),
        ("hold_ms", -1, "keyframes[1].hold_ms"),
        ("name", "start", "keyframes[1].name"),
        ("name", "", "keyframes[1].name"),
        ("root", [1, 2, 3], "keyframes[1].root"),
        ("scale", {"thigh_near": 1.5}, "keyframes[1].scale.thigh_near"),
        ("scale", {"thigh_near": 0}, "keyframes[1].scale.thigh_near"),
        ("scale", {"wing": 0.5}, "keyframes[1].scale.wing"),
    ],
)
def test_bad_keyframe_timing_and_shape_are_named(key: str, value: Any, field: str) -> None:
    table = hook_lying()
    table["keyframes"][1][key] = value
    assert field_of(table) == field


def test_a_missing_duration_is_named() -> None:
    table = hook_lying()
    del table["keyframes"][0]["ms"]
    assert field_of(table) == "keyframes[0].ms"


# ---- rendering --------------------------------------------------------------------------


def test_rendering_is_deterministic() -> None:
    for slug, table in shipped_tables().items():
        once = render_svg(parse_figure(table), keyframe=1, title=slug)
        again = render_svg(parse_figure(table), keyframe=1, title=slug)
        assert once == again


def test_the_svg_is_a_standalone_accessible_picture() -> None:
    svg = render_svg(SHIPPED["bridge"], title="Bridge <lifted> & held", width=400)
    root = parse_svg(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Bridge <lifted> & held"
    _, y, w, h = (int(v) for v in root.get("viewBox").split())
    assert w > 0 and h > 0 and y < 0 < y + h  # the floor line is inside the picture
    assert root.get("width") == "400"
    assert root.get("height") == str(round(400 * h / w))
    assert "<script" not in svg and "font" not in svg
    coordinates = [
        value
        for el in root.iter()
        for name, value in el.attrib.items()
        if name in {"x1", "y1", "x2", "y2", "cx", "cy"}
    ]
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d)?", c) for c in coordinates)
    assert all(re.fullmatch(r"[MQ0-9. -]+", el.get("d")) for el in root.iter() if el.get("d"))


def test_every_segment_is_drawn_once_and_far_limbs_are_lighter() -> None:
    root = parse_svg(render_svg(SHIPPED["dead-bug"], title="Dead bug"))
    segs = [el.get("data-seg") for el in root.iter() if el.get("data-seg")]
    limbs = {s.name for s in SEGMENTS if not s.name.startswith("torso")}
    assert sorted(segs) == sorted(limbs | {"torso", "head"})

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast_on_white(colour: str) -> float:
        return 1.05 / (luminance(colour) + 0.05)

    groups = {
        g.get("data-side"): g.get("stroke") for g in root.iter(f"{SVG}g") if g.get("data-side")
    }
    assert groups == {"near": NEAR, "far": FAR}
    assert luminance(FAR) > luminance(NEAR)
    assert contrast_on_white(NEAR) >= 7 and contrast_on_white(FAR) >= 3


def test_the_animation_id_is_put_on_the_svg_for_the_browser() -> None:
    svg = render_svg(SHIPPED["bridge"], title="Bridge", animation_id='fig-"bridge"')
    assert parse_svg(svg).get("data-animation") == 'fig-"bridge"'
    assert "data-animation" not in render_svg(SHIPPED["bridge"], title="Bridge")


def test_render_refuses_a_keyframe_that_does_not_exist() -> None:
    with pytest.raises(IndexError):
        render_svg(SHIPPED["bridge"], keyframe=2, title="Bridge")


def test_the_towel_runs_from_the_hands_to_the_sole() -> None:
    figure = SHIPPED["hamstring-stretch"]
    root = parse_svg(render_svg(figure, keyframe=1, title="Hamstring stretch"))
    towels = {el.get("data-from"): el for el in root.iter() if el.get("data-prop") == "towel"}
    assert set(towels) == {"hand_near", "hand_far"}
    pos = joint_positions(figure, figure.keyframes[1].pose)
    for hand, towel in towels.items():
        assert towel.get("data-to") == "sole_near"
        assert (towel.get("x1"), towel.get("y1")) == (fmt(pos[hand][0]), fmt(-pos[hand][1]))
        assert (towel.get("x2"), towel.get("y2")) == (
            fmt(pos["sole_near"][0]),
            fmt(-pos["sole_near"][1]),
        )
    # The sole faces away from the body: the strap end is beyond the foot, not inside it.
    assert pos["sole_near"][1] > pos["ankle_near"][1]


# ---- the browser's copy of the maths ----------------------------------------------------


def test_animation_data_survives_json_and_matches_the_figure() -> None:
    figure = SHIPPED["cat-camel"]
    data = json.loads(json.dumps(animation_data(figure)))
    assert data["view"] == "side" and data["anchor"] == "knee_near"
    assert data["joints"] == list(JOINTS)
    assert [k["name"] for k in data["keyframes"]] == [k.name for k in figure.keyframes]
    assert data["periodMs"] == figure.period_ms
    assert data["keyframes"][1]["angles"] == figure.keyframes[1].pose.angles
    assert set(POINTS) >= {s["start"] for s in data["segments"]}


NODE_RUNNER = """
import { poseAt, jointPositions, drawPose } from "./figure.mjs";
const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));
const out = [];
for (const job of input) {
  const poses = job.times.map((t) => poseAt(job.data, t));
  const positions = poses.map((p) => jointPositions(job.data, p));
  const drawn = job.data.keyframes.map((frame) => {
    const els = job.elements.map((attrs) => ({
      attrs: { ...attrs },
      getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; },
      setAttribute(name, value) { this.attrs[name] = String(value); },
    }));
    const svg = { querySelectorAll: (sel) => els.filter((e) => sel === "[data-seg]"
      ? "data-seg" in e.attrs : e.attrs["data-prop"] === "towel") };
    drawPose(svg, job.data, frame);
    return els.map((e) => e.attrs);
  });
  out.push({ poses: poses.map((p) => ({ angles: p.angles, root: p.root })), positions, drawn });
}
process.stdout.write(JSON.stringify(out));
"""


def moving_elements(svg: str) -> list[dict[str, str]]:
    root = parse_svg(svg)
    return [
        dict(el.attrib)
        for el in root.iter()
        if el.get("data-seg") or el.get("data-prop") == "towel"
    ]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run figure.js")
def test_the_browser_animation_repeats_the_server_maths_exactly(tmp_path: Path) -> None:
    shutil.copy(FIGURE_JS, tmp_path / "figure.mjs")
    (tmp_path / "run.mjs").write_text(NODE_RUNNER, encoding="utf-8")
    jobs, expected = [], []
    for slug, figure in SHIPPED.items():
        times = [*keyframe_times(figure), *(figure.period_ms * k / 23 for k in range(23)), -1234.5]
        jobs.append(
            {
                "data": animation_data(figure),
                "times": times,
                "elements": moving_elements(render_svg(figure, title=slug)),
            }
        )
        expected.append((slug, figure, times))
    result = subprocess.run(
        ["node", str(tmp_path / "run.mjs")],  # noqa: S607
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    for (slug, figure, times), got in zip(expected, json.loads(result.stdout), strict=True):
        for t, pose, positions in zip(times, got["poses"], got["positions"], strict=True):
            python = pose_at(figure, t)
            # Same arithmetic in the same order: the interpolated angles agree to the bit.
            assert pose["angles"] == python.angles, (slug, t)
            for name, (x, y) in joint_positions(figure, python).items():
                assert math.isclose(positions[name][0], x, abs_tol=1e-9), (slug, t, name)
                assert math.isclose(positions[name][1], y, abs_tol=1e-9), (slug, t, name)
        # Drawing keyframe k in the browser gives the server's picture of keyframe k.
        for k, drawn in enumerate(got["drawn"]):
            assert drawn == moving_elements(render_svg(figure, keyframe=k, title=slug)), (slug, k)
