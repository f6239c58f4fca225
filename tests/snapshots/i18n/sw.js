const VERSION = "6ed2815aef62b49f";
const ASSETS = ["/chien-dich/countdown.0b747cc8.js","/chien-dich/reader.08e128f0.js","/chien-dich/search.4ab1f4f5.js","/chien-dich/style.b6d86abe.css"];
const PAGES = {"en":["/chien-dich/en/","/chien-dich/en/offline/","/chien-dich/en/safety/"],"ktv":["/chien-dich/ktv/","/chien-dich/ktv/offline/","/chien-dich/ktv/safety/"],"vi":["/chien-dich/","/chien-dich/offline/","/chien-dich/safety/"]};
const OFFLINE = {"en":"/chien-dich/en/offline/","ktv":"/chien-dich/ktv/offline/","vi":"/chien-dich/offline/"};
const LANGS = [["/chien-dich/en/","en"],["/chien-dich/ktv/","ktv"],["/chien-dich/","vi"]];
const NOTICE = {"en":"You are offline. This is the copy kept when you last read this page.","ktv":"Bạn đang không có mạng. Đây là bản đã lưu khi bạn đọc trang này lần trước.","vi":"Bạn đang không có mạng. Đây là bản đã lưu khi bạn đọc trang này lần trước."};
// The service worker of the site, written by loa's offline output (src/outputs/offline). The
// build puts the constants above this line: VERSION (a hash of every source the pages are made
// from), ASSETS (the stylesheet and scripts), PAGES (per language: its home, offline, "browse
// safely" and help pages), OFFLINE (per language: the offline page), LANGS (URL prefixes of the
// languages) and NOTICE (per language: the words shown on a page read from the cache).
//
// Pages: network first, so a reader never sees an old page while the network is there; the
// answer is kept, and shown with a notice when the network is gone; a page never read shows
// the language's offline page with the hotlines. Stylesheet, scripts and images: from the
// cache when they are there (their names carry their content's hash). A new build has a new
// VERSION: its worker takes over at once and deletes every cache of the older builds.
const CACHE = "loa-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const old = (names) => names.filter((name) => name.startsWith("loa-") && name !== CACHE);
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(old(names).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

// A page says which language it is in and where it is: keep it and its language's pages.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const pages = PAGES[data.lang];
  const page = typeof data.page === "string" && data.page.startsWith("/") ? [data.page] : [];
  if (pages) event.waitUntil(keepMissing(page.concat(pages)));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // The studio of `loa serve` (same origin as the previewed site) is never served from the cache.
  if (url.pathname.startsWith("/_studio/")) return;
  if (request.mode === "navigate" || (request.headers.get("accept") || "").includes("text/html")) {
    event.respondWith(networkFirst(request, url));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

/** Fetches and keeps each of `paths` not in the cache yet. */
async function keepMissing(paths) {
  const cache = await caches.open(CACHE);
  for (const path of paths) {
    if (await cache.match(path)) continue;
    try {
      const response = await fetch(path);
      if (response.ok) await cache.put(path, response);
    } catch (_) {
      return;
    }
  }
}

/** A page from the network (kept for later), else from the cache with a notice, else the offline page. */
async function networkFirst(request, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(url.pathname, response.clone());
    return response;
  } catch (_) {
    const lang = languageOf(url.pathname);
    const kept = await cache.match(url.pathname);
    if (kept) return withNotice(kept, NOTICE[lang]);
    const offline = await cache.match(OFFLINE[lang]);
    if (offline) return offline;
    return new Response(NOTICE[lang], { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}

/** A file from the cache, else from the network (kept for later). */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** The language whose URL prefix `path` starts with (the default language has none). */
function languageOf(path) {
  for (const [prefix, lang] of LANGS) if (path.startsWith(prefix)) return lang;
  return LANGS[LANGS.length - 1][1];
}

/** A kept page with a line saying it was kept, put at the start of its main content. */
async function withNotice(response, notice) {
  const html = await response.text();
  const line = `<p class="notice offline-notice" role="status">${notice}</p>`;
  const marked = html.replace(/(<main[^>]*>)/, `$1${line}`);
  return new Response(marked, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
