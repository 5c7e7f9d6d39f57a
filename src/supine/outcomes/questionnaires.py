"""The outcome questionnaires of clinical-rules.md §4, as data, and their scoring as pure
functions: no database, no request, nothing but the answers in and the score out.

- RMDQ: Roland–Morris Disability Questionnaire, 24 statements; score = number ticked.
- PSFS: Patient-Specific Functional Scale, 3–5 activities named by the patient, each
  0–10; score = the mean.
- NPRS: numeric pain rating scale, 0–10.
- STarT Back: Keele's STarT Back Screening Tool, 9 items; shown only when the setting
  SUPINE_STARTBACK is on (Keele's licence; see `startback_enabled`).

The Oswestry Disability Index is licensed and is never shipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Change = Literal["better", "worse"]


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    # "tick": true/false; "scale": an integer from low to high; "choice": one of `options`
    # (index 0…n-1 is the answer sent).
    kind: str = "tick"
    low: int = 0
    high: int = 1
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    code: str
    title: str
    items: tuple[Item, ...]
    copyright: str
    kind: Literal["ticks", "activities", "scale", "startback"]
    instructions: str = ""
    # Does a lower score mean the patient is better?
    lower_is_better: bool = True
    # Points between the first and the latest score that count as a meaningful change
    # (§4); None when the measure is not followed for change (STarT Back stratifies).
    threshold: Decimal | None = None
    # Where the score runs (for charts and the text shown beside it).
    lowest: int = 0
    highest: int = 24

    @property
    def direction(self) -> str:
        """Which way is better, and the scale: the sentence beside a score or its chart."""
        scale = f"({self.lowest} to {self.highest})"
        if self.kind == "startback":
            return f"Lower is lower risk {scale}."
        return f"{'Lower' if self.lower_is_better else 'Higher'} is better {scale}."


@dataclass(frozen=True)
class Scored:
    # A whole number, except PSFS's mean (two decimal places).
    score: int | float
    band: str | None = None


class InvalidAnswers(ValueError):
    """Answers that cannot be scored; `problems` maps each item id (or field) to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


RMDQ_STATEMENTS = (
    "I stay at home most of the time because of my back.",
    "I change position frequently to try and get my back comfortable.",
    "I walk more slowly than usual because of my back.",
    "Because of my back I am not doing any of the jobs that I usually do around the house.",
    "Because of my back, I use a handrail to get upstairs.",
    "Because of my back, I lie down to rest more often.",
    "Because of my back, I have to hold on to something to get out of an easy chair.",
    "Because of my back, I try to get other people to do things for me.",
    "I get dressed more slowly than usual because of my back.",
    "I only stand for short periods of time because of my back.",
    "Because of my back, I try not to bend or kneel down.",
    "I find it difficult to get out of a chair because of my back.",
    "My back is painful almost all the time.",
    "I find it difficult to turn over in bed because of my back.",
    "My appetite is not very good because of my back pain.",
    "I have trouble putting on my socks (or stockings) because of the pain in my back.",
    "I only walk short distances because of my back.",
    "I sleep less well because of my back.",
    "Because of my back pain, I get dressed with help from someone else.",
    "I sit down for most of the day because of my back.",
    "I avoid heavy jobs around the house because of my back.",
    "Because of my back pain, I am more irritable and bad tempered with people than usual.",
    "Because of my back, I go upstairs more slowly than usual.",
    "I stay in bed most of the time because of my back.",
)

RMDQ = Questionnaire(
    code="rmdq",
    title="Roland–Morris Disability Questionnaire",
    items=tuple(Item(f"q{n}", text) for n, text in enumerate(RMDQ_STATEMENTS, start=1)),
    copyright=(
        "Roland–Morris Disability Questionnaire © Martin Roland and Richard Morris, 1983. "
        "Roland MO, Morris RW. A study of the natural history of back pain. Part 1: "
        "development of a reliable and sensitive measure of disability in low back pain. "
        "Spine 1983; 8: 141–144."
    ),
    kind="ticks",
    instructions=(
        "When your back hurts, you may find it difficult to do some of the things you "
        "normally do. Tick each sentence that describes you today. If a sentence does not "
        "describe you, leave it blank and go on to the next one."
    ),
    threshold=Decimal(5),
    highest=24,
)

PSFS_MIN_ACTIVITIES, PSFS_MAX_ACTIVITIES = 3, 5

