"""SVG drawing of one posed figure. Knows nothing of keyframes: it is handed joint positions.

Every moving element carries `data-seg` (or `data-prop` for props that move with the body),
which is how static/supine/figure.js finds the same elements to animate them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

# Near limbs and the body are dark; far limbs are lighter but still above 3:1 on white, so
# the picture keeps its meaning for people with low contrast sensitivity.
NEAR = "#1d3a5a"
BODY = "#33628f"
FAR = "#7b93b0"
FLOOR = "#5f6b78"
PILLOW_FILL = "#e3e9f0"
MAT_FILL = "#eef2f6"
TOWEL = "#b0500f"

LIMBS = ("thigh", "shin", "foot", "upper_arm", "forearm")
LIMB_ENDS = {
    "thigh": ("hip", "knee"),
    "shin": ("knee", "ankle"),
    "foot": ("ankle", "toe"),
    "upper_arm": ("shoulder", "elbow"),
    "forearm": ("elbow", "hand"),
}


def fmt(value: float) -> str:
    # Round half up to one decimal as the browser's Math.round does, and print integers
    # without ".0", so both sides write identical attribute text.
    tenths = math.floor(value * 10.0 + 0.5)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def _pt(p: tuple[float, float]) -> tuple[str, str]:
    return fmt(p[0]), fmt(-p[1])


def torso_path(
    hip: tuple[float, float], waist: tuple[float, float], sh: tuple[float, float]
) -> str:
    # A quadratic curve that passes through the waist, so a bent spine reads as a curve.
    cx = 2.0 * waist[0] - (hip[0] + sh[0]) / 2.0
    cy = 2.0 * waist[1] - (hip[1] + sh[1]) / 2.0
    return "M{} {}Q{} {} {} {}".format(*_pt(hip), *_pt((cx, cy)), *_pt(sh))


def _line(attr: str, a: tuple[float, float], b: tuple[float, float], width: float) -> str:
    (x1, y1), (x2, y2) = _pt(a), _pt(b)
    return f'<line {attr} x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{fmt(width)}"/>'


def _limbs(side: str, pos: Mapping[str, tuple[float, float]], widths: Mapping[str, float]) -> str:
    colour = NEAR if side == "near" else FAR
    lines = [
        _line(
            f'data-seg="{limb}_{side}"',
            pos[f"{a}_{side}"],
            pos[f"{b}_{side}"],
            widths[f"{limb}_{side}"],
        )
        for limb in LIMBS
        for a, b in [LIMB_ENDS[limb]]
    ]
    return f'<g data-side="{side}" stroke="{colour}">{"".join(lines)}</g>'


def _towel(start: str, end: str, positions: Mapping[str, tuple[float, float]]) -> str:
    attr = f'data-prop="towel" data-from="{start}" data-to="{end}" stroke="{TOWEL}"'
    return _line(attr, positions[start], positions[end], 3.5)


def document(
    *,
    view: str,
    positions: Mapping[str, tuple[float, float]],
    widths: Mapping[str, float],
    head_radius: float,
    pillows: tuple[tuple[float, float, float], ...],  # centre x, width, height
    towels: tuple[tuple[str, str], ...],  # the joints each strap runs between
    box: tuple[int, int, int, int],
    title: str,
    width: int,
    animation_id: str | None,
) -> str:
    x, y, w, h = box
    height = round(width * h / w)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="exercise-figure"'
        f' viewBox="{x} {y} {w} {h}" width="{width}" height="{height}"'
        + (f" data-animation={quoteattr(animation_id)}" if animation_id else "")
        + ">",
        f"<title>{escape(title)}</title>",
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">',
    ]
    if view == "top":
        parts.append(
            f'<rect data-prop="mat" x="{x + 3}" y="{y + 3}" width="{w - 6}" height="{h - 6}"'
            f' rx="8" fill="{MAT_FILL}" stroke="#c5d0dc" stroke-width="1.5"/>'
        )
    else:
        parts.append(
            f'<line data-prop="floor" x1="{x}" y1="0" x2="{x + w}" y2="0"'
            f' stroke="{FLOOR}" stroke-width="2"/>'
        )
    for px, pw, ph in pillows:
        # Sits on top of the floor line's upper edge.
        parts.append(
            f'<rect data-prop="pillow" x="{fmt(px - pw / 2)}" y="{fmt(-ph - 1)}" width="{fmt(pw)}"'
            f' height="{fmt(ph)}" rx="{fmt(min(ph, pw) / 2)}" fill="{PILLOW_FILL}"'
            f' stroke="{FLOOR}" stroke-width="1.5"/>'
        )
    # A strap held in the far hand passes behind the body; one in the near hand, in front.
    behind = [t for t in towels if any(joint.endswith("_far") for joint in t)]
    parts.append(_limbs("far", positions, widths))
    parts += [_towel(start, end, positions) for start, end in behind]
    torso = torso_path(positions["hip"], positions["waist"], positions["shoulder"])
    parts.append(
        f'<path data-seg="torso" d="{torso}"'
        f' stroke="{BODY}" stroke-width="{fmt(widths["torso_lower"])}"/>'
    )
    parts.append(
        _line(
            f'data-seg="neck" stroke="{BODY}"',
            positions["shoulder"],
            positions["head"],
            widths["neck"],
        )
    )
    hx, hy = _pt(positions["head"])
    parts.append(
        f'<circle data-seg="head" cx="{hx}" cy="{hy}" r="{fmt(head_radius)}" fill="{BODY}"/>'
    )
    parts.append(_limbs("near", positions, widths))
    parts += [_towel(start, end, positions) for start, end in towels if (start, end) not in behind]
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"
