// The figure beside the countdown: the current exercise's SVG, posed to match the step.
// The move step bends the figure from its starting pose to the working pose, the hold
// keeps it there, the release brings it back; setup and cue steps show the movement on
// a loop, as a demonstration. The drawing itself is figure.js's; this only picks poses.

export class FigureStage {
  /**
   * @param {HTMLElement} container holds one `.figure-slot[data-exercise]` per exercise
   * @param {Record<string, object>} figures animation data by exercise slug
   * @param {{poseAt: Function, drawPose: Function} | null} animator figure.js, if it loaded
   */
  constructor(container, figures, animator, { reducedMotion = false } = {}) {
    this.container = container;
    this.figures = figures;
    this.animator = animator;
    this.reducedMotion = reducedMotion;
    this.slug = undefined;
    this.svg = null;
    this.lastStill = null;
    this.broken = false;
  }

  show(slug) {
    // The final step has no exercise: the last picture stays.
    if (slug == null || slug === this.slug) return;
    this.slug = slug;
    this.svg = null;
    this.lastStill = null;
    for (const slot of this.container.querySelectorAll(".figure-slot")) {
      const current = slot.dataset.exercise === slug;
      slot.hidden = !current;
      if (current) this.svg = slot.querySelector("svg");
    }
    this.container.hidden = !this.svg;
  }

  /** Pose the figure for `step`, `intoStepMs` after it began (of `step.duration_ms`). */
  draw(step, intoStepMs) {
    const data = this.figures[this.slug];
    if (!this.svg || !data || !this.animator || this.broken) return;
    const frames = data.keyframes ?? [];
    if (frames.length < 2) return;
    const progress = Math.min(Math.max(intoStepMs / step.duration_ms, 0), 1);
    const peak = peakFrame(frames, step.side);
    let still = null;
    let moving = null;
    switch (step.kind) {
      case "setup":
      case "cue":
        if (this.reducedMotion) still = frames[0];
        else moving = () => this.animator.poseAt(data, intoStepMs);
        break;
      case "move":
        if (this.reducedMotion) still = peak;
        else moving = () => this.animator.poseAt(between(data, frames[0], peak), progress * 1000);
        break;
      case "hold":
        still = peak;
        break;
      case "release":
        if (this.reducedMotion) still = frames[0];
        else moving = () => this.animator.poseAt(between(data, peak, frames[0]), progress * 1000);
        break;
      default:
        still = frames[0];
    }
    try {
      if (still) {
        // A still pose is drawn once, not every frame.
        if (this.lastStill === still) return;
        this.lastStill = still;
        this.animator.drawPose(this.svg, data, poseOf(still));
      } else {
        this.lastStill = null;
        this.animator.drawPose(this.svg, data, moving());
      }
    } catch (error) {
      // The picture is an aid: the session carries on without it.
      this.broken = true;
      console.error("The figure could not be drawn.", error);
    }
  }
}

// The pose the exercise works towards: for a sided rep the keyframe named after that
// side when there is one, otherwise the second keyframe.
function peakFrame(frames, side) {
  if (side) {
    const named = frames.find((f, i) => i > 0 && f.name?.toLowerCase().includes(side));
    if (named) return named;
  }
  return frames[1];
}

// A two-keyframe figure that moves from `a` to `b` in its first second, for poseAt.
function between(data, a, b) {
  return {
    ...data,
    periodMs: 2000,
    keyframes: [
      { ...a, holdMs: 0, ms: 1000 },
      { ...b, holdMs: 0, ms: 1000 },
    ],
  };
}

function poseOf(frame) {
  return { angles: frame.angles, root: frame.root, belly: frame.belly };
}
