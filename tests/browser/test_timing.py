"""The player's clock, run in the browser: the countdown is derived from deadlines, so
irregular frames, a hidden tab, pauses and jumps never make it drift."""

from __future__ import annotations

import pytest

# One frame at 60 Hz: the most a frame-driven display may lag the truth.
ONE_FRAME_MS = 1000 / 60

IMPORT = 'const { SessionClock } = await import("/static/supine/player/timing.js");'

# About ten minutes of steps of the lengths a real plan has (setup, cue, move, hold,
# release, rest, switch side), in a fixed order.
STEPS = """
const lengths = [10000, 4000, 3000, 5000, 3000, 3000, 7000, 3000, 4000, 30000];
const steps = [];
let total = 0;
while (total < 600000) {
  const duration_ms = lengths[steps.length % lengths.length];
  steps.push({ kind: "hold", exercise: `e${Math.floor(steps.length / 10)}`, duration_ms });
  total += duration_ms;
}
const starts = [];
let sum = 0;
for (const step of steps) { starts.push(sum); sum += step.duration_ms; }
"""


@pytest.fixture
def blank_page(page, live_server):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    yield page
    assert not errors


def test_the_countdown_matches_the_deadlines_through_irregular_frames_and_a_hidden_tab(
    blank_page,
):
    result = blank_page.evaluate(
        "async () => {"
        + IMPORT
        + STEPS
        + """
        // A seeded generator (mulberry32), so that a failure replays exactly.
        let seed = 20261126;
        const random = () => {
          seed = (seed + 0x6d2b79f5) | 0;
          let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
          t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
          return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        };
        // The truth, by plain arithmetic from the start time.
        const truth = (elapsed) => {
          let i = 0;
          while (i + 1 < steps.length && starts[i + 1] <= elapsed) i += 1;
          return { index: i, left: starts[i] + steps[i].duration_ms - elapsed };
        };
        const t0 = 81234.5;  // performance.now() is never 0 when a session starts
        const clock = new SessionClock(steps);
        clock.start(t0);
        let now = t0, worst = 0, wrongStep = 0, wrongSecond = 0, frames = 0;
        let gapTaken = false, stepsAcrossGap = 0, lastInterval = 0;
        const ended = [];
        while (!clock.finished) {
          lastInterval = 5 + random() * 45;
          if (!gapTaken && now - t0 > 200000) { lastInterval = 30000; gapTaken = true; }
          now += lastInterval;
          frames += 1;
          const before = clock.index;
          const justEnded = clock.advance(now);
          ended.push(...justEnded);
          if (lastInterval === 30000) stepsAcrossGap = clock.index - before;
          if (clock.finished) break;
          const want = truth(now - t0);
          if (want.index !== clock.index) wrongStep += 1;
          if (clock.shownSeconds(now) !== Math.ceil(want.left / 1000)) wrongSecond += 1;
          worst = Math.max(
            worst,
            Math.abs(clock.leftMs(now) - want.left),
            Math.abs(clock.elapsedMs(now) - (now - t0)),
            Math.abs(clock.sessionLeftMs(now) - (sum - (now - t0))),
          );
        }
        const everyStepEndedOnce = ended.length === steps.length
          && ended.every((index, i) => index === i);
        return {
          worst, wrongStep, wrongSecond, frames, stepsAcrossGap, everyStepEndedOnce,
          total: sum, finishedLateBy: now - (t0 + sum), lastInterval,
        };
      }"""
    )
    assert result["total"] >= 600_000
    assert result["frames"] > 20_000
    assert result["stepsAcrossGap"] >= 3, "the hidden-tab gap should span several steps"
    assert result["worst"] <= ONE_FRAME_MS, result
    assert result["wrongStep"] == 0, result
    assert result["wrongSecond"] == 0, result
    assert result["everyStepEndedOnce"], result
    # The end is noticed on the first frame after it, never before it.
    assert 0 <= result["finishedLateBy"] < result["lastInterval"], result


def test_pause_and_resume_keep_the_time_left(blank_page):
    result = blank_page.evaluate(
        "async () => {"
        + IMPORT
        + STEPS
        + """
        const clock = new SessionClock(steps);
        clock.start(1000);
        let now = 1000 + 12345;  // 2.345 s into the second step
        clock.advance(now);
        const index = clock.index;
        const left = clock.leftMs(now);
        clock.pause(now);
        const whilePaused = [];
        for (let i = 0; i < 200; i += 1) {
          now += 300 + (i % 7) * 13;
          clock.advance(now);
          whilePaused.push(clock.leftMs(now));
        }
        clock.resume(now);
        const afterResume = clock.leftMs(now);
        const indexAfterResume = clock.index;
        clock.advance(now + left - 1);
        const stillSameStep = clock.index === index;
        clock.advance(now + left);
        return {
          left, afterResume, index, indexAfterResume, stillSameStep,
          nextStep: clock.index,
          frozen: whilePaused.every((ms) => ms === left),
          elapsedAfter: clock.elapsedMs(now + left),
          startOfNext: starts[index + 1],
        };
      }"""
    )
    assert result["frozen"], "the countdown moved while paused"
    assert result["afterResume"] == result["left"]
    assert result["indexAfterResume"] == result["index"]
    assert result["stillSameStep"]
    assert result["nextStep"] == result["index"] + 1
    assert result["elapsedAfter"] == result["startOfNext"]


