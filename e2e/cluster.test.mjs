// End to end: the built page in Chromium shows the cluster read from the sim, and its clock runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, launchChromium, screenshot } from './support.mjs';

let server, browser, page;
const errors = [];

before(async () => {
  server = await serveDir();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the page draws the control plane and three worker nodes', async () => {
  await page.waitForSelector('.node', { timeout: 30_000 });
  const names = await page.$$eval('.node', (els) => els.map((e) => e.dataset.node));
  assert.deepEqual(names, ['control-plane', 'node-1', 'node-2', 'node-3']);
  const statuses = await page.$$eval('.node-status', (els) => els.map((e) => e.textContent));
  assert.deepEqual(statuses, ['Ready', 'Ready', 'Ready', 'Ready']);
  assert.match(await page.textContent('.node[data-node="node-1"]'), /4 cores/);
  assert.deepEqual(errors, []);
  await screenshot(page, 'cluster');
});

test('the clock runs at 1× from the start; Pause stops it and Run goes on', async () => {
  const clock = () => page.textContent('.clock');
  await page.waitForFunction(() => document.querySelector('.clock').textContent >= '00:00:02', null, { timeout: 10_000 });
  assert.equal(await page.textContent('.run-toggle'), 'Pause');
  await page.click('.run-toggle');
  assert.equal(await page.textContent('.run-toggle'), 'Run');
  const stopped = await clock();
  assert.notEqual(stopped, '00:00:00');
  await page.waitForTimeout(400); // the clock must not move while paused
  assert.equal(await clock(), stopped);
  await page.click('.run-toggle');
  await page.waitForFunction((t) => document.querySelector('.clock').textContent !== t, stopped, { timeout: 10_000 });
  await screenshot(page, 'clock-ran');
  assert.deepEqual(errors, []);
});
