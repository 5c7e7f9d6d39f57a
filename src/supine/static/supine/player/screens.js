// Which screen shows, the questions' answers as the patient taps them, and the prompts
// when one is missing.

import { action, root, screen, slot } from "./dom.js";
import { answers, live } from "./session.js";

const SCREENS = ["intro", "blocked", "play", "interrupted", "end", "summary", "stopped"];
const PAIN_ANSWERS = {
  before: "before",
  after: "after",
  stop: "stopScore",
  exercise: "exerciseScore",
};

export function showScreen(name, { focus = true } = {}) {
  for (const other of SCREENS) screen(other).hidden = other !== name;
  root.dataset.phase = name;
  // Focus follows the screen, so that keyboards and screen readers carry on from there.
  const target = name === "play" ? action("pause") : screen(name).querySelector("h1");
  if (target && focus) {
    if (target.tagName === "H1") target.tabIndex = -1;
    target.focus({ preventScroll: name === "play" });
  }
  if (name === "play") showPaused(Boolean(live.clock?.paused));
}

export function showPaused(paused) {
  const button = action("pause");
  button.textContent = paused ? "Resume" : "Pause";
  slot("paused").hidden = !paused;
  root.classList.toggle("is-paused", paused);
  slot("announce").textContent = paused ? "Paused" : live.clock.step.text;
}

export function ask(where, message) {
  const element = root.querySelector(`[data-ask="${where}"]`);
  element.textContent = message;
  element.hidden = false;
}

/** An answer chosen on a scale or among options (radio groups: one tab stop, arrow keys). */
export function chosen(input) {
  const pain = input.closest("[data-pain]");
  const choice = input.closest("[data-choice]");
  if (pain) answers[PAIN_ANSWERS[pain.dataset.pain]] = Number(input.value);
  else if (choice) answers[choice.dataset.choice === "reason" ? "stopReason" : "feeling"] = input.value;
  else return;
  input.closest("section, dialog")?.querySelector(".ask")?.setAttribute("hidden", "");
}

/** Show the answers already given (after a reload) as chosen. */
export function reflectAnswers() {
  const marks = [
    ['[data-pain="before"]', answers.before],
    ['[data-pain="after"]', answers.after],
    ['[data-choice="feeling"]', answers.feeling],
  ];
  for (const [group, value] of marks) {
    for (const input of root.querySelectorAll(`${group} input[type=radio]`)) {
      input.checked = value !== null && input.value === String(value);
    }
  }
}
