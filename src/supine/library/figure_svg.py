"""SVG drawing of one posed figure. Knows nothing of keyframes: it is handed projected shapes.

Every body part is one `<path data-seg="...">` made of capsules; static/supine/figure.js
finds the same elements, recomputes their `d` and `fill`, and puts them back in depth
order, with the same arithmetic and the same rounding.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

Point2 = tuple[float, float]

# Near parts are dark and far ones lighter, still above 3:1 on white so the picture keeps
# its meaning for people with low contrast sensitivity. The part that moves is drawn in
# the highlight colours, shaded the same way.
NEAR = "#1d3a5a"
FAR = "#7b93b0"
HIGHLIGHT_NEAR = "#8a3a06"
HIGHLIGHT_FAR = "#d06a1c"
HALO = "#ffffff"
FLOOR = "#5f6b78"
MAT_FILL = "#e9eef4"
MAT_EDGE = "#c5d0dc"
PILLOW_FILL = "#f6f8fb"
TOWEL = "#4d7c3a"
ARROW = "#b8460b"
# The depth, relative to the pelvis, over which a part goes from the near to the far
# colour; shades come in tenths so that both renderers pick the same one.
SHADE_SPAN = 60.0


def fmt(value: float) -> str:
    # Round half up to one decimal as the browser's Math.floor does, and print integers
    # without ".0", so both sides write identical attribute text.
    tenths = math.floor(value * 10.0 + 0.5)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def shade(depth: float, centre: float, highlighted: bool) -> str:
    t = 0.5 + (depth - centre) / SHADE_SPAN
    t = math.floor(min(max(t, 0.0), 1.0) * 10.0 + 0.5) / 10.0
    near, far = (HIGHLIGHT_NEAR, HIGHLIGHT_FAR) if highlighted else (NEAR, FAR)
    channels = []
    for i in (1, 3, 5):
        a, b = int(near[i : i + 2], 16), int(far[i : i + 2], 16)
        channels.append(math.floor(a + (b - a) * t + 0.5))
    return "#" + "".join(f"{c:02x}" for c in channels)


def capsule(a: Point2, b: Point2, r: float) -> str:
    """A stadium around the segment a-b (SVG coordinates, y down), as path commands."""
    vx, vy = b[0] - a[0], b[1] - a[1]
    length = math.sqrt(vx * vx + vy * vy)
    ux, uy = (vx / length, vy / length) if length > 1e-6 else (1.0, 0.0)
    nx, ny = -uy * r, ux * r
    rr = fmt(r)
    arc = f"A{rr} {rr} 0 0 0 "
    return (
        f"M{fmt(a[0] + nx)} {fmt(a[1] + ny)}L{fmt(b[0] + nx)} {fmt(b[1] + ny)}"
        f"{arc}{fmt(b[0] - nx)} {fmt(b[1] - ny)}L{fmt(a[0] - nx)} {fmt(a[1] - ny)}"
        f"{arc}{fmt(a[0] + nx)} {fmt(a[1] + ny)}Z"
    )


def polygon_points(points: Iterable[Point2]) -> str:
    return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)


def convex_hull(points: Sequence[Point2]) -> list[Point2]:
    """Andrew's monotone chain; for the static props, drawn by the server only."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: Point2, a: Point2, b: Point2) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point2] = []
    upper: list[Point2] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def arrow(path: Sequence[Point2]) -> str:
    """A motion arrow along `path` (SVG coordinates), with a halo so it reads on anything."""
    line = "M" + "L".join(f"{fmt(x)} {fmt(y)}" for x, y in path)
    (x1, y1), (x2, y2) = path[-2], path[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    tip = (x2 + ux * 4.0, y2 + uy * 4.0)
    wings = [(x2 - uy * 4.5 - ux * 2.0, y2 + ux * 4.5 - uy * 2.0),
             (x2 + uy * 4.5 - ux * 2.0, y2 - ux * 4.5 - uy * 2.0)]  # fmt: skip
    head = polygon_points([tip, wings[0], wings[1]])
    return (
        f'<g data-arrow="">'
        f'<path d="{line}" fill="none" stroke="{HALO}" stroke-width="6"/>'
        f'<polygon points="{head}" fill="{HALO}" stroke="{HALO}" stroke-width="4"/>'
        f'<path d="{line}" fill="none" stroke="{ARROW}" stroke-width="2.6"/>'
        f'<polygon points="{head}" fill="{ARROW}" stroke="{ARROW}" stroke-width="1"/>'
        "</g>"
    )


def document(
    *,
    parts: Sequence[tuple[str, str, str]],  # name, path data, fill; far to near
    mat: Sequence[Point2],
    pillows: Sequence[Sequence[Point2]],
    arrows: Sequence[Sequence[Point2]],
    box: tuple[int, int, int, int],
    title: str,
    width: int,
    animation_id: str | None,
) -> str:
    x, y, w, h = box
    height = round(width * h / w)
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="exercise-figure"'
        f' viewBox="{x} {y} {w} {h}" width="{width}" height="{height}"'
        + (f" data-animation={quoteattr(animation_id)}" if animation_id else "")
        + ">",
        f"<title>{escape(title)}</title>",
        f'<g data-layer="floor" stroke-linejoin="round" stroke="{MAT_EDGE}" stroke-width="1.5">',
        f'<polygon data-prop="mat" points="{polygon_points(mat)}" fill="{MAT_FILL}"/>',
        *(
            f'<polygon data-prop="pillow" points="{polygon_points(p)}" fill="{PILLOW_FILL}"'
            f' stroke="{FLOOR}"/>'
            for p in pillows
        ),
        "</g>",
        f'<g data-layer="body" stroke="{HALO}" stroke-width="1.6" stroke-linejoin="round"'
        ' paint-order="stroke">',
        *(f'<path data-seg="{name}" fill="{fill}" d="{d}"/>' for name, d, fill in parts),
        "</g>",
    ]
    if arrows:
        out += ['<g data-layer="arrows" stroke-linecap="round" stroke-linejoin="round">']
        out += [arrow(path) for path in arrows]
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
