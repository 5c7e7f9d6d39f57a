"""Saving a program as versions: the ladder carries over, the ceiling is confirmed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from supine.library.models import Exercise
from supine.programs.builder import Range
from supine.programs.dosing import current_dose
from supine.programs.models import PrescribedExercise, Prescription
from supine.programs.standard_programs import CLINIC_HANDOUT, template_choice
from supine.programs.versions import (
    VersionConflict,
    choice_of,
    current_program,
    library_entries,
    save_program,
)
from supine.safety.services import ceiling_to_confirm


def handout():
    return template_choice(CLINIC_HANDOUT, library_entries())


def test_the_shipped_library_takes_the_clinic_handout_as_it_is(db):
    assert [e.slug for e in handout().exercises] == [
        "deep-abdominal-strengthening",
        "knee-rolls",
        "bridge",
    ]


def test_the_ladder_carries_over_and_is_clamped_to_new_ranges(patient, clinician):
    reached = timezone.now() - timedelta(days=3)
    PrescribedExercise.objects.filter(
        prescription__patient=patient, exercise__slug="bridge"
    ).update(
        dose_reps=9,
        dose_hold_seconds=8,
        dose_sets=1,
        dose_change="progress",
        dose_reason="Up to 9 reps.",
        last_progress_at=reached,
    )
    program = handout()
    narrowed = tuple(
        replace(e, reps=Range(5, 7)) if e.slug == "bridge" else e for e in program.exercises
    )
    saved = save_program(
        patient=patient, clinician=clinician, choice=replace(program, exercises=narrowed)
    )
    assert saved.prescription.version == 2
    item = saved.prescription.items.get(exercise__slug="bridge")
    assert (item.dose_reps, item.dose_hold_seconds, item.dose_reason) == (9, 8, "Up to 9 reps.")
    assert item.last_progress_at == reached
    # Read inside the new, narrower range.
    assert current_dose(item).reps == 7
    # An exercise that stays untouched keeps no ladder it never had.
    assert saved.prescription.items.get(exercise__slug="knee-rolls").dose_reps is None


def test_a_new_version_confirms_the_pain_ceiling(patient, clinician):
    Prescription.objects.filter(patient=patient).update(pain_ceiling=None)
    saved = save_program(patient=patient, clinician=clinician, choice=handout())
    assert saved.changed
    assert saved.prescription.pain_ceiling == ceiling_to_confirm(patient)
    assert "Pain ceiling confirmed" in saved.prescription.change_summary


def test_one_current_version_and_the_old_ones_kept(patient, clinician):
    save_program(patient=patient, clinician=clinician, choice=replace(handout(), days_per_week=5))
    save_program(patient=patient, clinician=clinician, choice=replace(handout(), days_per_week=4))
    versions = list(Prescription.objects.filter(patient=patient).order_by("version"))
    assert [(v.version, v.active) for v in versions] == [(1, False), (2, False), (3, True)]
    assert versions[2].prescribed_by == clinician
    assert choice_of(current_program(patient)).days_per_week == 4
    assert versions[2].sessions_per_week == 4


def test_a_stale_version_is_refused(patient, clinician):
    save_program(
        patient=patient,
        clinician=clinician,
        choice=replace(handout(), days_per_week=5),
        expected_version=1,
    )
    with pytest.raises(VersionConflict) as conflict:
        save_program(
            patient=patient,
            clinician=clinician,
            choice=replace(handout(), days_per_week=3),
            expected_version=1,
        )
    assert conflict.value.latest == 2


def test_the_patients_today_follows_the_new_ranges(patient, clinician):
    from supine.programs.services import todays_items

    program = handout()
    moved = tuple(
        replace(e, reps=Range(12, 15)) if e.slug == "knee-rolls" else e for e in program.exercises
    )
    save_program(patient=patient, clinician=clinician, choice=replace(program, exercises=moved))
    doses = {item.exercise.slug: item.dose.reps for item in todays_items(patient)}
    assert doses["knee-rolls"] == 12
    assert Exercise.objects.get(slug="knee-rolls").reps_min == 10


def test_a_paused_program_offers_no_session_to_start_or_play(client, patient, clinician):
    from supine.programs.models import Prescription
    from tests.api.helpers import bearer_client, post_json

    Prescription.objects.filter(patient=patient, active=True).update(status="paused")
    refused = post_json(bearer_client(patient.user), "/api/v1/me/sessions", {})
    assert refused.status_code == 403
    assert "paused your program" in refused.json()["advice"]
    client.force_login(patient.user)
    assert client.get("/session/").url == "/today/"
