// The invitation card's "Print the card" button (no inline scripts under the CSP).
const button = document.getElementById("print-card");
if (button) button.addEventListener("click", () => window.print());