PSFS = Questionnaire(
    code="psfs",
    title="Patient-Specific Functional Scale",
    items=tuple(
        Item(f"a{n}", f"Activity {n}", kind="scale", low=0, high=10)
        for n in range(1, PSFS_MAX_ACTIVITIES + 1)
    ),
    copyright=(
        "Patient-Specific Functional Scale: Stratford P, Gill C, Westaway M, Binkley J. "
        "Assessing disability and change on individual patients: a report of a patient "
        "specific measure. Physiotherapy Canada 1995; 47: 258–263."
    ),
    kind="activities",
    instructions=(
        "Name 3 to 5 activities that you are unable to do, or have difficulty doing, "
        "because of your back. For each, choose how well you can do it today: 0 means "
        "unable to do it at all, 10 means able to do it as well as before your back problem."
    ),
    lower_is_better=False,
    threshold=Decimal(2),
    highest=10,
)

NPRS = Questionnaire(
    code="nprs",
    title="Pain rating (0–10)",
    items=(
        Item(
            "pain",
            "Your back pain right now: 0 is no pain, 10 is the worst pain imaginable.",
            kind="scale",
            low=0,
            high=10,
        ),
    ),
    copyright="Numeric pain rating scale (NPRS), 0–10: free to use.",
    kind="scale",
    threshold=Decimal(2),
    highest=10,
)

BOTHERSOME = ("Not at all", "Slightly", "Moderately", "Very much", "Extremely")

STARTBACK = Questionnaire(
    code="startback",
    title="The Keele STarT Back Screening Tool",
    items=(
        Item("q1", "My back pain has spread down my leg(s) at some time in the last 2 weeks."),
        Item("q2", "I have had pain in the shoulder or neck at some time in the last 2 weeks."),
        Item("q3", "I have only walked short distances because of my back pain."),
        Item(
            "q4", "In the last 2 weeks, I have dressed more slowly than usual because of back pain."
        ),
        Item(
            "q5",
            "It's not really safe for a person with a condition like mine to be physically active.",
        ),
        Item("q6", "Worrying thoughts have been going through my mind a lot of the time."),
        Item("q7", "I feel that my back pain is terrible and it's never going to get any better."),
        Item("q8", "In general I have not enjoyed all the things I used to enjoy."),
        Item(
            "q9",
            "Overall, how bothersome has your back pain been in the last 2 weeks?",
            kind="choice",
            low=0,
            high=4,
            options=BOTHERSOME,
        ),
    ),
    copyright=(
        "The Keele STarT Back Screening Tool © Keele University 01/08/07. Funded by "
        "Arthritis Research UK. Free for non-commercial use with the text unmodified and "
        "this notice kept; commercial use needs Keele University's permission."
    ),
    kind="startback",
    instructions=(
        "Thinking about the last 2 weeks, answer each statement: agree (1) or disagree (0); "
        "then choose how bothersome your back pain has been."
    ),
    threshold=None,
    highest=9,
)

QUESTIONNAIRES: dict[str, Questionnaire] = {q.code: q for q in (RMDQ, PSFS, NPRS, STARTBACK)}

# Followed on the §4 schedule (sign-up, then every 2 weeks or before a visit).
SCHEDULED = ("rmdq", "psfs")


def startback_enabled() -> bool:
    """STarT Back is shown only when SUPINE_STARTBACK=1 (off by default: Keele's licence
    allows non-commercial use only)."""
    from django.conf import settings

    return bool(getattr(settings, "SUPINE_STARTBACK", False))


def offered() -> dict[str, Questionnaire]:
    """The questionnaires this installation offers."""
    return {
        code: q for code, q in QUESTIONNAIRES.items() if code != "startback" or startback_enabled()
    }


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_items(q: Questionnaire, answers: object) -> dict[str, int]:
    """Every item answered, within its range, and nothing else: {item id: 0/1/int}."""
    if not isinstance(answers, dict):
        raise InvalidAnswers({"answers": "expected an object of item id to answer"})
    problems: dict[str, str] = {}
    values: dict[str, int] = {}
    for item in q.items:
        if item.id not in answers:
            problems[item.id] = "missing"
            continue
        value = answers[item.id]
        if item.kind == "tick":
            if q.kind == "ticks":
                ok = isinstance(value, bool)
                expected = "true or false"
            else:  # STarT Back: agree 1, disagree 0 (booleans accepted too)
                ok = isinstance(value, bool) or (_is_int(value) and value in (0, 1))
                expected = "0 (disagree) or 1 (agree)"
            if not ok:
                problems[item.id] = f"expected {expected}"
                continue
            values[item.id] = int(value)
        else:
            if not _is_int(value) or not item.low <= value <= item.high:
                problems[item.id] = f"expected a whole number from {item.low} to {item.high}"
                continue
            values[item.id] = value
    for key in answers:
        if key not in {item.id for item in q.items}:
            problems[str(key)] = "not an item of this questionnaire"
    if problems:
        raise InvalidAnswers(problems)
    return values


