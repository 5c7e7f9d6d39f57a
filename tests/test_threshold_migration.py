"""A clinic's stricter thresholds of rulebook 1 keep their meaning under rulebook 2.1."""

from __future__ import annotations

import importlib

from django.apps import apps

from supine.clinic.models import Clinic
from supine.safety.thresholds import clinic_thresholds

migration = importlib.import_module(
    "supine.clinic.migrations.0011_thresholds_renamed_for_rulebook_2_1"
)


def test_old_names_are_carried_over_and_stay_as_strict(db):
    clinic = Clinic.objects.create(
        name="Old Rules Clinic", safety_thresholds={"stop_pain": 5, "red_flag_pain": 7}
    )
    kept = Clinic.objects.create(name="Untouched Clinic", safety_thresholds={"pain_rise": 2})
    migration.carry_over(apps, None)
    clinic.refresh_from_db()
    kept.refresh_from_db()
    # Pain of 5 ended a session: now 4 is the most allowed, for everyone; 7 is a flare.
    assert clinic.safety_thresholds == {"ceiling_base": 4, "ceiling_top": 4, "flare_pain": 7}
    thresholds = clinic_thresholds(clinic)
    assert (thresholds.ceiling_base, thresholds.ceiling_top, thresholds.flare_pain) == (4, 4, 7)
    assert kept.safety_thresholds == {"pain_rise": 2}
