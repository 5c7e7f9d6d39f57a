// The session being played, shared by the player's modules: what is saved on the device
// (`live.state`, see newState()), the clock, the patient's answers, and the few things
// made once per page (the voice, the wake lock, the figure). Also how events are made,
// recorded through the outbox and saved with the player's state.

import { root, slot } from "./dom.js";
import { FigureStage } from "./figure-stage.js";
import { Voice } from "./speech.js";
import { adviceKey, localDay } from "./stop-rules.js";
import { screenWakeLock } from "./wake-lock.js";

export const STATE_VERSION = 1;
// How long Start waits to hear whether the server lets the session begin; after that
// the session starts anyway and the outbox carries on trying.
export const START_ANSWER_MS = 4000;

function readJson(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

export const pagePlan = readJson("plan-data");
export const names = readJson("exercise-names") ?? {};
const figures = readJson("figure-data") ?? {};
const FLARE_KEY = `supine.player.flare-day.${root.dataset.user}`;
export const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

export const voice = new Voice();
export const wakeLock = screenWakeLock();
export const stage = new FigureStage(slot("figures"), figures, null, {
  reducedMotion: reducedMotion.matches,
});

// Module bindings cannot be reassigned from outside; the modules share these instead.
export const live = {
  outbox: null,
  state: null, // what is saved: see newState()
  clock: null,
  running: false,
  frameId: 0,
  hiddenTimer: 0,
  shown: { index: -1, seconds: -1 }, // what the screen shows now, to redraw only changes
  starting: null, // the answer to "may this session start?", while Start waits for it
  stoppedWhilePlaying: false,
};

// Calls that would make two modules import each other. A cycle of imports cannot be
// served as hashed static files (each name would depend on the other's), so the module
// that owns the function puts it here when it loads.
export const hooks = {
  askHowWasThat: (exercise, now) => {}, // pain-prompt.js
};
export const answers = {
  before: null,
  after: null,
  feeling: null,
  stopScore: null,
  stopReason: null,
  exerciseScore: null,
};

export function newState(sessionId, plan) {
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

// The plan's advice, in the clinic's region's words: what the device says until (and
// unless) the server's verdict says something else.
export function adviceText(ruleOrReason) {
  const key = adviceKey(ruleOrReason);
  if (!key) return "";
  return live.state?.plan?.advice?.[key] ?? pagePlan?.advice?.[key] ?? "";
}

export function rememberFlareDay() {
  try {
    localStorage.setItem(FLARE_KEY, localDay());
  } catch {
    // Private browsing may refuse storage; the server still refuses today's sessions.
  }
}

export function flareDay() {
  try {
    return localStorage.getItem(FLARE_KEY) === localDay();
  } catch {
    return false;
  }
}

export function event(type, data = {}, at = new Date().toISOString()) {
  return { id: crypto.randomUUID(), type, at, data };
}

export function record(events) {
  if (!live.state) return Promise.resolve();
  return live.outbox.record(live.state.sessionId, events, saveable()).catch(storageFailed);
}

export function save() {
  if (live.state) live.outbox?.saveState(saveable()).catch(storageFailed);
}

export function saveable() {
  live.state.savedAt = Date.now();
  if (live.clock && live.state.phase === "playing") {
    live.state.position = live.clock.snapshot(performance.now());
  }
  live.state.answers = { ...answers };
  return structuredClone(live.state);
}

function storageFailed(error) {
  console.error("Could not save the session on this device.", error);
}

export function isoAt(perfTime, now) {
  return new Date(Date.now() - (now - perfTime)).toISOString();
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
