// End to end: a scenario travels in a link to a fresh browser and rebuilds the same cluster;
// a reload mid-work loses nothing; a hostile link opens the default cluster with a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, launchChromium, screenshot, paused } from './support.mjs';

let server, browser;

before(async () => {
  server = await serveDir();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => d.accept());
  await page.goto(paused(url)); // these steps expect a frozen clock
  await page.waitForSelector('.terminal-input', { timeout: 30_000 });
  return { context, page, errors };
}

async function type(page, line) {
  await page.fill('.terminal-input', line);
  await page.press('.terminal-input', 'Enter');
}

const pods = (page) => page.$$eval('.node .pod:not(.system-pods .pod)', (els) => els.map((e) => e.textContent.trim()).sort());
const lastOut = (page) => page.$$eval('.scrollback pre.out', (els) => els.at(-1)?.textContent ?? '');

test('a shared link rebuilds the same cluster, history and editor in a new browser', async () => {
  const { context, page, errors } = await open(server.url);
  await type(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=3');
  await type(page, 'kubectl create configmap settings --from-literal=color=blue');
  await page.click('.settle');
  await page.click('[data-tab="editor"]');
  await page.fill('.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n');
  await page.click('.apply');
  await page.waitForSelector('.apply-result');
  const before = await pods(page);
  assert.equal(before.length, 3);
  await page.click('.topbar .share');
  await page.waitForSelector('.share-url');
  const link = await page.inputValue('.share-url');
  assert.ok(link.includes('#v2.'), link.slice(0, 80));
  assert.ok(link.length < 2000, `link is ${link.length} characters`);
  await screenshot(page, 'share-panel');
  await context.close();

  const other = await open(link);
  await other.page.waitForSelector('.notice');
  assert.match(await other.page.textContent('.notice'), /Opened the shared scenario/);
  assert.deepEqual(await pods(other.page), before, 'the same pods, with the same names, on the same nodes');
  await type(other.page, 'kubectl get cm settings -o jsonpath={.data.color}');
  await other.page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.out')].some((e) => e.textContent === 'blue'));
  await type(other.page, 'kubectl get svc web -o name');
  await other.page.waitForSelector('.scrollback :text("service/web")');
  await other.page.click('[data-tab="editor"]');
  assert.match(await other.page.inputValue('.yaml'), /kind: Service/);
  assert.equal(other.page.url().includes('#'), false, 'the address is cleaned, so a reload continues from autosave');
  await screenshot(other.page, 'shared-link-opened');
  assert.deepEqual(errors, []);
  assert.deepEqual(other.errors, []);
  await other.context.close();
});

test('a reload mid-work finds the cluster, the editor and the lesson as they were', async () => {
  const { context, page, errors } = await open(server.url);
  await page.click('[data-lesson="declarative-api"] .lesson-open');
  await page.click('.load-yaml');
  await page.click('.apply');
  await page.click('.settle');
  await page.waitForSelector('.step-status.done');
  await page.click('.step-actions .next');
  await page.click('[data-tab="editor"]');
  await page.fill('.yaml', '# my notes\n' + (await page.inputValue('.yaml')));
  await page.click('[data-tab="terminal"]');
  await type(page, 'kubectl label deployment web reloaded=yes');
  const before = await pods(page);
  await page.waitForTimeout(3500); // the periodic save takes the editor's text
  await page.reload();
  await page.waitForSelector('.lessons.taking', { timeout: 30_000 });
  assert.match(await page.textContent('.lessons.taking h3'), /Step 2 of 3/);
  assert.deepEqual(await pods(page), before);
  await page.click('[data-tab="editor"]');
  assert.match(await page.inputValue('.yaml'), /^# my notes/);
  await page.click('[data-tab="terminal"]');
  await type(page, 'kubectl get deploy web -o jsonpath={.metadata.labels.reloaded}');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.out')].some((e) => e.textContent === 'yes'));
  await screenshot(page, 'reloaded-mid-work');
  // Start fresh, then undo it.
  await page.click('.topbar .fresh');
  await page.waitForSelector('.undo-fresh');
  assert.equal((await pods(page)).length, 0);
  await page.click('.undo-fresh');
  await page.waitForFunction((n) => document.querySelectorAll('.node .pod:not(.system-pods .pod)').length === n, before.length);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a truncated, foreign or hostile link opens the default cluster with a message and runs nothing', async () => {
  for (const fragment of ['v2.AAAA', 'v9.abc', '<img src=x onerror="window.__pwned=1">', 'v2.' + 'x'.repeat(300000)]) {
    const { context, page, errors } = await open(server.url + '#' + encodeURIComponent(fragment));
    await page.waitForSelector('.notice.problem');
    assert.match(await page.textContent('.notice'), /could not be opened/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.$$eval('.node', (els) => els.length), 4, 'the default cluster');
    if (fragment.startsWith('<img')) await screenshot(page, 'hostile-link');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('presenter mode: large type, the cluster and the lesson, keys for steps, clock and faults', async () => {
  const { context, page, errors } = await open(server.url);
  await page.click('[data-lesson="declarative-api"] .lesson-open');
  await page.click('.topbar .present');
  await page.waitForSelector('.app.presenter.presenting-lesson');
  assert.equal(await page.isVisible('.side'), false);
  assert.equal(await page.isVisible('.terminal'), true, 'the terminal shows beside the lesson');
  await page.mouse.click(700, 300); // focus leaves the buttons, as a presenter's click would
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('.lessons.taking h3:has-text("Step 2 of 3")');
  await page.keyboard.press('Space');
  await page.waitForSelector('.run-toggle:has-text("Pause")');
  await page.keyboard.press('+');
  assert.equal(await page.$eval('.speed select', (s) => s.value), '5');
  await page.click('.node[data-node="node-1"] .node-header');
  await page.keyboard.press('s');
  await page.waitForFunction(() => localStorage.getItem('kube-sandbox.autosave') !== null);
  await page.keyboard.press('Space');
  await page.mouse.move(600, 400);
  await screenshot(page, 'presenter-mode');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.app:not(.presenter)');
  await page.click('[data-tab="terminal"]');
  await page.waitForSelector('.scrollback :text("sandbox node stop node-1")');
  assert.deepEqual(errors, []);
  await context.close();
});

test('kubectl get pods -w streams rows as the clock runs, and Ctrl+C stops it', async () => {
  const { context, page, errors } = await open(server.url);
  await type(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
  await page.click('.step:has-text("+1s")');
  await type(page, 'kubectl get pods -w');
  await page.waitForFunction(() => /NAME\s+READY\s+STATUS/.test(document.querySelector('.scrollback').textContent));
  const before = await page.textContent('.scrollback');
  assert.equal((before.match(/Running/g) ?? []).length, 0);
  await page.click('.step:has-text("+10s")');
  await page.waitForFunction(() => (document.querySelector('.scrollback').textContent.match(/Running/g) ?? []).length >= 2);
  await screenshot(page, 'watch-streaming');
  await page.focus('.terminal-input');
  await page.keyboard.press('Control+c');
  await page.waitForSelector('.scrollback :text("^C")');
  const stopped = await page.textContent('.scrollback');
  await page.click('.step:has-text("+10s")');
  await type(page, 'kubectl delete pod --all');
  assert.equal((await page.textContent('.scrollback')).startsWith(stopped), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('watch redraws one screen in place as the clock runs, and Ctrl+C leaves the last one', async () => {
  const { context, page, errors } = await open(server.url);
  await type(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
  await type(page, 'watch -n 1 kubectl get deploy web');
  await page.waitForSelector('.scrollback .screen');
  assert.match(await page.textContent('.scrollback .screen'), /^Every 1\.0s: kubectl get deploy web\s+learner-laptop: /);
  assert.match(await page.textContent('.scrollback .screen'), /web\s+0\/2/);
  await page.click('.step:has-text("+10s")');
  await page.waitForFunction(() => /web\s+2\/2/.test(document.querySelector('.scrollback .screen').textContent));
  assert.equal(await page.locator('.scrollback .screen').count(), 1, 'one screen, redrawn');
  await screenshot(page, 'watch-screen');
  await page.focus('.terminal-input');
  await page.keyboard.press('Control+c');
  await page.waitForSelector('.scrollback :text("^C")');
  const stopped = await page.textContent('.scrollback .screen');
  await page.click('.step:has-text("+10s")');
  assert.equal(await page.textContent('.scrollback .screen'), stopped, 'no longer redrawn');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the editor keeps several files in tabs, each with its text, across a reload', async () => {
  const { context, page, errors } = await open(server.url);
  await page.click('[data-tab="editor"]');
  const first = await page.inputValue('.yaml');
  await page.click('.file-add');
  assert.equal(await page.inputValue('.yaml'), '');
  await page.fill('.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n');
  await page.click('.file-tab:nth-child(1) .file-name');
  assert.equal(await page.inputValue('.yaml'), first);
  await page.click('.file-tab:nth-child(2) .file-name');
  assert.match(await page.inputValue('.yaml'), /name: second/);
  await page.click('.apply');
  await page.waitForSelector('.apply-result:has-text("configmap/second created")');
  await screenshot(page, 'editor-tabs');
  await page.waitForTimeout(3500);
  await page.reload();
  // The tab that was open (the editor) comes back open, so the terminal's input is hidden.
  await page.waitForSelector('.terminal-input', { state: 'attached' });
  await page.click('[data-tab="editor"]');
  await page.waitForSelector('.file-tab');
  assert.deepEqual(await page.$$eval('.file-tab .file-name', (els) => els.map((e) => e.textContent)), ['manifest-2.yaml', 'manifest.yaml']);
  assert.match(await page.inputValue('.yaml'), /name: second/, 'the open file is open again');
  assert.deepEqual(errors, []);
  await context.close();
});

// KNOWN REGRESSION (2026-12-02 merges): no pod is seen sliding from the queue any more — pods now
// appear to be bound before the queue draws them (kube-system bootstrap / scheduler rewrite). The
// issue 14/19 note says so; re-enable once the animation is back.
test('a pod scheduled while the clock runs slides from the queue to its node', async () => {
  const { context, page, errors } = await open(server.url);
  await page.click('.run-toggle');
  await type(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
  // The learner's chips only: kube-system's, bound at start-up, slid too, hidden in their
  // collapsed group, and the first of them is what an unqualified selector waited on for ever.
  await page.waitForSelector('.node .pod:not(.system-pods .pod)[style*="transform 0.6s"]', { timeout: 10_000 });
  await screenshot(page, 'pod-moving');
  await page.click('.run-toggle');
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode steps through a script in the editor, forward and back', async () => {
  const { context, page, errors } = await open(server.url);
  await page.click('[data-tab="editor"]');
  await page.fill('.yaml', '#!/bin/sh\n# a scripted demo\nkubectl create deployment web --image=nginx:1.27 --replicas=2\nkubectl scale deployment web --replicas=4\n');
  await page.click('.topbar .present');
  await page.mouse.click(700, 300);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.click('[data-tab="terminal"]').catch(() => {});
  await page.mouse.click(700, 300);
  await page.keyboard.press('Escape');
  await page.click('[data-tab="terminal"]');
  await page.waitForSelector('.scrollback :text("deployment.apps/web scaled")');
  await page.click('.settle');
  await page.waitForFunction(() => document.querySelectorAll('.node .pod:not(.system-pods .pod)').length === 4);
  await page.click('.topbar .present');
  await page.mouse.click(700, 300);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Escape');
  await page.click('.settle');
  await page.waitForFunction(() => document.querySelectorAll('.node .pod:not(.system-pods .pod)').length === 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test('ssh to the control-plane node: its prompt, a manifest moved away stops the scheduler on the cluster, exit comes back', async () => {
  const { context, page, errors } = await open(server.url);
  await type(page, 'ssh control-plane');
  await page.waitForFunction(() => document.querySelector('.prompt-line .prompt')?.textContent.includes('root@control-plane:~#'));
  await type(page, 'ls /etc/kubernetes/manifests');
  assert.match(await lastOut(page), /kube-scheduler\.yaml/);
  await type(page, 'sudo mv /etc/kubernetes/manifests/kube-scheduler.yaml /tmp/');
  await page.waitForSelector('.node .components li.stopped');
  assert.match(await page.textContent('.node .components li.stopped'), /kube-scheduler/);
  await screenshot(page, 'ssh-control-plane');
  await type(page, 'mv /tmp/kube-scheduler.yaml /etc/kubernetes/manifests/');
  await page.waitForFunction(() => !document.querySelector('.node .components li.stopped'));
  await type(page, 'exit');
  await page.waitForFunction(() => document.querySelector('.prompt-line .prompt')?.textContent.trim() === '$');
  assert.deepEqual(errors, []);
  await context.close();
});
