"""Storing, scheduling and summarising the outcome questionnaires (clinical-rules.md §4).
The scoring itself is in `questionnaires`; the schedule's rule is `next_due`, a pure
function; the rest reads and writes the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from supine.clinic.models import Patient
from supine.outcomes.models import QuestionnaireResponse
from supine.outcomes.questionnaires import (
    QUESTIONNAIRES,
    SCHEDULED,
    Change,
    InvalidAnswers,
    check_activities,
    meaningful_change,
    percent_change,
    score,
    startback_enabled,
)

# §4: every 2 weeks or before a visit, whichever comes first, at most once a week.
EVERY = timedelta(days=14)
AT_MOST_EVERY = timedelta(days=7)
# "Before a visit": due the day before, so the answers are there when the patient comes.
BEFORE_VISIT = timedelta(days=1)
# The history a page shows: enough for a year of fortnightly answers, and no more.
HISTORY_LIMIT = 60


def as_number(value: Decimal) -> int | float:
    """A stored score as it is shown and sent: 7, or 4.33."""
    return int(value) if value == value.to_integral_value() else float(value)


class QuestionnaireIdTaken(Exception):
    """The device chose an id that another patient's response already has."""


@dataclass(frozen=True)
class Due:
    code: str
    due_on: date


def next_due(*, signed_up: date, last_done: date | None, visits: list[date]) -> date:
    """The day a scheduled questionnaire (RMDQ, PSFS) is next due (§4): at sign-up; then
    2 weeks after the last one, or the day before a visit if that comes first — but never
    within a week of the last one."""
    if last_done is None:
        return signed_up
    due = last_done + EVERY
    earliest = last_done + AT_MOST_EVERY
    for visit in sorted(visits):
        before = visit - BEFORE_VISIT
        if visit > last_done and before >= earliest:
            due = min(due, before)
            break
    return due


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def _upcoming_visits(patient: Patient, since: date) -> list[date]:
    from supine.appointments.models import Appointment

    starts = (
        Appointment.objects.booked()
        .filter(patient=patient, starts_at__date__gt=since)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)[:5]
    )
    return [_local_day(s) for s in starts]


def last_completed(patient: Patient) -> dict[str, QuestionnaireResponse]:
    """Each questionnaire's latest response (one small query per questionnaire)."""
    latest = {}
    for code in QUESTIONNAIRES:
        response = (
            QuestionnaireResponse.objects.filter(patient=patient, code=code)
            .order_by("-completed_at")
            .first()
        )
        if response is not None:
            latest[code] = response
    return latest


def due_questionnaires(patient: Patient, today: date | None = None) -> list[Due]:
    """The questionnaires due today or earlier, with the day each fell due."""
    today = today or timezone.localdate()
    latest = last_completed(patient)
    signed_up = _local_day(patient.created_at)
    due = []
    for code in SCHEDULED:
        done = latest.get(code)
        last_done = _local_day(done.completed_at) if done else None
        visits = _upcoming_visits(patient, last_done) if last_done else []
        on = next_due(signed_up=signed_up, last_done=last_done, visits=visits)
        if on <= today:
            due.append(Due(code, on))
    # STarT Back stratifies at intake: once, when the setting is on.
    if startback_enabled() and "startback" not in latest:
        due.append(Due("startback", signed_up))
    return due


def _sent_before(patient: Patient, response_id: uuid.UUID | None) -> QuestionnaireResponse | None:
    if response_id is None:
        return None
    existing = QuestionnaireResponse.objects.filter(id=response_id).first()
    if existing is not None and existing.patient_id != patient.id:
        raise QuestionnaireIdTaken()
    return existing


def _stored_answers(code: str, payload) -> object:
    if code == "psfs":
        activities = payload.get("activities") if isinstance(payload, dict) else payload
        return {"activities": check_activities(activities)}
    return payload


def record_questionnaire(
    patient: Patient, code: str, payload, response_id: uuid.UUID | None = None
) -> tuple[QuestionnaireResponse, bool]:
    """Score and store one questionnaire, once however often (and however simultaneously)
    the device sends it; says whether this call stored it. `payload`: {item id: answer},
    or for PSFS the activities (a list, or {"activities": [...]}). Raises InvalidAnswers
    naming each missing or invalid item, and QuestionnaireIdTaken."""
    if code not in QUESTIONNAIRES or (code == "startback" and not startback_enabled()):
        raise InvalidAnswers({"code": f"no questionnaire {code!r}"})
    existing = _sent_before(patient, response_id)
    if existing is not None:
        return existing, False
    answers = _stored_answers(code, payload)
    scored = score(code, answers)
    try:
        with transaction.atomic():
            response = QuestionnaireResponse.objects.create(
                id=response_id or uuid.uuid4(),
                patient=patient,
                code=code,
                answers=answers,
                score=Decimal(str(scored.score)),
                band=scored.band or "",
            )
    except IntegrityError:
        # The same response sent twice at once: the other request stored it.
        existing = _sent_before(patient, response_id)
        if existing is None:
            raise
        return existing, False
    return response, True


def questionnaire_history(
    patient: Patient, code: str, limit: int = HISTORY_LIMIT
) -> list[QuestionnaireResponse]:
    """The latest `limit` responses to one questionnaire, oldest first."""
    recent = list(
        QuestionnaireResponse.objects.filter(patient=patient, code=code).order_by("-completed_at")[
            :limit
        ]
    )
    return recent[::-1]


@dataclass(frozen=True)
class ScoreSummary:
    code: str
    title: str
    count: int
    first: Decimal
    first_on: date
    latest: Decimal
    latest_on: date
    band: str
    change: Change | None
    percent: int | None


def score_summaries(patient: Patient) -> list[ScoreSummary]:
    """For each questionnaire answered: the first and the latest score, and a meaningful
    change (better or worse) only when §4's points threshold is met."""
    from django.db.models import Count

    counts = dict(
        QuestionnaireResponse.objects.filter(patient=patient)
        .values_list("code")
        .annotate(n=Count("id"))
        .values_list("code", "n")
    )
    summaries = []
    for code, q in QUESTIONNAIRES.items():
        if not counts.get(code):
            continue
        mine = QuestionnaireResponse.objects.filter(patient=patient, code=code)
        first = mine.order_by("completed_at").first()
        latest = mine.order_by("-completed_at").first()
        if first is None or latest is None:
            continue
        summaries.append(
            ScoreSummary(
                code=code,
                title=q.title,
                count=counts[code],
                first=first.score,
                first_on=_local_day(first.completed_at),
                latest=latest.score,
                latest_on=_local_day(latest.completed_at),
                band=latest.band,
                change=meaningful_change(code, first.score, latest.score),
                percent=percent_change(code, first.score, latest.score),
            )
        )
    return summaries


def change_for(patient: Patient, response: QuestionnaireResponse) -> Change | None:
    """The meaningful change from the patient's first response to this one, if any."""
    first = (
        QuestionnaireResponse.objects.filter(patient=patient, code=response.code)
        .order_by("completed_at")
        .first()
    )
    if first is None or first.id == response.id:
        return None
    return meaningful_change(response.code, first.score, response.score)
