// End to end: the page at the sizes people use. At 1280×720, 1366×768 and 1920×1080, with a
// 24-pod Deployment running, every node and every pod is inside the viewport and inside every
// ancestor that clips, the page has no scrollbars and no pane overflows sideways; the terminal
// never wraps a table; presenter mode with a lesson shows the terminal and ▶ runs a step there;
// the Korean page keeps words whole and shows no English of its own; a 390 px phone is usable.
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

async function open(width, height, { locale } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(paused(server.url)); // these steps expect a frozen clock
  await page.waitForSelector('.terminal-input', { timeout: 30_000 });
  return { context, page, errors };
}

async function type(page, line) {
  await page.fill('.terminal-input', line);
  await page.press('.terminal-input', 'Enter');
}

/** Starts 24 pods and lets the cluster settle (the clock stays paused). */
async function run24(page) {
  await type(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=24');
  await page.click('.settle');
  await page.waitForFunction(() => document.querySelectorAll('.node .pod.running:not(.system-pods .pod)').length === 24, null, { timeout: 20_000 });
  // The chips' drop-in (from just above, over the Mem bar) has ended before anything is measured
  // or photographed: a chip caught mid-drop looked like one overlapping the bar.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 5_000 }).catch(() => {});
}

/**
 * Everything that must be seen, checked in the page: each of `selectors`' elements lies inside the
 * viewport and inside every ancestor that clips (overflow other than visible). Returns the
 * problems found, as text.
 */
function outOfView(page, selectors) {
  return page.evaluate((selectors) => {
    const problems = [];
    const slack = 1;
    const inside = (r, b) => r.left >= b.left - slack && r.right <= b.right + slack && r.top >= b.top - slack && r.bottom <= b.bottom + slack;
    const name = (el) => el.dataset.node ?? el.dataset.pod ?? el.className;
    for (const el of document.querySelectorAll(selectors)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) { problems.push(`${name(el)} is not drawn`); continue; }
      const viewport = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
      if (!inside(r, viewport)) problems.push(`${name(el)} outside the viewport ${JSON.stringify(r)}`);
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        const b = a.getBoundingClientRect();
        const clip = { left: b.left + a.clientLeft, top: b.top + a.clientTop,
                       right: b.left + a.clientLeft + a.clientWidth, bottom: b.top + a.clientTop + a.clientHeight };
        if (!inside(r, clip)) problems.push(`${name(el)} clipped by ${a.tagName}.${a.className}`);
      }
    }
    return problems;
  }, selectors);
}

