"""The safety screen, in two parts (clinical-rules.md §1, rulebook version 2.1).

Part A — health history — is asked once at sign-up and pre-filled afterwards; history
alone never makes an emergency. Part B — symptoms now or new — is asked at sign-up, from
"I have new symptoms", on a flare day and, in short form, once a week. Every question has a
level; a "yes" to an emergency or urgent symptom is confirmed once ("Is this new, or
getting worse?") before its screen. Wording follows the cauda equina warning card
(Greenhalgh, Finucane, Mercer & Selfe), in the region's words; routing follows the NHS
"Back pain" page, GIRFT 2023, NICE NG234 and Finucane et al. 2020.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from supine.safety.regions import Region, RegionWords, words_for
from supine.safety.thresholds import SOURCE_CAUDA_EQUINA, SOURCE_RED_FLAGS
from supine.vocabulary import AlertSeverity, Urgency


class Level(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    REVIEW = "review"
    NOTE = "note"


class Part(StrEnum):
    HISTORY = "history"
    SYMPTOMS = "symptoms"


class Form(StrEnum):
    """Which questions a screen asks."""

    FULL = "full"  # Part A and Part B: at sign-up
    SYMPTOMS = "symptoms"  # all of Part B: "I have new symptoms"
    SHORT = "short"  # every emergency and urgent item: weekly, and on a flare day
    EMERGENCY = "emergency"  # the emergency items: straight from STOP


class Confirmation(StrEnum):
    NEW = "new"  # new or getting worse, or not sure
    CHECKED = "checked"  # not new, and a doctor has checked it
    UNCHECKED = "unchecked"  # not new, but no doctor has checked it


class Tag(StrEnum):
    """What the patient adds when they tell the emergency service (clinical-rules.md §1)."""

    CAUDA_EQUINA = "cauda_equina"
    CANCER = "cancer"
    INFECTION = "infection"
    CALL_NOW = "call_now"  # chest pain, sudden back-and-belly pain: call, don't drive
    OTHER = "other"


@dataclass(frozen=True)
class History:
    """What Part A says about a patient, for the questions and levels that depend on it."""

    yes: frozenset[str] = frozenset()
    age: int | None = None
    recent_spinal_procedure: bool = False  # in the last 3 months, or date unknown

    @property
    def infection_risk(self) -> bool:
        return bool(self.yes & {"weak_immune_system", "injected_drugs"}) or (
            self.recent_spinal_procedure
        )

    @property
    def cancer(self) -> bool:
        return "cancer" in self.yes


@dataclass(frozen=True)
class Question:
    id: str  # stable: the API and stored answers use it
    part: Part
    group: str  # one screen of the form
    text: str  # with {belly}, {rectum}, {bowel_movement} in the region's words
    level: Level  # the level of a "yes" (see level_for)
    symptom: str = ""  # "I have back pain and {symptom}": for the emergency service
    tag: Tag = Tag.OTHER
    # Asked only when this holds for the patient's history; None: always asked.
    applies: Callable[[History], bool] | None = None
    # Raised to emergency for a patient with this history (fever with infection risk).
    emergency_if: Callable[[History], bool] | None = None
    flag_on: bool = True  # the answer that flags it ("Can you get down to the floor?": no)
    detail: str = ""  # what a "yes" also asks for, stored on the patient's record
    source: str = SOURCE_RED_FLAGS

    def applies_to(self, history: History) -> bool:
        return self.applies is None or self.applies(history)

    def level_for(self, history: History) -> Level:
        if self.emergency_if is not None and self.emergency_if(history):
            return Level.EMERGENCY
        return self.level

    def worded(self, words: RegionWords) -> str:
        return self.text.format(
            belly=words.belly, rectum=words.rectum, bowel_movement=words.bowel_movement
        )


def _history(id: str, group: str, text: str, *, level: Level = Level.REVIEW, **kwargs) -> Question:
    return Question(id=id, part=Part.HISTORY, group=group, text=text, level=level, **kwargs)


def _symptom(id: str, group: str, text: str, level: Level, symptom: str, **kwargs) -> Question:
    return Question(
        id=id, part=Part.SYMPTOMS, group=group, text=text, level=level, symptom=symptom, **kwargs
    )


_E, _U = Level.EMERGENCY, Level.URGENT
_CES = {"tag": Tag.CAUDA_EQUINA, "source": SOURCE_CAUDA_EQUINA}

QUESTIONS: tuple[Question, ...] = (
    # Part A — health history: ever, or as the question says.
    _history("cancer", "Your health history",
             "Have you ever had cancer? Don't count a skin cancer that was only cut or frozen "
             "off, unless it was a melanoma."),
    _history("weak_bones", "Your health history",
             "Have you ever been told you have osteoporosis (weak bones), or broken a bone in "
             "a minor fall?"),
    _history("steroids", "Your health history",
             "Have you ever taken steroid tablets (such as prednisolone or prednisone) for 3 "
             "months or more?"),
    _history("weak_immune_system", "Your health history",
             "Do you have a weakened immune system, for example from chemotherapy, a "
             "transplant, biologic medicines or HIV?"),
    _history("injected_drugs", "Your health history",
             "In the last year, have you injected recreational drugs? Don't count insulin or "
             "injections a doctor prescribed."),
    _history("spinal_procedure", "Your health history",
             "Have you ever had spine surgery, an injection into your spine, or another "
             "procedure on your spine?", detail="When was it? (month and year)"),
    _history("pregnancy", "Before you exercise",
             "Are you pregnant, or have you given birth in the last 6 months?",
             detail="If you're pregnant, when is your baby due?"),
    _history("hip_replacement", "Before you exercise",
             "Have you had a hip replacement?", detail="Which side, and when?"),
    _history("floor_transfer", "Before you exercise",
             "Can you get down to the floor and up again on your own?", flag_on=False),
    _history("ibp_onset", "Your back pain", "Did your back pain start before you were 45, and "
             "has it lasted more than 3 months?", level=Level.NOTE),
    _history("ibp_features", "Your back pain",
             "Does any of these apply to you: waking in the second half of the night with back "
             "pain, stiffness that eases when you move, pain in your buttocks, psoriasis, or a "
             "parent, brother, sister or child with spondyloarthritis?", level=Level.NOTE),
    # Part B — symptoms now, new or getting worse.
    _symptom("ces_saddle", "Between your legs",
             "Numbness, tingling or a different feeling between your legs, around your "
             "{rectum}, genitals, inner thighs or buttocks, or when you wipe after the toilet",
             _E, "numbness between my legs", **_CES),
    _symptom("ces_bladder", "Between your legs",
             "New trouble starting to pee, you can't pee, you can't stop or control peeing, "
             "you've recently needed pads, you can't feel that your bladder is full, or you "
             "can't feel yourself pee or have a {bowel_movement}",
             _E, "changes in peeing", **_CES),
    _symptom("ces_bowel", "Between your legs", "You can't control your bowels",
             _E, "I can't control my bowels", **_CES),
    _symptom("ces_sexual", "Between your legs",
             "New loss of sexual feeling, or changes in erection or ejaculation",
             _E, "loss of sexual feeling", **_CES),
    _symptom("both_legs", "Your legs", "Pain, numbness, tingling or weakness in both legs",
             _E, "pain, numbness or weakness in both legs", **_CES),
    _symptom("leg_weakness", "Your legs",
             "Leg weakness that is getting worse, a foot that drags, or legs giving way",
             _E, "my leg is getting weaker", **_CES),
    _symptom("cancer_leg", "Your legs",
             "New pain, numbness or weakness going down a leg, or new trouble walking",
             _E, "new pain or weakness going down my leg", tag=Tag.CANCER,
             applies=lambda h: h.cancer),
    _symptom("serious_accident", "Injury and sudden pain",
             "Back pain that started after a serious accident, such as a car crash or a fall "
             "from a height, that no doctor has checked",
             _E, "it started after a serious accident"),
    _symptom("back_and_belly", "Injury and sudden pain",
             "Sudden severe pain in your back and {belly}, or feeling faint with it",
             _E, "sudden severe pain in my back and {belly}", tag=Tag.CALL_NOW),
    _symptom("chest_pain", "Injury and sudden pain", "Chest pain with your back pain",
             _E, "chest pain", tag=Tag.CALL_NOW),
    _symptom("fever", "Feeling unwell",
             "A fever, feeling hot and shivery, or feeling very unwell with your back pain",
             _U, "a fever", tag=Tag.INFECTION,
             emergency_if=lambda h: h.infection_risk),
    _symptom("weight_loss", "Feeling unwell", "Weight loss you can't explain",
             _U, "weight loss I can't explain"),
    _symptom("night_pain", "Feeling unwell",
             "Pain at night or at rest that never eases, whatever position you're in",
             _U, "pain at night that never eases"),
    _symptom("lump", "Your back", "A swelling or lump in your back, or your back changing shape",
             _U, "a lump in my back"),
    _symptom("thoracic", "Your back", "New pain high in your back, between your shoulder blades",
             _U, "new pain between my shoulder blades"),
    _symptom("minor_fall", "Your back", "New back pain after a minor fall",
             _U, "new pain after a minor fall",
             applies=lambda h: "weak_bones" in h.yes or (h.age is not None and h.age >= 65)),
    _symptom("new_or_different", "Your back",
             "Back pain that is new, or different from your usual back pain",
             _U, "back pain that is new or different",
             tag=Tag.OTHER,
             applies=lambda h: h.cancer or h.infection_risk),
)  # fmt: skip
QUESTIONS_BY_ID: dict[str, Question] = {question.id: question for question in QUESTIONS}
HISTORY_IDS = tuple(q.id for q in QUESTIONS if q.part is Part.HISTORY)
# A "yes" needs clinician review once; these reach the clinician as prescribing precautions.
PRECAUTION_IDS = frozenset({"pregnancy", "hip_replacement", "floor_transfer"})
NOTE_IDS = ("ibp_onset", "ibp_features")  # a note only when both are "yes"


def questions_for(form: Form, history: History) -> tuple[Question, ...]:
    """The questions a form asks this patient, in order."""
    asked = []
    for question in QUESTIONS:
        if form is Form.FULL:
            wanted = True
        elif question.part is Part.HISTORY:
            wanted = False
        elif form is Form.SYMPTOMS:
            wanted = True
        elif form is Form.SHORT:
            wanted = question.level_for(history) in (Level.EMERGENCY, Level.URGENT)
        else:
            wanted = question.level_for(history) is Level.EMERGENCY
        if wanted and question.applies_to(history):
            asked.append(question)
    return tuple(asked)


def history_from(
    answers: Mapping[str, bool],
    *,
    birth: tuple[int, int] | None,
    procedure_when: str,
    today: date,
) -> History:
    yes = frozenset(
        qid
        for qid in HISTORY_IDS
        if qid in answers and answers[qid] == QUESTIONS_BY_ID[qid].flag_on
    )
    age = None
    if birth is not None:
        year, month = birth
        age = today.year - year - (1 if today.month < month else 0)
    return History(
        yes=yes,
        age=age,
        recent_spinal_procedure="spinal_procedure" in yes
        and _within_three_months(procedure_when, today),
    )


def _within_three_months(when: str, today: date) -> bool:
    """A procedure's "YYYY-MM" or "YYYY-MM-DD": recent unless it is known to be older."""
    try:
        year, month = (int(part) for part in when.strip().split("-")[:2])
    except ValueError:
        return True  # an unknown date is treated as recent: the stricter reading
    return (today.year - year) * 12 + (today.month - month) <= 3