def test_back_one_step_restores_that_steps_full_duration(blank_page):
    result = blank_page.evaluate(
        "async () => {"
        + IMPORT
        + STEPS
        + """
        const clock = new SessionClock(steps);
        clock.start(500);
        const now = 500 + starts[4] + 1234;  // 1.234 s into step 4
        clock.advance(now);
        const from = clock.index;
        clock.back(now);
        const playing = { index: clock.index, left: clock.leftMs(now),
                          elapsed: clock.elapsedMs(now) };
        // Paused, back keeps it paused, and the full duration waits for Resume.
        clock.advance(now + 2000);
        clock.pause(now + 2000);
        clock.back(now + 2000);
        const paused = { index: clock.index, left: clock.leftMs(now + 9000),
                         isPaused: clock.paused };
        clock.resume(now + 9000);
        const resumedLeft = clock.leftMs(now + 9000);
        // At the very first step, back restarts it.
        const first = new SessionClock(steps);
        first.start(0);
        first.back(2500);
        return { from, playing, paused, resumedLeft, firstIndex: first.index,
                 firstLeft: first.leftMs(2500), durations: steps.map((s) => s.duration_ms),
                 starts };
      }"""
    )
    durations, starts = result["durations"], result["starts"]
    assert result["from"] == 4
    assert result["playing"] == {"index": 3, "left": durations[3], "elapsed": starts[3]}
    assert result["paused"] == {"index": 2, "left": durations[2], "isPaused": True}
    assert result["resumedLeft"] == durations[2]
    assert result["firstIndex"] == 0
    assert result["firstLeft"] == durations[0]


def test_skip_exercise_goes_to_the_next_exercises_first_step(blank_page):
    result = blank_page.evaluate(
        "async () => {"
        + IMPORT
        + """
        const steps = [
          { exercise: "a", duration_ms: 1000 }, { exercise: "a", duration_ms: 2000 },
          { exercise: "b", duration_ms: 3000 }, { exercise: "b", duration_ms: 4000 },
          { exercise: null, duration_ms: 5000 },
        ];
        const clock = new SessionClock(steps);
        clock.start(0);
        clock.advance(1500);
        const first = clock.skipExercise(1500);
        const left = clock.leftMs(1500);
        const second = clock.skipExercise(1500);
        const last = clock.skipExercise(1500);
        return { first, left, second, last, index: clock.index };
      }"""
    )
    assert result == {"first": 2, "left": 3000, "second": 4, "last": None, "index": 4}


def test_a_self_paced_step_waits_for_the_patient_however_long_it_takes(blank_page):
    result = blank_page.evaluate(
        "async () => {"
        + IMPORT
        + """
        const steps = [
          { kind: "setup", self_paced: true, duration_ms: 30000 },
          { kind: "hold", duration_ms: 5000 },
          { kind: "switch_side", self_paced: true, duration_ms: 8000 },
          { kind: "hold", duration_ms: 5000 },
          { kind: "done", duration_ms: 3000 },
        ];
        const clock = new SessionClock(steps);
        clock.start(0);
        const out = {};
        out.endedWhileWaiting = clock.advance(600000).length;  // ten minutes on the floor
        out.waiting = clock.waiting;
        out.left = clock.leftMs(600000);
        out.sessionLeft = clock.sessionLeftMs(600000);
        out.readyEnded = clock.ready(600000);
        out.indexAfterReady = clock.index;
        out.holdEnds = clock.advance(605000);
        out.atSwitch = [clock.index, clock.waiting];
        clock.pause(606000);
        out.readyWhilePaused = clock.ready(607000);
        clock.resume(700000);
        out.stillWaiting = clock.waiting && clock.advance(900000).length === 0;
        out.switchEnded = clock.ready(900000);
        out.switchEndTime = clock.endTimeOf(2);
        out.holdStart = clock.index;
        out.finished = clock.advance(908000) && clock.finished;
        return out;
    }"""
    )
    assert result["endedWhileWaiting"] == 0
    assert result["waiting"] is True
    assert result["left"] == 30000  # shown as its expected time
    assert result["sessionLeft"] == 51000
    assert result["readyEnded"] == [0]
    assert result["indexAfterReady"] == 1
    assert result["holdEnds"] == [1]  # the hold lasts exactly its dose after the tap
    assert result["atSwitch"] == [2, True]
    assert result["readyWhilePaused"] == []
    assert result["stillWaiting"] is True
    assert result["switchEnded"] == [2]
    assert result["switchEndTime"] == 900000
    assert result["holdStart"] == 3
    assert result["finished"] is True
