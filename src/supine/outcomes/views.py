"""The patient's Progress page, their diary entry, and the questionnaire pages (one
form each, answered without any script)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from supine.clinic.access import patient_required
from supine.clinic.models import Patient
from supine.clinic.patient_record import as_image, charts
from supine.outcomes.charts import scores_chart
from supine.outcomes.forms import DiaryForm
from supine.outcomes.models import PainMoment, QuestionnaireResponse
from supine.outcomes.questionnaire_services import (
    QuestionnaireIdTaken,
    as_number,
    due_questionnaires,
    questionnaire_history,
    record_questionnaire,
    score_summaries,
)
from supine.outcomes.questionnaires import (
    BOTHERSOME,
    PSFS_MAX_ACTIVITIES,
    PSFS_MIN_ACTIVITIES,
    InvalidAnswers,
    Questionnaire,
    offered,
)
from supine.outcomes.services import PainIdTaken, record_pain_once
from supine.programs.models import DoseChange

CHART_TITLES = ("Pain", "Sessions per week", "Dose")
DOSE_STEPS_SHOWN = 20
DIARY_SHOWN = 10


def _as_uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text or "")
    except ValueError:
        return None


def _progress_context(patient: Patient, form: DiaryForm) -> dict[str, object]:
    questionnaires = offered()
    summaries = [s for s in score_summaries(patient) if s.code in questionnaires]
    score_charts = []
    for summary in summaries:
        q = questionnaires[summary.code]
        history = questionnaire_history(patient, summary.code)
        if len(history) < 2:
            continue
        chart = scores_chart(
            title=q.title,
            points=[(timezone.localdate(r.completed_at), float(r.score)) for r in history],
            lowest=q.lowest,
            highest=q.highest,
            better=q.direction,
        )
        score_charts.append((q.title, as_image(chart), chart.summary))
    return {
        "patient": patient,
        "charts": [
            (title, as_image(chart), chart.summary)
            for title, chart in zip(CHART_TITLES, charts(patient), strict=True)
        ],
        "doses": DoseChange.objects.filter(item__prescription__patient=patient)
        .select_related("item__exercise")
        .order_by("-created_at", "-id")[:DOSE_STEPS_SHOWN],
        "summaries": [
            (s, questionnaires[s.code], questionnaires[s.code].direction) for s in summaries
        ],
        "score_charts": score_charts,
        "due": [(d, questionnaires[d.code]) for d in due_questionnaires(patient)],
        "questionnaires": list(questionnaires.values()),
        "diary": patient.pain_reports.filter(moment=PainMoment.DIARY).order_by("-recorded_at")[
            :DIARY_SHOWN
        ],
        "form": form,
        "entry_id": uuid.uuid4(),
    }


@require_http_methods(["GET", "HEAD"])
@patient_required
def progress(request: HttpRequest, patient: Patient) -> HttpResponse:
    return render(request, "outcomes/progress.html", _progress_context(patient, DiaryForm()))


@require_POST
@patient_required
def diary(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = DiaryForm(request.POST)
    if not form.is_valid():
        context = _progress_context(patient, form)
        return render(request, "outcomes/progress.html", context, status=422)
    try:
        record_pain_once(
            patient=patient,
            score=form.cleaned_data["score"],
            note=form.cleaned_data["note"].strip(),
            report_id=_as_uuid(request.POST.get("id")),
        )
    except PainIdTaken:
        # A made-up id: store the entry under a new one.
        record_pain_once(
            patient=patient, score=form.cleaned_data["score"], note=form.cleaned_data["note"]
        )
    messages.success(request, "Saved in your diary.")
    return redirect(reverse("progress") + "#diary")


def _answers_from(q: Questionnaire, post: QueryDict) -> tuple[object, dict[str, str]]:
    """The form's fields as the answers the scoring takes, and the problems the form
    itself can see (a PSFS row half filled in)."""
    if q.kind == "ticks":
        return {item.id: post.get(item.id) == "1" for item in q.items}, {}
    if q.kind == "activities":
        activities, problems = [], {}
        for n in range(1, PSFS_MAX_ACTIVITIES + 1):
            name = post.get(f"name_{n}", "").strip()
            raw = post.get(f"score_{n}", "").strip()
            if not name and not raw:
                continue
            if not name:
                problems[f"a{n}"] = "Name this activity, or clear its score."
            elif not raw.isdigit() or not 0 <= int(raw) <= 10:
                problems[f"a{n}"] = "Choose how well you can do it, from 0 to 10."
            else:
                activities.append({"name": name, "score": int(raw)})
        if not problems and len(activities) < PSFS_MIN_ACTIVITIES:
            problems["activities"] = (
                f"Name at least {PSFS_MIN_ACTIVITIES} activities, and score each one."
            )
        return activities, problems
    answers = {}
    for item in q.items:
        raw = post.get(item.id, "")
        if raw.isdigit():
            answers[item.id] = int(raw)
    return answers, {}


def _plain(problems: dict[str, str], q: Questionnaire) -> dict[str, str]:
    """The scoring's problems in the patient's words, by item."""
    words = {}
    for key, problem in problems.items():
        if problem == "missing":
            words[key] = "Please answer this one."
        else:
            words[key.split(".")[0]] = problem if problem[0].isupper() else problem.capitalize()
    return words


def _last_activities(patient: Patient) -> dict[str, str]:
    """The activities named last time, to be rated again (the PSFS follows the same ones)."""
    last = (
        QuestionnaireResponse.objects.filter(patient=patient, code="psfs")
        .order_by("-completed_at")
        .values_list("answers", flat=True)
        .first()
    )
    activities = (last or {}).get("activities", [])[:PSFS_MAX_ACTIVITIES]
    return {f"name_{n}": a.get("name", "") for n, a in enumerate(activities, start=1)}


@require_http_methods(["GET", "HEAD", "POST"])
@patient_required
def questionnaire(request: HttpRequest, patient: Patient, code: str) -> HttpResponse:
    q = offered().get(code)
    if q is None:
        raise Http404("No such questionnaire.")
    values: Mapping[str, object] = {}
    problems: dict[str, str] = {}
    response_id = uuid.uuid4()
    if request.method == "POST":
        response_id = _as_uuid(request.POST.get("id")) or uuid.uuid4()
        answers, problems = _answers_from(q, request.POST)
        if not problems:
            try:
                response, _ = record_questionnaire(patient, code, answers, response_id)
            except InvalidAnswers as refused:
                problems = _plain(refused.problems, q)
            except QuestionnaireIdTaken:
                response, _ = record_questionnaire(patient, code, answers)
            if not problems:
                shown = as_number(response.score)
                messages.success(request, f"Thank you. Your {q.title} score: {shown}.")
                return redirect(reverse("progress") + "#scores")
        values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    elif q.kind == "activities":
        values = _last_activities(patient)
    rows = range(1, PSFS_MAX_ACTIVITIES + 1)
    context = {
        "q": q,
        "problems": problems,
        "values": values,
        "response_id": response_id,
        "psfs_rows": [
            (n, values.get(f"name_{n}", ""), values.get(f"score_{n}", ""), problems.get(f"a{n}"))
            for n in rows
        ],
        "items": [(item, values.get(item.id, ""), problems.get(item.id)) for item in q.items],
        "scale": range(11),
        "agree": (("1", "Agree"), ("0", "Disagree")),
        "bothersome": [(str(n), label) for n, label in enumerate(BOTHERSOME)],
        "psfs_min": PSFS_MIN_ACTIVITIES,
    }
    return render(request, "outcomes/questionnaire.html", context, status=422 if problems else 200)
