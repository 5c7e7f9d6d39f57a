from __future__ import annotations

from supine.clinic.models import Patient
from supine.outcomes.models import PainMoment, PainReport


def record_pain(
    *, patient: Patient, score: int, note: str = "", moment: str = PainMoment.DIARY
) -> PainReport:
    if not 0 <= score <= 10:
        raise ValueError(f"Pain is rated 0 to 10; got {score}.")
    return PainReport.objects.create(patient=patient, score=score, note=note, moment=moment)
