// The guided session player: plays today's timeline with a countdown, a voice and a
// moving figure, for someone lying on the floor with their hands busy. Everything the
// patient does is recorded as an event with its own id and sent through the outbox,
// which keeps it across dropped connections and reloads.
//
// The player obeys the stop rules twice over: its own, at once and offline
// (stop-rules.js), and the server's verdict on each batch of events, which is final: a
// session the server has ended stops there and then, mid-hold included, and shows the
// server's advice.
//
//   timing.js        the clock: current step and countdown, from deadlines
//   queue.js         the outbox (IndexedDB), the saved player state, the server's verdicts
//   stop-rules.js    clinical-rules.md §2's stop rules, as the device applies them
//   speech.js        spoken cues, or tones where there is no speech
//   figure-stage.js  which pose the figure shows for each step (drawn by figure.js)
//   words.js         the text on screen, from the timeline
//   wake-lock.js     keeps the screen on

import { FigureStage } from "./figure-stage.js";
import { Outbox } from "./queue.js";
import { Voice } from "./speech.js";
import {
  adviceKey,
  limitsOf,
  localDay,
  ruleBefore,
  ruleDuring,
  ruleForReason,
  showsFlarePlan,
} from "./stop-rules.js";
import { SessionClock } from "./timing.js";
import { screenWakeLock } from "./wake-lock.js";
import { clockText, durationText, exerciseName, nextExercise, stepDetail } from "./words.js";

const STATE_VERSION = 1;
// A session left paused for longer than this is not offered again; its events still sync.
const RESUMABLE_FOR_MS = 12 * 60 * 60 * 1000;
// How long Start waits to hear whether the server lets the session begin; after that
// the session starts anyway and the outbox carries on trying.
const START_ANSWER_MS = 4000;
const SCREENS = ["intro", "blocked", "play", "interrupted", "end", "summary", "stopped"];
// A finished, stopped or refused session is shown again only while it is still sending.
const DONE_PHASES = ["summary", "stopped", "blocked"];

const root = document.getElementById("player");
const slot = (name, scope = root) => scope.querySelector(`[data-slot="${name}"]`);
const action = (name) => root.querySelector(`[data-action="${name}"]`);
const screen = (name) => root.querySelector(`[data-screen="${name}"]`);

function readJson(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

const pagePlan = readJson("plan-data");
const names = readJson("exercise-names") ?? {};
const figures = readJson("figure-data") ?? {};
const FLARE_KEY = `supine.player.flare-day.${root.dataset.user}`;
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

const voice = new Voice();
const wakeLock = screenWakeLock();
const stage = new FigureStage(slot("figures"), figures, null, {
  reducedMotion: reducedMotion.matches,
});

let outbox = null;
let state = null; // what is saved: see newState()
let clock = null;
let running = false;
let frameId = 0;
let hiddenTimer = 0;
let shown = { index: -1, seconds: -1 }; // what the screen shows now, to redraw only changes
let starting = null; // the answer to "may this session start?", while Start waits for it
let stoppedWhilePlaying = false;
const answers = {
  before: null,
  after: null,
  feeling: null,
  stopScore: null,
  stopReason: null,
  exerciseScore: null,
};
const PAIN_ANSWERS = {
  before: "before",
  after: "after",
  stop: "stopScore",
  exercise: "exerciseScore",
};

// ---- start-up ------------------------------------------------------------------------

async function init() {
  bindControls();
  loadAnimator();
  registerServiceWorker();
  outbox = await Outbox.open({
    owner: root.dataset.user,
    onChange: showPending,
    onBlocked: blocked,
    onCreated: created,
    onVerdict: verdict,
  });
  const saved = await outbox.loadState();
  if (saved && resumable(saved)) restore(saved);
  else {
    if (saved) await outbox.clearState();
    showScreen("intro", { focus: false });
  }
  outbox.flush();
}

function resumable(saved) {
  if (saved.version !== STATE_VERSION || !saved.plan?.steps?.length) return false;
  if (Date.now() - saved.savedAt > RESUMABLE_FOR_MS) return false;
  if (DONE_PHASES.includes(saved.phase)) return outbox.pending > 0;
  return saved.phase === "playing" || saved.phase === "end";
}

function restore(saved) {
  state = saved;
  root.dataset.session = saved.sessionId;
  Object.assign(answers, saved.answers);
  reflectAnswers();
  if (state.phase === "playing") {
    const wasPlaying = !state.position.paused;
    const lastSaved = state.savedAt;
    clock = new SessionClock(state.plan.steps);
    // Always paused after a reload: the patient may not be on the floor yet.
    clock.start(performance.now(), { ...state.position, paused: true });
    showScreen("play");
    stepStarted(performance.now());
    render(performance.now());
    // The page went away mid-step; the last save is the last moment known to be playing.
    if (wasPlaying) record([event("paused", {}, new Date(lastSaved).toISOString())]);
    if (state.asking) askHowWasThat(state.asking, performance.now());
  } else if (state.phase === "end") {
    showScreen("end");
  } else {
    showDone(state.phase);
  }
}

async function loadAnimator() {
  try {
    const module = await import(root.dataset.figureModule);
    if (typeof module.poseAt === "function" && typeof module.drawPose === "function") {
      stage.animator = module;
    }
  } catch (error) {
    console.warn("The figure animation is unavailable; the pictures stay still.", error);
  }
}

// Two workers: the player's page, and "When to get help", which the stop sheet links to
// and which must open on the floor without a connection too.
function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  for (const url of [root.dataset.sw, root.dataset.helpSw]) {
    navigator.serviceWorker
      .register(url, { scope: new URL(".", new URL(url, location.href)).pathname })
      .catch((error) => console.warn("Offline use is unavailable.", error));
  }
}

