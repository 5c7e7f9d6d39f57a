// Synthetic landmark sequences from an exercise's own keyframes, as a phone on the floor
// beside the person would see them through a pose model: perspective, noise, jitter,
// dropped frames, occlusion, left/right swaps, variable frame rate and speed, partial
// reps and injected form faults. Every random choice comes from a seeded generator.
//
// The keyframes come from `supine coach_reference` (the exercise's 33 BlazePose
// landmarks in 3D, centimetres, y up, floor at y = 0).

import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import {
  LANDMARKS,
  frameValue,
  torsoLength,
  values,
  variants,
} from "../../src/supine/static/supine/coach/coach.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// The library as `supine coach_reference` exports it; written once per run.
export function loadReference() {
  const path = process.env.COACH_REFERENCE || join(ROOT, "build", "coach", "reference.json");
  if (!process.env.COACH_REFERENCE) {
    const supine = join(ROOT, ".venv", "bin", "supine");
    execFileSync(supine, ["coach_reference", "--out", path], {
      env: { ...process.env, SUPINE_DEBUG: "1" },
      stdio: "ignore",
    });
  }
  return JSON.parse(readFileSync(path, "utf-8"));
}

export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    between: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => Math.floor(lo + (hi - lo + 1) * next()),
    chance: (p) => next() < p,
    gauss: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
  return r;
}

const ease = (s) => s * s * (3 - 2 * s);
const mix = (a, b, e) => a.map((p, i) => p.map((c, k) => c + (b[i][k] - c) * e));

// ---- the script: which poses, for how long ------------------------------------------

// Segments {from, to, ms} (to == from: held still). `targets` counts full reps; `truth`
// lists, for each full rep, the segment indices of its target's hold.
export function script(exercise, r, { reps, holdMs, speed, partials, camera }) {
  const spec = exercise.coach;
  const kfs = exercise.keyframes;
  const isTarget = (k) => spec.target.includes(kfs[k].name);
  const isRest = (k) => spec.rest.includes(kfs[k].name);
  const segments = [];
  const hold = (pose, ms, tag) => segments.push({ from: pose, to: pose, ms, tag });
  const move = (from, to, ms) => segments.push({ from, to, ms });
  hold(kfs[0].landmarks, r.between(1200, 2500));
  let done = 0;
  let k = 0;
  let partialsLeft = partials;
  while (true) {
    const here = kfs[k];
    const next = (k + 1) % kfs.length;
    if (isTarget(k)) {
      hold(here.landmarks, holdMs * r.between(0.9, 1.1), "target");
      done += 1;
    } else {
      hold(here.landmarks, Math.max(400, here.hold_ms * speed * r.between(0.7, 1.3)));
      if (isRest(k) && partialsLeft > 0 && r.chance(0.5) && done < reps) {
        // A partial rep: part of the way towards the next target, then back.
        let t = next;
        while (!isTarget(t)) t = (t + 1) % kfs.length;
        const f = partialFraction(exercise, here.landmarks, kfs[t].landmarks, camera);
        const peak = mix(here.landmarks, kfs[t].landmarks, f);
        move(here.landmarks, peak, here.ms * speed * 0.6);
        hold(peak, r.between(300, 1200));
        move(peak, here.landmarks, here.ms * speed * 0.6);
        hold(here.landmarks, r.between(500, 1200));
        partialsLeft -= 1;
      }
    }
    if (done >= reps && isRest(k)) break;
    move(here.landmarks, kfs[next].landmarks, here.ms * speed * r.between(0.85, 1.15));
    k = next;
  }
  hold(kfs[k].landmarks, r.between(1000, 2000));
  return segments;
}

