// Benchmark (run by scripts/bench-page.sh, not by the tests): time from navigation start to the
// page's `cluster-drawn` performance mark, in a fresh browser context each time; prints the median.
import { serveDir, launchChromium } from './support.mjs';

const RUNS = 5;
const server = await serveDir();
const browser = await launchChromium();
const times = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext(); // no cache carried between loads
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('.node');
  times.push(await page.evaluate(() => performance.getEntriesByName('cluster-drawn')[0].startTime));
  await context.close();
}
await browser.close();
await server.close();
times.sort((a, b) => a - b);
console.log(`load to cluster drawn: median ${times[Math.floor(RUNS / 2)].toFixed(0)} ms over ${RUNS} loads (${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
