from __future__ import annotations

import copy
import itertools
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
    BLAZEPOSE,
    JOINTS,
    FigureError,
    animation_data,
    capsules,
    joint_positions,
    keyframe_times,
    landmarks,
    parse_figure,
    pose_at,
    render_svg,
    render_thumbnail,
)
from supine.library.figure_model import CONTACT_RADII, JOINT_RANGES, PART_NAMES
from supine.library.figure_svg import FAR, HIGHLIGHT_FAR, HIGHLIGHT_NEAR, NEAR, fmt

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


def bridge_table() -> dict[str, Any]:
    return copy.deepcopy(shipped_tables()["bridge"])


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def field_of(table: dict[str, Any]) -> str:
    with pytest.raises(FigureError) as caught:
        parse_figure(table)
    assert str(caught.value) == f"{caught.value.field}: {caught.value.message}"
    return caught.value.field


def lowest_points(slug: str, t: float) -> list[tuple[str, float]]:
    figure = SHIPPED[slug]
    pos = joint_positions(figure, pose_at(figure, t))
    return [
        (name, min(pos[a][1], pos[b][1]) - r)
        for name, shapes in capsules(figure)
        for a, b, r in shapes
    ]


# ---- the shipped library ----------------------------------------------------------------


def test_every_listed_exercise_ships_a_figure_with_a_named_camera_and_thumbnail() -> None:
    assert set(SLUGS) <= set(SHIPPED)
    for slug, table in shipped_tables().items():
        assert {"azimuth", "elevation"} <= set(table["camera"]), slug
        assert table["thumbnail"] in [k["name"] for k in table["keyframes"]], slug


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_keyframe_keeps_every_joint_within_its_range(slug: str) -> None:
    for frame in SHIPPED[slug].keyframes:
        for joint, angle in frame.pose.angles.items():
            low, high = JOINT_RANGES[joint]
            assert low <= angle <= high, (frame.name, joint, angle)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_no_part_of_the_body_goes_through_the_floor_at_any_moment(slug: str) -> None:
    figure = SHIPPED[slug]
    for t in [*keyframe_times(figure), *(figure.period_ms * i / 120 for i in range(120))]:
        for part, bottom in lowest_points(slug, t):
            assert bottom >= -1.5, (t, part, bottom)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_what_a_keyframe_says_rests_on_the_floor_does(slug: str) -> None:
    figure = SHIPPED[slug]
    for frame in figure.keyframes:
        pos = joint_positions(figure, frame.pose)
        for point in frame.contacts:
            assert abs(pos[point][1] - CONTACT_RADII[point]) <= 1.0, (frame.name, point)


@pytest.mark.parametrize(
    ("slug", "feet"),
    [
        ("bridge", ("left", "right")),
        ("pelvic-tilt", ("left", "right")),
        ("deep-abdominal-strengthening", ("left", "right")),
        ("knee-to-chest", ()),
        ("hamstring-stretch", ("left",)),
    ],
)
def test_feet_stay_on_the_floor_where_the_exercise_says_so(slug: str, feet: tuple) -> None:
    figure = SHIPPED[slug]
    for frame in figure.keyframes:
        for side in feet:
            assert {f"{side}_heel", f"{side}_foot_index"} <= set(frame.contacts), frame.name
    if slug == "knee-to-chest":  # the other foot stays down while one knee comes in
        names = {k.name: set(k.contacts) for k in figure.keyframes}
        assert {"right_heel", "right_foot_index"} <= names["left knee in"]
        assert {"left_heel", "left_foot_index"} <= names["right knee in"]


def test_no_two_exercises_share_a_thumbnail() -> None:
    def picture(slug: str) -> str:
        svg = render_thumbnail(SHIPPED[slug], title="x")
        return re.sub(r"<title>.*?</title>", "", svg)

    pictures = {slug: picture(slug) for slug in SHIPPED}
    for a, b in itertools.combinations(sorted(pictures), 2):
        assert pictures[a] != pictures[b], (a, b)
    # and not merely by a rounding: the posed bodies differ by centimetres.
    for a, b in itertools.combinations(sorted(SHIPPED), 2):
        fa, fb = SHIPPED[a], SHIPPED[b]
        la = landmarks(fa, fa.thumbnail)
        lb = landmarks(fb, fb.thumbnail)
        spread = max(math.dist(la[n], lb[n]) for n in BLAZEPOSE)
        assert spread > 2 or fa.highlight != fb.highlight or fa.camera != fb.camera, (a, b)


