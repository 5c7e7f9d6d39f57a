"""Planned against done: one way to count, for every page and rule that counts.

A session's plan (its timeline's steps) says what was planned; its rep_done and
hold_done events say what was done. A rep replayed after "back one step" is still one
rep, so done reps are counted by their identity (exercise, set, rep, side), never by
events. Today, the clinician's dashboard and patient page, the session record and
progression all count with these functions, so "done" and "completed" mean one thing:

- a session is *done* when it has ended, finished or stopped (not one in progress);
- an exercise is *completed* in a session when the session was finished and every
  planned rep and hold of that exercise was done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from supine.vocabulary import SessionStatus

# A session that has ended, either way: what adherence, charts and "regular exercise" count.
DONE_STATUSES = (SessionStatus.COMPLETED, SessionStatus.STOPPED)

REP_DONE = "rep_done"
HOLD_DONE = "hold_done"
# The step whose end records each kind of event.
_KIND_OF_STEP = {"release": REP_DONE, "hold": HOLD_DONE}


def session_done(status: str) -> bool:
    """Whether a session counts as done (ended, finished or stopped)."""
    return status in DONE_STATUSES


@dataclass(frozen=True)
class ExerciseTally:
    exercise: str
    reps_planned: int = 0
    reps_done: int = 0
    holds_planned: int = 0
    holds_done: int = 0

    @property
    def all_done(self) -> bool:
        return self.reps_done >= self.reps_planned and self.holds_done >= self.holds_planned


@dataclass(frozen=True)
class SessionTally:
    exercises: tuple[ExerciseTally, ...]  # in the plan's order

    @property
    def reps_planned(self) -> int:
        return sum(e.reps_planned for e in self.exercises)

    @property
    def reps_done(self) -> int:
        return sum(e.reps_done for e in self.exercises)

    def of(self, exercise: str) -> ExerciseTally:
        return next((e for e in self.exercises if e.exercise == exercise), ExerciseTally(exercise))


def rep_key(data: Mapping[str, Any]) -> tuple:
    """Which rep or hold an event is about: one identity, however often it is replayed."""
    return (data.get("exercise"), data.get("set"), data.get("rep"), data.get("side"))


def tally(
    steps: Sequence[Mapping[str, Any]], done: Iterable[tuple[str, Mapping[str, Any]]]
) -> SessionTally:
    """Planned and done per exercise, from the plan's steps and the (type, data) of the
    session's rep_done and hold_done events; other events are ignored."""
    order: list[str] = []
    planned: dict[tuple[str, str], int] = {}
    for step in steps:
        slug = step.get("exercise")
        if slug and slug not in order:
            order.append(slug)
        kind = _KIND_OF_STEP.get(step.get("kind", ""))
        if slug and kind:
            planned[(slug, kind)] = planned.get((slug, kind), 0) + 1
    seen: dict[str, set[tuple]] = {REP_DONE: set(), HOLD_DONE: set()}
    for kind, data in done:
        if kind in seen:
            seen[kind].add(rep_key(data))
    counted: dict[tuple[str, str], int] = {}
    for kind, keys in seen.items():
        for key in keys:
            counted[(key[0], kind)] = counted.get((key[0], kind), 0) + 1
    return SessionTally(
        exercises=tuple(
            ExerciseTally(
                exercise=slug,
                reps_planned=planned.get((slug, REP_DONE), 0),
                reps_done=counted.get((slug, REP_DONE), 0),
                holds_planned=planned.get((slug, HOLD_DONE), 0),
                holds_done=counted.get((slug, HOLD_DONE), 0),
            )
            for slug in order
        )
    )


def exercise_completed(status: str, counts: SessionTally, exercise: str) -> bool:
    """Completed: the session was finished, and every planned rep and hold of it done."""
    return status == SessionStatus.COMPLETED and counts.of(exercise).all_done
