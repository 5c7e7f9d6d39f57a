from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from supine.library.models import Exercise
from supine.programs.models import PrescribedExercise


@pytest.mark.parametrize(
    "change",
    [
        {"reps_min": 9, "reps_max": 5},
        {"reps_min": 0},
        {"sets_min": 2, "sets_max": 1},
        {"hold_seconds_min": 8, "hold_seconds_max": 5},
        {"hold_seconds_min": None},
        {"per_side": True, "alternate_sides": True},
    ],
)
@pytest.mark.django_db
def test_the_database_refuses_an_impossible_exercise_dose(change):
    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.objects.filter(slug="bridge").update(**change)


@pytest.mark.parametrize("change", [{"reps_min": 9, "reps_max": 5}, {"hold_seconds_max": None}])
def test_the_database_refuses_an_impossible_prescribed_dose(patient, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescribedExercise.objects.filter(prescription__patient=patient).update(**change)
