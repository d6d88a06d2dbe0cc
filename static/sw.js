// kube-sandbox's service worker: after the first visit the page works with no network.
//
// Trunk copies this file unchanged to the root of dist/, next to index.html, so the worker's
// scope (its own directory) is the page's directory, whatever sub-path the site is served under.
// Every URL here is relative to that scope; nothing assumes the site sits at the host's root.
//
// Caching, in one cache named for VERSION:
// - install: fetch the page (the scope's index), read the files it names (`./name` in an href,
//   src or import), and store the page and those files;
// - the page itself, and any file whose name carries no content hash: network first, so a new
//   build is picked up whenever the network is there; the cached copy when it is not;
// - files with a content hash in the name (trunk's `page-<hash>.js`, `…_bg.wasm`, `style-<hash>.css`):
//   cache first, network when missing (and then stored), since such a file never changes;
// - whenever a fresh copy of the page arrives, hashed files it no longer names are deleted, so a
//   new build's files replace the old ones instead of piling up;
// - activate: caches of other VERSIONs are deleted. Bump VERSION when this file's caching
//   changes in a way old caches would not fit.
// This file is the same for every build, so browsers do not reinstall the worker when the site is
// rebuilt; the page's network-first fetch is what brings a new build in.
// Only same-origin GET requests inside the scope are answered (and, of navigations, only those to
// the page itself); everything else goes to the network untouched.
const VERSION = 'v1';
const PREFIX = 'kube-sandbox-';
const CACHE = PREFIX + VERSION;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL('./', SCOPE).href;
// Trunk's content hash: a dash and up to 16 hex digits (leading zeros dropped, so
// `style-c3554c25979f624.css` has 15) before the extension, or before `_bg.wasm`.
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.[a-z0-9]+$/;

/** The same-origin files a page's HTML names as `./file` (hrefs, srcs and module imports). */
function assetsOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/(?:href|src|from|import|module_or_path:)\s*=?\s*["'](\.\/[^"'?#]+)["']/g)) {
    urls.add(new URL(m[1], SCOPE).href);
  }
  urls.delete(INDEX);
  return [...urls];
}

/** Stores a fresh copy of the page, and deletes hashed files that copy no longer names. */
async function storePage(cache, response) {
  const html = await response.clone().text();
  await cache.put(INDEX, response);
  const keep = new Set(assetsOf(html));
  for (const req of await cache.keys()) {
    if (HASHED.test(new URL(req.url).pathname) && !keep.has(req.url)) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // The scope's directory URL, or its index.html on hosts that do not serve directory indexes.
    let page = await fetch(INDEX, { cache: 'no-cache' });
    if (!page.ok) page = await fetch(INDEX + 'index.html', { cache: 'no-cache' });
    if (!page.ok) throw new Error(`kube-sandbox: the page answered ${page.status}`);
    const html = await page.clone().text();
    await cache.addAll(assetsOf(html));
    await storePage(cache, page);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** Is this the page itself: the scope's directory or its index.html? */
function isPage(url) {
  return url.href === INDEX || url.href === INDEX + 'index.html';
}

async function networkFirst(request, key, isIndex) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      if (isIndex) await storePage(cache, response.clone());
      else await cache.put(key, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.href.startsWith(SCOPE.href)) return;
  if (url.pathname.endsWith('/sw.js')) return;
  // The page, with any query string, is one cache entry; other pages in the scope are not ours.
  if (isPage(new URL(url.pathname, url))) {
    event.respondWith(networkFirst(request, INDEX, true));
    return;
  }
  if (request.mode === 'navigate') return;
  if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request, request, false));
  }
});
