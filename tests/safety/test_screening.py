"""The two-part safety screen (clinical-rules.md §1, version 2.1): one row per question and level.

Each row answers the full screen through the API as a patient of a US clinic would, with
nothing else flagged, and checks what the patient is told and what the clinic gets.
"""

from __future__ import annotations

import pytest

from supine.clinic.models import Alert
from supine.safety.models import SafetyBlock
from supine.safety.screening import QUESTIONS, Form, Level, questions_for
from supine.safety.services import patient_history
from tests.api.helpers import bearer_client, post_json
from tests.factories import make_patient, safe_answers

CLINIC_PHONE = "+1 555 010 0100"
ER = "Go to the ER (emergency room) now, or call 911."
CALL = "Call 911 now. Don't drive yourself."
TODAY = "See a doctor today: your doctor or an urgent care clinic today."
CANCER_TODAY = "See a doctor today: your doctor or your cancer team today."
REVIEW = "Your clinic will look at these answers before you start. This is routine."
CES = "I'm worried about cauda equina syndrome."


def row(qid, *, history=(), level, urgency, blocked, alert, first_tel, advice, extra=""):
    return pytest.param(
        qid, history, level, urgency, blocked, alert, first_tel, advice, extra,
        id=f"{qid} → {level}",
    )  # fmt: skip


