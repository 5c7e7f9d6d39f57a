"""A patient's conditions, in the precaution vocabulary of the exercise library.

Today the only record of them is the safety screen's health history (clinical-rules.md §1,
Part A). Conditions asked at enrolment can join here later: every caller goes through
`patient_conditions`.
"""

from __future__ import annotations

from collections.abc import Mapping

from supine.clinic.models import Patient
from supine.library.precautions import Condition
from supine.safety.services import last_history_answers

# Part A history question → the library's condition.
HISTORY_CONDITIONS: dict[str, Condition] = {
    "weak_bones": Condition.OSTEOPOROSIS,
    "hip_replacement": Condition.HIP_REPLACEMENT,
    "pregnancy": Condition.PREGNANCY,
}


def conditions_from_history(answers: Mapping[str, bool]) -> frozenset[Condition]:
    return frozenset(
        condition for qid, condition in HISTORY_CONDITIONS.items() if answers.get(qid) is True
    )


def patient_conditions(patient: Patient) -> frozenset[str]:
    """The conditions Supine knows a patient has: those recorded at enrolment (when the
    patient has them) and those their latest full screen names."""
    recorded = frozenset(getattr(patient, "conditions", None) or [])
    return recorded | conditions_from_history(last_history_answers(patient))
