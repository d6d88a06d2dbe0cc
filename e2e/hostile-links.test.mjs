// End to end: every link and saved-state case of the hostile catalogue (tests/hostile/link-*,
// page-saved-*) opened in the page, one page load each: the page still works (the cluster is
// drawn, the terminal answers `kubectl get nodes`) and a refused case's clear error is on screen.
// The cases are written by the native catalogue (`HOSTILE_LINKS=… cargo test --test hostile
// links_for_the_page`), so the page gets exactly the links the native test replays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveDir, launchChromium } from './support.mjs';

const out = join(ROOT, 'test-output');
mkdirSync(out, { recursive: true });
const file = join(out, 'hostile-links.json');
execFileSync('cargo', ['test', '--quiet', '--test', 'hostile', 'links_for_the_page'], {
  cwd: ROOT, env: { ...process.env, HOSTILE_LINKS: file }, stdio: ['ignore', 'ignore', 'inherit'],
});
const cases = JSON.parse(readFileSync(file, 'utf8'));

let server, browser;

before(async () => {
  server = await serveDir();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the catalogue has link and saved-state cases', () => {
  assert.ok(cases.filter((c) => c.entry === 'link').length >= 15);
  assert.ok(cases.filter((c) => c.entry === 'saved').length >= 3);
});

for (const c of cases) {
  test(`${c.entry} case ${c.name} leaves a working page`, { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
    if (c.entry === 'saved') {
      await context.addInitScript((text) => localStorage.setItem('kube-sandbox.autosave', text), c.text);
    }
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(c.entry === 'link' ? `${server.url}#${c.text}` : server.url);
      await page.waitForSelector('.terminal-input', { timeout: 60_000 });
      assert.equal(await page.$('.crashed'), null, 'no crash screen');
      await page.waitForSelector('.node', { timeout: 30_000 });
      if (c.entry === 'link' || c.expect.length) {
        await page.waitForSelector('.notice', { timeout: 30_000 });
        const notice = await page.textContent('.notice');
        // A link whose history is too large to autosave opens, and the autosave's notice that
        // says so may already have replaced the opening one: either shows the link opened.
        if (c.opens) assert.match(notice, /Opened the shared scenario|The history is too large to keep/);
        // The page words a saved state it cannot read as "could not be opened", where the
        // native runner says "could not be restored"; the reason after it is the same.
        const shown = (e) => notice.includes(e) || (c.entry === 'saved' && e === 'could not be restored' && notice.includes('could not be opened'));
        for (const e of c.expect) assert.ok(shown(e), `the notice shows ${JSON.stringify(e)}: ${notice}`);
      }
      const before = await page.$$eval('.scrollback pre.out', (els) => els.length);
      await page.fill('.terminal-input', 'kubectl get nodes');
      await page.press('.terminal-input', 'Enter');
      await page.waitForFunction((n) => document.querySelectorAll('.scrollback pre.out').length > n, before, { timeout: 30_000 });
      const answer = await page.$$eval('.scrollback pre.out', (els) => els.at(-1)?.textContent ?? '');
      assert.match(answer, /NAME\s+STATUS/, answer);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
