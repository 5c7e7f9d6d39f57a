"""The red-flag screen before the first session (CLINICAL.md §1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from supine.safety.thresholds import EMERGENCY_CARE, SOURCE_CAUDA_EQUINA, SOURCE_RED_FLAGS

# ---------------------------------------------------------------------------------------
# Red-flag screen (CLINICAL.md §1)
# ---------------------------------------------------------------------------------------


class Urgency(StrEnum):
    NONE = "none"
    SOON = "soon"
    EMERGENCY = "emergency"


class RedFlagGroup(StrEnum):
    CAUDA_EQUINA = "cauda_equina"
    NEUROLOGICAL = "neurological"
    FRACTURE = "fracture"
    INFECTION = "infection"
    CANCER = "cancer"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class AlertSeverity(StrEnum):
    URGENT = "urgent"
    ATTENTION = "attention"


@dataclass(frozen=True)
class RedFlagQuestion:
    id: str  # stable: the API and stored answers use it
    text: str  # asked as is; "yes" means the symptom is present
    group: RedFlagGroup
    urgency: Urgency
    source: str


def _question(id: str, text: str, group: RedFlagGroup) -> RedFlagQuestion:
    emergency = group is RedFlagGroup.CAUDA_EQUINA
    return RedFlagQuestion(
        id=id,
        text=text,
        group=group,
        urgency=Urgency.EMERGENCY if emergency else Urgency.SOON,
        source=SOURCE_CAUDA_EQUINA if emergency else SOURCE_RED_FLAGS,
    )


_G = RedFlagGroup
# One question per symptom of CLINICAL.md §1's table, in its order.
QUESTIONS: tuple[RedFlagQuestion, ...] = (
    _question(
        "saddle_numbness",
        "Do you have numbness around your back passage, genitals or inner thighs?",
        _G.CAUDA_EQUINA,
    ),
    _question(
        "bladder_changes",
        "Do you have new trouble peeing: starting or stopping, leaking, "
        "or knowing when your bladder is full?",
        _G.CAUDA_EQUINA,
    ),
    _question(
        "bowel_control_loss",
        "Have you recently lost control of your bowels?",
        _G.CAUDA_EQUINA,
    ),
    _question(
        "sexual_sensation_loss",
        "Have you recently lost feeling in your genitals during sex?",
        _G.CAUDA_EQUINA,
    ),
    _question(
        "leg_weakness_worsening",
        "Is weakness in your leg or legs getting worse?",
        _G.NEUROLOGICAL,
    ),
    _question(
        "both_legs_numb_or_weak",
        "Do you have numbness or weakness in both legs?",
        _G.NEUROLOGICAL,
    ),
    _question(
        "recent_fall_or_injury",
        "Have you had a fall or an injury recently?",
        _G.FRACTURE,
    ),
    _question(
        "long_term_steroids",
        "Have you taken steroid tablets, such as prednisolone, for a long time?",
        _G.FRACTURE,
    ),
    _question(
        "osteoporosis",
        "Have you been told you have osteoporosis (thin or weak bones)?",
        _G.FRACTURE,
    ),
    _question(
        "fever_or_unwell",
        "Do you have a high temperature, or feel generally unwell, as well as the back pain?",
        _G.INFECTION,
    ),
    _question(
        "recent_infection",
        "Have you had an infection recently?",
        _G.INFECTION,
    ),
    _question(
        "weakened_immune_system",
        "Do you have a weakened immune system, for example because of an illness or medicine?",
        _G.INFECTION,
    ),
    _question(
        "injecting_drug_use",
        "Do you inject drugs, or have you done so recently?",
        _G.INFECTION,
    ),
    _question(
        "history_of_cancer",
        "Have you ever had cancer?",
        _G.CANCER,
    ),
    _question(
        "unexplained_weight_loss",
        "Have you lost weight recently without trying to?",
        _G.CANCER,
    ),
    _question(
        "night_or_rest_pain",
        "Is your back pain worse at night or when you rest, and doesn't ease whatever you do?",
        _G.CANCER,
    ),
)
QUESTIONS_BY_ID: dict[str, RedFlagQuestion] = {question.id: question for question in QUESTIONS}


class MissingAnswers(ValueError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"Please answer every question; unanswered: {', '.join(missing)}.")


class UnknownQuestions(ValueError):
    def __init__(self, unknown: list[str]) -> None:
        self.unknown = unknown
        super().__init__(f"Unknown screening question id(s): {', '.join(unknown)}.")


@dataclass(frozen=True)
class ScreeningOutcome:
    blocked: bool
    urgency: Urgency
    advice: str  # for the patient: what to do, on one screen
    flagged: tuple[str, ...]  # ids of the questions answered yes, in QUESTIONS order
    groups: tuple[str, ...]  # their red-flag groups, in QUESTIONS order
    # True when only a clinician can lift the block (a red flag). The "consult your
    # doctor" block can also be lifted by the patient confirming they were advised.
    needs_clearance: bool
    alert_severity: str | None  # "urgent" | "attention" | None
    reason: str  # one sentence for the clinician


ADVICE_EMERGENCY = (
    "Some of your answers need checking by a doctor straight away. "
    f"Please {EMERGENCY_CARE}. Don't do your exercises."
)
ADVICE_URGENT_REVIEW = (
    "Some of your answers need checking by a clinician soon. Please contact your clinic "
    "or GP today. Your exercises are paused until a clinician says it's safe."
)
ADVICE_CONSULT_CLINIC = (
    "Some of your answers mean a clinician should check with you first. Please contact "
    "your clinic before exercising. Your exercises are paused until they clear you."
)
ADVICE_CONSULT_FIRST = (
    "Please check with your clinician that these exercises suit you. "
    "Once they have, you can say so here, or your clinic can mark you cleared."
)
ADVICE_READY = "You're ready to start. Stop at any time if something hurts more than usual."


def evaluate_screening(
    answers: Mapping[str, bool],
    *,
    clinician_advised: bool,
    cleared_by_clinician: bool = False,
) -> ScreeningOutcome:
    """Decide whether sessions may start after a red-flag screen (CLINICAL.md §1).

    Every question must be answered: a blank is not a "no". ``clinician_advised`` is the
    patient confirming a clinician said these exercises suit them (the article's "consult
    your doctor"); ``cleared_by_clinician`` is the clinic having marked them cleared.
    """
    unknown = sorted(set(answers) - QUESTIONS_BY_ID.keys())
    if unknown:
        raise UnknownQuestions(unknown)
    missing = [question.id for question in QUESTIONS if answers.get(question.id) is None]
    if missing:
        raise MissingAnswers(missing)
    for question_id, answer in answers.items():
        if not isinstance(answer, bool):
            raise ValueError(f"The answer to {question_id} must be yes or no, got {answer!r}.")

    flagged = tuple(question for question in QUESTIONS if answers[question.id])
    groups = tuple(dict.fromkeys(question.group for question in flagged))
    flagged_ids = tuple(question.id for question in flagged)
    group_names = tuple(str(group) for group in groups)

    # A red flag blocks whatever else is true. cleared_by_clinician is deliberately NOT
    # applied to a red flag found in this same screening: a clearance given earlier (for
    # "consult your doctor") cannot have taken these new answers into account. Lifting a
    # red-flag block is a separate, recorded clinician action that the caller applies
    # after it has seen this outcome.
    if flagged:
        if RedFlagGroup.CAUDA_EQUINA in groups:
            urgency, severity, advice = Urgency.EMERGENCY, AlertSeverity.URGENT, ADVICE_EMERGENCY
            action = "patient told to seek emergency care now"
        elif RedFlagGroup.NEUROLOGICAL in groups:
            urgency, severity, advice = Urgency.SOON, AlertSeverity.URGENT, ADVICE_URGENT_REVIEW
            action = "patient told to contact the clinic or GP today; needs urgent review"
        else:
            urgency, severity, advice = Urgency.SOON, AlertSeverity.ATTENTION, ADVICE_CONSULT_CLINIC
            action = "sessions blocked until a clinician clears the patient"
        plural = "s" if len(flagged) > 1 else ""
        return ScreeningOutcome(
            blocked=True,
            urgency=urgency,
            advice=advice,
            flagged=flagged_ids,
            groups=group_names,
            needs_clearance=True,
            alert_severity=str(severity),
            reason=(
                f"Red flag{plural} ({', '.join(group.label for group in groups)}): "
                f"{', '.join(_label(question.id) for question in flagged)}; {action}."
            ),
        )

    if not clinician_advised and not cleared_by_clinician:
        return ScreeningOutcome(
            blocked=True,
            urgency=Urgency.NONE,
            advice=ADVICE_CONSULT_FIRST,
            flagged=(),
            groups=(),
            needs_clearance=False,
            alert_severity=None,
            reason=(
                "No red flags, but the patient has not confirmed that a clinician advised "
                "these exercises; sessions wait for that or for the clinic's clearance."
            ),
        )

    how = (
        "the patient confirmed a clinician advised these exercises"
        if clinician_advised
        else "the clinic marked the patient cleared"
    )
    return ScreeningOutcome(
        blocked=False,
        urgency=Urgency.NONE,
        advice=ADVICE_READY,
        flagged=(),
        groups=(),
        needs_clearance=False,
        alert_severity=None,
        reason=f"No red flags and {how}.",
    )


def _label(question_id: str) -> str:
    return question_id.replace("_", " ")
