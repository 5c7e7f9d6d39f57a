// The screen stays on while the session plays. The browser drops the lock whenever the
// page is hidden, so the player asks again on the way back.

export function screenWakeLock() {
  let sentinel = null;
  return {
    async acquire() {
      if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
      if (sentinel && !sentinel.released) return;
      try {
        sentinel = await navigator.wakeLock.request("screen");
      } catch {
        sentinel = null; // battery saver or a policy said no: the session still plays
      }
    },
    release() {
      sentinel?.release().catch(() => {});
      sentinel = null;
    },
  };
}