class MissingAnswers(ValueError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"Please answer every question; unanswered: {', '.join(missing)}.")


class UnknownQuestions(ValueError):
    def __init__(self, unknown: list[str]) -> None:
        self.unknown = unknown
        super().__init__(f"Unknown screening question id(s): {', '.join(unknown)}.")


@dataclass(frozen=True)
class Finding:
    question: Question
    level: Level  # after the confirmation
    confirmation: Confirmation | None


@dataclass(frozen=True)
class ScreeningOutcome:
    blocked: bool
    urgency: Urgency
    advice: str  # for the patient: what to do, on one screen
    flagged: tuple[str, ...]  # ids answered with their flagging answer, in QUESTIONS order
    blocking: tuple[str, ...]  # of those, the ids that hold sessions now
    alert_severity: str | None
    reason: str  # for the clinician
    emergency_number_first: bool = False
    findings: tuple[Finding, ...] = field(default=())
    note: str = ""  # for the clinician only (inflammatory back pain)


# ---------------------------------------------------------------------------------------
# What the patient is told (clinical-rules.md §1 and §5)
# ---------------------------------------------------------------------------------------

CALL_NOW = "Call {emergency_number} now. Don't drive yourself."
GO_NOW = "Go to {emergency_room} now, or call {emergency_number}. Tell them: \u2018{tell}\u2019"
TELL_ADDS = {
    Tag.CAUDA_EQUINA: "I'm worried about cauda equina syndrome.",
    Tag.CANCER: "I've had cancer.",
    Tag.INFECTION: "I'm worried about an infection in my spine.",
}
URGENT_TODAY = (
    "See a doctor today: {urgent_route}. Tell them you have back pain and {symptom}. If you "
    "can't be seen today, or you feel worse, go to {emergency_room}."
)
CANCER_ROUTE = "your doctor or your cancer team today"
TOLD_URGENT = "We're letting your clinic know. Don't wait for them to call you."
NO_EXERCISE = "Don't do your exercises until a clinician says it's safe."
REVIEW = (
    "Your clinic will look at these answers before you start. This is routine. If you "
    "haven't heard from them in 2 working days, call {clinic_phone}."
)
IF_IT_CHANGES = {
    Level.EMERGENCY: (
        "If it changes, go to {emergency_room} or call {emergency_number} straight away."
    ),
    Level.URGENT: "If it changes, see a doctor straight away: {urgent_route}.",
}
ADVICE_CONSULT_FIRST = (
    "Please check with your doctor or physiotherapist that these exercises suit you. Once "
    "they have, tap \u201cMy doctor advised me\u201d, or your clinic can mark you cleared."
)
ADVICE_READY = "You're ready to start. Stop at any time if something hurts more than usual."


