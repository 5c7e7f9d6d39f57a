// "How was that?" after each exercise: one tap on the scale answers it; the session
// waits meanwhile (clinical-rules.md §2: a session rating, judged against the ceiling at
// once).

import { action, root, slot } from "./dom.js";
import { showDone } from "./finish.js";
import { halt, play, render, stepStarted, stepsEnded } from "./playback.js";
import {
  adviceText,
  answers,
  event,
  hooks,
  live,
  names,
  record,
  rememberFlareDay,
  save,
  voice,
  wakeLock,
} from "./session.js";
import { limitsOf, ruleDuring } from "./stop-rules.js";
import { exerciseName } from "./words.js";

export function askHowWasThat(exercise, now) {
  const ended = live.clock.pause(now);
  if (ended.length) stepsEnded(ended, now);
  halt();
  voice.cue("How was that? Tap your pain now, from 0 to 10.");
  live.state.asking = exercise;
  answers.exerciseScore = null;
  const panel = slot("how");
  // Name the exercise: the screen behind already shows the next one.
  panel.querySelector("legend").textContent = `How was ${exerciseName(names, exercise)}? Your pain now`;
  for (const input of panel.querySelectorAll("input[type=radio]")) input.checked = false;
  panel.hidden = false;
  root.classList.add("is-asking");
  panel.querySelector("input[type=radio]").focus();
  save();
}
hooks.askHowWasThat = askHowWasThat;

export async function answerHowWasThat(score) {
  const exercise = live.state?.asking;
  if (!exercise || live.state.phase !== "playing") return;
  live.state.asking = null;
  slot("how").hidden = true;
  root.classList.remove("is-asking");
  if (score === null) {
    resumeAfterAsking();
    return;
  }
  const rating = event("pain_reported", { score, moment: "exercise", exercise });
  const rule = ruleDuring(score, answers.before, limitsOf(live.state.plan));
  if (!rule) {
    record([rating]);
    resumeAfterAsking();
    return;
  }
  // Above the ceiling, or a rise of 3: the device ends the session at once; the server's
  // verdict, when it arrives, says the same or stricter.
  if (rule === "flare_day") rememberFlareDay();
  wakeLock.release();
  voice.cue("Let's stop here for today.");
  live.state.phase = "stopped";
  live.state.endedAt = new Date().toISOString();
  live.state.ending = { by: "device", rule, advice: adviceText(rule) };
  await record([rating]);
  showDone("stopped");
}

function resumeAfterAsking() {
  const now = performance.now();
  live.clock.resume(now);
  stepStarted(now, { speak: true });
  render(now);
  action(live.clock.waiting ? "ready" : "pause").focus();
  play();
}
