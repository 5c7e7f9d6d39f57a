// The safety questions, one group per screen on a phone: progress, Back, Next, and
// "None of these", which answers every question of the group the way that flags nothing.
// Without this module the whole form shows at once and works the same.

const form = document.querySelector("form[data-steps]");
const steps = form ? [...form.querySelectorAll("[data-step]")] : [];

function answered(fieldset) {
  return fieldset.querySelector("input[type=radio]:checked") !== null;
}

function required(fieldset) {
  return fieldset.querySelector("input[type=radio][required]") !== null;
}

if (form && steps.length > 1) {
  const progress = form.querySelector("[data-progress]");
  const nav = form.querySelector("[data-nav]");
  const back = nav.querySelector("[data-back]");
  const none = nav.querySelector("[data-none]");
  const next = nav.querySelector("[data-next]");
  const submit = form.querySelector("[data-submit]");
  // Start where something is still unanswered (a form sent back for a missing answer).
  let current = Math.max(
    0,
    steps.findIndex((step) => step.querySelector("fieldset.missing")),
  );

  const show = (index, focus = true) => {
    current = index;
    steps.forEach((step, i) => {
      step.hidden = i !== index;
    });
    const step = steps[index];
    const last = index === steps.length - 1;
    progress.hidden = false;
    progress.textContent = `Step ${index + 1} of ${steps.length}`;
    back.hidden = index === 0;
    // "None of these" only where every question has an answer that flags nothing.
    none.hidden = [...step.querySelectorAll("fieldset")].some((f) => !f.dataset.safe);
    next.hidden = last;
    submit.hidden = !last;
    if (focus) step.querySelector("h2, h3").focus();
  };

  const complete = (step) => {
    const open = [...step.querySelectorAll("fieldset")].filter(
      (fieldset) => required(fieldset) && !answered(fieldset),
    );
    step.querySelectorAll("fieldset").forEach((f) => f.classList.remove("missing"));
    open.forEach((fieldset) => fieldset.classList.add("missing"));
    if (open.length) open[0].querySelector("input").focus();
    return open.length === 0;
  };

  steps.forEach((step) => step.querySelector("h2, h3").setAttribute("tabindex", "-1"));
  nav.hidden = false;
  back.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => {
    if (complete(steps[current])) show(current + 1);
  });
  none.addEventListener("click", () => {
    for (const fieldset of steps[current].querySelectorAll("fieldset")) {
      fieldset.querySelector(`input[value="${fieldset.dataset.safe}"]`).checked = true;
    }
    if (current === steps.length - 1) form.requestSubmit();
    else show(current + 1);
  });
  show(current, false);
}
