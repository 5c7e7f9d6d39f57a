// The program builder: filters the library as the clinician types or chooses, without
// reloading (and so without losing what they have set). The server applies the same
// filter when scripts do not run; exercises in the program always stay in view.

const form = document.querySelector("[data-filters]");
const rows = [...document.querySelectorAll("[data-row]")];
const counter = document.querySelector("[data-hidden-count]");

function wanted() {
  const value = (name) => form.querySelector(`[data-filter="${name}"]`).value.trim().toLowerCase();
  return {
    search: value("search").split(/\s+/).filter(Boolean),
    position: value("position"),
    region: value("region"),
    equipment: value("equipment"),
  };
}

function matches(row, want) {
  const { name, position, regions, equipment } = row.dataset;
  if (want.position && position !== want.position) return false;
  if (want.region && !regions.toLowerCase().split("|").includes(want.region)) return false;
  if (want.equipment === "none" && equipment) return false;
  if (want.equipment && want.equipment !== "none" && !equipment.includes(want.equipment)) return false;
  return want.search.every((word) => name.includes(word));
}

function apply() {
  const want = wanted();
  let hidden = 0;
  for (const row of rows) {
    const chosen = row.querySelector("[data-include]").checked;
    row.classList.toggle("chosen", chosen);
    row.hidden = !chosen && !matches(row, want);
    if (row.hidden) hidden += 1;
  }
  counter.hidden = hidden === 0;
  counter.textContent = `${hidden} exercise${hidden === 1 ? "" : "s"} hidden by the filter.`;
}

if (form) {
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  for (const box of document.querySelectorAll("[data-include]")) {
    box.addEventListener("change", apply);
  }
  form.querySelector("[data-filter-submit]").hidden = true;
  apply();
}
