// End to end: the page survives a panic. A saved sandbox that panics while it is restored gives
// the crash screen, and the next load starts fresh with that state kept aside (no crash loop); a
// panic on a later clock tick leaves the autosave as it was, the next load restores it paused,
// and the same panic twice in a row starts fresh. The panics come from the test-only key
// `kube-sandbox.test.panic` (see `src/ui/persist.rs`: a link or a saved state cannot set it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, launchChromium, screenshot } from './support.mjs';

const AUTOSAVE = 'kube-sandbox.autosave';
const SET_ASIDE = 'kube-sandbox.autosave.set-aside';
const RESTORING = 'kube-sandbox.restoring';
const TEST_PANIC = 'kube-sandbox.test.panic';

let server, browser;

before(async () => {
  server = await serveDir();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(locale = 'en-US') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale });
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(server.url);
  await page.waitForSelector('.terminal-input', { timeout: 30_000 });
  return { context, page };
}

async function type(page, line) {
  // Output comes as stdout (`pre.out`) or stderr (`pre.err`: "No resources found" is one).
  const sel = '.scrollback pre.out, .scrollback pre.err';
  const before = await page.$$eval(sel, (els) => els.length);
  await page.fill('.terminal-input', line);
  await page.press('.terminal-input', 'Enter');
  await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length > n, [sel, before]);
  return page.$$eval(sel, (els) => els.at(-1)?.textContent ?? '');
}

const item = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);
const setItem = (page, key, value) => page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, value]);

/** Waits for an autosave written after this point (the saved state is compressed, so its text
 * cannot be searched for a name; whatever is saved next holds what was done before). */
async function savedAgain(page) {
  const now = await item(page, AUTOSAVE);
  await page.waitForFunction(([k, v]) => (localStorage.getItem(k) ?? '') !== (v ?? ''), [AUTOSAVE, now], { timeout: 30_000 });
}

/** The page works: the cluster is drawn and the terminal answers. */
async function works(page) {
  await page.waitForSelector('.node[data-node="node-1"]', { timeout: 30_000 });
  assert.match(await type(page, 'kubectl get nodes'), /control-plane\s+Ready/);
}

test('a saved sandbox that panics on restore: crash screen, then a fresh working page with it kept aside', async () => {
  const { context, page } = await open();
  assert.match(await type(page, 'kubectl create deployment keep-me --image=nginx'), /created/);
  await page.waitForFunction((k) => (localStorage.getItem(k) ?? '').length > 0, AUTOSAVE);
  const saved = await item(page, AUTOSAVE);

  await setItem(page, TEST_PANIC, 'restore');
  await page.reload();
  await page.waitForSelector('.crashed', { timeout: 30_000 });
  assert.match(await page.textContent('.crashed h1'), /kube-sandbox stopped/);
  assert.match(await page.textContent('.crash-kept'), /Your work is saved.*Reload opens a fresh sandbox/);
  assert.match(await page.inputValue('.crash-message'), /kube-sandbox\.test\.panic=restore/);
  assert.ok(await page.isVisible('.crash-reload') && await page.isVisible('.crash-fresh'));
  assert.equal(await item(page, RESTORING), 'saved', 'the marker written before the restore is still there');
  await screenshot(page, 'survive-crash-screen');

  // The trigger stays set: the next load must not even try the saved state again.
  await page.click('.crash-reload');
  await page.waitForSelector('.terminal-input', { timeout: 30_000 });
  await works(page);
  assert.match(await page.textContent('.notice'), /stopped while it restored your saved sandbox.*kept aside/s);
  assert.match(await page.textContent('.notice'), /kube-sandbox\.test\.panic=restore/);
  const aside = JSON.parse(await item(page, SET_ASIDE));
  assert.ok(aside.includes(saved), 'the state that crashed is kept aside as it was');
  assert.match(await type(page, 'kubectl get deployments'), /No resources found/);
  assert.equal(await item(page, RESTORING), null);
  await screenshot(page, 'survive-fresh-after-crash');

  // Without the trigger, the fresh sandbox reloads with no crash and no banner.
  await page.evaluate((k) => localStorage.removeItem(k), TEST_PANIC);
  await page.reload();
  await page.waitForSelector('.terminal-input', { timeout: 30_000 });
  await works(page);
  assert.equal(await page.$('.crashed'), null);
  assert.doesNotMatch((await page.textContent('body')), /page stopped/);
  await context.close();
});

