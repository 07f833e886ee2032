import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import t from 'tap';
import { CONSOLE_CSP, consoleRoutes, contractVersion } from '../src/http/console.ts';
import { errorsPlugin } from '../src/http/errors.ts';
import { build } from './helpers/app.ts';

// The staff console as the server hands it out: its own strict policy, cache rules that let a new
// build reach every phone, screens falling back to index.html, and the contract digest it checks.

const h = await build(t);

// A build of its own, so that this file does not depend on `npm run console:build` having run.
const root = mkdtempSync(join(tmpdir(), 'bersinar-console-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Bersinar</title>');
writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(join(root, 'sw.js'), 'self.addEventListener("fetch", () => {})');
// What the build writes beside each text file: its Brotli and gzip forms.
writeFileSync(join(root, 'assets', 'index-abc123.js.br'), brotliCompressSync('console.log(1)'));
writeFileSync(join(root, 'assets', 'index-abc123.js.gz'), gzipSync('console.log(1)'));

async function consoleApp(dir: string) {
  const app = Fastify();
  await app.register(errorsPlugin, { bodyLimit: 1024, fileLimit: 1024 });
  await app.register(consoleRoutes, { root: dir });
  t.teardown(() => app.close());
  return app;
}

t.test('a screen is index.html under the console policy, revalidated on every visit', async (t) => {
  const app = await consoleApp(root);
  for (const url of ['/console', '/console/', '/console/inspections/new', '/console/rehab/0193/week']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, url);
    t.equal(res.body, '<!doctype html><title>Bersinar</title>', url);
    t.equal(res.headers['content-security-policy'], CONSOLE_CSP, url);
    t.equal(res.headers['cache-control'], 'no-cache, must-revalidate', url);
  }
});

t.test('hashed assets are kept for good; the worker is revalidated and scoped to the console', async (t) => {
  const app = await consoleApp(root);
  const asset = await app.inject({ url: '/console/assets/index-abc123.js' });
  t.equal(asset.statusCode, 200);
  t.equal(asset.body, 'console.log(1)');
  t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  const worker = await app.inject({ url: '/console/sw.js' });
  t.equal(worker.statusCode, 200);
  t.equal(worker.headers['cache-control'], 'no-cache, must-revalidate');
  t.equal(worker.headers['service-worker-allowed'], '/console/');
  // The worker runs under the policy of its own answer: it must be the console's, not the API's.
  t.equal(worker.headers['content-security-policy'], CONSOLE_CSP);
});

t.test('a file goes compressed as the build made it, by what the browser accepts', async (t) => {
  const app = await consoleApp(root);
  const url = '/console/assets/index-abc123.js';
  const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  t.equal(br.headers['content-encoding'], 'br');
  t.equal(brotliDecompressSync(br.rawPayload).toString(), 'console.log(1)');
  t.match(br.headers.vary, /accept-encoding/i);
  const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.equal(gunzipSync(gz.rawPayload).toString(), 'console.log(1)');
  const plain = await app.inject({ url });
  t.equal(plain.headers['content-encoding'], undefined);
  t.equal(plain.body, 'console.log(1)');
});

t.test('a missing file is a 404 problem, and nothing outside the build is served', async (t) => {
  const app = await consoleApp(root);
  const missing = await app.inject({ url: '/console/assets/gone-000.js' });
  t.equal(missing.statusCode, 404);
  for (const url of ['/console/../package.json', '/console/%2e%2e/%2e%2e/package.json', '/console/..%2fpackage.json']) {
    const res = await app.inject({ url });
    t.not(res.statusCode, 200, url);
    t.notMatch(res.body, /"name": "bersinar"/, url);
  }
});

t.test('the policy allows no inline script or style, and images only from itself and blobs', async (t) => {
  const directives = Object.fromEntries(
    CONSOLE_CSP.split('; ').map((d) => {
      const [name, ...values] = d.split(' ');
      return [name, values];
    }),
  );
  t.same(directives['script-src'], ["'self'"]);
  t.same(directives['style-src'], ["'self'"]);
  t.same(directives['img-src'], ["'self'", 'blob:']);
  t.same(directives['connect-src'], ["'self'"]);
  t.same(directives['frame-ancestors'], ["'none'"]);
});

t.test('a server without a build says how to make one', async (t) => {
  const app = await consoleApp(join(root, 'nothing-here'));
  const res = await app.inject({ url: '/console/' });
  t.equal(res.statusCode, 503);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(res.json(), { status: 503, code: 'console_not_built' });
  t.match(res.json().detail, /npm run console:build/);
});

t.test('version.json names the contract the server answers by, never cached', async (t) => {
  const res = await h.app.inject({ url: '/console/version.json' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { contract: contractVersion() });
  t.match(res.json().contract, /^[0-9a-f]{16}$/);
  t.equal(res.headers['cache-control'], 'no-store');
});

t.test('the console is not part of the API contract', async (t) => {
  const res = await h.call('GET', '/openapi.json');
  const paths = Object.keys(res.json().paths);
  t.same(
    paths.filter((p) => p.startsWith('/console')),
    [],
  );
});