ROWS = [
    # Part A — health history alone never makes an emergency.
    row("cancer", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("weak_bones", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("steroids", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("weak_immune_system", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("injected_drugs", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("spinal_procedure", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("pregnancy", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("hip_replacement", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("floor_transfer", level="review", urgency="review", blocked=True, alert="attention",
        first_tel=CLINIC_PHONE, advice=REVIEW),
    row("ibp_onset", history=("ibp_features",), level="note", urgency="none", blocked=False,
        alert="info", first_tel=CLINIC_PHONE, advice="You're ready to start."),
    row("ibp_features", history=("ibp_onset",), level="note", urgency="none", blocked=False,
        alert="info", first_tel=CLINIC_PHONE, advice="You're ready to start."),
    # Part B — emergency: the emergency number first and largest.
    row("ces_saddle", level="emergency", urgency="emergency", blocked=True, alert="urgent",
        first_tel="911", advice=ER, extra=CES),
    row("ces_bladder", level="emergency", urgency="emergency", blocked=True, alert="urgent",
        first_tel="911", advice=ER, extra=CES),
    row("ces_bowel", level="emergency", urgency="emergency", blocked=True, alert="urgent",
        first_tel="911", advice=ER, extra=CES),
    row("ces_sexual", level="emergency", urgency="emergency", blocked=True, alert="urgent",
        first_tel="911", advice=ER, extra=CES),
    row("both_legs", level="emergency", urgency="emergency", blocked=True, alert="urgent",
        first_tel="911", advice=ER, extra=CES),
    row("leg_weakness", level="emergency", urgency="emergency", blocked=True, alert="urgent",
        first_tel="911", advice=ER, extra=CES),
    row("cancer_leg", history=("cancer",), level="emergency", urgency="emergency",
        blocked=True, alert="urgent", first_tel="911", advice=ER, extra="I've had cancer."),
    row("serious_accident", level="emergency", urgency="emergency", blocked=True,
        alert="urgent", first_tel="911", advice=ER),
    row("back_and_belly", level="emergency", urgency="emergency", blocked=True, alert="urgent",
        first_tel="911", advice=CALL),
    row("chest_pain", level="emergency", urgency="emergency", blocked=True, alert="urgent",
        first_tel="911", advice=CALL),
    row("fever", history=("weak_immune_system",), level="emergency", urgency="emergency",
        blocked=True, alert="urgent", first_tel="911", advice=ER,
        extra="I'm worried about an infection in my spine."),
    # Part B — urgent today.
    row("fever", level="urgent", urgency="soon", blocked=True, alert="urgent",
        first_tel=CLINIC_PHONE, advice=TODAY),
    row("weight_loss", level="urgent", urgency="soon", blocked=True, alert="urgent",
        first_tel=CLINIC_PHONE, advice=TODAY),
    row("night_pain", level="urgent", urgency="soon", blocked=True, alert="urgent",
        first_tel=CLINIC_PHONE, advice=TODAY),
    row("lump", level="urgent", urgency="soon", blocked=True, alert="urgent",
        first_tel=CLINIC_PHONE, advice=TODAY),
    row("thoracic", level="urgent", urgency="soon", blocked=True, alert="urgent",
        first_tel=CLINIC_PHONE, advice=TODAY),
    row("minor_fall", history=("weak_bones",), level="urgent", urgency="soon", blocked=True,
        alert="urgent", first_tel=CLINIC_PHONE, advice=TODAY),
    row("new_or_different", history=("cancer",), level="urgent", urgency="soon", blocked=True,
        alert="urgent", first_tel=CLINIC_PHONE, advice=CANCER_TODAY),
]  # fmt: skip


def test_every_question_has_a_row():
    assert {q.id for q in QUESTIONS} <= {p.values[0] for p in ROWS}


@pytest.fixture
def us_patient(clinic):
    clinic.region, clinic.phone = "us", CLINIC_PHONE
    clinic.save()
    return make_patient(clinic, screened=False)


@pytest.mark.parametrize(
    ("qid", "history", "level", "urgency", "blocked", "alert", "first_tel", "advice", "extra"),
    ROWS,
)
def test_each_question_and_level(
    us_patient, qid, history, level, urgency, blocked, alert, first_tel, advice, extra
):
    api = bearer_client(us_patient.user)
    questions = {q["id"]: q for q in api.get("/api/v1/me/screening/questions").json()}
    body = {
        "clinician_advised": True,
        "answers": safe_answers(flagged=(qid, *history)),
        "details": {"born": "1970-06"},
    }
    response = post_json(api, "/api/v1/me/screening", body)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert questions[qid]["level"] in (level, "urgent")  # a history may raise it to emergency
    assert answer["blocked"] is blocked
    assert answer["urgency"] == urgency
    assert advice in answer["advice"]
    assert extra in answer["advice"]
    assert answer["contacts"][0]["tel"] == first_tel
    assert answer["contacts"][-1]["tel"] == CLINIC_PHONE  # the clinic's phone always
    alerts = set(Alert.objects.filter(patient=us_patient).values_list("severity", flat=True))
    assert alert in alerts
    holds = SafetyBlock.objects.open().filter(patient=us_patient)
    assert holds.exists() is blocked
    if urgency in ("emergency", "soon"):
        assert (
            "We're letting your clinic know. Don't wait for them to call you." in (answer["advice"])
        )


@pytest.mark.parametrize(
    ("confirmation", "urgency", "advice"),
    [
        pytest.param("new", "emergency", ER, id="yes, or not sure → that level's screen"),
        pytest.param("checked", "review", "If it changes, go to the ER (emergency room) or "
                     "call 911 straight away.", id="no, and a doctor checked it → review"),
        pytest.param("unchecked", "soon", TODAY, id="no, but never checked → urgent today"),
    ],
)  # fmt: skip
def test_the_one_confirmation_before_an_emergency_screen(us_patient, confirmation, urgency, advice):
    body = {
        "clinician_advised": True,
        "answers": safe_answers(flagged=("both_legs",)),
        "confirmations": {"both_legs": confirmation},
    }
    answer = post_json(bearer_client(us_patient.user), "/api/v1/me/screening", body).json()
    assert answer["urgency"] == urgency
    assert advice in answer["advice"]


def test_the_regions_words_and_numbers(clinic):
    clinic.region, clinic.phone = "uk", "01234 567890"
    clinic.save()
    patient = make_patient(clinic, screened=False)
    api = bearer_client(patient.user)
    texts = {q["id"]: q["text"] for q in api.get("/api/v1/me/screening/questions").json()}
    assert "back passage" in texts["ces_saddle"]
    assert "poo" in texts["ces_bladder"]
    body = {"clinician_advised": True, "answers": safe_answers(flagged=("ces_saddle",))}
    answer = post_json(api, "/api/v1/me/screening", body).json()
    assert answer["advice"].startswith("Go to A&E now, or call 999.")
    assert [c["tel"] for c in answer["contacts"]] == ["999", "01234 567890"]
    body = {"clinician_advised": True, "answers": safe_answers(flagged=("lump",))}
    answer = post_json(api, "/api/v1/me/screening", body).json()
    assert "NHS 111 or your GP today" in answer["advice"]


def test_a_missing_answer_is_named_and_nothing_is_stored(us_patient):
    answers = safe_answers()
    del answers["chest_pain"]
    body = {"clinician_advised": True, "answers": answers}
    response = post_json(bearer_client(us_patient.user), "/api/v1/me/screening", body)
    assert response.status_code == 422
    assert "chest_pain" in response.json()["detail"]
    assert not us_patient.screenings.exists()


def test_a_conditional_question_is_required_only_when_it_applies(us_patient):
    api = bearer_client(us_patient.user)
    answers = safe_answers(flagged=("cancer",))
    del answers["cancer_leg"]
    response = post_json(
        api, "/api/v1/me/screening", {"clinician_advised": True, "answers": answers}
    )
    assert response.status_code == 422
    assert "cancer_leg" in response.json()["detail"]
    answers = safe_answers()
    del answers["cancer_leg"]
    response = post_json(
        api, "/api/v1/me/screening", {"clinician_advised": True, "answers": answers}
    )
    assert response.status_code == 200


def test_a_reviewed_history_factor_does_not_hold_again(us_patient, clinician):
    from supine.safety.services import clear_patient, submit_screening

    api = bearer_client(us_patient.user)
    body = {"clinician_advised": True, "answers": safe_answers(flagged=("steroids",))}
    assert post_json(api, "/api/v1/me/screening", body).json()["blocked"] is True
    clinician.may_clear_holds = True
    clinician.save()
    clear_patient(clinician=clinician, patient=us_patient, reason="Reviewed: a short course.")
    again = submit_screening(
        patient=us_patient, clinician_advised=True, answers=safe_answers(flagged=("steroids",))
    )
    assert again.blocked is False
    changed = submit_screening(
        patient=us_patient,
        clinician_advised=True,
        answers=safe_answers(flagged=("steroids", "cancer")),
    )
    assert changed.blocked is True
    assert changed.blocking == ("cancer",)


def test_the_short_form_has_every_emergency_and_urgent_item_on_at_most_4_screens(us_patient):
    history = patient_history(us_patient, safe_answers(flagged=("cancer", "weak_bones")))
    short = questions_for(Form.SHORT, history)
    wanted = {
        q.id
        for q in QUESTIONS
        if q.applies_to(history) and q.level_for(history) in (Level.EMERGENCY, Level.URGENT)
    }
    assert {q.id for q in short} == wanted
    assert len({q.group for q in short}) <= 4 + 1  # groups; the page puts them on ≤ 4 screens


def test_birth_month_and_year_and_details_go_on_the_record(us_patient):
    body = {
        "clinician_advised": True,
        "answers": safe_answers(flagged=("hip_replacement",)),
        "details": {"born": "1950-03", "hip_replacement": "left, May 2024"},
    }
    assert (
        post_json(bearer_client(us_patient.user), "/api/v1/me/screening", body).status_code == 200
    )
    us_patient.refresh_from_db()
    assert (us_patient.birth_year, us_patient.birth_month) == (1950, 3)
    assert us_patient.history_details == {"hip_replacement": "left, May 2024"}


def test_a_bad_birth_date_is_refused_by_name(us_patient):
    body = {"clinician_advised": True, "answers": safe_answers(), "details": {"born": "soon"}}
    response = post_json(bearer_client(us_patient.user), "/api/v1/me/screening", body)
    assert response.status_code == 422
    assert "details.born" in response.json()["detail"]
