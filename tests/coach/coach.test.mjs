// The coach module on hand-made sequences: hysteresis, holds, loss of the person, cues,
// the trunk check, placement, and measures equal to the server's.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  createCoach,
  placement,
  values,
} from "../../src/supine/static/supine/coach/coach.mjs";
import { loadReference, project, standardCamera } from "./synth.mjs";

const reference = loadReference();
const exercise = (slug) => reference.exercises.find((e) => e.slug === slug);
const bridge = exercise("bridge");
const camera = standardCamera(0);
const pose = (ex, name) => ex.keyframes.find((k) => k.name === name).landmarks;
const mix = (a, b, f) => a.map((p, i) => p.map((c, k) => c + (b[i][k] - c) * f));

// Frames at 30 per second following `path`: a list of [ms, fraction of the way from the
// rest keyframe to the target keyframe].
function frames(ex, rest, target, path, edit = null) {
  const out = [];
  let t = 0;
  for (const [ms, f] of path) {
    for (let s = 0; s < ms; s += 33) {
      const frame = project(mix(pose(ex, rest), pose(ex, target), f), camera, null);
      frame.t = t;
      out.push(edit ? edit(frame, t) : frame);
      t += 33;
    }
  }
  return out;
}

function feed(coach, list) {
  const events = [];
  for (const frame of list) events.push(...coach.push(frame));
  return events;
}

const reps = (events) => events.filter((e) => e.type === "rep_done").length;

test("the browser's measures equal the server's on every keyframe, from both sides", () => {
  let compared = 0;
  for (const ex of reference.exercises) {
    if (!ex.measured) continue;
    ex.keyframes.forEach((k, i) => {
      const got = [];
      for (const azimuth of [0, 180]) {
        const a = (azimuth * Math.PI) / 180;
        const landmarks = k.landmarks.map(([x, y, z]) => ({
          x: 0.5 + (x * Math.cos(a) - z * Math.sin(a)) / 1000,
          y: 0.5 - y / 1000,
          visibility: 1,
        }));
        const frame = { t: 0, width: 1000, height: 1000, landmarks };
        const torso = (side) =>
          Math.hypot(
            landmarks[side === "l" ? 11 : 12].x * 1000 - landmarks[side === "l" ? 23 : 24].x * 1000,
            landmarks[side === "l" ? 11 : 12].y * 1000 - landmarks[side === "l" ? 23 : 24].y * 1000,
          );
        got.push(...values(ex.coach.measure, frame, (torso("l") + torso("r")) / 2));
      }
      assert.equal(got.length, ex.measured[i].length, ex.slug);
      got.forEach((v, j) => assert.ok(Math.abs(v - ex.measured[i][j]) < 0.01, `${ex.slug} ${k.name}: ${v} vs ${ex.measured[i][j]}`));
      compared += 1;
    });
  }
  assert.ok(compared >= 20);
});

test("a rep counts once, however long the pose wavers around the enter threshold", () => {
  const path = [[1000, 0], [800, 0.5], [400, 1]];
  for (let i = 0; i < 10; i++) path.push([200, i % 2 ? 1 : 0.8]);
  path.push([800, 0.4], [1000, 0]);
  const events = feed(createCoach(bridge.coach), frames(bridge, "start", "lifted", path));
  assert.equal(reps(events), 1);
});

test("three full lifts count three; lifts that stop between exit and enter count none", () => {
  const full = [[1000, 0], [600, 1], [1000, 0]];
  const coach = createCoach(bridge.coach);
  assert.equal(reps(feed(coach, frames(bridge, "start", "lifted", [...full, ...full, ...full]))), 3);
  // 0.45 of the way: the hip angle passes the exit threshold but not the enter one.
  const partial = [[1000, 0], [1500, 0.45], [1000, 0]];
  const fresh = createCoach(bridge.coach);
  const events = feed(fresh, frames(bridge, "start", "lifted", [...partial, ...partial]));
  assert.equal(reps(events), 0);
  assert.equal(fresh.state, "rest");
});

