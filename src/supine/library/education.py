"""Self-management education: short pages a patient reads between sessions.

Each page is a TOML file in `library/learn/` beside the exercises, with its sources, in
plain calm words and no treatment claims (docs/clinical-rules.md, opening; NICE NG59 advises
self-management advice for low back pain). The text may name the urgent route and the
patient's doctor as `{urgent_route}` and `{doctor}`, and the flare level as
`{flare_pain}`; the page fills them in from the reader's clinic (its region and
thresholds), as every safety sentence is. Emergency numbers and the flare plan live on
/help/ (with tap-to-call links), which these pages link to rather than repeat.
A page may carry a `[figure]` table in the exercise files' format (docs/exercise-format.md),
checked by the same parser: "Getting down to the floor and up again" shows its
movement with the exercise figure. Sections hold paragraphs, bullet `points` and numbered
`steps`. Files are parsed once per process; a malformed one names its file and field.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from supine.library.figure import Figure, FigureError, parse_figure

LEARN_DIR = Path(__file__).resolve().parent / "learn"
PLACEHOLDERS = frozenset({"urgent_route", "doctor", "flare_pain"})

_TOP_KEYS = {"slug", "title", "summary", "order", "sections", "sources", "figure"}
_SECTION_KEYS = {"heading", "paragraphs", "points", "steps"}
_SOURCE_KEYS = {"title", "note", "url"}


class EducationError(ValueError):
    def __init__(self, file: str, field: str, message: str) -> None:
        self.file, self.field, self.message = file, field, message
        super().__init__(f"{file}: {field}: {message}")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]
    points: tuple[str, ...]
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class EducationPage:
    slug: str
    title: str
    summary: str
    order: int
    sections: tuple[Section, ...]
    sources: tuple[dict[str, str], ...]
    figure: Figure | None = None

    def in_words(self, words: Mapping[str, str]) -> EducationPage:
        """The page with the region's numbers and routes filled in."""

        def fill(text: str) -> str:
            return text.format_map(words)

        return replace(
            self,
            summary=fill(self.summary),
            sections=tuple(
                Section(
                    heading=fill(s.heading),
                    paragraphs=tuple(fill(p) for p in s.paragraphs),
                    points=tuple(fill(p) for p in s.points),
                    steps=tuple(fill(p) for p in s.steps),
                )
                for s in self.sections
            ),
        )


def _text(file: str, field: str, value: Any, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise EducationError(file, field, "must be a non-empty string")
    for _, name, _, _ in string.Formatter().parse(value):
        if name is not None and name not in PLACEHOLDERS:
            raise EducationError(
                file, field, f"unknown placeholder {{{name}}} (expected {sorted(PLACEHOLDERS)})"
            )
    return value.strip()


def _texts(file: str, field: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise EducationError(file, field, "must be a list of strings")
    return tuple(_text(file, f"{field}[{i}]", v) for i, v in enumerate(value))


def _check_keys(file: str, prefix: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise EducationError(file, prefix + key, f"unknown field (expected {sorted(allowed)})")


def parse_page(file: str, content: bytes) -> EducationPage:
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise EducationError(file, "(file)", f"is not valid UTF-8 TOML: {error}") from None
    _check_keys(file, "", data, _TOP_KEYS)
    slug = _text(file, "slug", data.get("slug"))
    if slug != Path(file).stem:
        raise EducationError(file, "slug", f"must match the file name ({Path(file).stem!r})")
    order = data.get("order")
    if not isinstance(order, int) or isinstance(order, bool):
        raise EducationError(file, "order", "must be a whole number (the place in the list)")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise EducationError(file, "sections", "is required: at least one [[sections]] table")
    parsed = []
    for index, section in enumerate(sections):
        where = f"sections[{index}]"
        if not isinstance(section, dict):
            raise EducationError(file, where, "must be a table")
        _check_keys(file, f"{where}.", section, _SECTION_KEYS)
        paragraphs = _texts(file, f"{where}.paragraphs", section.get("paragraphs"))
        points = _texts(file, f"{where}.points", section.get("points"))
        steps = _texts(file, f"{where}.steps", section.get("steps"))
        if not paragraphs and not points and not steps:
            raise EducationError(file, where, "needs paragraphs, points or steps")
        heading = _text(file, f"{where}.heading", section.get("heading"), required=False)
        parsed.append(Section(heading, paragraphs, points, steps))
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        raise EducationError(file, "sources", "is required: at least one [[sources]] with a title")
    found = []
    for index, source in enumerate(sources):
        where = f"sources[{index}]"
        if not isinstance(source, dict):
            raise EducationError(file, where, "must be a table")
        _check_keys(file, f"{where}.", source, _SOURCE_KEYS)
        entry = {"title": _text(file, f"{where}.title", source.get("title"))}
        for key in ("note", "url"):
            if key in source:
                entry[key] = _text(file, f"{where}.{key}", source[key])
        found.append(entry)
    title = _text(file, "title", data.get("title"))
    if "{" in title:
        raise EducationError(file, "title", "cannot hold a placeholder (it is listed on Today)")
    figure = None
    if "figure" in data:
        try:
            figure = parse_figure(data["figure"])
        except FigureError as error:
            raise EducationError(file, f"figure.{error.field}", error.message) from None
    return EducationPage(
        slug=slug,
        title=title,
        summary=_text(file, "summary", data.get("summary")),
        order=order,
        sections=tuple(parsed),
        sources=tuple(found),
        figure=figure,
    )


def read_pages(directory: Path = LEARN_DIR) -> tuple[EducationPage, ...]:
    pages = [parse_page(p.name, p.read_bytes()) for p in sorted(directory.glob("*.toml"))]
    return tuple(sorted(pages, key=lambda page: (page.order, page.title)))


@cache
def education_pages() -> tuple[EducationPage, ...]:
    """The shipped pages, in reading order (parsed once per process)."""
    return read_pages()


def education_page(slug: str) -> EducationPage | None:
    return next((page for page in education_pages() if page.slug == slug), None)
