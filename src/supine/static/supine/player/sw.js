// The player's service worker: once a page in its scope has been opened, it opens again
// without a connection. One script, registered twice, each keeping one page:
//   /session/sw.js  scope /session/  the session player
//   /help/sw.js     scope /help/     "When to get help" (the player registers it too, so
//                                    that the stop sheet's link works on the floor offline)
//
//   the page       network first (the plan may have changed), the last copy when offline
//   static files   cache first (they change only with a new release, and a new cache name)
//   the API        never touched: the outbox in the page queues and retries requests
//   coach files    (/coach/assets/: the pose model and its runtime, ≈ 17 MB) cached only
//                  once the patient turns the motion coach on (the page sends a
//                  "cache-coach" message); from then on cache first, like static files

// In production every changed file has a new (hashed) name and is fetched anew; bump
// this when the worker's own caching changes, or to drop old files (on activate).
const VERSION = "supine-player-v1";
const PAGE = new URL(self.registration.scope).pathname;
const STATIC = "/static/";
const NAVIGATION_TIMEOUT_MS = 6000;
// Named after the pinned runtime: a new version of the coach's files is a new cache.
const COACH_CACHE = "supine-coach-0.10.35";
const COACH = "/coach/assets/";

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("supine-player-") && key !== VERSION) await caches.delete(key);
        if (key.startsWith("supine-coach-") && key !== COACH_CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    if (url.pathname === PAGE) event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith(COACH)) {
    event.respondWith(coachFile(request));
  } else if (url.pathname.startsWith(STATIC) || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  }
});

// The page asks for the coach's files to be kept: { type: "cache-coach", files: [...] }.
// It gets { cached: true } on its port when every file is in the cache.
self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type !== "cache-coach") return;
  const files = (message.files || []).filter((file) => String(file).startsWith(COACH));
  const port = event.ports && event.ports[0];
  event.waitUntil(
    (async () => {
      let cached = false;
      try {
        const cache = await caches.open(COACH_CACHE);
        await cache.addAll(files);
        cached = true;
      } catch {
        // Offline or a file missing: the page goes on; the files are cached as fetched.
      }
      if (port) port.postMessage({ cached });
    })(),
  );
});

// A coach file: from the cache once the coach has been turned on (the cache exists),
// and every file fetched then is kept too (the no-SIMD pair on an old browser); before
// that, straight from the network and nothing kept.
async function coachFile(request) {
  if (!(await caches.has(COACH_CACHE))) return fetch(request);
  const cache = await caches.open(COACH_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function precache() {
  const cache = await caches.open(VERSION);
  const assets = new Set();
  try {
    const page = await fetch(PAGE, { credentials: "same-origin", cache: "no-store" });
    if (page.ok && !page.redirected) {
      // The page names every file it needs (its modules as modulepreload links), under
      // the hashed names they have in production.
      for (const asset of assetsNamedIn(await page.clone().text())) assets.add(asset);
      await cache.put(PAGE, page);
    }
  } catch {
    // Offline while installing: the page is cached on its next successful load, and
    // its files as it fetches them.
  }
  // One missing file must not stop the rest from being cached.
  await Promise.all([...assets].map((asset) => cache.add(asset).catch(() => {})));
}

function assetsNamedIn(html) {
  const found = [];
  for (const match of html.matchAll(/(?:src|href|data-[a-z-]+)="(\/[^"?#]+)"/g)) {
    const path = match[1];
    if (path.startsWith(STATIC) || path === "/manifest.webmanifest") found.push(path);
  }
  return found;
}

async function networkFirst(request) {
  const cache = await caches.open(VERSION);
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, NAVIGATION_TIMEOUT_MS, null);
  });
  const fresh = fetch(request).then(async (response) => {
    if (response.ok && !response.redirected && response.type === "basic") {
      await cache.put(PAGE, response.clone());
    } else if (response.type === "opaqueredirect") {
      // Signed out: the copy holds someone's plan, and must not outlive the sign-in.
      await cache.delete(PAGE);
    }
    return response;
  });
  fresh.catch(() => {}); // a late failure, after the cached copy was served, is no news
  try {
    // On bad Wi-Fi, the saved page after a few seconds beats a spinner on the floor.
    const response = await Promise.race([fresh, slow]);
    if (response) return response;
    return (await cache.match(PAGE)) ?? (await fresh);
  } catch {
    return (await cache.match(PAGE)) ?? offline();
  } finally {
    clearTimeout(timer);
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(VERSION);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

function offline() {
  return new Response(
    "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
      "<title>Offline · Supine</title><h1>You're offline</h1>" +
      "<p>Open the session page once while connected, and it will work offline after that.</p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
}
