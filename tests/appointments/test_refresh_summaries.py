from __future__ import annotations

from django.core.management import call_command

from supine.appointments.models import PatientSummary
from supine.outcomes.models import PainMoment, PainReport


def test_the_command_writes_a_summary_for_patients_who_have_none(patient):
    PainReport.objects.create(patient=patient, score=4, moment=PainMoment.MORNING)
    PatientSummary.objects.all().delete()
    call_command("refresh_summaries", verbosity=0)
    assert PatientSummary.objects.get(patient=patient).last_morning_pain == 4
