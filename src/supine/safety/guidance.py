""" "When to get help": the signs to act on and the flare plan, as data.

The same sentences appear on the help page, the Today page, the player and printed
handouts, so they live here once. Each is a plain sentence whose {placeholders} are the
region's words (supine.safety.regions.RegionWords): {emergency_number},
{emergency_room}, {urgent_route}, {belly}, {bowel_movement}, {rectum}, {doctor}.

Sources: the signs and their actions are clinical-rules.md §1's Part B table — the emergency
row worded after the cauda equina (CES) warning card (Greenhalgh, Finucane, Mercer &
Selfe; GIRFT 2023 pathway), routed after the NHS "Back pain" page, GIRFT 2023, NICE NG234
and Finucane et al. 2020. The flare plan is clinical-rules.md §2 ("Flare day").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from supine.safety.regions import Region, words_for

# ---------------------------------------------------------------------------------------
# Emergency: sessions stop; get help now.
# ---------------------------------------------------------------------------------------

# Chest pain, or sudden pain in the back and belly, may be the heart or a blood vessel:
# an ambulance, not a car.
EMERGENCY_CALL_SIGNS: tuple[str, ...] = (
    "Chest pain with your back pain.",
    "Sudden, severe pain in your back and {belly}, or feeling faint with it.",
)
EMERGENCY_CALL_ACTION = "Call {emergency_number} now. Don't drive yourself."

# The cauda equina signs, in the warning card's words.
CAUDA_EQUINA_SIGNS: tuple[str, ...] = (
    "Numbness, tingling or a different feeling between your legs, around your {rectum}, "
    "genitals, inner thighs or buttocks, or when you wipe after going to the toilet.",
    "New trouble starting to pee, not being able to pee, or not being able to stop or "
    "control peeing.",
    "Recently needing pads, not feeling that your bladder is full, or not feeling "
    "yourself pee or have a {bowel_movement}.",
    "Not being able to control your bowels.",
    "New loss of sexual feeling, or changes in erection or ejaculation.",
    "Pain, numbness, tingling or weakness in both legs.",
    "Leg weakness that is getting worse, a foot that drags, or legs that give way.",
)
CAUDA_EQUINA_TELL = (
    "Tell them what you noticed, and say: “I'm worried about cauda equina syndrome.”"
)

# Each with what to tell them, where clinical-rules.md §1 gives it.
EMERGENCY_OTHER_SIGNS: tuple[tuple[str, str], ...] = (
    (
        "Back pain that started after a serious accident, such as a car crash or a fall "
        "from a height, that no doctor has checked.",
        "",
    ),
    (
        "If you have had cancer: new pain, numbness or weakness going down a leg, or new "
        "trouble walking.",
        "Tell them: “I have back pain and I've had cancer.”",
    ),
    (
        "A fever or feeling very unwell with your back pain, if you have a weak immune "
        "system, have injected drugs in the last year, or had a spinal procedure in the "
        "last 3 months.",
        "Tell them: “I have back pain and I'm worried about an infection in my spine.”",
    ),
)
EMERGENCY_GO_ACTION = "Go to {emergency_room} now, or call {emergency_number}."

# ---------------------------------------------------------------------------------------
# Urgent: see a doctor today.
# ---------------------------------------------------------------------------------------

URGENT_SIGNS: tuple[str, ...] = (
    "A fever, feeling hot and shivery, or feeling very unwell with your back pain.",
    "A swelling or lump in your back, or your back changing shape.",
    "New pain high in your back, between your shoulder blades.",
    "Pain at night or at rest that never eases.",
    "Weight loss you can't explain.",
    "New back pain after a minor fall, if you have weak bones or are 65 or over.",
    "Back pain that is new, or different from your usual back pain, if you have had "
    "cancer, have a weak immune system, have injected drugs in the last year, or had a "
    "spinal procedure in the last 3 months.",
)
URGENT_ACTION = (
    "Contact {urgent_route}. Tell them you have back pain and what you've noticed. If you "
    "can't be seen today, or you feel worse, go to {emergency_room}."
)
URGENT_CANCER_ACTION = "If you have had cancer, contact your doctor or your cancer team today."

# ---------------------------------------------------------------------------------------
# The flare plan (clinical-rules.md §2, "Flare day": pain of 8 or more).
# ---------------------------------------------------------------------------------------

FLARE_PLAN: tuple[str, ...] = (
    "No more exercise sessions today. Your exercises will be here tomorrow.",
    "Rest in a position that eases your pain, for example lying on your back with your "
    "knees bent, or on your side with a pillow between your knees.",
    "Every hour or two, get up for a short, gentle walk of a few minutes, if you can.",
    "Pace yourself: do things in small pieces, with rests in between, and change position often.",
    "Heat can help: a warm bath or shower, or a heat pack wrapped in a towel.",
    "Pain relief may help: ask a pharmacist or {doctor} which is right for you.",
    "Most flare-ups settle within days to a few weeks.",
    "Get help at once if you notice any of the signs under “When to get help”.",
)


def _fill(template: str, region: str | Region) -> str:
    return template.format(**dataclasses.asdict(words_for(region)))


def _fill_all(templates: tuple[str, ...], region: str | Region) -> list[str]:
    return [_fill(template, region) for template in templates]


def flare_plan(region: str | Region) -> list[str]:
    """The flare plan's lines, in the region's words."""
    return _fill_all(FLARE_PLAN, region)


@dataclass(frozen=True)
class Sign:
    text: str
    tell: str = ""  # what to tell them when you get there


@dataclass(frozen=True)
class SignGroup:
    action: str  # what to do, first
    signs: list[Sign]
    tell: str = ""  # for every sign of the group


@dataclass(frozen=True)
class HelpGuidance:
    emergency_number: str
    emergency: list[SignGroup]
    urgent: SignGroup
    urgent_cancer: str
    flare_plan: list[str]


def _signs(templates: tuple[str, ...], region: str | Region) -> list[Sign]:
    return [Sign(text) for text in _fill_all(templates, region)]


def help_guidance(region: str | Region) -> HelpGuidance:
    """Everything "When to get help" says, in the region's words, most urgent first."""
    return HelpGuidance(
        emergency_number=words_for(region).emergency_number,
        emergency=[
            SignGroup(
                action=_fill(EMERGENCY_CALL_ACTION, region),
                signs=_signs(EMERGENCY_CALL_SIGNS, region),
            ),
            SignGroup(
                action=_fill(EMERGENCY_GO_ACTION, region),
                signs=_signs(CAUDA_EQUINA_SIGNS, region),
                tell=CAUDA_EQUINA_TELL,
            ),
            SignGroup(
                action=_fill(EMERGENCY_GO_ACTION, region),
                signs=[Sign(_fill(text, region), tell) for text, tell in EMERGENCY_OTHER_SIGNS],
            ),
        ],
        urgent=SignGroup(action=_fill(URGENT_ACTION, region), signs=_signs(URGENT_SIGNS, region)),
        urgent_cancer=URGENT_CANCER_ACTION,
        flare_plan=flare_plan(region),
    )
