import { serveDir, launchChromium, paused } from './support.mjs';
const dir = process.argv[2];
const server = await serveDir(dir);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
page.on('console', (m) => console.log('console:', m.text()));
await page.goto(paused(server.url));
await page.waitForSelector('.terminal-input', { timeout: 60_000 });
await page.fill('.terminal-input', 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
await page.press('.terminal-input', 'Enter');
await page.waitForTimeout(500);
await page.click('.run-toggle');
for (let i = 0; i < 40; i++) {
  const s = await page.evaluate(() => ({
    clock: document.querySelector('.clock')?.textContent,
    queue: document.querySelectorAll('.pending-queue .pod').length,
    chips: [...document.querySelectorAll('.node .pod:not(.system-pods .pod)')].map((e) => `${e.dataset.pod} style=[${e.getAttribute('style')}]`),
  }));
  console.log(JSON.stringify(s));
  if (s.chips.length >= 2 && i > 10) break;
  await page.waitForTimeout(150);
}
await browser.close();
await server.close();
