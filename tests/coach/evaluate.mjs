// The camera coach's synthetic evaluation: `make coach-eval` (node tests/coach/evaluate.mjs).
//
// For every exercise the coach can see: sequences generated from its keyframes (see
// synth.mjs), fed to the coach frame by frame. Reported per exercise: how often the count
// is exact, the hold-time error, how often an injected fault is cued, and whether a
// partial rep was ever counted. Ends with `exact counts: N/M sequences`.

import { fileURLToPath } from "node:url";

import { createCoach } from "../../src/supine/static/supine/coach/coach.mjs";
import { loadReference, sequence } from "./synth.mjs";

export const GOALS = { exactRate: 0.98, holdErrorMs: 1000, faultSensitivity: 0.8 };

export function run(exercise, seq, holdMs = 0) {
  const coach = createCoach(exercise.coach, { holdMs });
  const events = [];
  for (const frame of seq.frames) events.push(...coach.push(frame));
  return events;
}

export function evaluateExercise(exercise, { sequences = 60, faultSequences = 20, seed = 1 } = {}) {
  const result = {
    slug: exercise.slug,
    sequences: 0,
    exact: 0,
    partialSequences: 0,
    partialCounted: 0,
    holdErrors: [],
    faultsInjected: 0,
    faultsCued: 0,
    falseCues: 0,
    misses: [],
  };
  const faults = exercise.coach.faults || [];
  const jobs = [];
  for (let i = 0; i < sequences; i++) jobs.push({ seed: seed * 100_000 + i, partials: i % 3 === 0 ? 2 : 0 });
  for (let i = 0; i < (faults.length ? faultSequences : 0); i++) {
    jobs.push({ seed: seed * 100_000 + 50_000 + i, fault: faults[i % faults.length] });
  }
  for (const job of jobs) {
    const seq = sequence(exercise, job.seed, { fault: job.fault, partials: job.partials || 0 });
    const events = run(exercise, seq);
    const counted = events.filter((e) => e.type === "rep_done");
    result.sequences += 1;
    if (counted.length === seq.truth.reps) result.exact += 1;
    else result.misses.push({ seed: job.seed, counted: counted.length, truth: seq.truth.reps });
    if (job.partials) {
      result.partialSequences += 1;
      if (counted.length > seq.truth.reps) result.partialCounted += 1;
    }
    if (!job.fault && exercise.hold_seconds && counted.length === seq.truth.holds.length) {
      counted.forEach((e, k) => result.holdErrors.push(Math.abs(e.held_ms - seq.truth.holds[k])));
    }
    const cues = events.filter((e) => e.type === "fault");
    if (job.fault) {
      for (const w of seq.truth.faults) {
        result.faultsInjected += 1;
        if (cues.some((c) => c.name === w.name && c.t >= w.from && c.t <= w.to + 1000)) {
          result.faultsCued += 1;
        }
      }
    } else {
      result.falseCues += cues.length;
    }
  }
  return summarise(result);
}

function summarise(r) {
  const sorted = [...r.holdErrors].sort((a, b) => a - b);
  return {
    ...r,
    exactRate: r.exact / r.sequences,
    holdErrorMeanMs: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null,
    holdErrorP95Ms: sorted.length ? sorted[Math.floor(0.95 * (sorted.length - 1))] : null,
    faultSensitivity: r.faultsInjected ? r.faultsCued / r.faultsInjected : null,
  };
}

export function evaluateLibrary(reference, options = {}) {
  return reference.exercises
    .filter((e) => e.coach && !e.coach.timer_only)
    .map((e) => evaluateExercise(e, options));
}

const pct = (x) => (x == null ? "—" : `${(100 * x).toFixed(1)} %`);
const sec = (ms) => (ms == null ? "—" : `${(ms / 1000).toFixed(2)} s`);

export function line(r) {
  const ok =
    r.exactRate >= GOALS.exactRate &&
    r.partialCounted === 0 &&
    (r.holdErrorP95Ms == null || r.holdErrorP95Ms <= GOALS.holdErrorMs) &&
    (r.faultSensitivity == null || r.faultSensitivity >= GOALS.faultSensitivity);
  return (
    `${r.slug}: exact ${r.exact}/${r.sequences} (${pct(r.exactRate)}), ` +
    `hold error mean ${sec(r.holdErrorMeanMs)} p95 ${sec(r.holdErrorP95Ms)}, ` +
    `fault sensitivity ${r.faultsInjected ? `${r.faultsCued}/${r.faultsInjected} (${pct(r.faultSensitivity)})` : "—"}, ` +
    `false cues ${r.falseCues}, partial reps counted ${r.partialCounted}/${r.partialSequences} — ${ok ? "meets goals" : "BELOW GOALS"}`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reference = loadReference();
  const results = evaluateLibrary(reference);
  for (const e of reference.exercises.filter((x) => x.coach && x.coach.timer_only)) {
    console.log(`${e.slug}: timer only (the camera cannot see it)`);
  }
  for (const r of results) console.log(line(r));
  const exact = results.reduce((a, r) => a + r.exact, 0);
  const total = results.reduce((a, r) => a + r.sequences, 0);
  console.log(`exact counts: ${exact}/${total} sequences`);
}
