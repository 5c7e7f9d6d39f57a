// Playing the timeline: the frame loop, what ended and what started, the countdown, and
// the controls while playing (pause, back one step, skip an exercise, ready).

import { action, root, slot } from "./dom.js";
import { showPaused, showScreen } from "./screens.js";
import {
  event,
  hooks,
  isoAt,
  live,
  names,
  record,
  save,
  stage,
  voice,
  wakeLock,
} from "./session.js";
import { clockText, exerciseName, nextExercise, stepDetail } from "./words.js";

export function play() {
  live.running = true;
  cancelAnimationFrame(live.frameId);
  live.frameId = requestAnimationFrame(frame);
}

export function halt() {
  live.running = false;
  cancelAnimationFrame(live.frameId);
  clearTimeout(live.hiddenTimer);
}

function frame() {
  if (!live.running) return;
  update(performance.now());
  if (live.running) live.frameId = requestAnimationFrame(frame);
}

/** Bring the screen up to `now`: record what ended, show what started. */
function update(now, endedByTap = null) {
  if (!live.clock || live.state?.phase !== "playing") return;
  const ended = endedByTap ?? live.clock.advance(now);
  if (ended.length) stepsEnded(ended, now);
  if (live.clock.finished) {
    toEnd();
    return;
  }
  const finishedExercise = ended.length ? exerciseJustDone(ended.at(-1)) : null;
  if (live.clock.index !== live.shown.index) stepStarted(now, { speak: !live.clock.paused });
  render(now);
  if (finishedExercise) hooks.askHowWasThat(finishedExercise, now);
}

/** The exercise whose last step just ended, with a rep done: "How was that?" follows. */
function exerciseJustDone(index) {
  const done = live.clock.steps[index].exercise;
  // Not after the last one: the end of the session asks for the pain then.
  if (!done || !live.clock.step.exercise || live.clock.step.exercise === done) return null;
  return live.state.doneReps.some((key) => key.split("|")[1] === done) ? done : null;
}

export function stepsEnded(indices, now) {
  const events = [];
  const steps = live.clock.steps;
  for (const index of indices) {
    const step = steps[index];
    // When the step really ended, even if the tab was hidden and is only catching up.
    const at = isoAt(live.clock.endTimeOf(index), now);
    const rep = { exercise: step.exercise, set: step.set, rep: step.rep, side: step.side };
    const kind = { hold: "hold_done", release: "rep_done" }[step.kind];
    const key = kind && [kind, rep.exercise, rep.set, rep.rep, rep.side].join("|");
    // "Back one step" replays a step; it still counts once.
    if (kind && !live.state.doneReps.includes(key)) {
      live.state.doneReps.push(key);
      events.push(event(kind, rep, at));
    }
    if (!live.state.doneSteps.includes(index)) {
      live.state.doneSteps.push(index);
      events.push(event("step_done", { index }, at));
    }
  }
  record(events);
}

export function stepStarted(now, { speak = false } = {}) {
  const step = live.clock.step;
  live.shown = { index: live.clock.index, seconds: -1 };
  stage.show(step.exercise);
  // The final step has no exercise: the heading keeps the last one's name.
  if (step.exercise) slot("exercise").textContent = exerciseName(names, step.exercise);
  slot("text").textContent = step.text;
  slot("detail").textContent = stepDetail(step, live.clock.steps);
  // The session's first change of position is usually getting down onto the floor.
  const firstMove = live.clock.steps.findIndex((s) => s.kind === "setup" && s.self_paced);
  slot("floor-guide").hidden = live.clock.index !== firstMove;
  slot("next").textContent = nextExercise(live.clock, names);
  slot("announce").textContent = step.text;
  root.dataset.step = step.kind;
  // A change of position or of side waits for the patient's tap, with no countdown.
  const ready = action("ready");
  ready.hidden = !step.self_paced;
  slot("countdown").hidden = Boolean(step.self_paced);
  if (step.self_paced && !live.clock.paused && slot("how").hidden) ready.focus();
  if (speak) voice.cue(step.cue);
  save();
}