def test_the_thumbnail_is_the_named_keyframe_and_differs_from_the_start() -> None:
    for slug, figure in SHIPPED.items():
        assert figure.thumbnail != 0, slug
        assert render_thumbnail(figure, title="x") != render_svg(figure, title="x"), slug


def test_knee_rolls_roll_evenly_both_ways_with_the_knees_together() -> None:
    figure = SHIPPED["knee-rolls"]
    frames = {k.name: joint_positions(figure, k.pose) for k in figure.keyframes}
    left, right, centre = frames["left"], frames["right"], frames["centre"]
    for side, other in (("left", "right"), ("right", "left")):
        # "right" is "left" mirrored across the body's middle plane (z = 0).
        a, b = left[f"{side}_knee"], right[f"{other}_knee"]
        assert a[0] == pytest.approx(b[0], abs=0.2) and a[1] == pytest.approx(b[1], abs=0.2)
        assert a[2] == pytest.approx(-b[2], abs=0.2)
    assert left["left_knee"][2] < centre["left_knee"][2] - 20  # the patient's left is -z
    assert right["right_knee"][2] > centre["right_knee"][2] + 20
    for pos in frames.values():
        assert math.dist(pos["left_knee"], pos["right_knee"]) < 16  # knees together
        for shoulder in ("left_shoulder", "right_shoulder"):  # both shoulders stay down
            assert pos[shoulder][1] < 16


def test_the_bridge_lifts_the_hips_into_line_with_shoulders_and_knees() -> None:
    figure = SHIPPED["bridge"]
    start, lifted = (joint_positions(figure, k.pose) for k in figure.keyframes)
    assert lifted["mid_hip"][1] > start["mid_hip"][1] + 15
    s, h, k = lifted["neck_base"], lifted["mid_hip"], lifted["left_knee"]
    a = math.atan2(h[1] - s[1], h[0] - s[0])
    b = math.atan2(k[1] - h[1], k[0] - h[0])
    assert abs(math.degrees(a - b)) < 3


def test_deep_abdominal_draws_the_belly_in_and_keeps_the_spine_still() -> None:
    figure = SHIPPED["deep-abdominal-strengthening"]
    relaxed, drawn = figure.keyframes
    assert relaxed.pose.angles == drawn.pose.angles and relaxed.pose.root == drawn.pose.root
    assert drawn.pose.belly > relaxed.pose.belly
    assert figure.highlight == ("belly",)


def test_the_clam_lies_on_its_side_with_hips_and_knees_bent_and_opens_the_top_knee() -> None:
    figure = SHIPPED["side-lying-clam"]
    closed, opened = (joint_positions(figure, k.pose) for k in figure.keyframes)
    for frame in figure.keyframes:
        for side in ("left", "right"):
            assert 30 <= frame.pose.angles[f"{side}_hip_flexion"] <= 70
            assert 70 <= frame.pose.angles[f"{side}_knee"] <= 110
    assert closed["right_hip"][1] > closed["left_hip"][1] + 15  # on the left side
    assert opened["right_knee"][1] > closed["right_knee"][1] + 12
    assert math.dist(opened["right_heel"], closed["right_heel"]) < 10  # feet stay together


def test_the_prone_press_up_goes_onto_the_elbows_first_and_presses_moderately() -> None:
    figure = SHIPPED["prone-press-up"]
    names = [k.name for k in figure.keyframes]
    assert names[0] == "lying" and names.index("on elbows") < names.index("pressed up")
    pressed = figure.keyframes[names.index("pressed up")].pose
    assert pressed.angles["left_elbow"] >= 30 and pressed.angles["right_elbow"] >= 30
    pos = joint_positions(figure, pressed)
    assert pos["mid_hip"][1] < 16  # the hips stay down


def test_landmarks_are_the_33_blazepose_points_in_order() -> None:
    figure = SHIPPED["bridge"]
    points = landmarks(figure, "lifted")
    assert list(points) == list(BLAZEPOSE) and len(points) == 33
    assert points["nose"][1] > 0 and points["left_hip"][2] < points["right_hip"][2]
    assert landmarks(figure, 1) == points