// ---- starting ------------------------------------------------------------------------

function start() {
  if (answers.before === null) {
    ask("before", "Choose a number from 0 to 10 first.");
    return;
  }
  const rule = ruleBefore(answers.before, limitsOf(pagePlan)) ?? (flareDay() ? "flare_day" : null);
  if (rule) {
    noSessionToday(rule);
    return;
  }
  // Speech and the wake lock are allowed only in the tap itself, before any await.
  voice.prime();
  wakeLock.acquire();
  action("start").disabled = true;
  begin().finally(() => {
    action("start").disabled = false;
  });
}

async function begin() {
  clock = null;
  state = newState(crypto.randomUUID(), pagePlan);
  state.startedAt = new Date().toISOString();
  root.dataset.session = state.sessionId;
  starting = {};
  // Created with its first events in one write: a reload from here on resumes it.
  const first = [
    event("started"),
    event("pain_reported", { score: answers.before, moment: "before" }),
  ];
  await outbox.createSession(state.sessionId, first, saveable());
  await Promise.race([outbox.flush(), delay(START_ANSWER_MS)]);
  const answer = starting;
  starting = null;
  // blocked() or a verdict has already said why not.
  if (answer.blocked || state?.phase !== "playing") return;
  if (answer.plan?.steps?.length) state.plan = answer.plan; // the server's copy is the record
  clock = new SessionClock(state.plan.steps);
  const now = performance.now();
  clock.start(now);
  showScreen("play");
  stepStarted(now, { speak: true });
  play();
}

function newState(sessionId, plan) {
  return {
    version: STATE_VERSION,
    sessionId,
    plan,
    phase: "playing",
    position: { index: 0, leftMs: null, paused: false },
    doneSteps: [],
    doneReps: [],
    startedAt: null,
    endedAt: null,
    savedAt: Date.now(),
  };
}

// The rating before is too high for a session today (clinical-rules.md §2): nothing plays.
// The rating still goes to the server, which judges it too and tells the clinic.
async function noSessionToday(rule) {
  if (rule === "flare_day") rememberFlareDay();
  state = newState(crypto.randomUUID(), pagePlan);
  state.phase = "blocked";
  state.ending = { by: "device", rule, advice: adviceText(rule) };
  root.dataset.session = state.sessionId;
  showDone("blocked");
  const rating = event("pain_reported", { score: answers.before, moment: "before" });
  await outbox.createSession(state.sessionId, [rating], saveable());
  showPending(outbox.pending);
  outbox.flush();
}

function created(session) {
  if (starting) starting.plan = session?.plan;
}

