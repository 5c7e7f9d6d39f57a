// The camera coach's logic: landmark frames in, events out. No DOM, no camera, no network.
//
// A frame is {t (ms), width, height, landmarks: 33 × {x, y, z, visibility} | null}: the
// pose model's normalised image landmarks (BlazePose order). The exercise's coach table
// (library/coach.py, rendered into the player's page) says what to measure; the measures
// here are the ones library/coach.py computes on the exercise's own keyframes, so that the
// thresholds checked there mean the same thing here.
//
// createCoach(spec, options).push(frame) returns the events that frame caused:
//   {type: "hold_started", t}            the target pose was reached
//   {type: "hold_done", t, held_ms}      it was held for options.holdMs
//   {type: "rep_done", t, rep, held_ms}  back past the exit threshold: one rep counted
//   {type: "fault", t, name, cue}        a named fault, held long enough; one cue at a time
//   {type: "lost", t} / {type: "found", t}  the person (lying down) out of sight, and back

export const LANDMARKS = [
  "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
  "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
  "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
  "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
  "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
  "right_heel", "left_foot_index", "right_foot_index",
];
const INDEX = Object.fromEntries(LANDMARKS.map((name, i) => [name, i]));
const SIDELESS = new Set(
  LANDMARKS.filter((n) => n.startsWith("left_")).map((n) => n.slice("left_".length)),
);

export const DEFAULTS = {
  holdMs: 0, // the hold the player asks for; 0: no hold_started / hold_done events
  minVisibility: 0.5, // a landmark seen less surely than this is not used
  lostAfterMs: 1000, // no usable frame for this long: "lost"
  resetAfterMs: 5000, // lost for this long: the rep in progress is forgotten, not counted
  minRepMs: 300, // a rep shorter than this is noise
  cueCooldownMs: 8000, // at least this long between two spoken cues
  repeatCueMs: 20000, // and this long before the same cue again
  medianOf: 5, // frames in the median that removes single-frame spikes
  smoothMs: 100, // then an exponential smoothing with this time constant
  maxGapMs: 800, // a hold keeps running across dropped frames up to this long
};

// Point names to landmark indices: a side-less name ("knee") gives one variant per side.
export function variants(points) {
  const sideless = points.some((p) => SIDELESS.has(p));
  const sides = sideless ? ["left", "right"] : [null];
  return sides.map((side) =>
    points.map((p) => INDEX[side && SIDELESS.has(p) ? `${side}_${p}` : p]),
  );
}

function seen(lm, i, minVisibility) {
  const p = lm[i];
  return (
    p != null &&
    Number.isFinite(p.x) &&
    Number.isFinite(p.y) &&
    (p.visibility ?? 1) >= minVisibility &&
    p.x > -0.05 && p.x < 1.05 && p.y > -0.05 && p.y < 1.05
  );
}

// (right, up) in pixels, like library/coach.py's (right, up) in centimetres.
function at(frame, i) {
  const p = frame.landmarks[i];
  return [p.x * frame.width, -p.y * frame.height];
}

export function torsoLength(frame, minVisibility = DEFAULTS.minVisibility) {
  const lengths = [];
  for (const side of ["left", "right"]) {
    const s = INDEX[`${side}_shoulder`];
    const h = INDEX[`${side}_hip`];
    if (seen(frame.landmarks, s, minVisibility) && seen(frame.landmarks, h, minVisibility)) {
      const [ax, ay] = at(frame, s);
      const [bx, by] = at(frame, h);
      lengths.push(Math.hypot(ax - bx, ay - by));
    }
  }
  if (!lengths.length) return null;
  const length = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  return length > 0 ? length : null;
}

export function measure(kind, idx, frame, torso) {
  const p = idx.map((i) => at(frame, i));
  if (kind === "angle") {
    const [[ax, ay], [bx, by], [cx, cy]] = p;
    const v1 = [ax - bx, ay - by];
    const v2 = [cx - bx, cy - by];
    const rad = Math.atan2(v1[0] * v2[1] - v1[1] * v2[0], v1[0] * v2[0] + v1[1] * v2[1]);
    return Math.abs((rad * 180) / Math.PI);
  }
  const [[ax, ay], [bx, by]] = p;
  if (kind === "incline") return (Math.atan2(by - ay, Math.abs(bx - ax)) * 180) / Math.PI;
  if (kind === "rise") return (ay - by) / torso;
  if (kind === "level") return Math.abs(ay - by) / torso;
  if (kind === "gap") return Math.hypot(ax - bx, ay - by) / torso;
  throw new Error(`unknown measure ${kind}`);
}