# ---- interpolation and kinematics -------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_pose_at_a_keyframes_time_is_exactly_that_keyframe(slug: str) -> None:
    figure = SHIPPED[slug]
    for frame, t in zip(figure.keyframes, keyframe_times(figure), strict=True):
        assert pose_at(figure, t) == frame.pose
        assert pose_at(figure, t + frame.hold_ms) == frame.pose
        assert pose_at(figure, t + 3 * figure.period_ms) == frame.pose


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


@settings(max_examples=100, deadline=None)
@given(slug=st.sampled_from(sorted(SHIPPED)), t=st.floats(-1e6, 1e6))
def test_the_bones_keep_their_lengths_in_every_pose(slug: str, t: float) -> None:
    figure = SHIPPED[slug]
    pos = joint_positions(figure, pose_at(figure, t))
    for side in ("left", "right"):
        assert math.dist(pos[f"{side}_hip"], pos[f"{side}_knee"]) == pytest.approx(43)
        assert math.dist(pos[f"{side}_knee"], pos[f"{side}_ankle"]) == pytest.approx(42)
        assert math.dist(pos[f"{side}_shoulder"], pos[f"{side}_elbow"]) == pytest.approx(28)
        assert math.dist(pos[f"{side}_elbow"], pos[f"{side}_wrist"]) == pytest.approx(25)
    assert math.dist(pos["left_hip"], pos["right_hip"]) == pytest.approx(18)


def test_forward_kinematics_follows_the_angle_conventions() -> None:
    figure = SHIPPED["deep-abdominal-strengthening"]  # anchored at the pelvis
    standing = dict.fromkeys(JOINTS, 0.0) | {"trunk": 90.0}
    pose = figure.keyframes[0].pose.__class__(standing, (0, 100, 0))
    pos = joint_positions(figure, pose)
    # Upright: head above shoulders above hips, the right side at +z, toes forward (+x).
    assert pos["head"][1] > pos["neck_base"][1] > pos["mid_hip"][1] > pos["left_knee"][1]
    assert pos["right_hip"][2] > 0 > pos["left_hip"][2]
    assert pos["left_foot_index"][0] > pos["left_ankle"][0] > pos["left_heel"][0]
    bent = standing | {"left_hip_flexion": 90.0, "left_knee": 90.0, "left_shoulder_flexion": 90.0,
                       "left_hip_abduction": 0.0}  # fmt: skip
    pos = joint_positions(figure, pose.__class__(bent, (0, 100, 0)))
    assert pos["left_knee"] == pytest.approx((43, 100, -9))  # hip flexion brings the thigh forward
    assert pos["left_ankle"] == pytest.approx((43, 58, -9))  # knee flexion folds the shin down
    assert pos["left_wrist"][0] == pytest.approx(53)  # shoulder flexion raises the arm forward
    out = standing | {"left_hip_abduction": 30.0, "right_hip_abduction": 30.0}
    pos = joint_positions(figure, pose.__class__(out, (0, 100, 0)))
    assert pos["left_knee"][2] < -9 and pos["right_knee"][2] > 9  # abduction is outwards


def test_pose_at_refuses_a_time_that_is_not_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        pose_at(SHIPPED["bridge"], math.inf)


# ---- parsing: every mistake names its field ---------------------------------------------


def test_a_missing_camera_is_named() -> None:
    table = bridge_table()
    del table["camera"]
    assert field_of(table) == "camera"


def test_an_unknown_joint_is_named_with_its_keyframe() -> None:
    table = bridge_table()
    table["keyframes"][1]["left_kneee"] = 30
    assert field_of(table) == "keyframes[1].left_kneee"


def test_an_old_two_dimensional_joint_name_is_an_unknown_joint() -> None:
    table = bridge_table()
    table["keyframes"][1]["knee_near"] = 30
    assert field_of(table) == "keyframes[1].knee_near"


def test_an_angle_outside_its_range_is_named() -> None:
    table = bridge_table()
    table["keyframes"][1]["left_elbow"] = -20
    with pytest.raises(FigureError, match=r"keyframes\[1\].left_elbow: -20 is outside 0..150"):
        parse_figure(table)