// How far from rest towards target a partial rep goes: its value stops between the exit
// and enter thresholds, a little past the exit, so that only the hysteresis refuses it.
function partialFraction(exercise, rest, target, camera) {
  const spec = exercise.coach;
  const centre = bodyCentre(exercise.keyframes[0].landmarks);
  const valueAt = (f) => frameValue(spec, project(mix(rest, target, f), camera, null, centre));
  const goal = spec.exit + 0.35 * (spec.enter - spec.exit);
  const up = spec.enter > spec.exit;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    const v = valueAt(mid);
    if (v != null && (up ? v < goal : v > goal)) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function poseAt(segments, t) {
  let start = 0;
  for (const s of segments) {
    if (t < start + s.ms) return { pose: mix(s.from, s.to, ease((t - start) / s.ms)), seg: s };
    start += s.ms;
  }
  const last = segments[segments.length - 1];
  return { pose: last.to, seg: last };
}

export const duration = (segments) => segments.reduce((a, s) => a + s.ms, 0);

// ---- the camera -----------------------------------------------------------------------

export function standardCamera(azimuth, r = null) {
  const j = (lo, hi, base) => (r ? r.between(lo, hi) : base);
  return {
    azimuth: azimuth + j(-15, 15, 0),
    distance: j(190, 260, 220),
    height: j(5, 25, 10),
    lookHeight: j(20, 40, 30),
    width: r && r.chance(0.5) ? 640 : 1280,
    height_px: null,
    fov: j(60, 70, 65),
  };
}

// Perspective projection of 3D landmarks onto the camera's normalised image.
export function project(pose, cam, r, centre = null) {
  const c = centre || bodyCentre(pose);
  const a = (cam.azimuth * Math.PI) / 180;
  const eye = [c[0] + cam.distance * Math.sin(a), cam.height, c[2] + cam.distance * Math.cos(a)];
  const look = [c[0], cam.lookHeight, c[2]];
  const f = norm(sub(look, eye));
  const right = norm(cross(f, [0, 1, 0]));
  const up = cross(right, f);
  const width = cam.width;
  const height = cam.width === 640 ? 480 : 720;
  const focal = width / 2 / Math.tan(((cam.fov / 2) * Math.PI) / 180);
  const depthMid = dot(sub(c, eye), f);
  const landmarks = pose.map((p) => {
    const d = sub(p, eye);
    const z = dot(d, f);
    return {
      x: 0.5 + (focal * dot(d, right)) / z / width,
      y: 0.5 - (focal * dot(d, up)) / z / height,
      z: (z - depthMid) / 100,
      visibility: z < depthMid ? 0.97 : 0.8,
    };
  });
  if (r) {
    for (const p of landmarks) p.visibility = Math.min(1, p.visibility + r.between(-0.1, 0.03));
  }
  return { t: 0, width, height, landmarks };
}

function bodyCentre(pose) {
  const l = pose[LANDMARKS.indexOf("left_hip")];
  const rt = pose[LANDMARKS.indexOf("right_hip")];
  return [(l[0] + rt[0]) / 2, 0, (l[2] + rt[2]) / 2];
}
const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a) => {
  const n = Math.hypot(...a);
  return a.map((c) => c / n);
};

// ---- faults -----------------------------------------------------------------------------

// Move landmarks in the image so that the fault's check fails clearly, on the side that
// is already nearest to failing. Works on a projected frame, in place.
export function injectFault(frame, fault) {
  const check = fault.check;
  const torso = torsoLength(frame, 0);
  const above = "above" in check;
  const limit = above ? check.above : check.below;
  const sign = above ? 1 : -1;
  let best = null;
  for (const idx of variants(check.points)) {
    const v = values({ kind: check.kind, points: idx.map((i) => LANDMARKS[i]) }, frame, torso, 0)[0];
    if (best == null || sign * v > sign * best.v) best = { idx, v };
  }
  const lm = frame.landmarks;
  const W = frame.width;
  const H = frame.height;
  const px = (i) => [lm[i].x * W, -lm[i].y * H];
  const set = (i, [x, y]) => {
    lm[i].x = x / W;
    lm[i].y = -y / H;
  };
  const { idx } = best;
  if (check.kind === "angle") {
    const want = limit + sign * 8;
    const [a, b, c] = idx.map(px);
    const len = Math.hypot(c[0] - b[0], c[1] - b[1]);
    const base = Math.atan2(a[1] - b[1], a[0] - b[0]);
    // Two places for c at the wanted angle from a; take the nearer to where it was.
    const options = [base + (want * Math.PI) / 180, base - (want * Math.PI) / 180].map((th) => [
      b[0] + len * Math.cos(th),
      b[1] + len * Math.sin(th),
    ]);
    const d = (p) => Math.hypot(p[0] - c[0], p[1] - c[1]);
    set(idx[2], d(options[0]) < d(options[1]) ? options[0] : options[1]);
  } else if (check.kind === "incline") {
    const want = ((limit + sign * 10) * Math.PI) / 180;
    const [a, b] = idx.map(px);
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const dir = Math.sign(b[0] - a[0]) || 1;
    set(idx[1], [a[0] + dir * len * Math.cos(want), a[1] + len * Math.sin(want)]);
  } else if (check.kind === "rise") {
    const [a, b] = idx.map(px);
    set(idx[0], [a[0], b[1] + (limit + sign * 0.12) * torso]);
  } else if (check.kind === "level") {
    const [a, b] = idx.map(px);
    set(idx[0], [a[0], b[1] + (limit + 0.1) * torso]);
  } else if (check.kind === "gap") {
    const [a, b] = idx.map(px);
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const want = (limit + sign * 0.15) * torso;
    set(idx[1], [a[0] + ((b[0] - a[0]) / len) * want, a[1] + ((b[1] - a[1]) / len) * want]);
  }
}

// ---- the sequence -----------------------------------------------------------------------

