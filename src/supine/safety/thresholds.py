"""Safety thresholds: the numbers behind the stop and progression rules, with sources.

A clinic may make them stricter; a looser value needs an explicit, recorded override.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

PAIN_MIN = 0
PAIN_MAX = 10  # NPRS, the 0–10 numeric rating scale (clinical-rules.md §2)

SOURCE_PAIN_MODEL = (
    "Pain-monitoring model: Silbernagel et al., Am J Sports Med 2007 (tested in Achilles "
    "tendinopathy, not back pain)"
)
SOURCE_NPRS_ERROR = (
    "Supine default: beyond the NPRS measurement error of about 2 points "
    "(Childs et al., Spine 2005)"
)
SOURCE_CAUDA_EQUINA = (
    "Cauda equina warning card (Greenhalgh, Finucane, Mercer & Selfe), used in the GIRFT 2023 "
    "pathway; NHS 'Back pain'"
)
SOURCE_RED_FLAGS = (
    "NHS 'Back pain'; GIRFT 2023; NICE NG234 (spinal metastases); Finucane et al. 2020"
)
SOURCE_CONSULT = "The clinic's article: consult your doctor first (clinical-rules.md §1)"


# ---------------------------------------------------------------------------------------
# Thresholds
# ---------------------------------------------------------------------------------------


# Sane bounds for each setting, whatever a clinic asks for. A rise of 0 or a stop at pain
# 0 would end every session; a trend rise of 0 would alert on steady pain.
_RANGES: dict[str, tuple[int, int]] = {
    "ceiling_base": (1, PAIN_MAX),
    "ceiling_top": (1, PAIN_MAX),
    "pain_rise": (1, PAIN_MAX),
    "flare_pain": (1, PAIN_MAX),
    "progress_max_pain": (PAIN_MIN, PAIN_MAX),
    "hold_max_pain": (PAIN_MIN, PAIN_MAX),
    "min_days_between_progressions": (1, 28),
    "morning_trend_rise": (1, PAIN_MAX),
    "no_improvement_days": (7, 90),
}

# Which way is looser. Every setting but one is looser when higher: a higher ceiling or
# flare level, a bigger allowed rise, more pain allowed while progressing or holding,
# a bigger trend before alerting, a longer wait before "no improvement". Fewer days
# between progressions is looser too: the dose builds up faster.
_LOOSER_WHEN_LOWER = frozenset({"min_days_between_progressions"})


def _check_in_range(name: str, value: object) -> None:
    low, high = _RANGES[name]
    # bool is an int in Python; "True" as a pain threshold is a bug, not a 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {value}.")


def check_pain(name: str, value: int | None) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= PAIN_MAX:
        raise ValueError(f"{name} must be a pain rating from 0 to 10, got {value!r}.")


@dataclass(frozen=True)
class Thresholds:
    # The ceiling (acceptable pain during exercise) is min(ceiling_top, max(ceiling_base,
    # usual + 2)): see supine.safety.limits.pain_ceiling.
    ceiling_base: int = 5
    ceiling_top: int = 7
    pain_rise: int = 3  # a rise ≥ this over the pre-session rating ends the session
    flare_pain: int = 8  # any rating ≥ this makes the day a flare day
    progress_max_pain: int = 2  # worst pain ≤ this allows progress ("0–2 safe")
    hold_max_pain: int = 5  # worst pain above progress_max_pain up to this holds ("3–5")
    min_days_between_progressions: int = 2
    morning_trend_rise: int = 1  # rise in weekly mean morning pain that holds and alerts
    no_improvement_days: int = 14

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            _check_in_range(field.name, getattr(self, field.name))
        # Settings that contradict each other would make the rules disagree (a session
        # both "safe to progress" and "ended for pain"), so they are refused together.
        if self.progress_max_pain > self.hold_max_pain:
            raise ValueError(
                f"progress_max_pain ({self.progress_max_pain}) cannot be above "
                f"hold_max_pain ({self.hold_max_pain}); lower progress_max_pain as well."
            )
        if self.progress_max_pain > self.ceiling_base:
            raise ValueError(
                f"progress_max_pain ({self.progress_max_pain}) cannot be above "
                f"ceiling_base ({self.ceiling_base}); lower progress_max_pain as well."
            )
        if self.ceiling_base > self.ceiling_top:
            raise ValueError(
                f"ceiling_base ({self.ceiling_base}) cannot be above ceiling_top "
                f"({self.ceiling_top}); lower ceiling_base as well."
            )
        if self.ceiling_top >= self.flare_pain:
            raise ValueError(
                f"ceiling_top ({self.ceiling_top}) must be below flare_pain "
                f"({self.flare_pain}); lower ceiling_top as well."
            )


DEFAULT_THRESHOLDS = Thresholds()

THRESHOLD_SOURCES: dict[str, str] = {
    "ceiling_base": f"clinical-rules.md §2: pain during exercise up to 5 ({SOURCE_PAIN_MODEL})",
    "ceiling_top": (
        "clinical-rules.md §2: for usual pain above 3, up to usual + 2, never above 7 "
        "(Supine default)"
    ),
    "pain_rise": f"clinical-rules.md §2: a rise of 3 or more over the pre-session rating "
    f"({SOURCE_NPRS_ERROR})",
    "flare_pain": (
        "clinical-rules.md §2: any rating of 8 or more makes a flare day (Supine default)"
    ),
    "progress_max_pain": f"clinical-rules.md §3: 0–2 is safe ({SOURCE_PAIN_MODEL})",
    "hold_max_pain": f"clinical-rules.md §3: 3–5 is acceptable ({SOURCE_PAIN_MODEL})",
    "min_days_between_progressions": (
        "clinical-rules.md §3: progress at most once every 2 days (Supine default)"
    ),
    "morning_trend_rise": (
        "clinical-rules.md §3: weekly mean morning pain up by 1 or more (Supine default)"
    ),
    "no_improvement_days": (
        "clinical-rules.md §3: no improvement after 2 weeks of regular exercise (NHS inform)"
    ),
}


class LooserThresholdError(ValueError):
    def __init__(self, setting: str, default: int, value: int) -> None:
        self.setting = setting
        self.default = default
        self.value = value
        direction = "below" if setting in _LOOSER_WHEN_LOWER else "above"
        super().__init__(
            f"{setting}={value} is looser than the default of {default} ({direction} it). "
            "A clinic may tighten this setting, but loosening it needs an explicit, "
            f"recorded override. Source of the default: {THRESHOLD_SOURCES[setting]}."
        )


def stricter_thresholds(
    overrides: Mapping[str, int], *, allow_looser: bool = False
) -> tuple[Thresholds, list[str]]:
    """A clinic's thresholds on top of the defaults, and the names it loosened.

    Loosened names are only ever returned when allow_looser is True; the caller records
    that override (who, when, why) before using the thresholds.
    """
    known = {field.name for field in dataclasses.fields(Thresholds)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(
            f"Unknown threshold setting(s): {', '.join(unknown)}. "
            f"Known settings: {', '.join(sorted(known))}."
        )
    loosened: list[str] = []
    for field in dataclasses.fields(Thresholds):
        if field.name not in overrides:
            continue
        value = overrides[field.name]
        _check_in_range(field.name, value)
        default = getattr(DEFAULT_THRESHOLDS, field.name)
        looser = value < default if field.name in _LOOSER_WHEN_LOWER else value > default
        if looser:
            if not allow_looser:
                raise LooserThresholdError(field.name, default, value)
            loosened.append(field.name)
    return dataclasses.replace(DEFAULT_THRESHOLDS, **overrides), loosened


def clinic_thresholds(clinic) -> Thresholds:
    """The thresholds in force for a clinic (its stricter values, or recorded overrides)."""
    thresholds, _ = stricter_thresholds(
        clinic.safety_thresholds or {}, allow_looser=clinic.allow_looser_thresholds
    )
    return thresholds
