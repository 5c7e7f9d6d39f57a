// The session clock: which step is playing and how long it has left.
//
// Everything is derived from the current step's deadline on a monotonic clock
// (performance.now() in the page), never from counting ticks, so the answer does not
// depend on how often, or how regularly, the clock is asked: a throttled or hidden
// tab catches up in one call. Pure: no DOM, no timers; `now` is always passed in.
//
// A self-paced step (a change of position or of side) has no deadline: the clock waits
// on it until `ready(now)`, the patient's tap. Its duration_ms is only what it is
// expected to take, which the time left counts.

export class SessionClock {
  /** @param {{duration_ms: number, exercise?: string|null}[]} steps */
  constructor(steps) {
    if (!steps.length) throw new Error("A session needs at least one step.");
    this.steps = steps;
    this.startsAt = [];
    let sum = 0;
    for (const step of steps) {
      this.startsAt.push(sum);
      sum += step.duration_ms;
    }
    this.totalMs = sum;
    this.index = 0;
    this.deadline = 0; // when the current step ends, while playing
    this.leftWhilePaused = steps[0].duration_ms;
    this.paused = true;
    this.finished = false;
    this.waiting = false; // on a self-paced step, until the patient is ready
    this.endedAt = new Map(); // index → when that step ended, on the `now` clock
  }

  /** Start (or resume from a saved snapshot) at `index`, `leftMs` into its countdown. */
  start(now, { index = 0, leftMs = null, paused = false } = {}) {
    this.index = Math.min(Math.max(0, index), this.steps.length - 1);
    const duration = this.steps[this.index].duration_ms;
    const left = leftMs == null ? duration : Math.min(Math.max(0, leftMs), duration);
    this.finished = false;
    this.paused = paused;
    this.leftWhilePaused = left;
    this.deadline = now + left;
    this.waiting = Boolean(this.steps[this.index].self_paced);
    if (this.waiting) this.deadline = Infinity;
  }

  get step() {
    return this.steps[this.index];
  }

  get nextStep() {
    return this.steps[this.index + 1] ?? null;
  }

  /**
   * Move past every step whose deadline has gone by. Each following step starts at the
   * previous deadline, not at `now`, so late frames never stretch the session.
   * Returns the indices of the steps that ended, in order.
   */
  advance(now) {
    const ended = [];
    if (this.paused || this.finished) return ended;
    while (now >= this.deadline) {
      ended.push(this.index);
      this.endedAt.set(this.index, this.deadline);
      if (this.index === this.steps.length - 1) {
        this.finished = true;
        break;
      }
      this.index += 1;
      this.waiting = Boolean(this.step.self_paced);
      this.deadline = this.waiting ? Infinity : this.deadline + this.step.duration_ms;
    }
    return ended;
  }

  /** The patient is ready: a self-paced step ends now. Returns the steps that ended. */
  ready(now) {
    if (!this.waiting || this.finished || this.paused) return [];
    this.waiting = false;
    this.deadline = now;
    return this.advance(now);
  }

  /** The current step is done early (the camera coach saw the pose reached). */
  endNow(now) {
    if (this.waiting || this.finished || this.paused) return [];
    this.deadline = Math.min(this.deadline, now);
    return this.advance(now);
  }

  /** Milliseconds left in the current step: what the countdown shows. */
  leftMs(now) {
    if (this.finished) return 0;
    if (this.waiting) return this.step.duration_ms; // as expected, until it is done
    const left = this.paused ? this.leftWhilePaused : this.deadline - now;
    return Math.min(Math.max(0, left), this.step.duration_ms);
  }

  /** Whole seconds to show on the countdown: 5, 4, 3, 2, 1 (never 0 while running). */
  shownSeconds(now) {
    return Math.ceil(this.leftMs(now) / 1000);
  }

  /** How far through the current step, from 0 to 1. */
  progress(now) {
    return 1 - this.leftMs(now) / this.step.duration_ms;
  }

  elapsedMs(now) {
    if (this.finished) return this.totalMs;
    return this.startsAt[this.index] + this.step.duration_ms - this.leftMs(now);
  }

  sessionLeftMs(now) {
    return this.totalMs - this.elapsedMs(now);
  }

  /** Freezes the countdown; returns the steps that ended before the pause took hold. */
  pause(now) {
    const ended = this.advance(now);
    if (!this.paused && !this.finished) {
      this.leftWhilePaused = this.leftMs(now);
      this.paused = true;
    }
    return ended;
  }

  resume(now) {
    if (!this.paused || this.finished) return;
    this.deadline = this.waiting ? Infinity : now + this.leftWhilePaused;
    this.paused = false;
  }

  /** Restart `index` from its full duration, keeping the paused state. */
  jumpTo(index, now) {
    this.start(now, { index, paused: this.paused });
  }

  /** Back one step, which then plays from its start (a step already at the start restarts). */
  back(now) {
    this.advance(now);
    this.jumpTo(Math.max(0, this.index - (this.finished ? 0 : 1)), now);
  }

  /** The first step of the next exercise (or the final step); null when there is none. */
  nextExerciseIndex() {
    const current = this.step.exercise ?? null;
    if (current === null) return null;
    for (let i = this.index + 1; i < this.steps.length; i += 1) {
      if ((this.steps[i].exercise ?? null) !== current) return i;
    }
    return null;
  }

  /** Skip the rest of this exercise; returns the index skipped to, or null. */
  skipExercise(now) {
    this.advance(now);
    if (this.finished) return null;
    const target = this.nextExerciseIndex();
    if (target !== null) this.jumpTo(target, now);
    return target;
  }

  /**
   * When (on the `now` clock) step `index` ended, for a step that `advance` has just
   * moved past.
   */
  endTimeOf(index) {
    return this.endedAt.get(index) ?? this.deadline;
  }

  /** What to keep so that a reload can carry on from here. */
  snapshot(now) {
    return { index: this.index, leftMs: this.leftMs(now), paused: this.paused };
  }
}