@pytest.mark.parametrize("bad", ["90", True, None, [90], math.nan])
def test_an_angle_that_is_not_a_number_is_named(bad: Any) -> None:
    table = bridge_table()
    table["keyframes"][1]["left_knee"] = bad
    assert field_of(table) == "keyframes[1].left_knee"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"camera": {"azimuth": 0}}, "camera.elevation"),
        ({"camera": {"azimuth": 0, "elevation": 95}}, "camera.elevation"),
        ({"camera": {"azimuth": 0, "elevation": 5, "zoom": 2}}, "camera.zoom"),
        ({"anchor": "elbow"}, "anchor"),
        ({"thumbnail": "lifted up"}, "thumbnail"),
        ({"highlight": ["wing"]}, "highlight[0]"),
        ({"highlight": []}, "highlight"),
        ({"colour": "red"}, "colour"),
        ({"props": [{"kind": "dumbbell"}]}, "props[0].kind"),
        ({"props": [{"kind": "towel", "from": "left_hand", "to": "heel"}]}, "props[0].to"),
        ({"props": [{"kind": "pillow", "at": [0]}]}, "props[0].at"),
        ({"arrows": [{"point": "left_knee", "from": "start", "to": "up"}]}, "arrows[0].to"),
        ({"arrows": [{"point": "kneecap", "from": "start", "to": "lifted"}]}, "arrows[0].point"),
    ],
)
def test_bad_figure_settings_are_named(change: dict[str, Any], field: str) -> None:
    assert field_of(bridge_table() | change) == field


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("ms", 0, "keyframes[1].ms"),
        ("hold_ms", -1, "keyframes[1].hold_ms"),
        ("name", "start", "keyframes[1].name"),
        ("name", "", "keyframes[1].name"),
        ("root", [1, 2], "keyframes[1].root"),
        ("belly", 2, "keyframes[1].belly"),
        ("contacts", ["left_ear"], "keyframes[1].contacts[0]"),
        ("contacts", ["left_heel", "left_knee"], "keyframes[1].contacts[1]"),  # knee is up
        ("trunk", 150, "keyframes[1]"),  # tipped so far the body goes through the floor
    ],
)
def test_bad_keyframes_are_named(key: str, value: Any, field: str) -> None:
    table = bridge_table()
    table["keyframes"][1][key] = value
    assert field_of(table) == field


def test_the_first_keyframe_must_place_the_figure_and_the_rest_inherit() -> None:
    for key in ("root", "trunk"):
        table = bridge_table()
        del table["keyframes"][0][key]
        assert field_of(table) == f"keyframes[0].{key}"
    figure = parse_figure(bridge_table())
    first, second = figure.keyframes
    assert second.pose.root == first.pose.root
    assert (
        second.pose.angles["left_shoulder_abduction"]
        == first.pose.angles["left_shoulder_abduction"]
    )
    assert second.contacts == first.contacts


def test_a_single_keyframe_is_not_a_movement() -> None:
    table = bridge_table()
    table["keyframes"] = table["keyframes"][:1]
    assert field_of(table) == "keyframes"


# ---- rendering --------------------------------------------------------------------------


def test_rendering_is_deterministic() -> None:
    for slug, table in shipped_tables().items():
        once = render_svg(parse_figure(table), keyframe=1, title=slug)
        again = render_svg(parse_figure(table), keyframe=1, title=slug)
        assert once == again
        assert render_thumbnail(parse_figure(table), title=slug) == render_thumbnail(
            SHIPPED[slug], title=slug
        )


def test_the_svg_is_a_standalone_accessible_picture() -> None:
    svg = render_svg(SHIPPED["bridge"], title="Bridge <lifted> & held", width=400)
    root = parse_svg(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Bridge <lifted> & held"
    _, _, w, h = (int(v) for v in root.get("viewBox").split())
    assert root.get("width") == "400" and root.get("height") == str(round(400 * h / w))
    assert "<script" not in svg and "font" not in svg
    paths = [el.get("d") for el in root.iter(f"{SVG}path") if el.get("data-seg")]
    assert paths and all(re.fullmatch(r"[MLAZ0-9. -]+", d) for d in paths)
    numbers = re.findall(r"-?\d+(?:\.\d+)?", " ".join(paths))
    assert all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers)


