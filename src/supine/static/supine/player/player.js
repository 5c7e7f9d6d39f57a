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
// This module starts the player, restores a session after a reload, starts a session
// and binds the controls. The rest, one concern a module:
//   session.js       the session shared by the modules; events, recording, saving
//   dom.js           the page's root, screens, buttons and text slots
//   playback.js      playing the timeline: frames, steps, countdown, pause, back, skip
//   pain-prompt.js   "How was that?" after each exercise
//   stop.js          STOP: the pain now, the reason, and what follows
//   finish.js        the end: last questions, summary and stopped screens, sync status
//   verdict.js       the server's verdict, and a session refused before it starts
//   screens.js       which screen shows, the answers chosen, the prompts
//   timing.js        the clock: current step and countdown, from deadlines
//   queue.js         the outbox (IndexedDB), the saved player state, the server's verdicts
//   stop-rules.js    clinical-rules.md §2's stop rules, as the device applies them
//   speech.js        spoken cues, or tones where there is no speech
//   figure-stage.js  which pose the figure shows for each step (drawn by figure.js)
//   words.js         the text on screen, from the timeline
//   wake-lock.js     keeps the screen on
//   coach.js         the camera coach, when the patient turns it on (off by default)
//
// Every module is named in the page as a modulepreload link, so that the service worker
// (sw.js) caches them all for offline use.

import { coachActions } from "./coach.js";
import { action, pressed, root, slot } from "./dom.js";
import { finish, showDone, showPending } from "./finish.js";
import { answerHowWasThat, askHowWasThat } from "./pain-prompt.js";
import {
  answerSkip,
  askSkip,
  backOneStep,
  onVisibility,
  play,
  readyNow,
  render,
  stepStarted,
  togglePause,
} from "./playback.js";
import { Outbox } from "./queue.js";
import { ask, chosen, reflectAnswers, showScreen } from "./screens.js";
import {
  START_ANSWER_MS,
  STATE_VERSION,
  adviceText,
  answers,
  delay,
  event,
  flareDay,
  live,
  newState,
  pagePlan,
  record,
  reducedMotion,
  rememberFlareDay,
  save,
  saveable,
  stage,
  voice,
  wakeLock,
} from "./session.js";
import { limitsOf, ruleBefore } from "./stop-rules.js";
import {
  carryOn,
  carryOnAfterInterruption,
  confirmStop,
  endAfterInterruption,
  openStop,
} from "./stop.js";
import { SessionClock } from "./timing.js";
import { blocked, verdict } from "./verdict.js";

// A session left paused for longer than this is not offered again; its events still sync.
const RESUMABLE_FOR_MS = 12 * 60 * 60 * 1000;
// A finished, stopped or refused session is shown again only while it is still sending.
const DONE_PHASES = ["summary", "stopped", "blocked"];

async function init() {
  bindControls();
  loadAnimator();
  registerServiceWorker();
  live.outbox = await Outbox.open({
    owner: root.dataset.user,
    onChange: showPending,
    onBlocked: blocked,
    onCreated: created,
    onVerdict: verdict,
  });
  const saved = await live.outbox.loadState();
  if (saved && resumable(saved)) restore(saved);
  else {
    if (saved) await live.outbox.clearState();
    showScreen("intro", { focus: false });
  }
  live.outbox.flush();
}

function resumable(saved) {
  if (saved.version !== STATE_VERSION || !saved.plan?.steps?.length) return false;
  if (Date.now() - saved.savedAt > RESUMABLE_FOR_MS) return false;
  if (DONE_PHASES.includes(saved.phase)) return live.outbox.pending > 0;
  return saved.phase === "playing" || saved.phase === "end";
}

function restore(saved) {
  live.state = saved;
  root.dataset.session = saved.sessionId;
  Object.assign(answers, saved.answers);
  reflectAnswers();
  if (live.state.phase === "playing") {
    const wasPlaying = !live.state.position.paused;
    const lastSaved = live.state.savedAt;
    live.clock = new SessionClock(live.state.plan.steps);
    // Always paused after a reload: the patient may not be on the floor yet.
    live.clock.start(performance.now(), { ...live.state.position, paused: true });
    showScreen("play");
    stepStarted(performance.now());
    render(performance.now());
    // The page went away mid-step; the last save is the last moment known to be playing.
    if (wasPlaying) record([event("paused", {}, new Date(lastSaved).toISOString())]);
    if (live.state.asking) askHowWasThat(live.state.asking, performance.now());
  } else if (live.state.phase === "end") {
    showScreen("end");
  } else {
    showDone(live.state.phase);
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
  live.clock = null;
  live.state = newState(crypto.randomUUID(), pagePlan);
  live.state.startedAt = new Date().toISOString();
  root.dataset.session = live.state.sessionId;
  live.starting = {};
  // Created with its first events in one write: a reload from here on resumes it.
  const first = [
    event("started"),
    event("pain_reported", { score: answers.before, moment: "before" }),
  ];
  await live.outbox.createSession(live.state.sessionId, first, saveable());
  await Promise.race([live.outbox.flush(), delay(START_ANSWER_MS)]);
  const answer = live.starting;
  live.starting = null;
  // blocked() or a verdict has already said why not.
  if (answer.blocked || live.state?.phase !== "playing") return;
  if (answer.plan?.steps?.length) live.state.plan = answer.plan; // the server's copy is the record
  live.clock = new SessionClock(live.state.plan.steps);
  const now = performance.now();
  live.clock.start(now);
  showScreen("play");
  stepStarted(now, { speak: true });
  play();
}

// The rating before is too high for a session today (clinical-rules.md §2): nothing plays.
// The rating still goes to the server, which judges it too and tells the clinic.
async function noSessionToday(rule) {
  if (rule === "flare_day") rememberFlareDay();
  live.state = newState(crypto.randomUUID(), pagePlan);
  live.state.phase = "blocked";
  live.state.ending = { by: "device", rule, advice: adviceText(rule) };
  root.dataset.session = live.state.sessionId;
  showDone("blocked");
  const rating = event("pain_reported", { score: answers.before, moment: "before" });
  await live.outbox.createSession(live.state.sessionId, [rating], saveable());
  showPending(live.outbox.pending);
  live.outbox.flush();
}

function created(session) {
  if (live.starting) live.starting.plan = session?.plan;
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
    ...coachActions,
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
    addEventListener(change, () => live.outbox && showPending(live.outbox.pending));
  }
  reducedMotion.addEventListener?.("change", (e) => {
    stage.reducedMotion = e.matches;
  });
}

function onKey(e) {
  if (live.state?.phase !== "playing" || root.dataset.phase !== "play") return;
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

init().catch((error) => {
  console.error(error);
  showScreen("intro", { focus: false });
});