export function readyNow() {
  if (!live.clock?.waiting || live.state?.phase !== "playing") return;
  if (live.clock.paused) resume();
  const now = performance.now();
  update(now, live.clock.ready(now));
  action("pause").focus();
}

// The camera coach saw the hold's pose reached: the move ends and the hold starts now.
export function endStepEarly() {
  if (!live.clock || live.state?.phase !== "playing" || live.clock.paused) return;
  const now = performance.now();
  update(now, live.clock.endNow(now));
}

export function render(now) {
  const step = live.clock.step;
  stage.draw(step, live.clock.waiting ? 0 : step.duration_ms - live.clock.leftMs(now));
  const seconds = live.clock.shownSeconds(now);
  if (seconds === live.shown.seconds) return;
  live.shown.seconds = seconds;
  slot("countdown").textContent = String(seconds);
  slot("time-left").textContent = `${clockText(live.clock.sessionLeftMs(now))} left`;
  slot("progress").value = Math.round((1000 * live.clock.elapsedMs(now)) / live.clock.totalMs);
  // "3, 2, 1" to the end of a hold long enough not to trip over its own cue.
  if (step.kind === "hold" && step.duration_ms > 3000 && seconds <= 3 && !live.clock.paused) {
    voice.count(seconds);
  }
}

export function pause() {
  const now = performance.now();
  update(now);
  if (!live.clock || live.clock.paused || live.state?.phase !== "playing") return;
  const ended = live.clock.pause(now);
  if (ended.length) stepsEnded(ended, now);
  halt();
  voice.silence();
  showPaused(true);
  record([event("paused")]);
}

export function resume() {
  const { clock, state } = live;
  if (!clock || !clock.paused || state?.phase !== "playing" || state.asking) return;
  const now = performance.now();
  live.clock.resume(now);
  wakeLock.acquire();
  voice.cue(live.clock.step.cue); // in the tap: after a reload this is what unlocks speech
  showPaused(false);
  record([event("resumed")]);
  update(now);
  play();
}

export function togglePause() {
  if (live.state?.asking) return;
  if (live.clock?.paused) resume();
  else pause();
}

// Skip asks once: a stray tap must not throw away the rest of an exercise.
export function askSkip() {
  if (live.state?.phase !== "playing" || !live.clock || live.state.asking) return;
  const sheet = slot("skip-sheet");
  sheet.showModal();
  action("cancel-skip").focus();
}

export function answerSkip(skip) {
  const sheet = slot("skip-sheet");
  if (sheet.open) sheet.close();
  action("skip").focus();
  if (skip) skipExercise();
}

function skipExercise() {
  const now = performance.now();
  update(now);
  if (!live.clock || live.state?.phase !== "playing") return;
  if (live.clock.skipExercise(now) === null) return;
  stepStarted(now, { speak: !live.clock.paused });
  render(now);
}

export function backOneStep() {
  if (live.state?.asking) return;
  const now = performance.now();
  update(now);
  if (!live.clock || live.state?.phase !== "playing") return;
  live.clock.back(now);
  stepStarted(now, { speak: !live.clock.paused });
  render(now);
}

function toEnd() {
  halt();
  wakeLock.release();
  live.state.phase = "end";
  save();
  showScreen("end");
}

export function onVisibility() {
  if (live.state?.phase !== "playing" || !live.clock) return;
  if (document.visibilityState === "visible") {
    clearTimeout(live.hiddenTimer);
    update(performance.now()); // catch up at once, not at the next frame
    if (!live.clock.paused) wakeLock.acquire();
    return;
  }
  save();
  // Animation frames stop in a hidden tab; a timer (throttled, but alive) keeps the
  // voice going, one step at a time.
  const tick = () => {
    if (!live.running || document.visibilityState === "visible") return;
    const now = performance.now();
    update(now);
    if (!live.running) return;
    live.hiddenTimer = setTimeout(tick, Math.min(1000, live.clock.leftMs(now) + 5));
  };
  tick();
}