def test_every_part_is_drawn_once_far_to_near_and_the_far_side_is_lighter() -> None:
    figure = SHIPPED["bridge"]  # seen from the right side
    root = parse_svg(render_svg(figure, title="Bridge"))
    segs = [el.get("data-seg") for el in root.iter() if el.get("data-seg")]
    assert sorted(segs) == sorted(PART_NAMES)
    fills = {el.get("data-seg"): el.get("fill") for el in root.iter() if el.get("data-seg")}

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert luminance(fills["left_upper_arm"]) > luminance(fills["right_upper_arm"])
    assert segs.index("left_upper_arm") < segs.index("torso") < segs.index("right_upper_arm")
    for colour in (NEAR, HIGHLIGHT_NEAR):
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5
    for colour in (FAR, HIGHLIGHT_FAR):
        assert 1.05 / (luminance(colour) + 0.05) >= 3


def test_the_moving_parts_are_highlighted_and_the_still_picture_has_its_arrows() -> None:
    for slug, figure in SHIPPED.items():
        root = parse_svg(render_svg(figure, title=slug))
        assert root.findall(f".//{SVG}g[@data-arrow]"), slug
        for el in root.iter():
            if el.get("data-seg") in figure.highlight:
                red = int(el.get("fill")[1:3], 16)
                blue = int(el.get("fill")[5:7], 16)
                assert red > blue, (slug, el.get("data-seg"))


def test_the_animation_id_is_put_on_the_svg_for_the_browser() -> None:
    svg = render_svg(SHIPPED["bridge"], title="Bridge", animation_id='fig-"bridge"')
    assert parse_svg(svg).get("data-animation") == 'fig-"bridge"'
    assert "data-animation" not in render_svg(SHIPPED["bridge"], title="Bridge")


def test_render_refuses_a_keyframe_that_does_not_exist() -> None:
    with pytest.raises(IndexError):
        render_svg(SHIPPED["bridge"], keyframe=2, title="Bridge")


def test_the_towel_runs_from_the_hands_to_the_sole() -> None:
    figure = SHIPPED["hamstring-stretch"]
    towels = [shapes for name, shapes in capsules(figure) if name.startswith("towel")]
    assert {shapes[0][:2] for shapes in towels} == {
        ("left_hand", "right_sole"),
        ("right_hand", "right_sole"),
    }
    pos = joint_positions(figure, figure.keyframes[1].pose)
    # The sole is beyond the foot, under the ball, not inside the ankle.
    assert math.dist(pos["right_sole"], pos["right_ankle"]) > 8


# ---- the browser's copy of the maths ----------------------------------------------------


