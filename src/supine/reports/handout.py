"""The printed handout: the patient's program as the clinic hands it over.

Each exercise with its start and end pictures (the motion arrow drawn on both), the
steps, today's dose and the precautions; then the safety advice and "when to get help"
in the words and numbers of the clinic's region (supine.safety.guidance), and the
clinic's contact. The same gathering serves the clinician's link, the patient's link and
`supine handout`.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from supine.appointments.services import clinic_zone
from supine.clinic.models import Condition, Patient
from supine.library.pictures import exercise_start_end
from supine.library.precautions import (
    ASSESSMENT_ONLY_WORDS,
    personal_precautions,
    stored_precautions,
)
from supine.programs.dosing import active_items, current_dose
from supine.programs.plan import Dose, dose_summary
from supine.reports.pdf import paper_for, render_pdf
from supine.safety.guidance import HelpGuidance, help_guidance
from supine.safety.regions import words_for
from supine.safety.services import safety_status

# The seed's own warnings, kept with every printed program.
SAFETY_ADVICE = (
    "Check with your doctor before you start a new exercise program.",
    "Mild discomfort while you exercise is normal. Stop at once if the pain is unusual, "
    "sharp, or spreads down a leg.",
    "Don't push too hard: move slowly, within what is comfortable, and breathe.",
)


@dataclass(frozen=True)
class HandoutExercise:
    name: str
    purpose: str
    starting_position: str
    steps: list[str]
    breathing: str
    dose: str
    paused: bool
    cautions: list[str]
    precautions: list[str]
    assessment_only: bool
    start_picture: str  # data: URL of an SVG
    end_picture: str


@dataclass(frozen=True)
class Handout:
    patient_name: str
    clinic_name: str
    clinic_phone: str
    emergency_number: str
    made_on: date
    frequency: str
    note: str
    exercises: list[HandoutExercise]
    safety_advice: tuple[str, ...]
    help: HelpGuidance
    # Why the patient may not start yet (a safety hold, the screen not answered), or "".
    hold: str = ""
    assessment_only_words: str = ASSESSMENT_ONLY_WORDS


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _frequency(sessions_per_day: int, days_per_week: int) -> str:
    times = "once a day" if sessions_per_day == 1 else f"{sessions_per_day} times a day"
    days = "every day" if days_per_week == 7 else f"on {days_per_week} days a week"
    return f"Do your exercises {times}, {days}."


def handout_for(patient: Patient, *, today: date | None = None) -> Handout:
    clinic = patient.clinic
    today = today or timezone.localtime(timezone.now(), clinic_zone(clinic)).date()
    conditions = {Condition(c) for c in patient.conditions if c in Condition.values}
    items = active_items(patient)
    exercises = []
    for item in items:
        exercise = item.exercise
        level = current_dose(item)
        dose = Dose(
            reps=level.reps,
            hold_seconds=level.hold_seconds,
            sets=level.sets,
            per_side=exercise.per_side,
            alternate_sides=exercise.alternate_sides,
        )
        personal = personal_precautions(stored_precautions(exercise.precautions), conditions)
        precautions = [
            *(f"Because you told us about {p.words}: {p.advice}" for p in personal.yours),
            *personal.always,
            *(f"If you have {p.words}: {p.advice}" for p in personal.others),
        ]
        start, end = exercise_start_end(exercise)
        exercises.append(
            HandoutExercise(
                name=exercise.name,
                purpose=exercise.purpose,
                starting_position=exercise.starting_position,
                steps=list(exercise.steps),
                breathing=exercise.breathing,
                dose=dose_summary(dose),
                paused=item.paused_at is not None,
                cautions=list(exercise.cautions),
                precautions=precautions,
                assessment_only=exercise.assessment_only,
                start_picture=_data_url(start),
                end_picture=_data_url(end),
            )
        )
    prescription = items[0].prescription if items else None
    status = safety_status(patient)
    # A flare is today's; a handout is for the days after it too.
    hold = status.advice if status.blocked and not status.flare else ""
    return Handout(
        patient_name=patient.display_name,
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        emergency_number=words_for(clinic.region).emergency_number,
        made_on=today,
        frequency=(
            _frequency(prescription.sessions_per_day, prescription.days_per_week)
            if prescription
            else ""
        ),
        note=prescription.note if prescription else "",
        exercises=exercises,
        safety_advice=SAFETY_ADVICE,
        help=help_guidance(clinic.region),
        hold=hold,
    )


def handout_pdf(patient: Patient, *, paper: str | None = None) -> bytes:
    handout = handout_for(patient)
    return render_pdf(
        "reports/handout.html",
        {"handout": handout},
        paper=paper_for(patient.clinic.region, paper),
    )
