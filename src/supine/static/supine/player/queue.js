// The outbox: every request the player makes to the server waits here, in IndexedDB,
// until the server has answered for it. A session is created and its events recorded
// in the order they happened; a dropped connection, a reload or a closed tab only
// delays them. The server deduplicates by id, so sending something twice is harmless,
// and a record leaves the outbox only once the server has accepted it (or said it has
// it already).
//
// The player's own state is kept in the same database, written in the same
// transaction as the events of a step, so that what the screen shows after a reload
// and what is waiting to be sent never disagree.
//
// Both belong to the person signed in (a family may share a tablet): each sees and
// sends only their own, and the rest waits for its owner to sign in again.

const DB_NAME = "supine-player";
const OUTBOX = "outbox";
const PLAYER = "player";
const API = "/api/v1/me/sessions";
const PAIN_API = "/api/v1/me/pain";
const BATCH = 100;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
const REQUEST_TIMEOUT_MS = 20_000;

export class Outbox {
  /**
   * @param {object} options
   * @param {string} options.owner who is signed in
   * @param {(pending: number) => void} [options.onChange] after every change to the outbox
   * @param {(body: object) => void} [options.onBlocked] the server refused to start a session
   * @param {(session: object) => void} [options.onCreated] the server's answer to a creation
   * @param {(sessionId: string, verdict: object) => void} [options.onVerdict] the server's
   *   verdict on a session (its `session` in the answer to a batch of events), as soon as
   *   the answer arrives: after a reconnect as much as at once
   */
  static async open(options) {
    let store;
    try {
      store = new IdbStore(await openDatabase(), options.owner);
    } catch (error) {
      // Without IndexedDB (some private windows) the player still works online.
      console.warn("Offline storage is unavailable; nothing will survive a reload.", error);
      store = new MemoryStore();
    }
    const outbox = new Outbox(store, options);
    await outbox.notify();
    return outbox;
  }

  constructor(store, { onChange, onBlocked, onCreated, onVerdict, fetch = globalThis.fetch } = {}) {
    this.store = store;
    this.onChange = onChange ?? (() => {});
    this.onBlocked = onBlocked ?? (() => {});
    this.onCreated = onCreated ?? (() => {});
    this.onVerdict = onVerdict ?? (() => {});
    this.fetch = fetch.bind(globalThis);
    this.running = null;
    this.again = false;
    this.attempt = 0;
    this.timer = null;
    this.pending = 0;
    globalThis.addEventListener?.("online", () => {
      this.attempt = 0;
      this.flush();
    });
  }

  /** Queue the creation of a session with its first events, and save the player's state. */
  async createSession(sessionId, events, state) {
    const records = [
      { session: sessionId, kind: "create", body: { id: sessionId } },
      ...events.map((body) => ({ session: sessionId, kind: "event", body })),
    ];
    await this.store.write(records, state);
    await this.notify();
  }

  /** Queue events of one session, and save the player's state in the same transaction. */
  async record(sessionId, events, state) {
    const records = events.map((body) => ({ session: sessionId, kind: "event", body }));
    await this.store.write(records, state);
    await this.notify();
    // Offline, the `online` event (or the scheduled retry) sends them.
    if (records.length && navigator.onLine !== false) this.flush();
  }

  saveState(state) {
    return this.store.write([], state);
  }

  loadState() {
    return this.store.readState();
  }

  clearState() {
    return this.store.write([], null);
  }

  async notify() {
    this.pending = await this.store.count();
    this.onChange(this.pending);
  }

  /** Send everything that is waiting; one run at a time, later calls join it. */
  flush() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.timer = null;
    this.running = (async () => {
      let delivered;
      do {
        this.again = false;
        delivered = await this.sendAll();
      } while (this.again && delivered);
      return delivered;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  // Returns true when the outbox is empty, false when a retry has been scheduled.
  async sendAll() {
    for (;;) {
      const head = await this.store.head(BATCH);
      if (!head.length) {
        this.attempt = 0;
        await this.notify();
        return true;
      }
      const first = head[0];
      // A batch is the run of events of one session at the head: order is kept.
      const batch = [first];
      if (first.kind === "event") {
        for (const record of head.slice(1)) {
          if (record.kind !== "event" || record.session !== first.session) break;
          batch.push(record);
        }
      }

      let response;
      try {
        const url = { create: API, pain: PAIN_API }[first.kind] ?? `${API}/${first.session}/events`;
        response = await this.post(
          url,
          first.kind === "event" ? { events: batch.map((r) => r.body) } : first.body,
        );
      } catch {
        return this.retryLater(); // offline, timed out, or the connection dropped
      }
      const body = await response.json().catch(() => null);
      if (response.status >= 500 || response.status === 429 || response.status === 401) {
        // 401: signed out; the records wait for the patient to sign in again.
        return this.retryLater();
      }
      if (first.kind === "create") {
        if (response.ok) {
          await this.store.remove([first.seq]);
          this.onCreated(body);
        } else if (response.status === 403 && body?.blocked) {
          // No session may start now, but the pain the patient rated is kept: it goes
          // to their diary (by the same ids, so sending it twice stores it once).
          await this.store.replaceSession(first.session, painDiary(await this.store.mine(), first.session));
          this.onBlocked(body);
        } else {
          this.dropBecauseRefused(response, body, batch);
          await this.store.remove([first.seq]);
        }
      } else if (first.kind === "pain") {
        if (!response.ok) this.dropBecauseRefused(response, body, batch);
        await this.store.remove([first.seq]);
      } else if (response.ok) {
        // The verdict first: a session the server has ended must stop before anything else.
        if (body?.session) this.tell(this.onVerdict, first.session, body.session);
        // Refused reps (not in the session's plan) are settled too: resending can't help.
        const settled = new Set([
          ...(body?.accepted ?? []),
          ...(body?.duplicates ?? []),
          ...(body?.refused ?? []),
        ]);
        const delivered = batch.filter((r) => settled.has(r.body.id)).map((r) => r.seq);
        if (!delivered.length) return this.retryLater();
        await this.store.remove(delivered);
      } else {
        // A 4xx means the request itself is wrong; sending it again can't help.
        this.dropBecauseRefused(response, body, batch);
        await this.store.remove(batch.map((r) => r.seq));
      }
      this.attempt = 0;
      await this.notify();
    }
  }

  // A fault in the page's handler must not stop the outbox from sending.
  tell(handler, ...args) {
    try {
      handler(...args);
    } catch (error) {
      console.error("The player could not act on the server's answer.", error);
    }
  }

  dropBecauseRefused(response, body, batch) {
    console.error(
      `The server refused ${batch.length} queued record(s) with ${response.status}; dropping them.`,
      body,
      batch.map((r) => r.body),
    );
  }

  post(url, payload) {
    return this.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(payload),
      // A request that hangs on bad Wi-Fi is given up and sent again later (the server
      // keeps one copy). Real time, whatever the page's timers are doing.
      signal: AbortSignal.timeout?.(REQUEST_TIMEOUT_MS),
    });
  }

