// "When to get help" opens without a connection: its own service worker (the player's,
// served under /help/) keeps the page once it has been seen.

const script = document.querySelector("script[data-sw]");
if (script && "serviceWorker" in navigator) {
  const url = script.dataset.sw;
  navigator.serviceWorker
    .register(url, { scope: new URL(".", new URL(url, location.href)).pathname })
    .catch((error) => console.warn("Offline use of this page is unavailable.", error));
}
