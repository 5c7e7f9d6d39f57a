// The end of a session: the last questions, and the screens that close a session
// (summary, stopped, not today) with their advice and whether everything was sent.

import { root, screen, slot } from "./dom.js";
import { ask, showScreen } from "./screens.js";
import { adviceText, answers, event, live, record, rememberFlareDay } from "./session.js";
import { limitsOf, ruleDuring, showsFlarePlan } from "./stop-rules.js";
import { durationText } from "./words.js";

export async function finish() {
  if (live.state?.phase !== "end") return; // a second tap while the first is saving
  if (answers.after === null) return ask("end", "Choose a number for your pain now.");
  if (answers.feeling === null) return ask("end", "Choose how the session felt.");
  const note = slot("note").value.trim();
  const rule = ruleDuring(answers.after, answers.before, limitsOf(live.state.plan));
  if (rule === "flare_day") rememberFlareDay();
  live.state.phase = "summary";
  live.state.endedAt = new Date().toISOString();
  live.state.ending = rule ? { by: "device", rule, advice: adviceText(rule) } : null;
  await record([
    event("pain_reported", { score: answers.after, moment: "after" }),
    event("finished", note ? { feeling: answers.feeling, note } : { feeling: answers.feeling }),
  ]);
  showDone("summary");
}

export function showDone(phase) {
  const section = screen(phase);
  const reps = slot("reps", section);
  if (reps) {
    const planned = live.state.plan.steps.filter((s) => s.kind === "release").length;
    const done = live.state.doneReps.filter((key) => key.startsWith("rep_done|")).length;
    reps.textContent = `${done} of ${planned}`;
    const { startedAt, endedAt } = live.state;
    const ms = startedAt && endedAt ? Date.parse(endedAt) - Date.parse(startedAt) : 0;
    slot("time", section).textContent = durationText(ms);
  }
  const title = slot("stopped-title", section);
  if (title) {
    const byPatient = !live.state.ending || live.state.ending.by === "patient";
    title.textContent = byPatient ? "You stopped the session" : "Let's stop here for today";
  }
  renderEnding(section, live.state.ending);
  showPending(live.outbox.pending);
  showScreen(phase);
}

/** The advice, and the flare plan where it applies, on a screen that ends a session. */
export function renderEnding(section, ending) {
  const advice = ending?.advice ?? "";
  slot("advice", section).textContent = advice;
  slot("advice-box", section).hidden = !advice;
  const flareDayRule = ending?.rule === "flare_day";
  slot("flare", section).hidden = !(ending?.flare || showsFlarePlan(ending?.rule));
  slot("re-ask", section).hidden = !(flareDayRule || (ending?.flare && ending?.rule !== "before_above_ceiling"));
}

export function showPending(pending) {
  root.dataset.pending = String(pending);
  let text = "Saved to your record.";
  if (pending) {
    text = navigator.onLine
      ? "Sending to your clinic…"
      : "Saved on this device. It will be sent to your clinic when you're back online.";
  }
  for (const element of root.querySelectorAll('[data-slot="sync"]')) element.textContent = text;
}
