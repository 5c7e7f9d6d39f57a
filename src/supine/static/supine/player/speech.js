// The voice: step cues and the last seconds of a hold, spoken with the Web Speech API.
// Where the browser has no speech, a short tone marks each step instead, so that
// someone lying on the floor still hears that something changed.

const MUTED_KEY = "supine.player.muted";

export class Voice {
  constructor({ storage = globalThis.localStorage, synth = globalThis.speechSynthesis } = {}) {
    this.storage = storage;
    this.synth = synth ?? null;
    this.audio = null;
    this.muted = readMuted(storage);
  }

  get canSpeak() {
    return this.synth !== null && typeof globalThis.SpeechSynthesisUtterance === "function";
  }

  /**
   * Call from the tap that starts the session: browsers allow speech and audio only
   * after a user gesture, and the first utterance is the one they check.
   */
  prime() {
    if (this.canSpeak) {
      this.synth.cancel();
      if (!this.muted) this.synth.speak(utterance("Let's begin."));
      return;
    }
    const Context = globalThis.AudioContext ?? globalThis.webkitAudioContext;
    if (Context && !this.audio) {
      try {
        this.audio = new Context();
      } catch {
        this.audio = null;
      }
    }
    this.audio?.resume?.();
  }

  setMuted(muted) {
    this.muted = muted;
    try {
      this.storage?.setItem(MUTED_KEY, muted ? "1" : "0");
    } catch {
      // Private browsing may refuse storage; the toggle still works for this visit.
    }
    if (muted) this.silence();
  }

  /** A new step: its cue replaces anything still being said about the last one. */
  cue(text) {
    if (this.muted) return;
    if (this.canSpeak) {
      this.synth.cancel();
      if (text) this.synth.speak(utterance(text));
    } else {
      this.tone(660, 0.18);
    }
  }

  /** A remark that waits its turn: said only when nothing else is being said. */
  aside(text) {
    if (this.muted || !this.canSpeak || !text) return false;
    if (this.synth.speaking || this.synth.pending) return false;
    this.synth.speak(utterance(text));
    return true;
  }

  /** "3", "2", "1" at the end of a hold: queued after the cue, never cutting it off. */
  count(n) {
    if (this.muted) return;
    if (this.canSpeak) this.synth.speak(utterance(String(n)));
    else this.tone(880, 0.08);
  }

  silence() {
    if (this.canSpeak) this.synth.cancel();
  }

  tone(frequency, seconds) {
    const context = this.audio;
    if (!context || context.state === "closed") return;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    const start = context.currentTime;
    oscillator.frequency.value = frequency;
    // A quick fade in and out, so the tone doesn't click.
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + seconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + seconds + 0.05);
  }
}

function utterance(text) {
  const spoken = new SpeechSynthesisUtterance(text);
  spoken.lang = document.documentElement.lang || "en-GB";
  spoken.rate = 0.95; // a little slower than a chat: the listener is busy moving
  return spoken;
}

function readMuted(storage) {
  try {
    return storage?.getItem(MUTED_KEY) === "1";
  } catch {
    return false;
  }
}
