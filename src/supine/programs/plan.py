"""The session plan: today's exercises and doses, turned into a timeline of steps.

The web player, the terminal player, the printable handout and the tests all read the
same timeline, so everything a player needs (what to show, what to say, for how long)
is decided here and nowhere else. Plain values in, plain values out: no Django.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

# Durations in milliseconds. Integers, so the timeline adds up exactly on every player.
SETUP_MS = 10_000  # time to read the starting position when the body stays where it is
# A change of position waits for the patient's tap ("I'm ready"): these are the times it
# is expected to take, which total_ms counts (Supine defaults).
GET_DOWN_MS = 30_000  # from standing down to the floor (the session's first position)
CHANGE_POSITION_MS = 15_000  # from one floor position to another (onto all fours…)
STANDING = "standing"
CUE_MS = 4_000  # long enough to say "3 sets of 10 reps, holding for 10 seconds each"
MOVE_MS = 3_000
RELEASE_MS = 3_000
# Without a hold the movement is the whole rep (cat-camel, knee rolls); slowing it
# keeps it controlled instead of a bounce.
FLOWING_MOVE_MS = 4_000
FLOWING_RELEASE_MS = 4_000
SWITCH_SIDE_MS = 8_000  # rolling over or turning round: self-paced, this is the expectation
REST_BETWEEN_SETS_MS = 30_000
DONE_MS = 3_000

DONE_TEXT = "Well done — that's today's session."


class StepKind(StrEnum):
    SETUP = "setup"
    CUE = "cue"
    MOVE = "move"
    HOLD = "hold"
    RELEASE = "release"
    REST = "rest"
    SWITCH_SIDE = "switch_side"
    DONE = "done"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class Dose:
    reps: int  # for per_side exercises, the reps on EACH side
    hold_seconds: int | None  # None: the movement has no hold (e.g. cat-camel)
    sets: int = 1
    per_side: bool = False  # each rep is done on the left, then on the right
    alternate_sides: bool = False  # rep 1 left, rep 2 right, …; reps is the total

    def __post_init__(self) -> None:
        # A dose that cannot be played is refused here, where it is made, rather than
        # surfacing later as an empty or endless session on a patient's screen.
        if self.reps < 1:
            raise ValueError(f"A dose needs at least 1 rep, got reps={self.reps}.")
        if self.sets < 1:
            raise ValueError(f"A dose needs at least 1 set, got sets={self.sets}.")
        if self.hold_seconds is not None and self.hold_seconds < 1:
            raise ValueError(
                "hold_seconds must be None (no hold) or at least 1 second, "
                f"got hold_seconds={self.hold_seconds}."
            )
        if self.per_side and self.alternate_sides:
            raise ValueError(
                "A dose is either per_side (every rep on both sides) or alternate_sides "
                "(reps alternate left and right), not both."
            )


@dataclass(frozen=True)
class PlannedExercise:
    slug: str
    name: str
    starting_position: str  # shown and spoken in the setup step
    move_cue: str  # e.g. "Breathe out, squeeze your buttocks and lift."
    hold_cue: str  # e.g. "Hold, and keep breathing."
    release_cue: str  # e.g. "Slowly lower down."
    dose: Dose
    # The body position the exercise starts in ("back", "side", "all_fours", "front",
    # "sitting", "standing"); None when unknown, which counts as a change of position.
    position: str | None = None


@dataclass(frozen=True)
class Step:
    kind: StepKind
    exercise: str | None  # the exercise's slug; None for the session's final step
    set: int | None  # 1-based, for steps inside a set
    rep: int | None  # 1-based, for move, hold and release
    side: Side | None
    text: str  # what the screen shows: short, readable from across a room
    cue: str  # what the voice says
    duration_ms: int  # for a self-paced step, the time it is expected to take
    # Waits for the patient's tap instead of a countdown: a change of position or of side,
    # where a body has to move (clinical-rules.md §3).
    self_paced: bool = False

    def __post_init__(self) -> None:
        # A zero-length step would be skipped by a player before it could be spoken.
        if self.duration_ms <= 0:
            raise ValueError(f"A step must last some time, got duration_ms={self.duration_ms}.")

    def as_dict(self) -> dict[str, str | int | None]:
        # Plain str rather than the enums, so the dict is the same JSON in every player.
        return {
            "kind": str(self.kind),
            "exercise": self.exercise,
            "set": self.set,
            "rep": self.rep,
            "side": None if self.side is None else str(self.side),
            "text": self.text,
            "cue": self.cue,
            "duration_ms": self.duration_ms,
            "self_paced": self.self_paced,
        }


def build_timeline(exercises: Sequence[PlannedExercise]) -> list[Step]:
    steps: list[Step] = []
    position: str | None = STANDING
    for exercise in exercises:
        moves = exercise.position is None or exercise.position != position
        steps.extend(_exercise_steps(exercise, getting_down=position == STANDING, moves=moves))
        position = exercise.position
    # No rest between exercises: the next setup step is the pause. The session always
    # ends with "done", even when empty, so a player has one way to finish.
    steps.append(
        Step(
            kind=StepKind.DONE,
            exercise=None,
            set=None,
            rep=None,
            side=None,
            text=DONE_TEXT,
            cue=DONE_TEXT,
            duration_ms=DONE_MS,
        )
    )
    return steps


def total_ms(steps: Sequence[Step]) -> int:
    return sum(step.duration_ms for step in steps)


def timeline_dicts(steps: Sequence[Step]) -> list[dict[str, str | int | None]]:
    return [step.as_dict() for step in steps]


def dose_summary(dose: Dose) -> str:
    """The dose in words: "3 sets of 8 reps, holding for 5 seconds each"."""
    reps = _count(dose.reps, "rep")
    if dose.per_side:
        reps += " on each side"
    elif dose.alternate_sides:
        reps += ", alternating sides"
    if dose.sets > 1:
        reps = f"{dose.sets} sets of {reps}"
    if dose.hold_seconds is not None:
        reps += f", holding for {_count(dose.hold_seconds, 'second')} each"
    return reps


def _exercise_steps(
    exercise: PlannedExercise, *, getting_down: bool, moves: bool
) -> Iterator[Step]:
    dose = exercise.dose
    slug = exercise.slug
    summary = dose_summary(dose)
    if not moves:
        setup_ms = SETUP_MS
    elif getting_down and exercise.position != STANDING:
        setup_ms = GET_DOWN_MS
    else:
        setup_ms = CHANGE_POSITION_MS
    yield Step(
        kind=StepKind.SETUP,
        exercise=slug,
        set=None,
        rep=None,
        side=None,
        text=f"Get ready: {exercise.name}",
        cue=f"{exercise.name}. {exercise.starting_position}"
        + (" Tap “I'm ready” when you are in position." if moves else ""),
        duration_ms=setup_ms,
        self_paced=moves,
    )
    yield Step(
        kind=StepKind.CUE,
        exercise=slug,
        set=None,
        rep=None,
        side=None,
        text=summary,
        cue=f"{summary}.",
        duration_ms=CUE_MS,
    )
    if dose.per_side:
        # All reps and sets on one side, then one change of sides that waits for the
        # patient: rolling over for every rep (the clam, 4 s each) is no way to exercise.
        for side in (Side.LEFT, Side.RIGHT):
            if side is Side.RIGHT:
                yield _switch_side(slug, side)
            for set_number in range(1, dose.sets + 1):
                for rep in range(1, dose.reps + 1):
                    yield from _rep_steps(exercise, set_number, rep, side)
                if set_number < dose.sets:
                    yield _rest(exercise, set_number, next_side=side)
        return
    # Alternating sides carry on across sets: with an odd number of reps per set,
    # restarting on the left every set would always give the left the extra rep.
    alternating = 0
    for set_number in range(1, dose.sets + 1):
        for rep in range(1, dose.reps + 1):
            this_side: Side | None = None
            if dose.alternate_sides:
                this_side = Side.LEFT if alternating % 2 == 0 else Side.RIGHT
                alternating += 1
            yield from _rep_steps(exercise, set_number, rep, this_side)
        if set_number < dose.sets:
            yield _rest(exercise, set_number, next_side=_first_side(dose, alternating))


def _rep_steps(
    exercise: PlannedExercise, set_number: int, rep: int, side: Side | None
) -> Iterator[Step]:
    dose = exercise.dose
    has_hold = dose.hold_seconds is not None
    label = "" if side is None else f" · {side}"

    def step(kind: StepKind, text: str, cue: str, duration_ms: int) -> Step:
        return Step(
            kind=kind,
            exercise=exercise.slug,
            set=set_number,
            rep=rep,
            side=side,
            text=f"{text}{label}",
            cue=cue,
            duration_ms=duration_ms,
        )

    # The side is said once, as the movement starts; hold and release keep their own
    # words, since repeating the side mid-hold is noise to someone counting breaths.
    # A per-side exercise names its side at the first rep of each set; alternating reps
    # name it every time.
    named = side if not dose.per_side or rep == 1 else None
    yield step(
        StepKind.MOVE,
        f"Rep {rep} of {dose.reps}",
        _sided_move_cue(exercise.move_cue, named, per_side=dose.per_side),
        MOVE_MS if has_hold else FLOWING_MOVE_MS,
    )
    if dose.hold_seconds is not None:
        yield step(StepKind.HOLD, "Hold", exercise.hold_cue, dose.hold_seconds * 1000)
    yield step(
        StepKind.RELEASE,
        "Release",
        exercise.release_cue,
        RELEASE_MS if has_hold else FLOWING_RELEASE_MS,
    )


def _sided_move_cue(move_cue: str, side: Side | None, *, per_side: bool) -> str:
    if side is None:
        return move_cue
    if per_side:
        return f"{side.capitalize()} side. {move_cue}"
    return f"To the {side}. {move_cue}"


def _switch_side(slug: str, side: Side) -> Step:
    return Step(
        kind=StepKind.SWITCH_SIDE,
        exercise=slug,
        set=None,
        rep=None,
        side=side,  # the side about to be worked, so the screen can show it early
        text=f"Change sides: now your {side}",
        cue=f"Change sides: now your {side}. Tap “I'm ready” when you are in position.",
        duration_ms=SWITCH_SIDE_MS,
        self_paced=True,
    )


def _rest(exercise: PlannedExercise, finished_set: int, *, next_side: Side | None) -> Step:
    sets = exercise.dose.sets
    next_set = finished_set + 1
    rest_for = _count(REST_BETWEEN_SETS_MS // 1000, "second")
    cue = f"Rest for {rest_for}. Set {next_set} of {sets} is next"
    # After a rest the player may have moved; say where the next set starts.
    cue += "." if next_side is None else f", starting on your {next_side}."
    return Step(
        kind=StepKind.REST,
        exercise=exercise.slug,
        set=finished_set,
        rep=None,
        side=None,
        text=f"Rest before set {next_set} of {sets}",
        cue=cue,
        duration_ms=REST_BETWEEN_SETS_MS,
    )


def _first_side(dose: Dose, alternating: int) -> Side | None:
    if dose.alternate_sides:
        return Side.LEFT if alternating % 2 == 0 else Side.RIGHT
    return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
