"""What a patient's progress shows, from plain values: this week's strip of days."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class StripDay:
    day: date
    done: bool
    today: bool
    future: bool

    @property
    def label(self) -> str:
        return f"{self.day:%a}"

    @property
    def spoken(self) -> str:
        state = "done" if self.done else ("to come" if self.future else "not done")
        return f"{self.day:%A} {self.day.day} {self.day:%B}: {state}"


def week_strip(today: date, done_days: Collection[date]) -> list[StripDay]:
    """Monday to Sunday of this week, each day done (a session finished) or not."""
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    return [StripDay(d, d in done_days, d == today, d > today) for d in days]