function blocked(body) {
  if (starting) starting.blocked = true;
  halt();
  voice.silence();
  if (body?.flare) rememberFlareDay();
  state = null;
  outbox.clearState();
  const advice = body?.advice || "Your clinic needs to check in with you before your next session.";
  renderEnding(screen("blocked"), { by: "server", rule: body?.flare ? "flare_day" : null, advice });
  showScreen("blocked");
}

// ---- the server's verdict ------------------------------------------------------------

/** The server's word on a session, from its answer to a batch of events. */
function verdict(sessionId, session) {
  if (!state || sessionId !== state.sessionId) return;
  state.verdict = session;
  if (session.flare || session.rule === "flare_day") rememberFlareDay();
  if (session.status !== "stopped") {
    save();
    return;
  }
  const mine = state.ending;
  const rule = session.rule ?? mine?.rule ?? null;
  const ending = {
    by: mine?.by === "patient" ? "patient" : "server",
    rule,
    reason: mine?.reason ?? null,
    // The stricter wins: a flare plan shown by either stays.
    flare: Boolean(session.flare || mine?.flare || showsFlarePlan(mine?.rule)),
    // What the server says is what is shown, once it has said something.
    advice: session.advice || mine?.advice || adviceText(rule),
  };
  if (state.phase === "playing" || state.phase === "end") {
    endedByServer(ending);
  } else {
    state.ending = ending;
    save();
    if (root.dataset.phase === state.phase) renderEnding(screen(state.phase), ending);
  }
}

// The server has ended the session: stop everything now, and never coach it again.
function endedByServer(ending) {
  const played = clock !== null;
  halt();
  if (clock && !clock.paused) clock.pause(performance.now());
  for (const sheet of root.querySelectorAll("dialog[open]")) sheet.close();
  wakeLock.release();
  state.ending = ending;
  state.endedAt = new Date().toISOString();
  // A session stopped before it ever played (its rating before was too high) is "not today".
  state.phase = played || !showsFlarePlan(ending.rule) ? "stopped" : "blocked";
  save();
  if (played) voice.cue("Session stopped. Please look at your screen.");
  else voice.silence();
  showDone(state.phase);
}

// The plan's advice, in the clinic's region's words: what the device says until (and
// unless) the server's verdict says something else.
function adviceText(ruleOrReason) {
  const key = adviceKey(ruleOrReason);
  if (!key) return "";
  return state?.plan?.advice?.[key] ?? pagePlan?.advice?.[key] ?? "";
}

function rememberFlareDay() {
  try {
    localStorage.setItem(FLARE_KEY, localDay());
  } catch {
    // Private browsing may refuse storage; the server still refuses today's sessions.
  }
}

function flareDay() {
  try {
    return localStorage.getItem(FLARE_KEY) === localDay();
  } catch {
    return false;
  }
}

// ---- playing -------------------------------------------------------------------------

function play() {
  running = true;
  cancelAnimationFrame(frameId);
  frameId = requestAnimationFrame(frame);
}

function halt() {
  running = false;
  cancelAnimationFrame(frameId);
  clearTimeout(hiddenTimer);
}

function frame() {
  if (!running) return;
  update(performance.now());
  if (running) frameId = requestAnimationFrame(frame);
}

/** Bring the screen up to `now`: record what ended, show what started. */
function update(now, endedByTap = null) {
  if (!clock || state?.phase !== "playing") return;
  const ended = endedByTap ?? clock.advance(now);
  if (ended.length) stepsEnded(ended, now);
  if (clock.finished) {
    toEnd();
    return;
  }
  const finishedExercise = ended.length ? exerciseJustDone(ended.at(-1)) : null;
  if (clock.index !== shown.index) stepStarted(now, { speak: !clock.paused });
  render(now);
  if (finishedExercise) askHowWasThat(finishedExercise, now);
}

/** The exercise whose last step just ended, with a rep done: "How was that?" follows. */
function exerciseJustDone(index) {
  const done = clock.steps[index].exercise;
  // Not after the last one: the end of the session asks for the pain then.
  if (!done || !clock.step.exercise || clock.step.exercise === done) return null;
  return state.doneReps.some((key) => key.split("|")[1] === done) ? done : null;
}