// Each seen variant's value of a measure, on one frame.
export function values(check, frame, torso, minVisibility = DEFAULTS.minVisibility) {
  return sideValues(check, frame, torso, minVisibility).filter((v) => v != null);
}

// The value on each variant (side), null where it is not seen.
function sideValues(check, frame, torso, minVisibility) {
  return variants(check.points).map((idx) =>
    idx.every((i) => seen(frame.landmarks, i, minVisibility))
      ? measure(check.kind, idx, frame, torso)
      : null,
  );
}

// Can the camera see what this exercise needs? {ok, missing: [names]} for the placement
// check: ok when one side shows every needed landmark.
export function placement(spec, frame, minVisibility = DEFAULTS.minVisibility) {
  if (!spec || spec.timer_only) return { ok: false, missing: [] };
  if (!frame || !frame.landmarks) return { ok: false, missing: [...spec.needed] };
  let best = null;
  for (const idx of variants(spec.needed)) {
    const missing = idx.filter((i) => !seen(frame.landmarks, i, minVisibility));
    if (!best || missing.length < best.length) best = missing;
  }
  return { ok: best.length === 0, missing: best.map((i) => LANDMARKS[i]) };
}

// The trunk's angle from level (hip to shoulder), or null when it cannot be seen.
export function trunkIncline(frame, minVisibility = DEFAULTS.minVisibility) {
  const seenValues = values(
    { kind: "incline", points: ["hip", "shoulder"] },
    frame,
    1,
    minVisibility,
  ).map(Math.abs);
  if (!seenValues.length) return null;
  return seenValues.reduce((a, b) => a + b, 0) / seenValues.length;
}

// The rep measure of one frame, furthest towards the target among the sides seen; null
// when the frame cannot be used (nobody, not lying down, the points not seen).
export function frameValue(spec, frame, minVisibility = DEFAULTS.minVisibility) {
  const found = frameValues(spec, frame, minVisibility);
  if (!found || !found.length) return null;
  return spec.enter > spec.exit ? Math.max(...found) : Math.min(...found);
}

function frameValues(spec, frame, minVisibility) {
  const bySide = frameSideValues(spec, frame, minVisibility);
  return bySide && bySide.filter((v) => v != null);
}

function frameSideValues(spec, frame, minVisibility) {
  if (!frame || !frame.landmarks) return null;
  const torso = torsoLength(frame, minVisibility);
  if (torso == null) return null;
  const trunk = trunkIncline(frame, minVisibility);
  if (trunk == null || trunk > spec.trunk_max) return null;
  return sideValues(spec.measure, frame, torso, minVisibility);
}

// Median of the last few values, then exponential smoothing in time.
class Smoother {
  constructor(size, tauMs) {
    this.size = size;
    this.tau = tauMs;
    this.reset();
  }
  reset() {
    this.window = [];
    this.value = null;
    this.t = null;
  }
  push(t, v) {
    this.window.push(v);
    if (this.window.length > this.size) this.window.shift();
    const sorted = [...this.window].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    if (this.value == null) {
      this.value = median;
    } else {
      const alpha = 1 - Math.exp(-Math.max(0, t - this.t) / this.tau);
      this.value += alpha * (median - this.value);
    }
    this.t = t;
    return this.value;
  }
}