def _fill(text: str, words: RegionWords, clinic_phone: str, **extra: str) -> str:
    return text.format(
        emergency_number=words.emergency_number,
        emergency_room=words.emergency_room,
        urgent_route=extra.pop("urgent_route", words.urgent_route),
        clinic_phone=clinic_phone or "your clinic",
        belly=words.belly,
        **extra,
    )


def emergency_advice(question: Question, words: RegionWords, clinic_phone: str) -> str:
    if question.tag is Tag.CALL_NOW:
        first = _fill(CALL_NOW, words, clinic_phone)
    else:
        symptom = _fill(question.symptom, words, clinic_phone)
        tell = f"I have back pain and {symptom}."
        if question.tag in TELL_ADDS:
            tell += " " + TELL_ADDS[question.tag]
        first = _fill(GO_NOW, words, clinic_phone, tell=tell)
    return f"{first} {TOLD_URGENT}"


def urgent_advice(
    question: Question, words: RegionWords, clinic_phone: str, history: History
) -> str:
    symptom = _fill(question.symptom, words, clinic_phone)
    route = CANCER_ROUTE if history.cancer else words.urgent_route
    text = _fill(URGENT_TODAY, words, clinic_phone, urgent_route=route, symptom=symptom)
    return f"{text} {TOLD_URGENT} {NO_EXERCISE}"


