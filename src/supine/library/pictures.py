"""An exercise's pictures and animation data, drawn once per version of the exercise.

Rendering is pure and deterministic, so a drawing can be kept for as long as the
exercise row is unchanged (its `updated_at` moves on every save or reload). Each
process keeps its own small cache; nothing here is shared between workers.

A figure stored in an older format (an exercise a clinic added before the 3D figure)
no longer parses: it gets a plain "no picture" placeholder and no animation, rather
than an error page, until someone redraws it in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from supine.library.education import EducationPage
from supine.library.figure import (
    Figure,
    FigureError,
    animation_data,
    parse_figure,
    render_svg,
    render_thumbnail,
)
from supine.library.models import Exercise

_MAX_ENTRIES = 512


@dataclass
class _Drawn:
    figure: Figure | None
    animation: dict[str, Any] | None = None
    svgs: dict[tuple[str, str], str] = field(default_factory=dict)


_drawn: dict[tuple[int, float], _Drawn] = {}


def _entry(exercise: Exercise) -> _Drawn:
    key = (exercise.pk, exercise.updated_at.timestamp())
    entry = _drawn.get(key)
    if entry is None:
        if len(_drawn) >= _MAX_ENTRIES:
            _drawn.clear()
        try:
            figure: Figure | None = parse_figure(exercise.figure)
        except FigureError:
            figure = None
        entry = _drawn[key] = _Drawn(figure)
    return entry


def _placeholder(title: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="exercise-figure"'
        ' viewBox="0 0 320 200" width="320" height="200">'
        f"<title>{escape(title)}</title>"
        '<rect x="4" y="4" width="312" height="192" rx="8" fill="#eef2f6" stroke="#c5d0dc"/>'
        "</svg>\n"
    )


def _svg(exercise: Exercise, kind: str, title: str) -> str:
    entry = _entry(exercise)
    if (kind, title) not in entry.svgs:
        if entry.figure is None:
            svg = _placeholder(title)
        elif kind == "thumbnail":
            svg = render_thumbnail(entry.figure, title=title)
        else:
            svg = render_svg(entry.figure, title=title)
        entry.svgs[kind, title] = svg
    return entry.svgs[kind, title]


def exercise_svg(exercise: Exercise, *, title: str | None = None) -> str:
    """The still picture: the starting position, the moving part highlighted, arrows."""
    return _svg(exercise, "still", title or exercise.name)


def exercise_thumbnail(exercise: Exercise, *, title: str | None = None) -> str:
    """The keyframe the exercise's file names as telling it apart from the others."""
    return _svg(exercise, "thumbnail", title or exercise.name)


def _end_keyframe(figure: Figure) -> int:
    """The pose the movement reaches: where the first arrow ends, else the telling one."""
    if figure.arrows:
        return figure.index_of(figure.arrows[0].end)
    return figure.thumbnail if figure.thumbnail else len(figure.keyframes) - 1


def exercise_start_end(exercise: Exercise) -> tuple[str, str]:
    """The start and end positions, each with the motion arrow: a printed handout's pair."""
    entry = _entry(exercise)
    key = ("start-end", exercise.name)
    if key not in entry.svgs:
        if entry.figure is None:
            pair = (_placeholder(f"{exercise.name}: start"), _placeholder(f"{exercise.name}: end"))
        else:
            end = _end_keyframe(entry.figure)
            pair = (
                render_svg(entry.figure, keyframe=0, title=f"{exercise.name}: start"),
                render_svg(entry.figure, keyframe=end, title=f"{exercise.name}: end"),
            )
        entry.svgs[key] = "\0".join(pair)
    first, last = entry.svgs[key].split("\0")
    return first, last


def exercise_animation(exercise: Exercise) -> dict[str, Any] | None:
    entry = _entry(exercise)
    if entry.figure is None:
        return None
    if entry.animation is None:
        entry.animation = animation_data(entry.figure)
    return entry.animation


# The education pages' figures come from files read once per process, so each drawing is
# made once too, keyed by the page's slug.
_learn_drawn: dict[tuple[str, str], Any] = {}


def learn_figure_svg(page: EducationPage, *, title: str | None = None) -> str | None:
    """An education page's still picture (its keyframe 0, with arrows), or None."""
    if page.figure is None:
        return None
    title = title or page.title
    key = (page.slug, f"svg:{title}")
    if key not in _learn_drawn:
        _learn_drawn[key] = render_svg(page.figure, title=title)
    return _learn_drawn[key]


def learn_figure_animation(page: EducationPage) -> dict[str, Any] | None:
    if page.figure is None:
        return None
    key = (page.slug, "animation")
    if key not in _learn_drawn:
        _learn_drawn[key] = animation_data(page.figure)
    return _learn_drawn[key]