function stepsEnded(indices, now) {
  const events = [];
  const steps = clock.steps;
  for (const index of indices) {
    const step = steps[index];
    // When the step really ended, even if the tab was hidden and is only catching up.
    const at = isoAt(clock.endTimeOf(index), now);
    const rep = { exercise: step.exercise, set: step.set, rep: step.rep, side: step.side };
    const kind = { hold: "hold_done", release: "rep_done" }[step.kind];
    const key = kind && [kind, rep.exercise, rep.set, rep.rep, rep.side].join("|");
    // "Back one step" replays a step; it still counts once.
    if (kind && !state.doneReps.includes(key)) {
      state.doneReps.push(key);
      events.push(event(kind, rep, at));
    }
    if (!state.doneSteps.includes(index)) {
      state.doneSteps.push(index);
      events.push(event("step_done", { index }, at));
    }
  }
  record(events);
}

function stepStarted(now, { speak = false } = {}) {
  const step = clock.step;
  shown = { index: clock.index, seconds: -1 };
  stage.show(step.exercise);
  // The final step has no exercise: the heading keeps the last one's name.
  if (step.exercise) slot("exercise").textContent = exerciseName(names, step.exercise);
  slot("text").textContent = step.text;
  slot("detail").textContent = stepDetail(step, clock.steps);
  // The session's first change of position is usually getting down onto the floor.
  const firstMove = clock.steps.findIndex((s) => s.kind === "setup" && s.self_paced);
  slot("floor-guide").hidden = clock.index !== firstMove;
  slot("next").textContent = nextExercise(clock, names);
  slot("announce").textContent = step.text;
  root.dataset.step = step.kind;
  // A change of position or of side waits for the patient's tap, with no countdown.
  const ready = action("ready");
  ready.hidden = !step.self_paced;
  slot("countdown").hidden = Boolean(step.self_paced);
  if (step.self_paced && !clock.paused && slot("how").hidden) ready.focus();
  if (speak) voice.cue(step.cue);
  save();
}

function readyNow() {
  if (!clock?.waiting || state?.phase !== "playing") return;
  if (clock.paused) resume();
  const now = performance.now();
  update(now, clock.ready(now));
  action("pause").focus();
}

// ---- "How was that?" after each exercise ---------------------------------------------

