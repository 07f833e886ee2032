import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PASSWORD, PHONE, startConsole } from './harness.ts';

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
  const firstVisit: { load: number; signIn: number }[] = [];
  const returning: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const context = await server.browser.newContext({
      viewport: PHONE,
      baseURL: server.base,
      locale: 'id-ID',
      serviceWorkers: 'block',
    });
    try {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', NETWORK);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

      // A first visit: the sign-in page from nothing, then the sign-in itself (not the typing).
      const started = performance.now();
      await page.goto('/console/', { waitUntil: 'commit' });
      await page.getByLabel('Nama pengguna').waitFor({ timeout: 120_000 });
      const loaded = performance.now();
      await page.getByLabel('Nama pengguna').fill('staff.banjarnegara');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      const submitted = performance.now();
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor({ timeout: 120_000 });
      firstVisit.push({ load: loaded - started, signIn: performance.now() - submitted });

      // A returning user: the cookie signs in again, cold cache.
      await cdp.send('Network.clearBrowserCache');
      const again = performance.now();
      await page.goto('/console/', { waitUntil: 'commit' });
      await page.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor({ timeout: 120_000 });
      returning.push(performance.now() - again);
    } finally {
      await context.close();
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `Slow mobile: latency ${NETWORK.latency} ms, ${NETWORK.downloadThroughput} B/s down and up, CPU x${CPU_SLOWDOWN}, no cache`,
  );
  console.table(
    firstVisit.map((v, i) => ({
      run: i + 1,
      'sign-in page (s)': s(v.load),
      'sign-in to home (s)': s(v.signIn),
      'first visit total (s)': s(v.load + v.signIn),
      'returning, to home (s)': s(returning[i] ?? 0),
    })),
  );
  console.log(
    `median: sign-in page ${s(median(firstVisit.map((v) => v.load)))} s, sign-in to home ${s(median(firstVisit.map((v) => v.signIn)))} s, returning ${s(median(returning))} s`,
  );
} finally {
  for (const fn of teardowns.reverse()) await fn();
}