def test_animation_data_survives_json_and_matches_the_figure() -> None:
    figure = SHIPPED["cat-camel"]
    data = json.loads(json.dumps(animation_data(figure)))
    assert data["anchor"] == "left_knee"
    assert data["joints"] == list(JOINTS)
    assert [k["name"] for k in data["keyframes"]] == [k.name for k in figure.keyframes]
    assert data["periodMs"] == figure.period_ms
    assert data["keyframes"][1]["angles"] == figure.keyframes[1].pose.angles
    assert data["highlight"] == list(figure.highlight)


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
    // A tiny stand-in for the DOM: elements in a list, appendChild moves one to the end.
    const parent = { children: [], appendChild(el) {
      this.children = this.children.filter((c) => c !== el); this.children.push(el); } };
    for (const attrs of job.elements) {
      parent.children.push({ attrs: { ...attrs }, parentNode: parent,
        getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; },
        setAttribute(name, value) { this.attrs[name] = String(value); } });
    }
    const svg = { querySelectorAll: () => [...parent.children] };
    drawPose(svg, job.data, frame);
    return parent.children.map((e) => e.attrs);
  });
  out.push({ poses: poses.map((p) => ({ angles: p.angles, root: p.root, belly: p.belly })),
             positions, drawn });
}
process.stdout.write(JSON.stringify(out));
"""


def moving_elements(svg: str) -> list[dict[str, str]]:
    return [dict(el.attrib) for el in parse_svg(svg).iter() if el.get("data-seg")]


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
                # Start every keyframe from the still picture, as the page does.
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
            assert pose["belly"] == python.belly, (slug, t)
            for name, point in joint_positions(figure, python).items():
                for i in range(3):
                    assert math.isclose(positions[name][i], point[i], abs_tol=1e-9), (slug, t, name)
        # Drawing keyframe k in the browser gives the server's picture of keyframe k: the
        # same path data, the same shades and the same order, far to near.
        for k, drawn in enumerate(got["drawn"]):
            assert drawn == moving_elements(render_svg(figure, keyframe=k, title=slug)), (slug, k)


def test_fmt_rounds_half_up_like_the_browser() -> None:
    assert [fmt(v) for v in (1.25, -1.25, 2.0, -0.04, 10.05)] == ["1.3", "-1.2", "2", "0", "10.1"]


# ---- the figure of "Getting down to the floor and up again" -------------------------------

LEARN_FIGURE = parse_figure(
    tomllib.loads(
        (SRC / "library" / "learn" / "getting-down-to-the-floor.toml").read_text(encoding="utf-8")
    )["figure"]
)


def test_the_floor_guide_stays_above_the_floor_at_every_moment() -> None:
    figure = LEARN_FIGURE
    pos_bottoms = []
    for t in [*keyframe_times(figure), *(figure.period_ms * i / 240 for i in range(240))]:
        pos = joint_positions(figure, pose_at(figure, t))
        pos_bottoms += [
            (t, name, min(pos[a][1], pos[b][1]) - r)
            for name, shapes in capsules(figure)
            for a, b, r in shapes
        ]
    # Keyframes are checked to 0.5 cm by the parser; between them the blend of angles may
    # graze the floor by a little more (a foot swinging back), never by a body's width.
    assert min(bottom for _, _, bottom in pos_bottoms) >= -2.0
    for frame in figure.keyframes:
        pos = joint_positions(figure, frame.pose)
        for point in frame.contacts:
            assert abs(pos[point][1] - CONTACT_RADII[point]) <= 1.0, (frame.name, point)
        for joint, angle in frame.pose.angles.items():
            low, high = JOINT_RANGES[joint]
            assert low <= angle <= high, (frame.name, joint, angle)


def test_the_floor_guide_goes_down_through_its_named_positions_and_back_up() -> None:
    names = [k.name for k in LEARN_FIGURE.keyframes]
    named = [n for n in names if not n.startswith("in between")]
    assert named == [
        "standing, hands on the chair",
        "one knee down",
        "both knees down",
        "hands down onto all fours",
        "onto one hip and side",
        "on the back",
        "roll onto the side",
        "push up onto all fours",
        "one foot forward",
    ]
    frames = {k.name: k for k in LEARN_FIGURE.keyframes}
    feet = {"left_heel", "left_foot_index", "right_heel", "right_foot_index"}
    assert feet <= set(frames["standing, hands on the chair"].contacts)
    assert "right_knee" in frames["one knee down"].contacts
    assert {"left_knee", "right_knee"} <= set(frames["both knees down"].contacts)
    assert {"left_hand", "right_hand"} <= set(frames["hands down onto all fours"].contacts)
    assert frames["onto one hip and side"].pose.angles["roll"] == -90
    assert frames["on the back"].pose.angles["roll"] == -180
    # Standing is upright; on the back, the chest is no higher than the hips.
    stand = landmarks(LEARN_FIGURE, "standing, hands on the chair")
    assert stand["nose"][1] > 150
    back = joint_positions(LEARN_FIGURE, frames["on the back"].pose)
    assert back["chest"][1] < 25


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run figure.js")
def test_the_browser_animates_the_floor_guide_as_the_server_draws_it(tmp_path: Path) -> None:
    shutil.copy(FIGURE_JS, tmp_path / "figure.mjs")
    (tmp_path / "run.mjs").write_text(NODE_RUNNER, encoding="utf-8")
    figure = LEARN_FIGURE
    times = [*keyframe_times(figure), *(figure.period_ms * k / 23 for k in range(23))]
    job = {
        "data": animation_data(figure),
        "times": times,
        "elements": moving_elements(render_svg(figure, title="guide")),
    }
    result = subprocess.run(
        ["node", str(tmp_path / "run.mjs")],  # noqa: S607
        input=json.dumps([job]),
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    (got,) = json.loads(result.stdout)
    for t, pose in zip(times, got["poses"], strict=True):
        assert pose["angles"] == pose_at(figure, t).angles, t
    for k, drawn in enumerate(got["drawn"]):
        assert drawn == moving_elements(render_svg(figure, keyframe=k, title="guide")), k