// One tap on the scale answers it; the session waits meanwhile (clinical-rules.md §2: a
// session rating, judged against the ceiling at once).
function askHowWasThat(exercise, now) {
  const ended = clock.pause(now);
  if (ended.length) stepsEnded(ended, now);
  halt();
  voice.cue("How was that? Tap your pain now, from 0 to 10.");
  state.asking = exercise;
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

async function answerHowWasThat(score) {
  const exercise = state?.asking;
  if (!exercise || state.phase !== "playing") return;
  state.asking = null;
  slot("how").hidden = true;
  root.classList.remove("is-asking");
  if (score === null) {
    resumeAfterAsking();
    return;
  }
  const rating = event("pain_reported", { score, moment: "exercise", exercise });
  const rule = ruleDuring(score, answers.before, limitsOf(state.plan));
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
  state.phase = "stopped";
  state.endedAt = new Date().toISOString();
  state.ending = { by: "device", rule, advice: adviceText(rule) };
  await record([rating]);
  showDone("stopped");
}

function resumeAfterAsking() {
  const now = performance.now();
  clock.resume(now);
  stepStarted(now, { speak: true });
  render(now);
  action(clock.waiting ? "ready" : "pause").focus();
  play();
}

function render(now) {
  const step = clock.step;
  stage.draw(step, clock.waiting ? 0 : step.duration_ms - clock.leftMs(now));
  const seconds = clock.shownSeconds(now);
  if (seconds === shown.seconds) return;
  shown.seconds = seconds;
  slot("countdown").textContent = String(seconds);
  slot("time-left").textContent = `${clockText(clock.sessionLeftMs(now))} left`;
  slot("progress").value = Math.round((1000 * clock.elapsedMs(now)) / clock.totalMs);
  // "3, 2, 1" to the end of a hold long enough not to trip over its own cue.
  if (step.kind === "hold" && step.duration_ms > 3000 && seconds <= 3 && !clock.paused) {
    voice.count(seconds);
  }
}

function pause() {
  const now = performance.now();
  update(now);
  if (!clock || clock.paused || state?.phase !== "playing") return;
  const ended = clock.pause(now);
  if (ended.length) stepsEnded(ended, now);
  halt();
  voice.silence();
  showPaused(true);
  record([event("paused")]);
}

function resume() {
  if (!clock || !clock.paused || state?.phase !== "playing" || state.asking) return;
  const now = performance.now();
  clock.resume(now);
  wakeLock.acquire();
  voice.cue(clock.step.cue); // in the tap: after a reload this is what unlocks speech
  showPaused(false);
  record([event("resumed")]);
  update(now);
  play();
}

function togglePause() {
  if (state?.asking) return;
  if (clock?.paused) resume();
  else pause();
}

// Skip asks once: a stray tap must not throw away the rest of an exercise.
function askSkip() {
  if (state?.phase !== "playing" || !clock || state.asking) return;
  const sheet = slot("skip-sheet");
  sheet.showModal();
  action("cancel-skip").focus();
}

function answerSkip(skip) {
  const sheet = slot("skip-sheet");
  if (sheet.open) sheet.close();
  action("skip").focus();
  if (skip) skipExercise();
}

function skipExercise() {
  const now = performance.now();
  update(now);
  if (!clock || state?.phase !== "playing" || clock.skipExercise(now) === null) return;
  stepStarted(now, { speak: !clock.paused });
  render(now);
}

function backOneStep() {
  if (state?.asking) return;
  const now = performance.now();
  update(now);
  if (!clock || state?.phase !== "playing") return;
  clock.back(now);
  stepStarted(now, { speak: !clock.paused });
  render(now);
}

function showPaused(paused) {
  const button = action("pause");
  button.textContent = paused ? "Resume" : "Pause";
  slot("paused").hidden = !paused;
  root.classList.toggle("is-paused", paused);
  slot("announce").textContent = paused ? "Paused" : clock.step.text;
}

function toEnd() {
  halt();
  wakeLock.release();
  state.phase = "end";
  save();
  showScreen("end");
}

// ---- stop ----------------------------------------------------------------------------

function openStop() {
  if (state?.phase !== "playing") return;
  stoppedWhilePlaying = Boolean(clock && !clock.paused);
  pause();
  answers.stopScore = null;
  answers.stopReason = null;
  const sheet = slot("stop-sheet");
  for (const input of sheet.querySelectorAll("input[type=radio]")) input.checked = false;
  sheet.querySelector(".ask").hidden = true;
  sheet.showModal();
  sheet.querySelector("input[type=radio]").focus();
}

async function confirmStop() {
  if (state?.phase !== "playing") return; // a second tap while the first is saving
  if (answers.stopScore === null) return ask("stop", "Choose a number for your pain now.");
  if (answers.stopReason === null) return ask("stop", "Choose why you are stopping.");
  const score = answers.stopScore;
  const reason = answers.stopReason;
  // The rating counts whatever the reason: too much pain ends the session.
  const painRule = ruleDuring(score, answers.before, limitsOf(state.plan));
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
  state.phase = "stopped";
  state.endedAt = new Date().toISOString();
  state.ending = {
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
  await Promise.race([outbox.flush(), delay(START_ANSWER_MS)]);
  const online = navigator.onLine !== false;
  location.assign(online ? root.dataset.emergencyQuestions : `${root.dataset.help}#emergency`);
}

// "Interrupted" is no reason for advice: the session waits, paused, to be carried on.
function interrupted(score) {
  record([event("pain_reported", { score, moment: "during" })]);
  showScreen("interrupted");
}

function carryOnAfterInterruption() {
  if (state?.phase !== "playing") return;
  showScreen("play");
  resume();
}

async function endAfterInterruption() {
  if (state?.phase !== "playing") return;
  halt();
  wakeLock.release();
  voice.silence();
  state.phase = "stopped";
  state.endedAt = new Date().toISOString();
  const reason = "interrupted";
  state.ending = { by: "patient", rule: null, reason, advice: adviceText(reason) };
  await record([event("stopped", { score: answers.stopScore, reason })]);
  showDone("stopped");
}

// "Carry on" picks up where STOP paused (a tap on STOP by mistake costs nothing);
// a session that was already paused stays paused.
function carryOn() {
  const sheet = slot("stop-sheet");
  if (sheet.open) sheet.close();
  action("pause").focus();
  if (stoppedWhilePlaying) resume();
}

// ---- the end -------------------------------------------------------------------------

async function finish() {
  if (state?.phase !== "end") return; // a second tap while the first is saving
  if (answers.after === null) return ask("end", "Choose a number for your pain now.");
  if (answers.feeling === null) return ask("end", "Choose how the session felt.");
  const note = slot("note").value.trim();
  const rule = ruleDuring(answers.after, answers.before, limitsOf(state.plan));
  if (rule === "flare_day") rememberFlareDay();
  state.phase = "summary";
  state.endedAt = new Date().toISOString();
  state.ending = rule ? { by: "device", rule, advice: adviceText(rule) } : null;
  await record([
    event("pain_reported", { score: answers.after, moment: "after" }),
    event("finished", note ? { feeling: answers.feeling, note } : { feeling: answers.feeling }),
  ]);
  showDone("summary");
}

function showDone(phase) {
  const section = screen(phase);
  const reps = slot("reps", section);
  if (reps) {
    const planned = state.plan.steps.filter((s) => s.kind === "release").length;
    const done = state.doneReps.filter((key) => key.startsWith("rep_done|")).length;
    reps.textContent = `${done} of ${planned}`;
    const { startedAt, endedAt } = state;
    const ms = startedAt && endedAt ? Date.parse(endedAt) - Date.parse(startedAt) : 0;
    slot("time", section).textContent = durationText(ms);
  }
  const title = slot("stopped-title", section);
  if (title) {
    const byPatient = !state.ending || state.ending.by === "patient";
    title.textContent = byPatient ? "You stopped the session" : "Let's stop here for today";
  }
  renderEnding(section, state.ending);
  showPending(outbox.pending);
  showScreen(phase);
}

/** The advice, and the flare plan where it applies, on a screen that ends a session. */
function renderEnding(section, ending) {
  const advice = ending?.advice ?? "";
  slot("advice", section).textContent = advice;
  slot("advice-box", section).hidden = !advice;
  const flareDayRule = ending?.rule === "flare_day";
  slot("flare", section).hidden = !(ending?.flare || showsFlarePlan(ending?.rule));
  slot("re-ask", section).hidden = !(flareDayRule || (ending?.flare && ending?.rule !== "before_above_ceiling"));
}

function showPending(pending) {
  root.dataset.pending = String(pending);
  let text = "Saved to your record.";
  if (pending) {
    text = navigator.onLine
      ? "Sending to your clinic…"
      : "Saved on this device. It will be sent to your clinic when you're back online.";
  }
  for (const element of root.querySelectorAll('[data-slot="sync"]')) element.textContent = text;
}

// ---- recording -----------------------------------------------------------------------

function event(type, data = {}, at = new Date().toISOString()) {
  return { id: crypto.randomUUID(), type, at, data };
}

function record(events) {
  if (!state) return Promise.resolve();
  return outbox.record(state.sessionId, events, saveable()).catch(storageFailed);
}

function save() {
  if (state) outbox?.saveState(saveable()).catch(storageFailed);
}

function saveable() {
  state.savedAt = Date.now();
  if (clock && state.phase === "playing") state.position = clock.snapshot(performance.now());
  state.answers = { ...answers };
  return structuredClone(state);
}

function storageFailed(error) {
  console.error("Could not save the session on this device.", error);
}

function isoAt(perfTime, now) {
  return new Date(Date.now() - (now - perfTime)).toISOString();
}

// ---- screens and controls ------------------------------------------------------------

function showScreen(name, { focus = true } = {}) {
  for (const other of SCREENS) screen(other).hidden = other !== name;
  root.dataset.phase = name;
  // Focus follows the screen, so that keyboards and screen readers carry on from there.
  const target = name === "play" ? action("pause") : screen(name).querySelector("h1");
  if (target && focus) {
    if (target.tagName === "H1") target.tabIndex = -1;
    target.focus({ preventScroll: name === "play" });
  }
  if (name === "play") showPaused(Boolean(clock?.paused));
}

function ask(where, message) {
  const element = root.querySelector(`[data-ask="${where}"]`);
  element.textContent = message;
  element.hidden = false;
}

/** An answer chosen on a scale or among options (radio groups: one tab stop, arrow keys). */
function chosen(input) {
  const pain = input.closest("[data-pain]");
  const choice = input.closest("[data-choice]");
  if (pain) answers[PAIN_ANSWERS[pain.dataset.pain]] = Number(input.value);
  else if (choice) answers[choice.dataset.choice === "reason" ? "stopReason" : "feeling"] = input.value;
  else return;
  input.closest("section, dialog")?.querySelector(".ask")?.setAttribute("hidden", "");
}

/** Show the answers already given (after a reload) as chosen. */
function reflectAnswers() {
  const marks = [
    ['[data-pain="before"]', answers.before],
    ['[data-pain="after"]', answers.after],
    ['[data-choice="feeling"]', answers.feeling],
  ];
  for (const [group, value] of marks) {
    for (const input of root.querySelectorAll(`${group} input[type=radio]`)) {
      input.checked = value !== null && input.value === String(value);
    }
  }
}

function pressed(button, on) {
  button.setAttribute("aria-pressed", String(on));
}

function bindControls() {
  const handlers = {
    start,
    pause: togglePause,
    back: backOneStep,
    skip: askSkip,
    "confirm-skip": () => answerSkip(true),
    "cancel-skip": () => answerSkip(false),
    stop: openStop,
    "confirm-stop": confirmStop,
    "carry-on": carryOn,
    "carry-on-after-interruption": carryOnAfterInterruption,
    "end-after-interruption": endAfterInterruption,
    finish,
    ready: readyNow,
    "how-continue": () => {
      if (answers.exerciseScore === null) return;
      answerHowWasThat(answers.exerciseScore);
    },
    "how-skip": () => answerHowWasThat(null),
    mute: () => {
      voice.setMuted(!voice.muted);
      pressed(action("mute"), voice.muted);
    },
  };
  pressed(action("mute"), voice.muted);
  root.addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button || !root.contains(button)) return;
    handlers[button.dataset.action]?.();
  });
  root.addEventListener("change", (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type === "radio") chosen(e.target);
  });
  // "How was that?" is one tap with a pointer; from the keyboard, arrows then Carry on.
  slot("how").addEventListener("click", (e) => {
    const input = e.target.closest("label.score")?.querySelector("input");
    if (input && e.detail > 0) {
      input.checked = true;
      chosen(input);
      answerHowWasThat(Number(input.value));
    }
  });
  slot("stop-sheet").addEventListener("cancel", () => action("pause").focus());
  slot("skip-sheet").addEventListener("cancel", () => action("skip").focus());
  document.addEventListener("keydown", onKey);
  document.addEventListener("visibilitychange", onVisibility);
  addEventListener("pagehide", save);
  for (const change of ["online", "offline"]) {
    addEventListener(change, () => outbox && showPending(outbox.pending));
  }
  reducedMotion.addEventListener?.("change", (e) => {
    stage.reducedMotion = e.matches;
  });
}

