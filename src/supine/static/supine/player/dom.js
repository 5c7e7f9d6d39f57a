// The player's page: its root element, and the named parts of it that the modules fill.
// Screens are <section data-screen>, buttons carry data-action, and text goes into
// data-slot elements, so the modules never depend on the page's layout.

export const root = document.getElementById("player");
export const slot = (name, scope = root) => scope.querySelector(`[data-slot="${name}"]`);
export const action = (name) => root.querySelector(`[data-action="${name}"]`);
export const screen = (name) => root.querySelector(`[data-screen="${name}"]`);

export function pressed(button, on) {
  button.setAttribute("aria-pressed", String(on));
}
