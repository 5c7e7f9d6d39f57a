// STOP: the sheet that asks the pain now and why, and what each answer leads to.

import { action, root, slot } from "./dom.js";
import { showDone } from "./finish.js";
import { halt, pause, resume } from "./playback.js";
import { ask, showScreen } from "./screens.js";
import {
  START_ANSWER_MS,
  adviceText,
  answers,
  delay,
  event,
  live,
  record,
  rememberFlareDay,
  voice,
  wakeLock,
} from "./session.js";
import { limitsOf, ruleDuring, ruleForReason } from "./stop-rules.js";

export function openStop() {
  if (live.state?.phase !== "playing") return;
  live.stoppedWhilePlaying = Boolean(live.clock && !live.clock.paused);
  pause();
  answers.stopScore = null;
  answers.stopReason = null;
  const sheet = slot("stop-sheet");
  for (const input of sheet.querySelectorAll("input[type=radio]")) input.checked = false;
  sheet.querySelector(".ask").hidden = true;
  sheet.showModal();
  sheet.querySelector("input[type=radio]").focus();
}

export async function confirmStop() {
  if (live.state?.phase !== "playing") return; // a second tap while the first is saving
  if (answers.stopScore === null) return ask("stop", "Choose a number for your pain now.");
  if (answers.stopReason === null) return ask("stop", "Choose why you are stopping.");
  const score = answers.stopScore;
  const reason = answers.stopReason;
  // The rating counts whatever the reason: too much pain ends the session.
  const painRule = ruleDuring(score, answers.before, limitsOf(live.state.plan));
  slot("stop-sheet").close();
  if (painRule === "flare_day") rememberFlareDay();
  if (reason === "interrupted" && !painRule) {
    interrupted(score);
    return;
  }
  halt();
  wakeLock.release();
  voice.cue("Session stopped. Rest now.");
  const rule = reason === "saddle_or_bladder" ? reason : (painRule ?? ruleForReason(reason));
  live.state.phase = "stopped";
  live.state.endedAt = new Date().toISOString();
  live.state.ending = {
    by: "patient",
    rule,
    reason,
    advice: adviceText(rule ?? reason),
  };
  // The summary appears once the stop is safely stored on the device.
  await record([event("stopped", { score, reason })]);
  showDone("stopped");
  if (reason === "saddle_or_bladder") await toEmergencyQuestions();
}

// Numbness between the legs, or a change in peeing or bowels: straight to Part B's
// emergency questions (clinical-rules.md §2). Offline, to "When to get help", which is kept.
async function toEmergencyQuestions() {
  await Promise.race([live.outbox.flush(), delay(START_ANSWER_MS)]);
  const online = navigator.onLine !== false;
  location.assign(online ? root.dataset.emergencyQuestions : `${root.dataset.help}#emergency`);
}

// "Interrupted" is no reason for advice: the session waits, paused, to be carried on.
function interrupted(score) {
  record([event("pain_reported", { score, moment: "during" })]);
  showScreen("interrupted");
}

export function carryOnAfterInterruption() {
  if (live.state?.phase !== "playing") return;
  showScreen("play");
  resume();
}

export async function endAfterInterruption() {
  if (live.state?.phase !== "playing") return;
  halt();
  wakeLock.release();
  voice.silence();
  live.state.phase = "stopped";
  live.state.endedAt = new Date().toISOString();
  const reason = "interrupted";
  live.state.ending = { by: "patient", rule: null, reason, advice: adviceText(reason) };
  await record([event("stopped", { score: answers.stopScore, reason })]);
  showDone("stopped");
}

// "Carry on" picks up where STOP paused (a tap on STOP by mistake costs nothing);
// a session that was already paused stays paused.
export function carryOn() {
  const sheet = slot("stop-sheet");
  if (sheet.open) sheet.close();
  action("pause").focus();
  if (live.stoppedWhilePlaying) resume();
}
