// Animates every exercise figure on the page. The markup is an <svg> (or an element
// wrapping one) whose data-animation attribute holds the id of a
// <script type="application/json"> block with the figure's animation data: a data block
// is allowed under a strict Content-Security-Policy where an inline script is not.
import { animateFigure } from "./figure.js";

for (const host of document.querySelectorAll("[data-animation]")) {
  const svg = host instanceof SVGSVGElement ? host : host.querySelector("svg");
  const source = document.getElementById(host.getAttribute("data-animation"));
  if (!svg || !source) continue;
  try {
    animateFigure(svg, JSON.parse(source.textContent));
  } catch (error) {
    // The static picture is already there; a broken animation must not take it away.
    console.error("exercise figure not animated", error);
  }
}
