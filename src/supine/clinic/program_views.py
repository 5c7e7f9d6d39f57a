"""The program builder page: a clinician sets, changes, pauses, resumes and ends a
patient's program. Each save is a new version (supine.programs.versions)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from supine.clinic.access import clinician_required, patient_for
from supine.clinic.forms import ProgramForm, ProgramStatusForm
from supine.clinic.models import Clinician, Patient
from supine.clinic.services import audit
from supine.form_errors import field_error, form_errors
from supine.library.models import Exercise
from supine.programs.builder import (
    POSITIONS,
    Conflict,
    ExerciseChoice,
    Filter,
    LibraryExercise,
    Problem,
    ProgramChoice,
    Range,
    matches,
    position_of,
    precaution_conflicts,
)
from supine.programs.standard_programs import (
    TEMPLATES,
    ProgramTemplate,
    template_choice,
    template_named,
)
from supine.programs.versions import (
    ProgramRefused,
    VersionConflict,
    choice_of,
    current_program,
    library_entry,
    patient_conditions,
    program_history,
    save_program,
)


@dataclass
class Row:
    """One library exercise on the builder, with what the clinician set for it."""

    exercise: Exercise
    entry: LibraryExercise
    position: str
    chosen: ExerciseChoice | None
    order: int
    shown: bool = True
    warnings: list[Conflict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    paused: bool = False

    @property
    def values(self) -> ExerciseChoice:
        entry = self.entry
        return self.chosen or ExerciseChoice(
            slug=entry.slug, reps=entry.reps, hold_seconds=entry.hold_seconds, sets=entry.sets
        )


def _choice_from_form(form: ProgramForm, exercises: list[Exercise]) -> ProgramChoice:
    """The program as the form gives it; a value missing or refused counts as 0."""

    def number(name: str) -> int:
        return form.value(name) or 0

    picked = []
    for index, exercise in enumerate(exercises):
        slug = exercise.slug
        if not form.value(f"include-{slug}"):
            continue
        hold = None
        if exercise.hold_seconds_min is not None:
            hold = Range(number(f"hold_min-{slug}"), number(f"hold_max-{slug}"))
        order = number(f"order-{slug}") or 100 + index
        choice = ExerciseChoice(
            slug=slug,
            reps=Range(number(f"reps_min-{slug}"), number(f"reps_max-{slug}")),
            hold_seconds=hold,
            sets=Range(number(f"sets_min-{slug}"), number(f"sets_max-{slug}")),
            note=(form.value(f"note-{slug}") or "").strip(),
            assessment_done=bool(form.value(f"assessed-{slug}")),
        )
        picked.append((order, index, choice))
    return ProgramChoice(
        exercises=tuple(choice for _, _, choice in sorted(picked, key=lambda p: p[:2])),
        sessions_per_day=number("sessions_per_day"),
        days_per_week=number("days_per_week"),
        starts_on=form.value("starts_on"),
        status=form.value("status") or "active",
        note=(form.value("note") or "").strip()[:2000],
    )


def _rows(
    exercises: list[Exercise],
    choice: ProgramChoice,
    conditions: frozenset[str],
    wanted: Filter,
    problems: Sequence[Problem] = (),
    paused: frozenset[str] = frozenset(),
) -> list[Row]:
    chosen = {e.slug: (n, e) for n, e in enumerate(choice.exercises, start=1)}
    rows = []
    for index, exercise in enumerate(exercises):
        entry = library_entry(exercise)
        order, picked = chosen.get(exercise.slug, (0, None))
        position = position_of(exercise.starting_position)
        row = Row(
            exercise=exercise,
            entry=entry,
            position=position,
            chosen=picked,
            order=order or len(chosen) + 1 + index,
            warnings=precaution_conflicts([entry], conditions),
            paused=exercise.slug in paused,
        )
        # What is in the program always shows; the filter narrows the rest.
        row.shown = picked is not None or matches(
            wanted,
            name=exercise.name,
            purpose=exercise.purpose,
            position=position,
            regions=exercise.body_regions,
            equipment=exercise.equipment,
        )
        rows.append(row)
    by_index = {i: e.slug for i, e in enumerate(choice.exercises)}
    by_slug = {row.exercise.slug: row for row in rows}
    for problem in problems:
        parts = problem.field.split(".")
        if parts[0] == "exercises" and len(parts) > 1 and parts[1].isdigit():
            wrong = by_slug.get(by_index.get(int(parts[1]), ""))
            if wrong is not None:
                wrong.errors.append(problem.message)
    return sorted(rows, key=lambda row: (row.chosen is None, row.order))


def _render(
    request: HttpRequest,
    patient: Patient,
    choice: ProgramChoice,
    *,
    version: int,
    problems: Sequence[Problem] = (),
    conflicts: Sequence[Conflict] = (),
    status: int = 200,
    applied: ProgramTemplate | None = None,
) -> HttpResponse:
    exercises = list(Exercise.objects.active())
    current = current_program(patient)
    paused = frozenset(
        item.exercise.slug for item in (current.items.all() if current else []) if item.paused_at
    )
    wanted = Filter(
        position=request.GET.get("position", ""),
        region=request.GET.get("region", ""),
        equipment=request.GET.get("equipment", ""),
        search=request.GET.get("q", "")[:100],
    )
    conditions = patient_conditions(patient)
    regions = sorted({region for e in exercises for region in e.body_regions})
    equipment = sorted({item for e in exercises for item in e.equipment})
    context = {
        "patient": patient,
        "current": current,
        "choice": choice,
        "version": version,
        "rows": _rows(exercises, choice, conditions, wanted, list(problems), paused),
        "general_problems": [p for p in problems if not p.field.startswith("exercises.")],
        "conflicts": conflicts,
        "conditions": sorted(conditions),
        "templates": TEMPLATES,
        "applied": applied,
        "history": program_history(patient),
        "wanted": wanted,
        "positions": POSITIONS,
        "regions": regions,
        "equipment": equipment,
        "per_day": range(1, 4),
        "per_week": range(1, 8),
    }
    return render(request, "clinic/program.html", context, status=status)


@require_http_methods(["GET", "POST"])
@clinician_required
def program(request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    if request.method == "POST":
        return _save(request, clinician, patient)
    audit(actor=request.user, patient=patient, action="program.view")
    current = current_program(patient)
    choice = choice_of(current) if current else ProgramChoice(exercises=())
    template = template_named(request.GET.get("template", ""))
    if template is not None:
        library = {e.slug: library_entry(e) for e in Exercise.objects.active()}
        applied = template_choice(template, library)
        # A template replaces the exercises and the frequency; the rest stays as it was.
        choice = ProgramChoice(
            exercises=applied.exercises,
            sessions_per_day=applied.sessions_per_day,
            days_per_week=applied.days_per_week,
            starts_on=choice.starts_on,
            status="active",
            note=choice.note,
        )
    return _render(
        request, patient, choice, version=current.version if current else 0, applied=template
    )


def _save(request: HttpRequest, clinician: Clinician, patient: Patient) -> HttpResponse:
    exercises = list(Exercise.objects.active())
    form = ProgramForm(request.POST, exercises=exercises)
    valid = form.is_valid()
    choice = _choice_from_form(form, exercises)
    version = form.value("version") or 0
    if not valid:
        refused = [Problem(field=name, message=field_error(form, name)) for name in form.errors]
        return _render(request, patient, choice, version=version, problems=refused, status=422)
    entries = [library_entry(e) for e in exercises if e.slug in {c.slug for c in choice.exercises}]
    conflicts = precaution_conflicts(entries, patient_conditions(patient))
    if conflicts and not form.value("precautions_seen"):
        # Shown before saving: the clinician reads them and ticks that they have.
        return _render(request, patient, choice, version=version, conflicts=conflicts, status=422)
    try:
        saved = save_program(
            patient=patient, clinician=clinician, choice=choice, expected_version=version
        )
    except ProgramRefused as refused:
        return _render(
            request, patient, choice, version=version, problems=refused.problems, status=422
        )
    except VersionConflict as conflict:
        messages.error(
            request,
            f"{conflict} Your changes are below; saving them now replaces version "
            f"{conflict.latest}.",
        )
        return _render(request, patient, choice, version=conflict.latest, status=409)
    if saved.changed:
        messages.success(request, f"Saved as version {saved.prescription.version}.")
    else:
        messages.info(request, f"Nothing changed: version {saved.prescription.version} stands.")
    return redirect("clinic-program", patient_id=patient.id)


STATUS_ACTIONS = {"pause": "paused", "resume": "active", "end": "ended"}


@require_POST
@clinician_required
def program_status(
    request: HttpRequest, clinician: Clinician, patient_id: uuid.UUID
) -> HttpResponse:
    """Pause, resume or end: the current version again, with the new status."""
    patient = patient_for(request.user, patient_id)
    current = current_program(patient)
    form = ProgramStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not changed — {form_errors(form)}")
        return redirect("clinic-program", patient_id=patient.id)
    if current is None:
        messages.error(request, "There is no program to change yet.")
        return redirect("clinic-program", patient_id=patient.id)
    choice = replace(choice_of(current), status=STATUS_ACTIONS[form.cleaned_data["action"]])
    try:
        saved = save_program(
            patient=patient,
            clinician=clinician,
            choice=choice,
            expected_version=form.cleaned_data["version"] or 0,
        )
    except (VersionConflict, ProgramRefused) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Program {saved.prescription.get_status_display().lower()} "
            f"(version {saved.prescription.version}).",
        )
    return redirect("clinic-program", patient_id=patient.id)