# For the clinician when every NOTE_IDS question is a yes.
INFLAMMATORY_NOTE = (
    "Consider inflammatory back pain: back pain from before 45, over 3 months, with "
    "inflammatory features (NICE NG65 referral criteria)."
)


def evaluate_screening(
    answers: Mapping[str, bool],
    *,
    form: Form = Form.FULL,
    history: History | None = None,
    confirmations: Mapping[str, str] | None = None,
    reviewed: frozenset[str] = frozenset(),
    clinician_advised: bool,
    region: str | Region = Region.US,
    clinic_phone: str = "",
) -> ScreeningOutcome:
    """Decide what a screen means for sessions (clinical-rules.md §1).

    Every question the form asks must be answered: a blank is not a "no". ``history`` is
    Part A as it stood before this screen (a full form brings its own). ``reviewed`` are
    the questions a clinician has already reviewed or recorded as checked: they do not
    hold sessions again. ``clinician_advised`` is the seed's "consult your doctor": the
    patient confirmed a doctor or physiotherapist said these exercises suit them, or a
    clinician has recorded a clearance.
    """
    confirmations = dict(confirmations or {})
    words = words_for(region)
    _check_answers(answers, confirmations)
    if form is Form.FULL:
        history = _history_from(answers, history or History())
    history = history or History()
    asked = questions_for(form, history)
    missing = [q.id for q in asked if answers.get(q.id) is None]
    if missing:
        raise MissingAnswers(missing)

    flagged = [q for q in asked if answers[q.id] == q.flag_on]
    findings = [_finding(question, history, confirmations) for question in flagged]
    holding = [f for f in findings if _holds_sessions(f, reviewed)]
    note = INFLAMMATORY_NOTE if all(answers.get(qid) for qid in NOTE_IDS) else ""
    flagged_ids = tuple(q.id for q in flagged)
    blocking_ids = tuple(f.question.id for f in holding)
    labels = ", ".join(f"{f.question.id} ({f.level})" for f in findings if f.level != Level.NOTE)

    verdict = _verdict(
        holding,
        history=history,
        words=words,
        clinic_phone=clinic_phone,
        labels=labels,
        clinician_advised=clinician_advised,
    )
    severity = verdict.alert_severity or (str(AlertSeverity.INFO) if note else None)
    return ScreeningOutcome(
        blocked=verdict.blocked,
        urgency=verdict.urgency,
        advice=verdict.advice,
        flagged=flagged_ids,
        blocking=blocking_ids if verdict.urgency is not Urgency.NONE else (),
        alert_severity=severity,
        reason=verdict.reason,
        emergency_number_first=verdict.urgency is Urgency.EMERGENCY,
        findings=tuple(findings),
        note=note,
    )