export function createCoach(spec, options = {}) {
  const o = { ...DEFAULTS, ...options };
  if (!spec || spec.timer_only) {
    return { push: () => [], get reps() { return 0; }, get state() { return "timer_only"; } };
  }
  const up = spec.enter > spec.exit;
  const beyond = (v, th) => (up ? v >= th : v <= th);
  const back = (v, th) => (up ? v <= th : v >= th);
  const smoother = new Smoother(o.medianOf, o.smoothMs);
  const faults = (spec.faults || []).map((f) => ({
    ...f,
    smoother: new Smoother(o.medianOf, o.smoothMs),
    since: null,
    lastCue: -Infinity,
  }));

  let state = "unknown"; // "unknown" until the rest pose is seen, then "rest" or "in"
  let reps = 0;
  let inSince = 0;
  let inSide = 0; // the side furthest towards the target while in the pose
  let held = 0;
  let holdStarted = false;
  let holdDone = false;
  let lastBeyondT = null; // the last frame beyond `enter`, for the hold timer
  let lastValidT = null;
  let lost = false;
  let lastCueT = -Infinity;

  function faultEvents(frame, t) {
    const torso = torsoLength(frame, o.minVisibility);
    let candidate = null;
    for (const f of faults) {
      const phase = f.when === "any" ? state !== "unknown" : state === "in";
      const found = phase ? values(f.check, frame, torso, o.minVisibility) : [];
      if (!found.length) {
        f.since = null;
        f.smoother.reset();
        continue;
      }
      const above = "above" in f.check;
      const worst = above ? Math.max(...found) : Math.min(...found);
      const v = f.smoother.push(t, worst);
      const bad = above ? v > f.check.above : v < f.check.below;
      if (!bad) {
        f.since = null;
        continue;
      }
      if (f.since == null) f.since = t;
      if (t - f.since >= f.for_ms && !candidate && t - f.lastCue >= o.repeatCueMs) candidate = f;
    }
    if (candidate && t - lastCueT >= o.cueCooldownMs) {
      lastCueT = t;
      candidate.lastCue = t;
      return [{ type: "fault", t, name: candidate.name, cue: candidate.cue }];
    }
    return [];
  }

  function push(frame) {
    const t = frame.t;
    const events = [];
    const bySide = frameSideValues(spec, frame, o.minVisibility);
    // While in the pose, the side doing the work may go out of sight: the frame is then
    // not used, rather than read from the other side alone.
    const usable =
      bySide && bySide.some((v) => v != null) && !(state === "in" && bySide[inSide] == null);
    let raw = null;
    if (usable) {
      bySide.forEach((v, i) => {
        if (v != null && (raw == null || (up ? v > raw : v < raw))) {
          raw = v;
          if (state === "in") inSide = i;
        }
      });
    }
    if (raw == null) {
      const since = lastValidT ?? t;
      if (lastValidT == null) lastValidT = t;
      if (!lost && t - since >= o.lostAfterMs) {
        lost = true;
        events.push({ type: "lost", t });
      }
      if (t - since >= o.resetAfterMs && state !== "unknown") {
        state = "unknown";
        smoother.reset();
      }
      return events;
    }
    if (lost) {
      lost = false;
      events.push({ type: "found", t });
    }
    if (lastValidT != null && t - lastValidT > o.maxGapMs) smoother.reset();
    lastValidT = t;
    const v = smoother.push(t, raw);

    if (state === "unknown") {
      if (back(v, spec.exit)) state = "rest";
    } else if (state === "rest") {
      if (beyond(v, spec.enter)) {
        state = "in";
        inSide = bySide.findIndex((x) => x === raw);
        inSince = t;
        held = 0;
        holdDone = false;
        holdStarted = false;
        lastBeyondT = t;
        if (o.holdMs > 0) {
          holdStarted = true;
          events.push({ type: "hold_started", t });
        }
      }
    } else if (state === "in") {
      if (beyond(v, spec.enter)) {
        if (lastBeyondT != null && t - lastBeyondT <= o.maxGapMs) held += t - lastBeyondT;
        lastBeyondT = t;
        if (holdStarted && !holdDone && held >= o.holdMs) {
          holdDone = true;
          events.push({ type: "hold_done", t, held_ms: Math.round(held) });
        }
      } else {
        lastBeyondT = null;
      }
      if (back(v, spec.exit)) {
        state = "rest";
        if (t - inSince >= o.minRepMs) {
          reps += 1;
          events.push({ type: "rep_done", t, rep: reps, held_ms: Math.round(held) });
        }
      }
    }
    events.push(...faultEvents(frame, t));
    return events;
  }

  return {
    push,
    get reps() {
      return reps;
    },
    get state() {
      return state;
    },
  };
}