def check_activities(activities: object) -> list[dict]:
    """PSFS: 3–5 activities, each with a name and a whole-number score 0–10."""
    if not isinstance(activities, list):
        raise InvalidAnswers({"activities": "expected a list of 3 to 5 activities"})
    problems: dict[str, str] = {}
    if not PSFS_MIN_ACTIVITIES <= len(activities) <= PSFS_MAX_ACTIVITIES:
        problems["activities"] = (
            f"name {PSFS_MIN_ACTIVITIES} to {PSFS_MAX_ACTIVITIES} activities; got {len(activities)}"
        )
    cleaned = []
    for n, activity in enumerate(activities[:PSFS_MAX_ACTIVITIES], start=1):
        key = f"a{n}"
        if not isinstance(activity, dict):
            problems[key] = "expected {name, score}"
            continue
        name = activity.get("name")
        score = activity.get("score")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            problems[f"{key}.name"] = "name the activity (up to 100 characters)"
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
            problems[f"{key}.score"] = "expected a whole number from 0 to 10"
        extra = set(activity) - {"name", "score"}
        if extra:
            problems[key] = "unexpected " + ", ".join(sorted(map(str, extra)))
        if isinstance(name, str):
            cleaned.append({"name": name.strip(), "score": score})
    if problems:
        raise InvalidAnswers(problems)
    return cleaned


def startback_band(total: int, distress: int) -> str:
    """Keele's rule (§4): total 0–3 low; 4 or more medium, unless the distress subscale
    (items 5–9) is 4 or more, then high."""
    if total <= 3:
        return "low"
    return "high" if distress >= 4 else "medium"


def score(code: str, answers: object) -> Scored:
    """Score one questionnaire. `answers` is {item id: answer} for RMDQ, NPRS and STarT
    Back, and the list of activities [{"name", "score"}] for PSFS. Raises InvalidAnswers
    naming each missing or invalid item."""
    q = QUESTIONNAIRES.get(code)
    if q is None:
        raise InvalidAnswers({"code": f"no questionnaire {code!r}"})
    if q.kind == "activities":
        if isinstance(answers, dict) and "activities" in answers:
            answers = answers["activities"]
        cleaned = check_activities(answers)
        mean = Decimal(sum(a["score"] for a in cleaned)) / len(cleaned)
        return Scored(float(_two_places(mean)))
    values = _check_items(q, answers)
    if q.kind == "ticks":
        return Scored(sum(values.values()))
    if q.kind == "scale":
        return Scored(values["pain"])
    # STarT Back: item 9 counts 1 for "very much" or "extremely".
    points = {k: v for k, v in values.items() if k != "q9"}
    points["q9"] = 1 if values["q9"] >= 3 else 0
    total = sum(points.values())
    distress = sum(points[f"q{n}"] for n in range(5, 10))
    return Scored(total, startback_band(total, distress))


def percent_change(code: str, first: Decimal | float, latest: Decimal | float) -> int | None:
    """The change from the first score to the latest as a percentage of the first, signed
    so that a positive number is an improvement; None when the first score is 0 (no
    percentage of nothing)."""
    q = QUESTIONNAIRES[code]
    first, latest = Decimal(str(first)), Decimal(str(latest))
    if first == 0:
        return None
    gain = (first - latest) if q.lower_is_better else (latest - first)
    return int((gain * 100 / first).to_integral_value(rounding=ROUND_HALF_UP))


def meaningful_change(
    code: str, first_score: Decimal | float, latest_score: Decimal | float
) -> Change | None:
    """'better' or 'worse' when the change from the first score to the latest meets §4's
    points threshold (RMDQ 5, PSFS 2 on the mean, NPRS 2); otherwise None."""
    q = QUESTIONNAIRES[code]
    if q.threshold is None:
        return None
    first, latest = Decimal(str(first_score)), Decimal(str(latest_score))
    gain = (first - latest) if q.lower_is_better else (latest - first)
    if gain >= q.threshold:
        return "better"
    if -gain >= q.threshold:
        return "worse"
    return None


PSFS_ONE_ACTIVITY_THRESHOLD = 3


def activity_changes(first: list[dict], latest: list[dict]) -> dict[str, Change]:
    """PSFS, per activity named in both (by name, case aside): a change of 3 points or
    more on one activity (Stratford 1995) — 'better' or 'worse'."""
    before = {a["name"].strip().lower(): a["score"] for a in first}
    changes: dict[str, Change] = {}
    for a in latest:
        key = a["name"].strip().lower()
        if key in before:
            gain = a["score"] - before[key]
            if gain >= PSFS_ONE_ACTIVITY_THRESHOLD:
                changes[a["name"]] = "better"
            elif -gain >= PSFS_ONE_ACTIVITY_THRESHOLD:
                changes[a["name"]] = "worse"
    return changes