def _check_answers(answers: Mapping[str, bool], confirmations: Mapping[str, str]) -> None:
    """Every answer and confirmation names a known question and has a known value."""
    unknown = sorted((set(answers) | set(confirmations)) - QUESTIONS_BY_ID.keys())
    if unknown:
        raise UnknownQuestions(unknown)
    for question_id, answer in answers.items():
        if not isinstance(answer, bool):
            raise ValueError(f"The answer to {question_id} must be yes or no, got {answer!r}.")
    for question_id, value in confirmations.items():
        if value not in Confirmation.__members__.values():
            raise ValueError(
                f"The confirmation of {question_id} must be new, checked or unchecked, "
                f"got {value!r}."
            )


def _history_from(answers: Mapping[str, bool], before: History) -> History:
    """Part A as a full form answers it, keeping what only the details say."""
    return History(
        yes=frozenset(
            q for q in HISTORY_IDS if q in answers and answers[q] == QUESTIONS_BY_ID[q].flag_on
        ),
        age=before.age,
        recent_spinal_procedure=before.recent_spinal_procedure,
    )


def _finding(question: Question, history: History, confirmations: Mapping[str, str]) -> Finding:
    """A flagged question's level, after "Is this new, or getting worse?" for a serious one."""
    level = question.level_for(history)
    confirmation = None
    if level in (Level.EMERGENCY, Level.URGENT):
        confirmation = Confirmation(confirmations.get(question.id, Confirmation.NEW))
        if confirmation is Confirmation.CHECKED:
            level = Level.REVIEW
        elif confirmation is Confirmation.UNCHECKED:
            level = Level.URGENT
    return Finding(question, level, confirmation)


def _holds_sessions(finding: Finding, reviewed: frozenset[str]) -> bool:
    if finding.level is Level.NOTE:
        return False
    # A factor a clinician reviewed, or a symptom they recorded as checked that the
    # patient says has not changed, does not hold sessions again.
    return not (finding.level is Level.REVIEW and finding.question.id in reviewed)


@dataclass(frozen=True)
class _Verdict:
    blocked: bool
    urgency: Urgency
    advice: str
    alert_severity: str | None
    reason: str


def _verdict(
    holding: list[Finding],
    *,
    history: History,
    words: RegionWords,
    clinic_phone: str,
    labels: str,
    clinician_advised: bool,
) -> _Verdict:
    """The most serious level that holds sessions decides what the patient is told."""
    at = {level: [f for f in holding if f.level is level] for level in Level}
    if at[Level.EMERGENCY]:
        return _Verdict(
            True,
            Urgency.EMERGENCY,
            emergency_advice(at[Level.EMERGENCY][0].question, words, clinic_phone),
            str(AlertSeverity.URGENT),
            f"Emergency signs: {labels}; patient told to get emergency care now.",
        )
    if at[Level.URGENT]:
        return _Verdict(
            True,
            Urgency.SOON,
            urgent_advice(at[Level.URGENT][0].question, words, clinic_phone, history),
            str(AlertSeverity.URGENT),
            f"Urgent signs: {labels}; patient told to see a doctor today.",
        )
    if at[Level.REVIEW]:
        advice = _fill(REVIEW, words, clinic_phone)
        changes = [
            _fill(IF_IT_CHANGES[f.question.level_for(history)], words, clinic_phone)
            for f in at[Level.REVIEW]
            if f.confirmation is Confirmation.CHECKED
        ]
        if changes:
            advice += " " + " ".join(dict.fromkeys(changes))
        return _Verdict(
            True,
            Urgency.REVIEW,
            advice,
            str(AlertSeverity.ATTENTION),
            f"For review before sessions: {labels}.",
        )
    if not clinician_advised:
        return _Verdict(
            True,
            Urgency.NONE,
            ADVICE_CONSULT_FIRST,
            None,
            "No safety signs; waiting for the patient's confirmation of their doctor's or "
            "physiotherapist's advice, or the clinic's clearance.",
        )
    return _Verdict(False, Urgency.NONE, ADVICE_READY, None, "No safety signs that hold sessions.")
