// End to end: a learner takes lesson 4 by clicking and typing, as they would; the lessons in
// English and Korean are photographed; the language and progress survive a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, launchChromium, screenshot, paused } from './support.mjs';

let server, browser, context, page;
const errors = [];

before(async () => {
  server = await serveDir();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(paused(server.url)); // these steps expect a frozen clock
  await page.waitForSelector('.lesson-list', { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const status = () => page.textContent('.step-status');
const waitDone = () => page.waitForSelector('.step-status.done', { timeout: 15_000 });

test('the lesson list shows every lesson, in order, with nothing done yet', async () => {
  const titles = await page.$$eval('.lesson-item .lesson-title', (els) => els.map((e) => e.textContent));
  assert.equal(titles.length, 14);
  assert.equal(titles[3], 'The declarative API and desired state');
  assert.deepEqual(await page.$$eval('.lesson-item.complete', (els) => els.length), 0);
  await screenshot(page, 'lessons-list-en');
});

test('lesson 4 is completed by clicking and typing, and each step turns done only when the cluster shows it', async () => {
  await page.click('[data-lesson="declarative-api"] .lesson-open');
  await page.waitForSelector('.lessons.taking');
  assert.match(await page.textContent('.lessons.taking h3'), /Step 1 of 3 · Ask for three web servers/);
  assert.match(await status(), /Not yet/);
  // Step 1: the YAML goes into the editor, Apply, and time passes.
  await page.click('.load-yaml');
  await page.waitForSelector('.editor-slot:not([hidden]) .yaml');
  assert.match(await page.inputValue('.yaml'), /name: web\n/);
  await page.click('.apply');
  await page.waitForSelector('.apply-result');
  assert.match(await status(), /Not yet/, 'created but not Ready yet');
  await page.click('.settle');
  await waitDone();
  await screenshot(page, 'lesson4-step1-done-en');
  // Step 2: a command put into the terminal from the lesson, then Enter.
  await page.click('.step-actions .next');
  assert.match(await page.textContent('.lessons.taking h3'), /Step 2 of 3/);
  assert.match(await status(), /Not yet/);
  await page.click('.try-line:has-text("kubectl delete") .put-command');
  assert.match(await page.inputValue('.terminal-input'), /^kubectl delete \$\(kubectl get pods/);
  await page.press('.terminal-input', 'Enter');
  await page.waitForSelector('.scrollback :text("deleted")');
  await page.click('.settle');
  await waitDone();
  // Step 3: the learner types the command themselves.
  await page.click('.step-actions .next');
  await page.fill('.terminal-input', 'kubectl scale deployment web --replicas=5');
  await page.press('.terminal-input', 'Enter');
  await page.click('.settle');
  await waitDone();
  assert.equal(await page.$$eval('.node .pod.running:not(.system-pods .pod)', (els) => els.length), 5);
  await screenshot(page, 'lesson4-step3-done-en');
  await page.click('.step-actions .next');
  await page.waitForSelector('.lesson-finished');
  await page.click('.lesson-back');
  await page.waitForSelector('[data-lesson="declarative-api"].complete');
});

test('a hint is revealed one at a time and "show me" performs the step', async () => {
  await page.click('[data-lesson="labels-selectors"] .lesson-open');
  await page.waitForSelector('.lessons.taking');
  assert.equal(await page.$$eval('.hint', (els) => els.length), 0);
  await page.click('.hint-button');
  assert.equal(await page.$$eval('.hint', (els) => els.length), 1);
  await page.click('.show-me');
  await page.click('.settle');
  await waitDone();
  await page.click('.lesson-back');
});

test('lesson 2 draws VMs and containers side by side', async () => {
  await page.click('[data-lesson="vms-vs-containers"] .lesson-open');
  await page.waitForSelector('.vm-widget');
  await page.click('.vm-start');
  await page.waitForSelector('.vm-side:last-child .guest.running');
  await screenshot(page, 'lesson2-widget-en');
  await page.click('.lesson-back');
});

test('the interface and lessons switch to Korean, and both are remembered after a reload', async () => {
  await page.click('.topbar .lang');
  await page.waitForSelector('.lessons-toggle:has-text("레슨")');
  const titles = await page.$$eval('.lesson-item .lesson-title', (els) => els.map((e) => e.textContent));
  assert.equal(titles[3], '선언형 API와 원하는 상태');
  assert.match(await page.textContent('.run-toggle'), /실행/);
  await screenshot(page, 'lessons-list-ko');
  await page.click('[data-lesson="scheduling"] .lesson-open');
  await page.waitForSelector('.lessons.taking');
  assert.match(await page.textContent('.lessons.taking h3'), /단계 1/);
  await screenshot(page, 'lesson12-ko');
  await page.click('.lesson-back');
  await page.click('[data-lesson="vms-vs-containers"] .lesson-open');
  await page.click('.vm-start');
  await page.waitForSelector('.vm-side:last-child .guest.running');
  await screenshot(page, 'lesson2-widget-ko');
  await page.click('.lesson-back');
  await page.reload();
  await page.waitForSelector('.lesson-list');
  assert.match(await page.textContent('.lessons-toggle'), /레슨/);
  await page.waitForSelector('[data-lesson="declarative-api"].complete');
  assert.deepEqual(errors, []);
});
