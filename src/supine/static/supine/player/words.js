// What the player's screen says, worked out from the timeline: plain functions, no DOM.

/** The exercise's name from the page, or its slug made readable. */
export function exerciseName(names, slug) {
  return names[slug] ?? slug.replaceAll("-", " ").replace(/^./, (c) => c.toUpperCase());
}

/** "Rep 3 of 8 · left side · set 2 of 3", with only the parts that apply. */
export function stepDetail(step, steps) {
  const mine = steps.filter((s) => s.exercise === step.exercise);
  const parts = [];
  if (step.rep) parts.push(`Rep ${step.rep} of ${Math.max(...mine.map((s) => s.rep ?? 0))}`);
  if (step.side) parts.push(`${step.side} side`);
  const sets = Math.max(0, ...mine.map((s) => s.set ?? 0));
  if (step.set && sets > 1) parts.push(`set ${step.set} of ${sets}`);
  return parts.join(" · ");
}

/** "Next: Bridge", "Last exercise", or nothing on the final step. */
export function nextExercise(clock, names) {
  const next = clock.nextExerciseIndex();
  if (next === null) return "";
  const slug = clock.steps[next].exercise;
  return slug ? `Next: ${exerciseName(names, slug)}` : "Last exercise";
}

/** 4:05 */
export function clockText(ms) {
  const total = Math.ceil(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** 4 min 5 s */
export function durationText(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes ? `${minutes} min ${seconds} s` : `${seconds} s`;
}
