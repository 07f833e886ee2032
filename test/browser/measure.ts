import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PHONE, signIn, startConsole } from './harness.ts';

// What the first screen costs: (1) its JavaScript compressed, from the built console/dist/index.html;
// (2) the time from navigation to the home page's heading for a signed-in user on a slow phone
// network (DevTools protocol: latency 400 ms, 400 kbit/s down and up, the CPU four times slower),
// cold cache and no service worker, median of three runs. `npx tsx test/browser/measure.ts` after
// `npm run console:build`, with TEST_DATABASE_URL as for the tests.

const DIST = join(import.meta.dirname, '../../console/dist');
const RUNS = 3;
const NETWORK = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const CPU_SLOWDOWN = 4;

function firstScreenScripts(): { file: string; raw: number; gzip: number }[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const sources = [
    ...[...html.matchAll(/<script\b[^>]*type="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]),
  ].filter((s): s is string => Boolean(s));
  return sources.map((src) => {
    const bytes = readFileSync(join(DIST, src.replace(/^\/console\//, '')));
    return { file: src, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

const scripts = firstScreenScripts();
console.log('First screen JavaScript (gzip -9)');
console.table(scripts.map((s) => ({ file: s.file, raw: kb(s.raw), gzip: kb(s.gzip) })));
const total = scripts.reduce((sum, s) => sum + s.gzip, 0);
console.log(`total: ${kb(total)} (${total} bytes)\n`);

const teardowns: (() => unknown)[] = [];
const tap = { teardown: (fn: () => unknown) => void teardowns.push(fn) };
try {
  const server = await startConsole(tap);
  const times: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const context = await server.browser.newContext({
      viewport: PHONE,
      baseURL: server.base,
      locale: 'id-ID',
      serviceWorkers: 'block',
    });
    try {
      const page = await context.newPage();
      // Signed in at full speed: the cookie is what a returning user's phone holds.
      await signIn(page, 'staff.banjarnegara');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.clearBrowserCache');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', NETWORK);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      const started = performance.now();
      await page.goto('/console/', { waitUntil: 'commit' });
      await page.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor({ timeout: 120_000 });
      times.push(performance.now() - started);
    } finally {
      await context.close();
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log('Navigation to the home heading, signed in (latency 400 ms, 50000 B/s down and up, CPU x4, cold)');
  console.table(times.map((ms, i) => ({ run: i + 1, seconds: (ms / 1000).toFixed(2) })));
  console.log(`median: ${(median / 1000).toFixed(2)} s`);
} finally {
  for (const fn of teardowns.reverse()) await fn();
}
