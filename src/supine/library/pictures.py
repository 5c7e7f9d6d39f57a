"""An exercise's picture and animation data, drawn once per version of the exercise.

Rendering is pure and deterministic, so a drawing can be kept for as long as the
exercise row is unchanged (its `updated_at` moves on every save or reload). Each
process keeps its own small cache; nothing here is shared between workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from supine.library.figure import Figure, animation_data, parse_figure, render_svg
from supine.library.models import Exercise

_MAX_ENTRIES = 512


@dataclass
class _Drawn:
    figure: Figure
    animation: dict[str, Any] | None = None
    svgs: dict[str, str] = field(default_factory=dict)


_drawn: dict[tuple[int, float], _Drawn] = {}


def _entry(exercise: Exercise) -> _Drawn:
    key = (exercise.pk, exercise.updated_at.timestamp())
    entry = _drawn.get(key)
    if entry is None:
        if len(_drawn) >= _MAX_ENTRIES:
            _drawn.clear()
        entry = _drawn[key] = _Drawn(parse_figure(exercise.figure))
    return entry


def exercise_svg(exercise: Exercise, *, title: str | None = None) -> str:
    entry, title = _entry(exercise), title or exercise.name
    if title not in entry.svgs:
        entry.svgs[title] = render_svg(entry.figure, title=title)
    return entry.svgs[title]


def exercise_animation(exercise: Exercise) -> dict[str, Any]:
    entry = _entry(exercise)
    if entry.animation is None:
        entry.animation = animation_data(entry.figure)
    return entry.animation