/** Panes wider inside than they are (a horizontal overflow), and page scrollbars. */
function overflowing(page) {
  return page.evaluate(() => {
    const problems = [];
    const d = document.documentElement;
    if (d.scrollWidth > innerWidth || d.scrollHeight > innerHeight) problems.push(`page ${d.scrollWidth}×${d.scrollHeight}`);
    for (const sel of ['.topbar', '.body', '.workspace', '.center', '.cluster', '.work-panels', '.side', '.inspector', '.events', '.editor', '.apply-result', '.lesson-aside']) {
      for (const el of document.querySelectorAll(sel)) {
        if (el.offsetParent === null) continue;
        if (el.scrollWidth > el.clientWidth + 1) problems.push(`${sel} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return problems;
  });
}

for (const [width, height] of [[1280, 720], [1366, 768], [1920, 1080]]) {
  test(`at ${width}×${height} all four nodes and 24 running pods are in view, with nothing overflowing`, async () => {
    const { context, page, errors } = await open(width, height);
    await run24(page);
    assert.equal(await page.$$eval('.node', (els) => els.length), 4);
    assert.deepEqual(await outOfView(page, '.node, .node .pod:not(.system-pods .pod)'), []);
    assert.deepEqual(await overflowing(page), []);
    assert.equal(await page.isVisible('.terminal-input'), true);
    await screenshot(page, `layout-${width}x${height}`);

    // Selecting a pod opens the inspector beside the cluster; the nodes stay in view.
    assert.equal(await page.$eval('.inspector', (el) => el.classList.contains('empty')), true);
    const emptyHeight = await page.$eval('.inspector', (el) => el.getBoundingClientRect().height);
    assert.ok(emptyHeight < 90, `the empty inspector is one line, not ${emptyHeight}px`);
    await page.click('.node[data-node="node-2"] .pod');
    await page.waitForSelector('.inspector .inspector-text');
    assert.deepEqual(await outOfView(page, '.node, .node .pod:not(.system-pods .pod)'), []);
    assert.deepEqual(await overflowing(page), []);
    await screenshot(page, `layout-${width}x${height}-inspecting`);

    // A table is never wrapped: at 1366 and wider the terminal holds `get pods -o wide` whole.
    await type(page, 'kubectl get pods -o wide');
    await page.waitForFunction(() => /NOMINATED NODE/.test(document.querySelector('.scrollback').textContent));
    const table = await page.$eval('.scrollback pre.out:last-of-type', (el) => ({
      whiteSpace: getComputedStyle(el).whiteSpace, lineHeight: parseFloat(getComputedStyle(el).lineHeight) || 16,
      height: el.getBoundingClientRect().height, lines: el.textContent.trimEnd().split('\n').length,
      fits: el.scrollWidth <= el.parentElement.clientWidth + 1 }));
    assert.equal(table.whiteSpace, 'pre');
    assert.ok(table.height < table.lineHeight * (table.lines + 1), `${table.lines} rows drawn ${table.height}px tall: wrapped`);
    // With the lesson column open it may scroll sideways instead (never wrapping).
    console.log(`${width}×${height}: get pods -o wide ${table.fits ? 'fits' : 'scrolls sideways'}`);

    // The editor shows a manifest's worth of lines (the issue counted six at 1366×768).
    await page.click('[data-tab="editor"]');
    const shown = await page.$eval('.editor-body', (el) =>
      Math.floor(el.clientHeight / parseFloat(getComputedStyle(el.querySelector('.yaml')).lineHeight)));
    console.log(`${width}×${height}: the editor shows ${shown} lines`);
    if (width >= 1366) assert.ok(shown >= 15, `the editor shows ${shown} lines`);

    // A long error wraps inside its pane and pushes nothing out of view.
    await page.fill('.yaml', 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: a-deployment-with-a-rather-long-name-that-makes-the-error-line-long\nspec: {}\n');
    await page.click('.apply');
    await page.waitForSelector('.apply-result.failed');
    assert.match(await page.textContent('.apply-result'), /did you mean kind: Deployment/);
    assert.match(await page.textContent('.problems'), /did you mean "Deployment"/);
    assert.deepEqual(await outOfView(page, '.node'), []);
    assert.deepEqual(await overflowing(page), []);
    await screenshot(page, `layout-${width}x${height}-apply-error`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

/**
 * Everything drawn inside a node box (but a closed kube-system list, and chips still moving) that
 * sticks out of it sideways; and an inspector title narrower than a few characters.
 */
function spilling(page) {
  return page.evaluate(() => {
    const problems = [];
    for (const node of document.querySelectorAll('.node')) {
      const b = node.getBoundingClientRect();
      for (const el of node.querySelectorAll('*')) {
        if (el.closest('details:not([open])') && !el.closest('summary')) continue;
        if (el.getAnimations().length) continue;
        const r = el.getBoundingClientRect();
        if (!r.width) continue;
        if (r.left < b.left - 1 || r.right > b.right + 1) {
          problems.push(`${node.dataset.node}: ${el.tagName}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(b.left)}–${Math.round(b.right)}`);
        }
      }
    }
    // text wider than its own row (a long taint in a verdict, a status word) overflows it
    for (const el of document.querySelectorAll('.node .verdict, .node .node-status, .node > .pods, .node .taints, .node header')) {
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${el.closest('.node').dataset.node}: .${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    // a node's name is read as one word: "control-/plane" broken at its hyphen is wrong
    for (const name of document.querySelectorAll('.node .node-name')) {
      const range = document.createRange();
      range.selectNodeContents(name);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) problems.push(`${name.closest('.node').dataset.node}: its name is on ${lines.size} lines`);
      if (name.scrollWidth > name.clientWidth + 1) problems.push(`${name.closest('.node').dataset.node}: its name is cut (${name.scrollWidth} > ${name.clientWidth})`);
    }
    const title = document.querySelector('.inspector-title');
    if (title && title.getBoundingClientRect().width < 80) problems.push(`inspector title ${Math.round(title.getBoundingClientRect().width)} px wide`);
    return problems;
  });
}

for (const [width, height, locale] of [[1280, 720], [1366, 768], [1366, 768, 'ko-KR'], [1920, 1080]]) {
  test(`at ${width}×${height}${locale ? ' in Korean' : ''} a pending pod's verdicts, the nodes' status and the inspector's title stay in their boxes`, async () => {
    const { context, page, errors } = await open(width, height, { locale });
    for (const n of ['node-1', 'node-2', 'node-3']) await type(page, `kubectl cordon ${n}`);
    await type(page, 'kubectl run lonely-pod-with-a-long-name --image=nginx:1.27');
    await page.click('.step:has-text("+1s")');
    await page.click('.pod[data-pod="lonely-pod-with-a-long-name"]');
    await page.waitForSelector('.inspector-title');
    // the scheduler's verdict is drawn on every node: the control plane's names its taint
    await page.waitForSelector('.node.control-plane .verdict.refused');
    assert.match(await page.textContent('.node.control-plane .verdict'), /untolerated taint/);
    assert.match(await page.textContent('.node[data-node="node-1"] .node-status'), /^Ready,SchedulingDisabled$/);
    assert.deepEqual(await spilling(page), []);
    assert.deepEqual(await overflowing(page), []);
    await screenshot(page, `pending-verdict-${width}x${height}${locale ? '-ko' : ''}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

for (const [width, height] of [[1280, 720], [1366, 768]]) {
  test(`presenter mode at ${width}×${height} with a lesson and 24 pods keeps every chip inside its node`, async () => {
    const { context, page, errors } = await open(width, height);
    await page.click('[data-lesson="declarative-api"] .lesson-open');
    await page.click('.topbar .present');
    await page.waitForSelector('.app.presenter.presenting-lesson');
    await run24(page);
    assert.deepEqual(await spilling(page), []);
    assert.deepEqual(await outOfView(page, '.node, .node .pod:not(.system-pods .pod)'), []);
    await screenshot(page, `presenter-24-${width}x${height}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('faults show on the chips: a restart badge, CrashLoopBackOff, a NotReady node, pods landing elsewhere', async () => {
  const { context, page, errors } = await open(1366, 768);
  await type(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=6');
  await page.click('.settle');
  await page.waitForFunction(() => document.querySelectorAll('.node .pod.running:not(.system-pods .pod)').length === 6);
  const victim = await page.$eval('.node[data-node="node-1"] .pod', (el) => el.dataset.pod);
  await type(page, `sandbox kill ${victim}`);
  await page.click('.step:has-text("+10s")');
  await page.waitForSelector(`.pod[data-pod="${victim}"] .restart-badge`);
  assert.equal(await page.textContent(`.pod[data-pod="${victim}"] .restart-badge`), '↻1');
  await screenshot(page, 'fault-restart-badge');
  await type(page, 'sandbox node stop node-2');
  await page.click('.step:has-text("+1m")');
  await page.waitForSelector('.node.not-ready[data-node="node-2"]');
  assert.match(await page.textContent('.node[data-node="node-2"] .node-status'), /NotReady/);
  assert.deepEqual(await outOfView(page, '.node, .node .pod:not(.system-pods .pod)'), []);
  await screenshot(page, 'fault-node-notready');
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode with a lesson shows the terminal, ▶ runs its step there, Space never scrolls, ? shows the legend', async () => {
  const { context, page, errors } = await open(1280, 720);
  await page.waitForSelector('[data-lesson="declarative-api"] .lesson-open');
  await page.click('[data-lesson="declarative-api"] .lesson-open');
  await page.click('.topbar .present');
  await page.waitForSelector('.app.presenter.presenting-lesson');
  assert.equal(await page.isVisible('.terminal'), true, 'the class sees the terminal');
  assert.equal(await page.isVisible('.cluster'), true);
  const sizes = await page.evaluate(() => ({
    body: parseFloat(getComputedStyle(document.querySelector('.lessons')).fontSize),
    pod: parseFloat(getComputedStyle(document.querySelector('.node') ?? document.body).fontSize),
  }));
  assert.ok(sizes.body >= 20, `lesson text ${sizes.body}px`);
  const step = page.locator('.put-command').first();
  if (await step.count() === 0) {
    await page.keyboard.press('ArrowRight');
  }
  await page.locator('.put-command').first().click();
  const line = await page.locator('.try-line code').first().textContent();
  await page.waitForFunction((l) => [...document.querySelectorAll('.scrollback .cmd')].some((e) => e.textContent.includes(l)), line.trim());
  assert.equal(await page.isVisible('.scrollback .cmd'), true, 'the step ran where the class sees it');
  // Space runs the clock and scrolls nothing. (With a ▶ button focused, Space still presses
  // it as well: not fixed yet.)
  await page.mouse.click(640, 200);
  const commands = () => page.$$eval('.scrollback .cmd', (els) => els.length);
  const ran = await commands();
  const scrolled = () => page.evaluate(() => [...document.querySelectorAll('*')].filter((e) => !e.closest('.scrollback'))
    .map((e) => e.scrollTop).reduce((a, b) => a + b, 0));
  const before = await scrolled();
  await page.keyboard.press('Space');
  await page.waitForSelector('.run-toggle[aria-pressed="true"]');
  assert.equal(await scrolled(), before, 'Space scrolled a panel');
  assert.equal(await commands(), ran, 'Space ran nothing in the terminal');
  await page.keyboard.press('Space');
  await page.waitForSelector('.run-toggle[aria-pressed="false"]');
  // The legend starts hidden (shown, it covered the terminal); "?" and its top-bar button toggle it.
  assert.equal(await page.isVisible('.key-legend'), false);
  await page.mouse.click(640, 200);
  await page.keyboard.press('?');
  assert.equal(await page.isVisible('.key-legend'), true);
  await page.keyboard.press('?');
  assert.equal(await page.isVisible('.key-legend'), false);
  await page.click('.topbar .legend-toggle');
  assert.equal(await page.isVisible('.key-legend'), true);
  await page.click('.topbar .legend-toggle');
  assert.equal(await page.isVisible('.key-legend'), false);
  await type(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=6');
  await page.click('.settle');
  await page.waitForFunction(() => document.querySelectorAll('.node .pod.running:not(.system-pods .pod)').length === 6);
  const podName = await page.$eval('.node .pod .pod-name', (el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(podName >= 16, `pod names ${podName}px`);
  assert.deepEqual(await outOfView(page, '.node'), []);
  await screenshot(page, 'presenter-lesson-1280x720');
  assert.deepEqual(errors, []);
  await context.close();
});

test('in Korean words stay whole and the interface shows no English of its own', async () => {
  const { context, page, errors } = await open(1366, 768);
  if ((await page.getAttribute('.app', 'lang')) !== 'ko') await page.click('.topbar .lang');
  await page.waitForSelector('.app[lang="ko"]');
  await run24(page);
  assert.equal(await page.$eval('.app', (el) => getComputedStyle(el).wordBreak), 'keep-all');
  const english = await page.evaluate(() => {
    // Words that are the same in Korean: names, units, Kubernetes' own terms and statuses,
    // commands to type, and the switch back to English.
    const same = /^(API|emptyDir|PersistentVolumeClaims?|kube-sandbox|kubectl|English|CPU|GiB|YAML|Pod|Ready|NotReady|Running|Pending|kubelet|node-\d|control-plane|web-[\w-]+|nginx|apply|Deployment|ReplicaSet|Service|ConfigMap|Job|CronJob|StatefulSet|DaemonSet|JSON|json|yaml|Ctrl|Tab|Enter|Shift)$/;
    const chrome = document.querySelectorAll('.topbar, .tabs, .node header, .capacity, .bar-label, .inspector header, .events h2, .editor-bar, .problems, .lesson-list, .lessons h2, .getting-started, .pending-queue .queue-label');
    const found = new Set();
    for (const root of chrome) {
      const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (n.parentElement.closest('code, pre, option, .pod, .node-name, .file-name')) continue;
        for (const w of n.textContent.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? []) if (!same.test(w)) found.add(w);
      }
    }
    return [...found];
  });
  assert.deepEqual(english, []);
  await screenshot(page, 'korean-1366x768');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a 390 px phone the lesson reads in whole words and the cluster fits the width', async () => {
  const { context, page, errors } = await open(390, 844);
  if ((await page.getAttribute('.app', 'lang')) !== 'ko') await page.click('.topbar .lang');
  await page.waitForSelector('.app[lang="ko"]');
  await type(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=6');
  await page.click('.settle');
  await page.waitForFunction(() => document.querySelectorAll('.node .pod.running:not(.system-pods .pod)').length === 6);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scroll');
  const settle = await page.$eval('.settle', (el) => el.getBoundingClientRect());
  assert.ok(settle.height < 40, `"안정될 때까지" on one line, not ${settle.height}px tall`);
  const nodes = await page.$$eval('.node', (els) => els.map((e) => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; }));
  assert.deepEqual(nodes, [true, true, true, true]);
  await screenshot(page, 'phone-390');
  assert.deepEqual(errors, []);
  await context.close();
});
