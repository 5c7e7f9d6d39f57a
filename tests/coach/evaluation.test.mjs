// The synthetic evaluation's goals, on a sample of `make coach-eval`'s sequences, and the
// negative test on real footage: people walking and jumping are never counted.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { createCoach } from "../../src/supine/static/supine/coach/coach.mjs";
import { GOALS, evaluateExercise, line } from "./evaluate.mjs";
import { loadReference } from "./synth.mjs";

const reference = loadReference();
const seen = reference.exercises.filter((e) => e.coach && !e.coach.timer_only);

test("every shipped exercise has a coach table; the ones it cannot see are timer-only", () => {
  assert.equal(reference.exercises.filter((e) => !e.coach || !Object.keys(e.coach).length).length, 0);
  const timerOnly = reference.exercises.filter((e) => e.coach.timer_only).map((e) => e.slug);
  assert.deepEqual(timerOnly.sort(), ["deep-abdominal-strengthening", "pelvic-tilt"]);
});

for (const exercise of seen) {
  test(`synthetic sequences meet the goals: ${exercise.slug}`, () => {
    const r = evaluateExercise(exercise, { sequences: 18, faultSequences: 8 });
    const why = line(r);
    assert.ok(r.exactRate >= GOALS.exactRate, why);
    assert.equal(r.partialCounted, 0, why);
    assert.ok(r.partialSequences > 0, "partial reps were tried");
    if (exercise.hold_seconds) assert.ok(r.holdErrorP95Ms <= GOALS.holdErrorMs, why);
    if ((exercise.coach.faults || []).length) {
      assert.ok(r.faultsInjected > 0);
      assert.ok(r.faultSensitivity >= GOALS.faultSensitivity, why);
    }
    assert.ok(r.falseCues <= 2, why);
  });
}

test("real footage of people walking and jumping counts no rep for any exercise", () => {
  const url = new URL("./fixtures/sports2d_landmarks.json", import.meta.url);
  const footage = JSON.parse(readFileSync(url, "utf-8"));
  assert.ok(footage.frames.filter((f) => f.landmarks).length > 100, "the footage has people in it");
  for (const exercise of reference.exercises) {
    // Played through twice, and once more at half speed, as if slower movements.
    for (const scale of [1, 1, 2]) {
      const coach = createCoach(exercise.coach, { holdMs: 1000 });
      const events = [];
      for (const frame of footage.frames) events.push(...coach.push({ ...frame, t: frame.t * scale }));
      const counted = events.filter((e) => ["rep_done", "hold_started", "hold_done"].includes(e.type));
      assert.deepEqual(counted, [], exercise.slug);
    }
  }
});
