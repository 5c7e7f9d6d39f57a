"""The clinician's charts as SVG text (pygal), from plain values: the same chart goes
into a page (as an image) and into a PDF report. Each chart comes with a sentence that
says what it shows, for people who cannot see it.

No script and no remote file: pygal's tooltips script is left out, so the SVG is a
picture and nothing more.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pygal
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#5b5b5b",
    # Morning, before, after, then the visits' marker; told apart by shape too.
    colors=("#0b5c8a", "#b35900", "#2e7d32", "#6a1b9a", "#c62828", "#00838f"),
    font_family="system-ui, sans-serif",
    label_font_size=16,
    major_label_font_size=16,
    legend_font_size=17,
    value_font_size=13,
    title_font_size=17,
    stroke_width=3,
)


@dataclass(frozen=True)
class Chart:
    svg: str
    summary: str


def _config(**overrides) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "width": 600,
        "height": 420,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "truncate_legend": -1,
        "truncate_label": -1,
        "show_minor_x_labels": False,
        "x_label_rotation": 0,
        "margin": 10,
        "margin_bottom": 40,
        **overrides,
    }


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _labels(days: Sequence[date]) -> list[str]:
    return [f"{d.day} {d:%b}" for d in days]


def _visit_marks(days: Sequence[date], visits: Sequence[date], at: float) -> list:
    booked = set(visits)
    return [at if d in booked else None for d in days]


def pain_chart(
    *,
    first: date,
    last: date,
    morning: Mapping[date, int],
    before: Mapping[date, Sequence[int]],
    after: Mapping[date, Sequence[int]],
    visits: Sequence[date],
) -> Chart:
    """Morning pain, and pain before and after sessions (the day's mean), 0–10."""
    days = _days(first, last)
    chart = pygal.Line(
        **_config(range=(0, 10), show_dots=False, allow_interruptions=True, y_title="Pain 0–10")
    )
    chart.x_labels = _labels(days)
    chart.x_labels_major_every = 7
    chart.y_labels = list(range(0, 11, 2))

    def means(ratings: Mapping[date, Sequence[int]]) -> list:
        return [round(statistics.mean(ratings[d]), 1) if ratings.get(d) else None for d in days]

    # Dots too: a rating with no neighbour on either day would otherwise draw nothing.
    dots = {"show_dots": True, "dots_size": 3}
    chart.add("On waking", [morning.get(d) for d in days], stroke_style={"width": 4}, **dots)
    chart.add(
        "Before sessions", means(before), stroke_style={"width": 3, "dasharray": "8,5"}, **dots
    )
    chart.add("After sessions", means(after), stroke_style={"width": 3, "dasharray": "3,4"}, **dots)
    chart.add("Visit", _visit_marks(days, visits, 10), stroke=False, show_dots=True, dots_size=8)
    return Chart(
        chart.render(is_unicode=True),
        _pain_summary(days, morning, before, after, visits),
    )


def _pain_summary(days, morning, before, after, visits) -> str:
    span = f"{days[0]:%-d %b} to {days[-1]:%-d %b}"
    mornings = [morning[d] for d in days if d in morning]
    parts = [f"Pain from {span}."]
    if mornings:
        parts.append(
            f"On waking: {len(mornings)} check-ins, first {mornings[0]}, latest {mornings[-1]}, "
            f"highest {max(mornings)} out of 10."
        )
    else:
        parts.append("No morning check-ins.")
    for label, ratings in (("before", before), ("after", after)):
        values = [v for d in days for v in ratings.get(d, ())]
        if values:
            parts.append(
                f"Sessions {label}: mean {statistics.mean(values):.1f}, highest {max(values)}."
            )
    parts.append(_visits_sentence(days, visits))
    return " ".join(parts)


def _visits_sentence(days: Sequence[date], visits: Sequence[date]) -> str:
    shown = [v for v in visits if days[0] <= v <= days[-1]]
    if not shown:
        return "No visits in this time."
    return "Visits on " + ", ".join(f"{v:%-d %b}" for v in shown) + "."


def _weeks(first: date, last: date) -> list[date]:
    start = first - timedelta(days=first.weekday())
    weeks = []
    while start <= last:
        weeks.append(start)
        start += timedelta(days=7)
    return weeks


def sessions_chart(
    *, first: date, last: date, session_days: Sequence[date], visits: Sequence[date]
) -> Chart:
    """Sessions per week (Monday to Sunday), and the visits in each week."""
    weeks = _weeks(first, last)

    def per_week(days: Sequence[date]) -> list[int]:
        return [sum(w <= d < w + timedelta(days=7) for d in days) for w in weeks]

    sessions, booked = per_week(session_days), per_week(visits)
    chart = pygal.Bar(**_config(y_title="Per week"))
    chart.x_labels = [f"{w.day} {w:%b}" for w in weeks]
    # Every other week named, so that the labels do not run into each other on a phone.
    chart.x_labels_major_every = 2
    chart.add("Sessions", sessions)
    chart.add("Visits", booked)
    summary = (
        f"Sessions per week from the week of {weeks[0]:%-d %b}: "
        + ", ".join(str(n) for n in sessions)
        + f". {_visits_sentence(_days(first, last), visits)}"
    )
    return Chart(chart.render(is_unicode=True), summary)


def dose_chart(
    *,
    first: date,
    last: date,
    steps: Mapping[str, Sequence[tuple[date, int]]],
    visits: Sequence[date],
) -> Chart:
    """Each exercise's reps as the dose decisions set them (a step holds until the next)."""
    days = _days(first, last)
    chart = pygal.Line(
        **_config(show_dots=False, allow_interruptions=True, y_title="Reps", min_scale=4)
    )
    chart.x_labels = _labels(days)
    chart.x_labels_major_every = 7
    top = 1
    lines = []
    for name, changes in steps.items():
        ordered = sorted(changes)
        values, current, index = [], None, 0
        for day in days:
            while index < len(ordered) and ordered[index][0] <= day:
                current = ordered[index][1]
                index += 1
            values.append(current)
        top = max([top, *(v for v in values if v is not None)])
        chart.add(name, values, stroke_style={"width": 4})
        known = [v for v in values if v is not None]
        if known:
            lines.append(f"{name}: {known[0]} to {known[-1]} reps")
    chart.add("Visit", _visit_marks(days, visits, top), stroke=False, show_dots=True, dots_size=8)
    summary = ("Reps per exercise: " + "; ".join(lines) + ". ") if lines else "No dose steps. "
    return Chart(chart.render(is_unicode=True), summary + _visits_sentence(days, visits))


def scores_chart(
    *, title: str, points: Sequence[tuple[date, float]], lowest: int, highest: int, better: str
) -> Chart:
    """One questionnaire's scores over time (each answer a dot, joined by a line)."""
    chart = pygal.Line(
        **_config(
            range=(lowest, highest),
            show_dots=True,
            dots_size=5,
            y_title="Score",
            show_legend=False,
            height=320,
            # One label per answer: each is a date worth reading, the last one too.
            show_minor_x_labels=True,
            margin_right=30,
        )
    )
    chart.x_labels = [f"{d.day} {d:%b}" for d, _ in points]
    chart.add(title, [float(s) for _, s in points], stroke_style={"width": 4})
    if points:
        values = ", ".join(f"{_number(s)} on {d:%-d %b}" for d, s in points)
        summary = f"{title}: {values}. {better}"
    else:
        summary = f"{title}: no answers yet."
    return Chart(chart.render(is_unicode=True), summary)


def _number(value: float) -> str:
    return f"{float(value):g}"
