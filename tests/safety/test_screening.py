"""The red-flag screen and "consult your doctor" before the first session (CLINICAL.md §1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supine.safety.screening import (
    QUESTIONS,
    QUESTIONS_BY_ID,
    MissingAnswers,
    UnknownQuestions,
    Urgency,
    evaluate_screening,
)

# The ids are API contract: written out here so a rename fails a test.
CONTRACT_IDS = [
    "saddle_numbness",
    "bladder_changes",
    "bowel_control_loss",
    "sexual_sensation_loss",
    "leg_weakness_worsening",
    "both_legs_numb_or_weak",
    "recent_fall_or_injury",
    "long_term_steroids",
    "osteoporosis",
    "fever_or_unwell",
    "recent_infection",
    "weakened_immune_system",
    "injecting_drug_use",
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_or_rest_pain",
]

EMERGENCY = "A&E or call 999"
CLINIC_OR_GP_TODAY = "contact your clinic or GP today"
CLINIC_BEFORE_EXERCISING = "contact your clinic before exercising"


def all_no() -> dict[str, bool]:
    return {question_id: False for question_id in CONTRACT_IDS}


def answers(*yes: str) -> dict[str, bool]:
    return {**all_no(), **dict.fromkeys(yes, True)}


def row(question_id: str, group: str, urgency: Urgency, alert: str, advice: str, label: str):
    return pytest.param(question_id, group, urgency, alert, advice, id=label)


# One row per symptom of the table in CLINICAL.md §1.
RED_FLAG_ROWS = [
    row(
        "saddle_numbness",
        "cauda_equina",
        Urgency.EMERGENCY,
        "urgent",
        EMERGENCY,
        "§1 cauda equina: saddle numbness → emergency, blocked, urgent alert",
    ),
    row(
        "bladder_changes",
        "cauda_equina",
        Urgency.EMERGENCY,
        "urgent",
        EMERGENCY,
        "§1 cauda equina: new trouble starting or stopping urine, leaking → emergency, "
        "blocked, urgent alert",
    ),
    row(
        "bowel_control_loss",
        "cauda_equina",
        Urgency.EMERGENCY,
        "urgent",
        EMERGENCY,
        "§1 cauda equina: new loss of bowel control → emergency, blocked, urgent alert",
    ),
    row(
        "sexual_sensation_loss",
        "cauda_equina",
        Urgency.EMERGENCY,
        "urgent",
        EMERGENCY,
        "§1 cauda equina: new loss of sexual sensation → emergency, blocked, urgent alert",
    ),
    row(
        "leg_weakness_worsening",
        "neurological",
        Urgency.SOON,
        "urgent",
        CLINIC_OR_GP_TODAY,
        "§1 neurological: leg weakness getting worse → urgent review, blocked, urgent alert",
    ),
    row(
        "both_legs_numb_or_weak",
        "neurological",
        Urgency.SOON,
        "urgent",
        CLINIC_OR_GP_TODAY,
        "§1 neurological: numbness or weakness in both legs → urgent review, blocked, urgent alert",
    ),
    row(
        "recent_fall_or_injury",
        "fracture",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 fracture: recent fall or injury → blocked until cleared, alert",
    ),
    row(
        "long_term_steroids",
        "fracture",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 fracture: long-term steroid use → blocked until cleared, alert",
    ),
    row(
        "osteoporosis",
        "fracture",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 fracture: osteoporosis → blocked until cleared, alert",
    ),
    row(
        "fever_or_unwell",
        "infection",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 infection: fever or feeling unwell with the back pain → blocked until cleared, alert",
    ),
    row(
        "recent_infection",
        "infection",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 infection: recent infection → blocked until cleared, alert",
    ),
    row(
        "weakened_immune_system",
        "infection",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 infection: weakened immune system → blocked until cleared, alert",
    ),
    row(
        "injecting_drug_use",
        "infection",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 infection: injecting drug use → blocked until cleared, alert",
    ),
    row(
        "history_of_cancer",
        "cancer",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 cancer: history of cancer → blocked until cleared, alert",
    ),
    row(
        "unexplained_weight_loss",
        "cancer",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 cancer: unexplained weight loss → blocked until cleared, alert",
    ),
    row(
        "night_or_rest_pain",
        "cancer",
        Urgency.SOON,
        "attention",
        CLINIC_BEFORE_EXERCISING,
        "§1 cancer: pain worse at night or at rest that doesn't ease → blocked until "
        "cleared, alert",
    ),
]


@pytest.mark.parametrize(("question_id", "group", "urgency", "alert", "advice"), RED_FLAG_ROWS)
def test_each_red_flag_blocks_says_what_to_do_and_alerts(
    question_id: str, group: str, urgency: Urgency, alert: str, advice: str
) -> None:
    question = QUESTIONS_BY_ID[question_id]
    assert (question.group, question.urgency) == (group, urgency)
    assert "Downie" in question.source and "NICE NG59" in question.source

    # Even a patient who was advised and cleared is blocked by a red flag found now.
    outcome = evaluate_screening(
        answers(question_id), clinician_advised=True, cleared_by_clinician=True
    )

    assert outcome.blocked is True
    assert outcome.urgency is urgency
    assert outcome.alert_severity == alert
    assert outcome.flagged == (question_id,)
    assert outcome.groups == (group,)
    assert outcome.needs_clearance is True
    assert advice in outcome.advice
    assert question_id.replace("_", " ") in outcome.reason
    assert group.replace("_", " ") in outcome.reason


CONSULT_ROWS = [
    pytest.param(
        False,
        False,
        True,
        id="§1 consult your doctor: not advised and not cleared → blocked, no alert",
    ),
    pytest.param(
        True, False, False, id="§1 consult your doctor: the patient confirms advice → may start"
    ),
    pytest.param(
        False, True, False, id="§1 consult your doctor: the clinician marks cleared → may start"
    ),
    pytest.param(True, True, False, id="§1 consult your doctor: both → may start"),
]


@pytest.mark.parametrize(("advised", "cleared", "blocked"), CONSULT_ROWS)
def test_no_session_starts_before_advice_or_clearance(
    advised: bool, cleared: bool, blocked: bool
) -> None:
    outcome = evaluate_screening(all_no(), clinician_advised=advised, cleared_by_clinician=cleared)

    assert outcome.blocked is blocked
    assert outcome.urgency is Urgency.NONE
    assert outcome.alert_severity is None
    assert outcome.flagged == ()
    assert outcome.groups == ()
    assert outcome.needs_clearance is False
    if blocked:
        assert "check with your clinician that these exercises suit you" in outcome.advice
        assert "clinic can mark you cleared" in outcome.advice
        assert "not confirmed" in outcome.reason
    else:
        assert "ready to start" in outcome.advice
        assert outcome.reason.startswith("No red flags")


def test_only_a_clinician_clears_a_red_flag_not_the_same_screening() -> None:
    # §1 "Only a clinician clears a block": a clearance that predates these answers does
    # not lift the red flag they reveal.
    before = evaluate_screening(answers("osteoporosis"), clinician_advised=False)
    after = evaluate_screening(
        answers("osteoporosis"), clinician_advised=True, cleared_by_clinician=True
    )
    assert before.blocked and after.blocked
    assert before.needs_clearance and after.needs_clearance


def test_the_most_urgent_group_decides_and_every_flag_is_reported() -> None:
    outcome = evaluate_screening(
        answers("history_of_cancer", "leg_weakness_worsening", "bladder_changes"),
        clinician_advised=True,
    )
    assert outcome.urgency is Urgency.EMERGENCY
    assert outcome.alert_severity == "urgent"
    assert EMERGENCY in outcome.advice
    assert outcome.flagged == ("bladder_changes", "leg_weakness_worsening", "history_of_cancer")
    assert outcome.groups == ("cauda_equina", "neurological", "cancer")
    assert outcome.reason.startswith("Red flags (cauda equina, neurological, cancer)")


def test_neurological_outranks_fracture_infection_and_cancer() -> None:
    outcome = evaluate_screening(
        answers("osteoporosis", "both_legs_numb_or_weak"), clinician_advised=True
    )
    assert (outcome.urgency, outcome.alert_severity) == (Urgency.SOON, "urgent")
    assert CLINIC_OR_GP_TODAY in outcome.advice


def test_emergency_advice_gives_the_uk_number_and_a_fallback() -> None:
    advice = evaluate_screening(answers("saddle_numbness"), clinician_advised=True).advice
    assert "A&E" in advice
    assert "999" in advice
    assert "local emergency number" in advice


def test_the_question_ids_are_the_contract_in_the_table_order() -> None:
    assert [question.id for question in QUESTIONS] == CONTRACT_IDS
    assert len(RED_FLAG_ROWS) == len(QUESTIONS)


def test_the_saddle_question_uses_the_patients_words() -> None:
    assert QUESTIONS_BY_ID["saddle_numbness"].text == (
        "Do you have numbness around your back passage, genitals or inner thighs?"
    )


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda question: question.id)
def test_every_question_is_a_short_plain_yes_no_question(question) -> None:
    assert question.text.endswith("?")
    assert len(question.text) <= 110
    for jargon in ("cauda", "equina", "urinary", "incontinence", "bilateral", "saddle"):
        assert jargon not in question.text.lower()


def test_an_unanswered_question_is_not_a_no() -> None:
    partial = all_no()
    del partial["osteoporosis"]
    partial["night_or_rest_pain"] = None  # type: ignore[assignment]

    with pytest.raises(MissingAnswers) as caught:
        evaluate_screening(partial, clinician_advised=True)

    assert isinstance(caught.value, ValueError)
    assert caught.value.missing == ["osteoporosis", "night_or_rest_pain"]


def test_an_unknown_question_id_is_refused() -> None:
    with pytest.raises(UnknownQuestions) as caught:
        evaluate_screening({**all_no(), "saddle_numbnes": True}, clinician_advised=True)

    assert isinstance(caught.value, ValueError)
    assert caught.value.unknown == ["saddle_numbnes"]


def test_an_answer_that_is_not_yes_or_no_is_refused() -> None:
    with pytest.raises(ValueError, match="yes or no"):
        evaluate_screening({**all_no(), "osteoporosis": "no"}, clinician_advised=True)  # type: ignore[dict-item]


@given(
    yes=st.sets(st.sampled_from(CONTRACT_IDS)),
    advised=st.booleans(),
    cleared=st.booleans(),
)
def test_blocked_exactly_when_a_red_flag_or_no_advice_or_clearance(
    yes: set[str], advised: bool, cleared: bool
) -> None:
    outcome = evaluate_screening(
        answers(*yes), clinician_advised=advised, cleared_by_clinician=cleared
    )

    assert outcome.blocked is (bool(yes) or not (advised or cleared))
    assert set(outcome.flagged) == yes
    assert outcome.needs_clearance is bool(yes)
    groups = {QUESTIONS_BY_ID[question_id].group for question_id in yes}
    assert set(outcome.groups) == groups
    if "cauda_equina" in groups:
        assert outcome.urgency is Urgency.EMERGENCY
    elif yes:
        assert outcome.urgency is Urgency.SOON
    else:
        assert outcome.urgency is Urgency.NONE
    urgent = bool(groups & {"cauda_equina", "neurological"})
    assert outcome.alert_severity == ("urgent" if urgent else "attention" if yes else None)
