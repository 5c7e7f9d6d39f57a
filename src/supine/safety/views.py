from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from supine.clinic.access import patient_required
from supine.safety.screening import QUESTIONS
from supine.safety.services import submit_screening

_GROUP_TITLES = {
    "cauda_equina": "Bladder, bowel and numbness",
    "neurological": "Your legs",
    "fracture": "Falls and bones",
    "infection": "Infection and feeling unwell",
    "cancer": "Other health history",
}


@require_http_methods(["GET", "POST"])
@patient_required
def screening(request: HttpRequest, patient) -> HttpResponse:
    answers: dict[str, bool] = {}
    missing: list[str] = []
    advised = False
    if request.method == "POST":
        advised = request.POST.get("clinician_advised") == "yes"
        for question in QUESTIONS:
            value = request.POST.get(question.id)
            if value in ("yes", "no"):
                answers[question.id] = value == "yes"
            else:
                missing.append(question.id)
        if not missing:
            submit_screening(patient=patient, clinician_advised=advised, answers=answers)
            return redirect("today")
    groups: dict[str, list] = {}
    for question in QUESTIONS:
        groups.setdefault(question.group, []).append(
            (question, answers.get(question.id), question.id in missing)
        )
    return render(
        request,
        "safety/screening.html",
        {
            "groups": [(_GROUP_TITLES.get(g, g), qs) for g, qs in groups.items()],
            "missing": missing,
            "advised": advised,
        },
        status=422 if missing else 200,
    )
