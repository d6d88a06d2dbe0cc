// Shared by the end-to-end tests and the load benchmark: a static server over dist/ on
// loopback, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(new URL('..', import.meta.url).pathname);
export const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'test-output', 'e2e');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
                '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' };

/**
 * Serves `dir` on 127.0.0.1 at a free port; resolves to { url, close }. With `prefix` (say
 * '/sub/dir/') the files are served only under that path, as a static host serving the site from a
 * sub-directory would, and `url` points there. `close` also drops open keep-alive connections, so
 * after it the browser really has no server to talk to.
 */
export async function serveDir(dir = DIST, { prefix = '/' } = {}) {
  const server = createServer(async (req, res) => {
    const requested = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!requested.startsWith(prefix)) return res.writeHead(404).end('not found');
    const path = normalize('/' + requested.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}${prefix}`,
    close: () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); }),
  };
}

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export async function launchChromium() {
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * `url` with the page's clock starting paused (`?clock=paused`, before any `#` fragment). The
 * page's clock runs at 1× from the start; tests written against a frozen clock say so with this.
 */
export function paused(url) {
  const [base, ...hash] = url.split('#');
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}clock=paused${hash.length ? '#' + hash.join('#') : ''}`;
}

/** Saves a screenshot under test-output/e2e/NAME.png for a person to look at. */
export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