test('a panic on a later tick keeps the autosave intact and restores it paused; twice the same way starts fresh', async () => {
  const { context, page } = await open();
  assert.match(await type(page, 'kubectl create deployment later --image=nginx --replicas=2'), /created/);
  await page.click('.settle');
  await savedAgain(page);
  await setItem(page, TEST_PANIC, 'tick');
  // The clock runs at 1× by default and a reload keeps it running: open the page paused, so
  // the panic comes when the test starts the clock.
  await page.goto(`${server.url}?clock=paused`);
  await works(page);

  await page.click('.run-toggle');
  await page.waitForSelector('.crashed', { timeout: 30_000 });
  assert.match(await page.textContent('.crash-kept'), /Your work is saved.*clock paused/);
  const kept = await item(page, AUTOSAVE);
  assert.ok(kept, 'the autosave is still there');
  // The stopped program's timers still fire (autosave every 3 s): none of them may save.
  await page.waitForTimeout(3_500);
  assert.equal(await item(page, AUTOSAVE), kept, 'nothing saved after the panic');

  await page.click('.crash-reload');
  await works(page);
  assert.match(await page.textContent('.notice'), /stopped last time.*clock paused/s);
  assert.match(await type(page, 'kubectl get deployment later'), /later\s+2\/2/);
  assert.equal(await page.getAttribute('.run-toggle', 'aria-pressed'), 'false', 'the clock is paused');

  // The same panic right after recovering from it: the next load starts fresh, not a loop.
  await page.click('.run-toggle');
  await page.waitForSelector('.crashed', { timeout: 30_000 });
  assert.match(await page.textContent('.crash-kept'), /same way as last time/);
  await page.click('.crash-reload');
  await works(page);
  assert.match(await page.textContent('.notice'), /stopped the same way twice/);
  assert.ok(JSON.parse(await item(page, SET_ASIDE)).length >= 1, 'the sandbox that crashed twice is kept aside');
  assert.match(await type(page, 'kubectl get deployments'), /No resources found/);
  await context.close();
});

test('the crash screen speaks Korean, and its Start fresh keeps the sandbox aside', async () => {
  const { context, page } = await open('ko-KR');
  await setItem(page, 'kube-sandbox.lang', 'ko');
  assert.match(await type(page, 'kubectl create configmap mine --from-literal=a=b'), /created/);
  await savedAgain(page);
  await setItem(page, TEST_PANIC, 'tick');
  // The clock runs at 1× by default and a reload keeps it running: open the page paused, so
  // the panic comes when the test starts the clock.
  await page.goto(`${server.url}?clock=paused`);
  await works(page);
  await page.click('.run-toggle');
  await page.waitForSelector('.crashed[lang="ko"]', { timeout: 30_000 });
  assert.match(await page.textContent('.crashed h1'), /멈췄습니다/);
  assert.match(await page.textContent('.crash-kept'), /저장되어 있습니다/);
  assert.match(await page.textContent('.crash-fresh'), /새로 시작/);
  await screenshot(page, 'survive-crash-screen-ko');
  await page.click('.crash-fresh');
  await works(page);
  assert.match(await page.textContent('.notice'), /새로 시작했습니다/);
  assert.ok(JSON.parse(await item(page, SET_ASIDE)).length >= 1, 'the sandbox is kept aside');
  assert.match(await type(page, 'kubectl get configmap mine'), /NotFound|not found/);
  await context.close();
});
