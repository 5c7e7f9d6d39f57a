from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from supine.clinic.access import patient_required
from supine.clinic.models import Patient
from supine.safety.forms import ScreeningPageForm
from supine.safety.regions import RegionWords, tel_href, words_for
from supine.safety.screening import (
    QUESTIONS_BY_ID,
    Form,
    History,
    Level,
    Part,
    Question,
    questions_for,
)
from supine.safety.services import (
    SafetyStatus,
    confirm_advised,
    last_history_answers,
    patient_history,
    report_checked_by_doctor,
    safety_status,
    screening_contacts,
    submit_screening,
)

# Said before a question that is asked only of some patients, so it is not misread.
_ONLY_IF = {
    "cancer_leg": "If you have ever had cancer:",
    "minor_fall": "If you have weak bones, or are 65 or over:",
    "new_or_different": (
        "If you have had cancer, have a weak immune system, injected drugs in the last year, "
        "or had a spinal procedure in the last 3 months:"
    ),
}
_FORM_TITLES = {
    Form.FULL: "A few safety questions",
    Form.SYMPTOMS: "I have new symptoms",
    Form.SHORT: "A few quick safety questions",
    Form.EMERGENCY: "Questions about these symptoms",
}


def _form(request: HttpRequest, default: Form) -> Form:
    try:
        return Form(request.GET.get("form") or request.POST.get("form") or default)
    except ValueError:
        return default


@require_http_methods(["GET", "POST"])
@patient_required
def screening(request: HttpRequest, patient: Patient) -> HttpResponse:
    return _screen(request, patient, Form.FULL)


@require_http_methods(["GET", "POST"])
@patient_required
def symptoms(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = _form(request, Form.SYMPTOMS)
    return _screen(request, patient, Form.SYMPTOMS if form is Form.FULL else form)


_Row = tuple[Question, str, str, bool | None, bool]


def _serious_symptoms(
    asked: Sequence[Question], answers: dict[str, bool], history: History
) -> list[Question]:
    """The symptoms answered yes at an emergency or urgent level: each is confirmed once."""
    return [
        q
        for q in asked
        if q.part is Part.SYMPTOMS
        and answers.get(q.id) == q.flag_on
        and q.applies_to(history)
        and q.level_for(history) in (Level.EMERGENCY, Level.URGENT)
    ]


def _question_groups(
    asked: Sequence[Question], words: RegionWords, answers: dict[str, bool], missing: list[str]
) -> list[tuple[str, str, list[_Row]]]:
    """The questions by part and group, each with its words and its state on the page."""
    groups: dict[tuple[str, str], list[_Row]] = {}
    for question in asked:
        groups.setdefault((question.part, question.group), []).append(
            (
                question,
                question.worded(words),
                _ONLY_IF.get(question.id, ""),
                answers.get(question.id),
                question.id in missing,
            )
        )
    return [(part, group, rows) for (part, group), rows in groups.items()]


def _born_shown(request: HttpRequest, patient: Patient) -> str:
    """The month of birth in its box: as posted, or as recorded (YYYY-MM)."""
    if request.method == "POST":
        return request.POST.get("born", "")
    if patient.birth_year and patient.birth_month:
        return f"{patient.birth_year}-{patient.birth_month:02d}"
    return ""


def _screen(request: HttpRequest, patient: Patient, form: Form) -> HttpResponse:
    words = words_for(patient.clinic.region)
    # The full form lists every question (which apply depends on its own answers); Part A
    # is pre-filled from the last answers, Part B never is: symptoms are asked afresh.
    asked = (
        tuple(QUESTIONS_BY_ID.values())
        if form is Form.FULL
        else questions_for(form, patient_history(patient))
    )
    answers: dict[str, bool] = dict(last_history_answers(patient)) if form is Form.FULL else {}
    missing: list[str] = []
    advised = None
    confirm: list[tuple[Question, str]] = []
    problems: list[str] = []  # what the rules refused, in their words
    if request.method == "POST":
        posted = ScreeningPageForm(
            request.POST, asked=asked, full=form is Form.FULL, only_if=_ONLY_IF
        )
        posted.is_valid()
        answers, advised, missing = posted.answers(), posted.advised(), posted.missing()
        if not missing:
            history = patient_history(patient, answers if form is Form.FULL else None)
            flagged = _serious_symptoms(asked, answers, history)
            confirmations = posted.confirmations(flagged)
            # The one confirmation before an emergency or urgent screen (clinical-rules.md §1).
            if flagged and len(confirmations) < len(flagged):
                confirm = [(q, q.worded(words)) for q in flagged]
            else:
                try:
                    submit_screening(
                        patient=patient,
                        form=form,
                        answers=answers,
                        clinician_advised=advised,
                        confirmations=confirmations,
                        details=posted.details(),
                    )
                except ValueError as error:
                    problems.append(str(error))
                else:
                    return redirect("today")
    groups = _question_groups(asked, words, answers, missing)
    return render(
        request,
        "safety/screening.html",
        {
            "title": _FORM_TITLES[form],
            "form": form,
            "full": form is Form.FULL,
            "groups": groups,
            "answers": answers,
            "missing": missing,
            "problems": problems,
            "advised": advised,
            "confirm": confirm,
            "born": _born_shown(request, patient),
            "details": patient.history_details or {},
        },
        status=422 if missing or problems else 200,
    )


@require_POST
@patient_required
def advised(request: HttpRequest, patient: Patient) -> HttpResponse:
    """One tap: "My doctor or physiotherapist has said these exercises suit me"."""
    confirm_advised(patient=patient)
    return redirect("today")


@require_POST
@patient_required
def checked_by_doctor(request: HttpRequest, patient: Patient) -> HttpResponse:
    """ "I've been checked by a doctor": tells the clinic; it does not lift the hold."""
    if report_checked_by_doctor(patient=patient) is not None:
        messages.success(
            request,
            "Thank you. Your clinic will see this at their next check of Supine. Your "
            "exercises stay paused until a clinician has recorded it.",
        )
    return redirect("today")


def blocked_context(patient: Patient, status: SafetyStatus) -> dict[str, Any]:
    clinic = patient.clinic
    contacts = screening_contacts(patient, status.urgency)
    return {
        "status": status,
        "contacts": [(c.label, c.tel, tel_href(c.tel)) for c in contacts],
        "emergency_number": words_for(clinic.region).emergency_number,
    }


__all__ = [
    "advised",
    "blocked_context",
    "checked_by_doctor",
    "safety_status",
    "screening",
    "symptoms",
]
