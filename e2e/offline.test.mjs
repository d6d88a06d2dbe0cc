// End to end: after the first visit the page works with no network (the service worker in
// static/sw.js), and the build works when a static host serves dist/ under a sub-path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDir, launchChromium, screenshot, DIST } from './support.mjs';

/** A fresh browser and page that collect console errors; the caller closes `browser`. */
async function open() {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { browser, context, page, errors };
}

/** Waits until a service worker is active and controls the page (reloading once if needed). */
async function waitForWorker(page) {
  const ready = await page.evaluate(() => Promise.race([
    navigator.serviceWorker.ready.then(() => true),
    new Promise((ok) => setTimeout(() => ok(false), 15_000)),
  ]));
  assert.ok(ready, 'a service worker became active within 15 s');
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
  }
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10_000 });
  return page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
}

/** The cluster is drawn and the terminal answers `kubectl get nodes`. */
async function assertWorks(page) {
  await page.waitForSelector('.node', { timeout: 30_000 });
  const names = await page.$$eval('.node', (els) => els.map((e) => e.dataset.node));
  assert.deepEqual(names, ['control-plane', 'node-1', 'node-2', 'node-3']);
  await page.fill('.terminal-input', 'kubectl get nodes');
  await page.press('.terminal-input', 'Enter');
  await page.waitForSelector('.scrollback :text("node-1")', { timeout: 10_000 });
}

test('after one visit the page loads and works with no network', async () => {
  const server = await serveDir();
  const { browser, context, page, errors } = await open();
  try {
    await page.goto(server.url);
    await page.waitForSelector('.node', { timeout: 30_000 });
    assert.equal(await waitForWorker(page), server.url);

    // No network at all: the browser is offline and the server is gone.
    await context.setOffline(true);
    await server.close();
    const response = await page.reload();
    assert.ok(response.fromServiceWorker(), 'the page came from the service worker');
    await assertWorks(page);
    assert.deepEqual(errors, []);
    await screenshot(page, 'offline');
  } finally {
    await browser.close();
    await server.close();
  }
});

test('served under a sub-path, the page loads, works, and is cached for that path', async () => {
  const server = await serveDir(undefined, { prefix: '/sub/dir/' });
  const { browser, context, page, errors } = await open();
  try {
    assert.match(server.url, /\/sub\/dir\/$/);
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(server.url);
    await assertWorks(page);
    // Every file the page asked for lies under the sub-path (no root-relative URLs).
    assert.deepEqual(requests.filter((p) => !p.startsWith('/sub/dir/')), []);
    // The worker's scope is the sub-path, and the page works from it offline too.
    assert.equal(await waitForWorker(page), server.url);
    await context.setOffline(true);
    await server.close();
    await page.reload();
    await assertWorks(page);
    assert.deepEqual(errors, []);
    await screenshot(page, 'offline-sub-path');
  } finally {
    await browser.close();
    await server.close();
  }
});

test('a new build is picked up online, and the old build\'s files leave the cache', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kube-sandbox-dist-'));
  await cp(DIST, dir, { recursive: true });
  const server = await serveDir(dir);
  const { browser, page, errors } = await open();
  const cached = () => page.evaluate(async () => {
    const keys = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) keys.push(new URL(req.url).pathname);
    }
    return keys.sort();
  });
  try {
    await page.goto(server.url);
    await waitForWorker(page);
    const before = await cached();
    const css = (await readdir(dir)).find((f) => /^style-[0-9a-f]+\.css$/.test(f));
    assert.ok(before.includes(`/${css}`), `${css} cached at install: ${before}`);

    // "Rebuild": the stylesheet gets a new hash, and index.html names it.
    const fresh = 'style-0123456789abcdef.css';
    await rename(join(dir, css), join(dir, fresh));
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    await writeFile(join(dir, 'index.html'), html.replace(css, fresh));
    await page.reload();
    await assertWorks(page);
    const after = await cached();
    assert.ok(after.includes(`/${fresh}`), `new stylesheet cached: ${after}`);
    assert.ok(!after.includes(`/${css}`), `old stylesheet dropped: ${after}`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