test("the hold starts when the pose is reached and is done after the asked time", () => {
  const coach = createCoach(bridge.coach, { holdMs: 3000 });
  const events = feed(coach, frames(bridge, "start", "lifted", [[1000, 0], [5000, 1], [1000, 0]]));
  const started = events.find((e) => e.type === "hold_started");
  const done = events.find((e) => e.type === "hold_done");
  assert.ok(started && done);
  assert.ok(done.t - started.t >= 3000 && done.t - started.t < 3300, `${done.t - started.t}`);
  const rep = events.find((e) => e.type === "rep_done");
  assert.ok(Math.abs(rep.held_ms - 5000) < 400, `${rep.held_ms}`);
  // Released early: no hold_done, the rep still counts with its real hold.
  const short = feed(createCoach(bridge.coach, { holdMs: 8000 }), frames(bridge, "start", "lifted", [[1000, 0], [2000, 1], [1000, 0]]));
  assert.equal(short.filter((e) => e.type === "hold_done").length, 0);
  assert.equal(reps(short), 1);
});

test("standing up makes a lifted bridge's hip angle but is never counted", () => {
  // The whole body turned upright about the hips: the trunk is vertical.
  const upright = (p) => {
    const hip = p[23];
    return p.map(([x, y, z]) => [hip[0] + (y - hip[1]), hip[1] + (hip[0] - x) + 90, z]);
  };
  const ex = {
    ...bridge,
    keyframes: bridge.keyframes.map((k) => ({ ...k, landmarks: upright(k.landmarks) })),
  };
  const coach = createCoach(bridge.coach);
  const path = [[1000, 0], [1000, 1], [1000, 0], [1000, 1], [1000, 0]];
  const events = feed(coach, frames(ex, "start", "lifted", path));
  assert.equal(reps(events), 0);
  assert.ok(events.some((e) => e.type === "lost"), "not lying down reads as not found");
});

test("losing the person: lost after a second, found again; a short loss keeps the rep", () => {
  const list = frames(bridge, "start", "lifted", [[1000, 0], [3000, 1], [1000, 0]]);
  const gap = list.map((f) => (f.t > 1800 && f.t < 3300 ? { ...f, landmarks: null } : f));
  const events = feed(createCoach(bridge.coach), gap);
  assert.deepEqual(events.filter((e) => e.type === "lost" || e.type === "found").map((e) => e.type), ["lost", "found"]);
  assert.equal(reps(events), 1);
  // A long loss forgets the rep in progress rather than counting it.
  const long = frames(bridge, "start", "lifted", [[1000, 0], [9000, 1], [1000, 0]]).map((f) =>
    f.t > 1800 && f.t < 9000 ? { ...f, landmarks: null } : f,
  );
  assert.equal(reps(feed(createCoach(bridge.coach), long)), 0);
});

test("a timer-only exercise gives no events at all", () => {
  const tilt = exercise("pelvic-tilt");
  assert.equal(tilt.coach.timer_only, true);
  const coach = createCoach(tilt.coach, { holdMs: 1000 });
  const events = feed(coach, frames(bridge, "start", "lifted", [[1000, 0], [2000, 1], [1000, 0]]));
  assert.deepEqual(events, []);
});

test("one cue at a time: two faults at once give one cue, the next after the cool-down", () => {
  const lowered = (frame) => {
    // Hips sagging (the knee swung down about the hip) and one hip dropped below the other.
    const lm = frame.landmarks;
    for (const k of [25, 26]) lm[k].y += 0.04;
    lm[23].y += 0.12;
    return frame;
  };
  const path = [[1000, 0], [700, 1], [12000, 1], [1000, 0]];
  const list = frames(bridge, "start", "lifted", path, (f, t) => (t > 2000 && t < 13000 ? lowered(f) : f));
  const cues = feed(createCoach(bridge.coach), list).filter((e) => e.type === "fault");
  assert.ok(cues.length >= 1, "the fault is cued");
  for (let i = 1; i < cues.length; i++) assert.ok(cues[i].t - cues[i - 1].t >= 8000);
  assert.ok(cues.length <= 2);
  assert.ok(cues.every((c) => typeof c.cue === "string" && c.cue.length > 0));
});

test("placement: ok when one side shows every needed landmark, the missing ones named", () => {
  const frame = project(pose(bridge, "start"), camera, null);
  assert.equal(placement(bridge.coach, frame).ok, true);
  for (const i of [25, 26]) frame.landmarks[i].visibility = 0.1;
  const check = placement(bridge.coach, frame);
  assert.equal(check.ok, false);
  assert.ok(check.missing.some((n) => n.endsWith("_knee")));
  assert.equal(placement(bridge.coach, { ...frame, landmarks: null }).ok, false);
});
