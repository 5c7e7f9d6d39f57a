// The server's word on a session: a session refused before it starts, and the verdict
// on each batch of events, which is final (a stop there stops the player at once).

import { root, screen } from "./dom.js";
import { renderEnding, showDone } from "./finish.js";
import { halt } from "./playback.js";
import { showScreen } from "./screens.js";
import { adviceText, live, rememberFlareDay, save, voice, wakeLock } from "./session.js";
import { showsFlarePlan } from "./stop-rules.js";

export function blocked(body) {
  if (live.starting) live.starting.blocked = true;
  halt();
  voice.silence();
  if (body?.flare) rememberFlareDay();
  live.state = null;
  live.outbox.clearState();
  const advice = body?.advice || "Your clinic needs to check in with you before your next session.";
  renderEnding(screen("blocked"), { by: "server", rule: body?.flare ? "flare_day" : null, advice });
  showScreen("blocked");
}

/** The server's word on a session, from its answer to a batch of events. */
export function verdict(sessionId, session) {
  if (!live.state || sessionId !== live.state.sessionId) return;
  live.state.verdict = session;
  if (session.flare || session.rule === "flare_day") rememberFlareDay();
  if (session.status !== "stopped") {
    save();
    return;
  }
  const mine = live.state.ending;
  const rule = session.rule ?? mine?.rule ?? null;
  const ending = {
    by: mine?.by === "patient" ? "patient" : "server",
    rule,
    reason: mine?.reason ?? null,
    // The stricter wins: a flare plan shown by either stays.
    flare: Boolean(session.flare || mine?.flare || showsFlarePlan(mine?.rule)),
    // What the server says is what is shown, once it has said something.
    advice: session.advice || mine?.advice || adviceText(rule),
  };
  if (live.state.phase === "playing" || live.state.phase === "end") {
    endedByServer(ending);
  } else {
    live.state.ending = ending;
    save();
    if (root.dataset.phase === live.state.phase) renderEnding(screen(live.state.phase), ending);
  }
}

// The server has ended the session: stop everything now, and never coach it again.
function endedByServer(ending) {
  const played = live.clock !== null;
  halt();
  if (live.clock && !live.clock.paused) live.clock.pause(performance.now());
  for (const sheet of root.querySelectorAll("dialog[open]")) sheet.close();
  wakeLock.release();
  live.state.ending = ending;
  live.state.endedAt = new Date().toISOString();
  // A session stopped before it ever played (its rating before was too high) is "not today".
  live.state.phase = played || !showsFlarePlan(ending.rule) ? "stopped" : "blocked";
  save();
  if (played) voice.cue("Session stopped. Please look at your screen.");
  else voice.silence();
  showDone(live.state.phase);
}