const PAIRS = LANDMARKS.map((name, i) =>
  name.startsWith("left_")
    ? LANDMARKS.indexOf(`right_${name.slice(5)}`)
    : name.startsWith("right_")
      ? LANDMARKS.indexOf(`left_${name.slice(6)}`)
      : i,
);
const LIMBS = [
  ["left_elbow", "left_wrist", "left_pinky", "left_index", "left_thumb"],
  ["right_elbow", "right_wrist", "right_pinky", "right_index", "right_thumb"],
  ["left_knee", "left_ankle", "left_heel", "left_foot_index"],
  ["right_knee", "right_ankle", "right_heel", "right_foot_index"],
  ["nose", "left_eye", "right_eye", "left_ear", "right_ear"],
].map((names) => names.map((n) => LANDMARKS.indexOf(n)));

// One synthetic sequence: {frames, truth: {reps, holds: [ms], faults: [{name, from, to}]}}.
export function sequence(exercise, seed, { fault = null, partials = 0, hard = true } = {}) {
  const r = rng(seed);
  const spec = exercise.coach;
  const holds = exercise.hold_seconds;
  const holdMs = fault
    ? r.between(4000, 6000)
    : holds
      ? 1000 * r.between(holds[0], Math.min(holds[1], 12))
      : r.between(300, 900);
  const reps = fault ? r.int(4, 8) : r.int(3, 6);
  const speed = r.between(0.6, 1.6);
  const camera = standardCamera(r.chance(0.5) ? 0 : 180, r);
  const segments = script(exercise, r, { reps, holdMs, speed, partials, camera });
  const centre = bodyCentre(exercise.keyframes[0].landmarks);
  const total = duration(segments);
  const fps = r.between(12, 30);
  const noise = hard ? r.between(0.002, 0.005) : 0.002;

  // Bursts of trouble: [start, end) times.
  const bursts = (rate, lo, hi) => {
    const out = [];
    if (!hard) return out;
    for (let t = 0; t < total; t += 1000) {
      if (r.chance(rate)) out.push([t, t + r.between(lo, hi), r.int(0, LIMBS.length - 1)]);
    }
    return out;
  };
  const occlusions = bursts(0.06, 200, 800);
  const swaps = bursts(0.04, 100, 600);
  const inBurst = (list, t) => list.find(([a, b]) => t >= a && t < b);

  // Faults go in the middle of target holds, for 1.5 s each.
  // The coach says the same cue at most once in 20 s (DEFAULTS.repeatCueMs), so a fault
  // comes back no sooner than that.
  const faultWindows = [];
  if (fault) {
    let start = 0;
    for (const s of segments) {
      const from = start + s.ms / 2 - 750;
      const last = faultWindows[faultWindows.length - 1];
      if (s.tag === "target" && (!last || from - last.from > 21_000) && r.chance(0.8)) {
        faultWindows.push({ name: fault.name, from, to: from + 1500 });
      }
      start += s.ms;
    }
  }

  const frames = [];
  let drift = [0, 0];
  for (let t = 0; t < total; t += (1000 / fps) * r.between(0.7, 1.3)) {
    if (hard && r.chance(0.05)) continue; // dropped
    if (hard && r.chance(0.015)) {
      frames.push({ t, width: camera.width, height: camera.width === 640 ? 480 : 720, landmarks: null });
      continue;
    }
    const { pose } = poseAt(segments, t);
    const frame = project(pose, camera, r, centre);
    frame.t = t;
    if (faultWindows.some((w) => t >= w.from && t < w.to)) injectFault(frame, fault);
    drift = drift.map((d) => 0.95 * d + r.gauss() * 0.0006);
    for (const p of frame.landmarks) {
      p.x += drift[0] + r.gauss() * noise;
      p.y += drift[1] + r.gauss() * noise;
    }
    const occluded = inBurst(occlusions, t);
    if (occluded) {
      for (const i of LIMBS[occluded[2]]) {
        frame.landmarks[i].visibility = r.between(0.05, 0.35);
        frame.landmarks[i].x += r.gauss() * 0.05;
        frame.landmarks[i].y += r.gauss() * 0.05;
      }
    }
    if (inBurst(swaps, t)) frame.landmarks = PAIRS.map((j) => frame.landmarks[j]);
    frames.push(frame);
  }

  // The truth: full reps, and for each the time the clean value is beyond `enter`.
  const clean = [];
  for (let t = 0; t < total; t += 20) {
    const { pose } = poseAt(segments, t);
    clean.push([t, frameValue(spec, project(pose, camera, null, centre))]);
  }
  const up = spec.enter > spec.exit;
  const truthHolds = [];
  let inside = false;
  let beyondMs = 0;
  for (const [, v] of clean) {
    if (v == null) continue;
    const beyond = up ? v >= spec.enter : v <= spec.enter;
    const back = up ? v <= spec.exit : v >= spec.exit;
    if (!inside && beyond) {
      inside = true;
      beyondMs = 0;
    }
    if (inside && beyond) beyondMs += 20;
    if (inside && back) {
      inside = false;
      truthHolds.push(beyondMs);
    }
  }
  return {
    frames,
    truth: { reps, partials, holdMs, holds: truthHolds, faults: faultWindows },
    meta: { fps, speed, azimuth: camera.azimuth, noise },
  };
}
