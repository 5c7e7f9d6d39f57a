"""Stop rules during a session (CLINICAL.md §2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from supine.safety.screening import AlertSeverity
from supine.safety.thresholds import DEFAULT_THRESHOLDS, EMERGENCY_CARE, Thresholds, check_pain

# ---------------------------------------------------------------------------------------
# Stop rules during a session (CLINICAL.md §2)
# ---------------------------------------------------------------------------------------


class StopReason(StrEnum):
    PAIN = "pain"
    DIZZINESS = "dizziness"
    NUMBNESS = "numbness"  # numbness or tingling
    TIRED = "tired"
    INTERRUPTED = "interrupted"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _STOP_REASON_LABELS[self]


_STOP_REASON_LABELS = {
    StopReason.PAIN: "Pain",
    StopReason.DIZZINESS: "Dizziness",
    StopReason.NUMBNESS: "Numbness or tingling",
    StopReason.TIRED: "Tired",
    StopReason.INTERRUPTED: "Interrupted",
    StopReason.OTHER: "Something else",
}


@dataclass(frozen=True)
class SessionVerdict:
    end_session: bool  # the session is over for today: no resuming
    red_flag: bool
    alert_severity: str | None  # "urgent" | "attention" | None
    reasons: tuple[str, ...]  # for the clinician, one sentence each
    advice: str  # for the patient


_WATCH_FOR = (
    "If you notice numbness around your back passage or genitals, or changes to your "
    f"bladder or bowels, {EMERGENCY_CARE}."
)
ADVICE_RED_FLAG_PAIN = (
    "Let's stop here for today. Rest in a position that feels comfortable, and please "
    "contact your clinic today. "
    "If you notice new numbness around your back passage or genitals, or changes to your "
    f"bladder or bowels, get urgent help: {EMERGENCY_CARE}."
)
ADVICE_TOO_PAINFUL = (
    "Let's stop here for today. Rest in a position that feels comfortable and let the pain "
    "settle. Contact your clinic if it hasn't eased by tomorrow, or if it gets worse. " + _WATCH_FOR
)
ADVICE_NUMBNESS = (
    "Let's stop here for today. Rest in a position that feels comfortable and let the "
    "numbness or tingling settle. Contact your clinic if it doesn't go away, or comes back "
    "next time. " + _WATCH_FOR
)
ADVICE_DIZZINESS = (
    "Let's stop here for today. Stay lying or sitting until the dizziness passes, then get "
    "up slowly. Contact your clinic if it keeps happening."
)
_ADVICE_AFTER_STOP = {
    StopReason.PAIN: "Stopping was the right thing to do. Rest, and take it gently next time.",
    StopReason.TIRED: "Good work today. Rest, and carry on next time.",
    StopReason.INTERRUPTED: "No problem. Carry on when you're ready.",
    StopReason.OTHER: "No problem. Rest, and carry on when you're ready.",
}
ADVICE_CARRY_ON = "Carry on gently. Stop whenever you need to."


def evaluate_session(
    *,
    pain_before: int | None,
    pains_during: Sequence[int],
    stop_reason: StopReason | None,
    stop_pain: int | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> SessionVerdict:
    """Apply CLINICAL.md §2's stop rules to the pain reported so far in a session.

    ``stop_pain`` is the rating given on STOP and counts as pain during the session.
    Without a pre-session rating the rise rule cannot apply; the absolute rules still do.
    """
    check_pain("pain_before", pain_before)
    for pain in pains_during:
        check_pain("pains_during", pain)
    check_pain("stop_pain", stop_pain)
    if stop_reason is not None:
        stop_reason = StopReason(stop_reason)

    pains = [*pains_during, *([] if stop_pain is None else [stop_pain])]
    worst = max(pains, default=None)
    reasons: list[str] = []

    # Pain ≥ 8 is handled as a red flag (CLINICAL.md §2 → §1; NICE NG59).
    red_flag = worst is not None and worst >= thresholds.red_flag_pain
    if red_flag:
        reasons.append(
            f"Pain reached {worst}/10 during the session, at or above the red-flag level of "
            f"{thresholds.red_flag_pain}."
        )
    # Pain ≥ 6: "above 5 is too much" (Thomeé 1997; Silbernagel et al. 2007).
    too_painful = worst is not None and worst >= thresholds.stop_pain
    if too_painful and not red_flag:
        reasons.append(
            f"Pain reached {worst}/10 during the session, at or above the stop level of "
            f"{thresholds.stop_pain}."
        )
    # A rise of ≥ 3 over the pre-session rating (same sources), even when still below 6.
    rise = None if pain_before is None or worst is None else worst - pain_before
    rose = rise is not None and rise >= thresholds.pain_rise
    if rose:
        reasons.append(
            f"Pain rose by {rise} points during the session, from {pain_before} to {worst} "
            f"(stops at a rise of {thresholds.pain_rise})."
        )
    # Numbness or tingling as the reason to stop (CLINICAL.md §2).
    numb = stop_reason is StopReason.NUMBNESS
    if numb:
        reasons.append("The patient stopped because of numbness or tingling.")
    # Dizziness is not among CLINICAL.md §2's alert triggers, so it raises no alert; the
    # session still ends for the day, because carrying on dizzy on the floor risks a fall.
    dizzy = stop_reason is StopReason.DIZZINESS
    if dizzy:
        reasons.append("The patient stopped because of dizziness.")

    if red_flag:
        return SessionVerdict(
            end_session=True,
            red_flag=True,
            alert_severity=str(AlertSeverity.URGENT),
            reasons=tuple(reasons),
            advice=ADVICE_RED_FLAG_PAIN,
        )
    if too_painful or rose or numb:
        return SessionVerdict(
            end_session=True,
            red_flag=False,
            alert_severity=str(AlertSeverity.ATTENTION),
            reasons=tuple(reasons),
            advice=ADVICE_NUMBNESS if numb and not (too_painful or rose) else ADVICE_TOO_PAINFUL,
        )
    if dizzy:
        return SessionVerdict(
            end_session=True,
            red_flag=False,
            alert_severity=None,
            reasons=tuple(reasons),
            advice=ADVICE_DIZZINESS,
        )
    return SessionVerdict(
        end_session=False,
        red_flag=False,
        alert_severity=None,
        reasons=(),
        advice=ADVICE_CARRY_ON if stop_reason is None else _ADVICE_AFTER_STOP[stop_reason],
    )
