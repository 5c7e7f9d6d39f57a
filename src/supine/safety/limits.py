"""Usual pain and the pain ceiling (clinical-rules.md §2), as plain functions.

Usual pain is the median of the last 7 morning check-ins once there are at least 3,
otherwise the usual pain recorded at sign-up. The ceiling — the most pain that is
acceptable during exercise — is min(7, max(5, usual + 2)): up to 5 (the pain-monitoring
model, Silbernagel et al. 2007, tested in Achilles tendinopathy, not back pain), and for
someone whose usual pain is above 3, up to usual + 2 but never above 7 (Supine default).
It falls on its own when usual pain falls, never rises above what a clinician last
confirmed, and a clinician may set it lower per patient.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from supine.safety.thresholds import DEFAULT_THRESHOLDS, Thresholds, check_pain

USUAL_PAIN_WINDOW = 7
USUAL_PAIN_MIN_CHECKINS = 3
# Fallback when neither check-ins nor a recorded usual pain exist: the ceiling is then
# the base ceiling, the strictest.
DEFAULT_USUAL_PAIN = 0


def usual_pain(mornings: Sequence[int], recorded: int | None) -> int | None:
    """The median of the last 7 morning ratings (oldest first), from 3 of them.

    A half-point median is rounded down: a lower usual pain gives the stricter ceiling.
    """
    for score in mornings:
        check_pain("mornings", score)
    check_pain("recorded", recorded)
    recent = list(mornings)[-USUAL_PAIN_WINDOW:]
    if len(recent) >= USUAL_PAIN_MIN_CHECKINS:
        return math.floor(statistics.median(recent))
    return recorded


def pain_ceiling(
    usual: int | None,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    confirmed: int | None = None,
    cap: int | None = None,
) -> int:
    """min(top, max(base, usual + 2)), never above what a clinician confirmed or capped."""
    check_pain("usual", usual)
    usual = DEFAULT_USUAL_PAIN if usual is None else usual
    ceiling = min(thresholds.ceiling_top, max(thresholds.ceiling_base, usual + 2))
    for limit in (confirmed, cap):
        if limit is not None:
            ceiling = min(ceiling, limit)
    return ceiling


@dataclass(frozen=True)
class SessionLimits:
    """What the device needs to apply the stop rules at once, offline too."""

    ceiling: int
    rise: int
    flare_at: int
    usual: int | None

    def as_dict(self) -> dict[str, int | None]:
        return {
            "ceiling": self.ceiling,
            "rise": self.rise,
            "flare_at": self.flare_at,
            "usual": self.usual,
        }


def session_limits(
    usual: int | None,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    confirmed: int | None = None,
    cap: int | None = None,
) -> SessionLimits:
    return SessionLimits(
        ceiling=pain_ceiling(usual, thresholds=thresholds, confirmed=confirmed, cap=cap),
        rise=thresholds.pain_rise,
        flare_at=thresholds.flare_pain,
        usual=usual,
    )
