// The camera coach in the player: off unless the patient turns it on and agrees to the
// camera. Then the pose model (coach/pose.mjs, loaded only now) reads the camera in this
// page and the coach's logic (coach/coach.mjs) turns its landmarks into reps, holds and
// cues. No frame, image or landmark leaves the page: what the coach adds to the session
// is the same rep_done / hold_done events the timer sends, marked "source": "coach".
//
// The timer stays in charge. With the coach on, a hold starts when the pose is reached
// and a rep the coach saw is recorded as the coach's; when the camera is off, refused or
// loses the person, the session plays exactly as it does without it.

import { action, root, slot } from "./dom.js";
import { endStepEarly } from "./playback.js";
import { event, live, record, voice } from "./session.js";

function readJson(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

const specs = readJson("coach-data") ?? {};
const PLACEMENT = "Phone on the floor beside you, about 2 m away; whole body in view.";
const NAMES = {
  nose: "head", ear: "head", shoulder: "shoulders", elbow: "elbows", wrist: "hands",
  hip: "hips", knee: "knees", ankle: "ankles", heel: "feet", foot_index: "feet",
};  // prettier-ignore

const coach = {
  on: false,
  stream: null,
  source: null,
  logic: null, // coach.mjs, once loaded
  current: null, // {key, instance}: the coach for the exercise (and side) on screen
  seen: false,
};

export const coachActions = {
  "coach-on": openConsent,
  "coach-consent": turnOn,
  "coach-cancel": closeConsent,
  "coach-off": turnOff,
};

function openConsent() {
  const sheet = slot("coach-consent");
  if (!sheet.open) sheet.showModal();
  action("coach-consent").focus();
}

function closeConsent() {
  const sheet = slot("coach-consent");
  if (sheet.open) sheet.close();
}

function status(text) {
  slot("coach-status").textContent = text;
}

async function turnOn() {
  closeConsent();
  if (coach.on) return;
  slot("coach").hidden = false;
  action("coach-on").hidden = true;
  slot("coach-placement").textContent = PLACEMENT;
  status("Starting the camera…");
  try {
    const [pose, logic] = await Promise.all([
      import(root.dataset.poseModule),
      import(root.dataset.coachModule),
    ]);
    coach.logic = logic;
    // The camera size pose.mjs asks for (the model sees 256 × 256 whatever it gets).
    coach.stream = await navigator.mediaDevices.getUserMedia(
      pose.CAMERA ?? { video: { facingMode: "user" }, audio: false },
    );
    const video = slot("coach-video");
    video.srcObject = coach.stream;
    await video.play();
    coach.source = await pose.createPoseSource({ model: "lite", video });
    pose.keepForOffline?.().catch(() => {});
  } catch (error) {
    console.warn("The camera coach could not start.", error);
    stopCamera();
    status("The camera coach could not start. The session works the same without it.");
    action("coach-on").hidden = false;
    return;
  }
  coach.on = true;
  root.dataset.coach = "on";
  status("Looking for you…");
  run();
}

function turnOff() {
  coach.on = false;
  stopCamera();
  delete root.dataset.coach;
  slot("coach").hidden = true;
  action("coach-on").hidden = false;
}

function stopCamera() {
  coach.source?.close();
  coach.source = null;
  for (const track of coach.stream?.getTracks() ?? []) track.stop();
  coach.stream = null;
  coach.current = null;
  const video = slot("coach-video");
  video.srcObject = null;
}

async function run() {
  while (coach.on && coach.source) {
    let frame;
    try {
      frame = await coach.source.next();
    } catch (error) {
      console.warn("The camera coach stopped.", error);
      frame = null;
    }
    if (!frame || !coach.on) break;
    onFrame(frame);
    // A camera has a new frame almost always ready, so next() can resolve at once: give
    // the page its turn (the timer, taps, drawing) between two frames.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (coach.on) {
    turnOff();
    status("The camera stopped. The session carries on with the timer.");
  }
}

// The exercise the patient is on (or about to start), and its step.
function now() {
  const clock = live.clock;
  if (clock && live.state?.phase === "playing") return { step: clock.step, index: clock.index };
  const first = live.state?.plan?.steps ?? readJson("plan-data")?.steps ?? [];
  return { step: first.find((s) => s.exercise) ?? null, index: -1 };
}

function onFrame(frame) {
  const { step, index } = now();
  const slug = step?.exercise;
  const spec = slug ? specs[slug] : null;
  if (!spec) {
    status(frame.landmarks ? "We can see you." : "No one in view yet. The timer works as usual.");
    return;
  }
  if (spec.timer_only) {
    status(spec.say);
    return;
  }
  const check = coach.logic.placement(spec, frame);
  if (!frame.landmarks) status("No one in view. The timer carries on as usual.");
  else if (!check.ok) status(`Move so the camera can see your ${seenNames(check.missing)}.`);
  else status(`We can see you.${coach.current ? ` Reps seen: ${coach.current.instance.reps}.` : ""}`);
  if (index < 0 || live.clock.paused || live.clock.waiting) return;

  const key = [slug, step.set, step.side ?? ""].join("|");
  if (coach.current?.key !== key) {
    const hold = live.clock.steps.find(
      (s) => s.exercise === slug && s.set === step.set && s.kind === "hold",
    );
    coach.current = {
      key,
      instance: coach.logic.createCoach(spec, { holdMs: hold ? hold.duration_ms : 0 }),
    };
  }
  for (const e of coach.current.instance.push(frame)) handle(e, step);
}

function seenNames(missing) {
  const words = [...new Set(missing.map((n) => NAMES[n.replace(/^(left|right)_/, "")] ?? n))];
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words.at(-1)}` : words[0];
}

function handle(e, step) {
  if (e.type === "hold_started") {
    const next = live.clock.nextStep;
    if (step.kind === "move" && next?.kind === "hold" && next.rep === step.rep) endStepEarly();
  } else if (e.type === "hold_done" || e.type === "rep_done") {
    // Only while the rep's own hold or release is on: a rep seen late, once the next one
    // has started, is the one the timer has already recorded.
    const current = live.clock.step;
    if (current.kind === "hold" || current.kind === "release") recordRep(e.type, current);
  } else if (e.type === "fault") {
    voice.aside(e.cue);
    slot("coach-cue").textContent = e.cue;
  } else if (e.type === "lost") {
    status("Can't see you. The timer carries on as usual.");
  }
}

// The same rep the timer would record at the end of its step, once, marked as the coach's.
function recordRep(kind, step) {
  if (!step?.exercise || step.rep == null) return;
  const rep = { exercise: step.exercise, set: step.set, rep: step.rep, side: step.side };
  const key = [kind, rep.exercise, rep.set, rep.rep, rep.side].join("|");
  if (live.state.doneReps.includes(key)) return;
  live.state.doneReps.push(key);
  const data = Object.fromEntries(Object.entries(rep).filter(([, v]) => v != null));
  record([{ ...event(kind, data), source: "coach" }]);
}