function onKey(e) {
  if (state?.phase !== "playing" || root.dataset.phase !== "play") return;
  if (e.altKey || e.ctrlKey || e.metaKey || root.querySelector("dialog[open]")) return;
  if (e.target.closest?.("input, textarea, select, [contenteditable]")) return;
  if (e.key === " " || e.code === "Space") {
    e.preventDefault(); // not a scroll, and not also a click on the focused button
    togglePause();
  } else if (e.key === "s" || e.key === "S") {
    e.preventDefault();
    openStop();
  }
}

function onVisibility() {
  if (state?.phase !== "playing" || !clock) return;
  if (document.visibilityState === "visible") {
    clearTimeout(hiddenTimer);
    update(performance.now()); // catch up at once, not at the next frame
    if (!clock.paused) wakeLock.acquire();
    return;
  }
  save();
  // Animation frames stop in a hidden tab; a timer (throttled, but alive) keeps the
  // voice going, one step at a time.
  const tick = () => {
    if (!running || document.visibilityState === "visible") return;
    const now = performance.now();
    update(now);
    if (running) hiddenTimer = setTimeout(tick, Math.min(1000, clock.leftMs(now) + 5));
  };
  tick();
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

init().catch((error) => {
  console.error(error);
  showScreen("intro", { focus: false });
});
