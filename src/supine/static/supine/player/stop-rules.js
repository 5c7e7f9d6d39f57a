// clinical-rules.md §2's stop rules as the device applies them: at once, offline too, from the
// limits the plan carries. The server applies the same rules when the events arrive; its
// verdict is final, and where the two differ the stricter wins. Pure: no DOM.

// Until the plan carries the patient's own limits: the ceiling for a usual pain of 3 or
// less, a flare day at 8, and Supine's default rise of 3.
export const DEFAULT_LIMITS = Object.freeze({ ceiling: 5, flare_at: 8, rise: 3 });

/** The limits in force for a plan, each falling back to the default. */
export function limitsOf(plan) {
  const given = plan?.limits ?? {};
  const limits = {};
  for (const [key, fallback] of Object.entries(DEFAULT_LIMITS)) {
    limits[key] = Number.isInteger(given[key]) ? given[key] : fallback;
  }
  return limits;
}

/** Before a session: "flare_day", "before_above_ceiling", or null to go ahead. */
export function ruleBefore(score, limits) {
  if (score >= limits.flare_at) return "flare_day";
  if (score > limits.ceiling) return "before_above_ceiling";
  return null;
}

/**
 * A rating during a session, at STOP or straight after: "flare_day", "above_ceiling",
 * "rise" (3 or more above the rating before), or null.
 */
export function ruleDuring(score, before, limits) {
  if (score >= limits.flare_at) return "flare_day";
  if (score > limits.ceiling) return "above_ceiling";
  if (before !== null && before !== undefined && score >= before + limits.rise) return "rise";
  return null;
}

// The STOP reasons that end today's session by themselves; the others (tired,
// interrupted, something else) are the patient's choice.
const REASON_RULES = new Set(["pain", "leg_symptoms", "saddle_or_bladder", "dizziness"]);

/** The rule a STOP reason ends the session by, or null. */
export function ruleForReason(reason) {
  if (reason === "numbness") return "leg_symptoms"; // queued by an older page
  return REASON_RULES.has(reason) ? reason : null;
}

// Which of the plan's advice texts (plan.advice) each rule, or STOP reason, shows.
const ADVICE_KEYS = {
  flare_day: "flare",
  before_above_ceiling: "before_above_ceiling",
  above_ceiling: "too_painful",
  rise: "rise",
  pain: "pain",
  leg_symptoms: "leg_symptoms",
  saddle_or_bladder: "saddle_or_bladder",
  dizziness: "dizziness",
  tired: "tired",
  interrupted: "interrupted",
  other: "other",
};

export function adviceKey(ruleOrReason) {
  return ADVICE_KEYS[ruleOrReason] ?? null;
}

/** Rules after which the flare plan is shown (no session today). */
export function showsFlarePlan(rule) {
  return rule === "flare_day" || rule === "before_above_ceiling";
}

/** The day as the patient's own calendar has it: a flare day lasts until midnight. */
export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
