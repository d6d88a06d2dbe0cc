// Benchmark (run by scripts/bench-page.sh, not by the tests): frame times of the page while the
// clock runs with N pods on the nodes, measured with requestAnimationFrame over 5 s.
import { serveDir, launchChromium, paused } from './support.mjs';

const server = await serveDir();
const browser = await launchChromium();
for (const pods of [500, 5000]) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  // A minute of 5,000 pods starting takes the page a while: its clicks wait as long as it takes
  // (Playwright's 30 s made the 5,000-pod run time out on "+1m").
  page.setDefaultTimeout(600_000);
  // Set up on a stopped clock, then measure with it running (the page starts it at once otherwise).
  await page.goto(paused(server.url));
  await page.waitForSelector('.terminal-input');
  // 5,000 pods need more nodes than the default cluster has room for (110 pods each).
  const nodes = Math.ceil(pods / 100);
  const setup = [`for i in $(seq 4 ${nodes}); do sandbox node add >/dev/null; done`,
    `kubectl create deployment load --image=nginx --replicas=${pods}`];
  for (const line of setup) {
    await page.fill('.terminal-input', line);
    await page.press('.terminal-input', 'Enter');
  }
  await page.click('.step:has-text("+1m")');
  const running = await page.$$eval('.pod.running', (els) => els.length);
  await page.click('.run-toggle');
  const frames = await page.evaluate(() => new Promise((done) => {
    const times = [];
    let last = performance.now();
    const end = last + 5000;
    function frame(now) {
      times.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(frame); else done(times);
    }
    requestAnimationFrame(frame);
  }));
  frames.sort((a, b) => a - b);
  const pct = (p) => frames[Math.min(frames.length - 1, Math.floor(frames.length * p))].toFixed(1);
  console.log(`${pods} pods (${running} drawn running): ${frames.length} frames in 5 s; frame time median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`);
  await page.close();
}
await browser.close();
await server.close();