  async retryLater() {
    await this.notify();
    // Doubling, with some randomness so that many phones coming back online at once
    // don't all knock at the same moment; capped so that a patient back on Wi-Fi waits
    // half a minute at most (the `online` event usually beats it).
    const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempt);
    const delay = navigator.onLine === false ? MAX_RETRY_MS : ceiling * (0.5 + Math.random() / 2);
    this.attempt = Math.min(this.attempt + 1, 16);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), delay);
    return false;
  }
}

/** The pain ratings among a session's queued events, as diary entries. */
export function painDiary(records, session) {
  const diary = [];
  for (const { session: owner, kind, body } of records) {
    if (owner !== session || kind !== "event") continue;
    if (body.type !== "pain_reported" && body.type !== "stopped") continue;
    const when = body.type === "stopped" ? `at STOP (${body.data.reason})` : body.data.moment;
    diary.push({
      session: null,
      kind: "pain",
      body: {
        id: body.id,
        score: body.data.score,
        moment: "diary",
        note: `Rated ${when} in a session that could not start: ${body.at}`,
      },
    });
  }
  return diary;
}

/** Django's CSRF token: the cookie when there is one (it is the freshest), else the page's. */
export function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

// ---- storage --------------------------------------------------------------------------

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(OUTBOX, { keyPath: "seq", autoIncrement: true });
      db.createObjectStore(PLAYER);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("The player's database is open in an older tab."));
  });
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error("transaction aborted"));
  });
}

class IdbStore {
  constructor(db, owner) {
    this.db = db;
    this.owner = String(owner ?? "");
    this.stateKey = `state:${this.owner}`;
  }

  // `state` undefined leaves the saved state alone; null clears it.
  async write(records, state) {
    const transaction = this.db.transaction([OUTBOX, PLAYER], "readwrite");
    const outbox = transaction.objectStore(OUTBOX);
    for (const record of records) outbox.add({ ...record, owner: this.owner });
    if (state === null) transaction.objectStore(PLAYER).delete(this.stateKey);
    else if (state !== undefined) transaction.objectStore(PLAYER).put(state, this.stateKey);
    await committed(transaction);
  }

  readState() {
    const transaction = this.db.transaction(PLAYER, "readonly");
    return done(transaction.objectStore(PLAYER).get(this.stateKey)).then((state) => state ?? null);
  }

  // An outbox holds a few sessions' events at most: reading it whole is cheap.
  async mine() {
    const all = await done(this.db.transaction(OUTBOX, "readonly").objectStore(OUTBOX).getAll());
    return all.filter((record) => record.owner === this.owner);
  }

  async head(limit) {
    return (await this.mine()).slice(0, limit);
  }

  async count() {
    return (await this.mine()).length;
  }

  async remove(seqs) {
    const transaction = this.db.transaction(OUTBOX, "readwrite");
    const outbox = transaction.objectStore(OUTBOX);
    for (const seq of seqs) outbox.delete(seq);
    await committed(transaction);
  }

  // Drop a session's records and queue others instead, in one transaction.
  async replaceSession(session, records) {
    const gone = (await this.mine()).filter((r) => r.session === session).map((r) => r.seq);
    const transaction = this.db.transaction(OUTBOX, "readwrite");
    const outbox = transaction.objectStore(OUTBOX);
    for (const seq of gone) outbox.delete(seq);
    for (const record of records) outbox.add({ ...record, owner: this.owner });
    await committed(transaction);
  }
}

class MemoryStore {
  constructor() {
    this.records = [];
    this.seq = 0;
    this.state = null;
  }

  async write(records, state) {
    for (const record of records) this.records.push({ ...record, seq: ++this.seq });
    if (state !== undefined) this.state = state === null ? null : structuredClone(state);
  }

  async readState() {
    return this.state;
  }

  async head(limit) {
    return this.records.slice(0, limit);
  }

  async count() {
    return this.records.length;
  }

  async remove(seqs) {
    const gone = new Set(seqs);
    this.records = this.records.filter((r) => !gone.has(r.seq));
  }

  async mine() {
    return this.records;
  }

  async replaceSession(session, records) {
    this.records = this.records.filter((r) => r.session !== session);
    await this.write(records);
  }
}
