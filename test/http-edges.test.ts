import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import t, { type Test } from 'tap';
import { buildApp, LOG_OPTIONS } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { build, PASSWORD } from './helpers/app.ts';
import { surpriseReport } from './helpers/reports.ts';

// Hostile input at the edges: deep JSON, URLs and headers the router or Node's parser refuses,
// the pages' Content-Security-Policy, caching of personal data, and what the request log keeps.

const h = await build(t);
const fac = h.world.facilities;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const API_CSP = "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'";
// The headers helmet sets on every answer (x-powered-by is removed, not set).
const SECURITY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

type Headers = Record<string, string | string[] | number | undefined>;

/** The security headers of an ordinary problem (a 404 from our own handler). */
async function referenceHeaders(): Promise<Record<string, unknown>> {
  const res = await h.app.inject({ method: 'GET', url: '/v1/nowhere' });
  return Object.fromEntries(SECURITY_HEADERS.map((name) => [name, res.headers[name]]));
}

function isProblem(t: Test, headers: Headers, body: Json, status: number, code: string, reference: Json) {
  t.equal(String(headers['content-type']).split(';')[0], 'application/problem+json', `${code}: problem+json`);
  t.equal(body.status, status, `${code}: status in the body`);
  t.equal(body.code, code);
  t.ok(headers['x-request-id'], `${code}: x-request-id`);
  t.equal(body.request_id, headers['x-request-id'], `${code}: the body names the same request id`);
  for (const name of SECURITY_HEADERS) t.equal(headers[name], reference[name], `${code}: ${name}`);
  t.equal(headers['cache-control'], 'no-store', `${code}: no-store, as every /v1 answer`);
  t.notOk(headers['x-powered-by']);
}

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

async function openInspection(): Promise<string> {
  const res = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: await h.login('staff.banjarnegara'),
    body: surpriseReport({ inmates_searched: 10, officers_searched: 2, summary: 'Penggeledahan blok A.' }),
  });
  if (res.statusCode !== 201) throw new Error(`open: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

t.test('a JSON body nested past 64 levels is a 400 json_too_deep, whatever the route', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const admin = await h.login('admin');
  const reference = await referenceHeaders();
  const inspection = await openInspection();
  const json = { 'content-type': 'application/json' };

  // A POST without a body schema, with a key: the request hash used to overflow the stack (500).
  const keyed = await h.call('POST', `/v1/inspections/${inspection}/submit`, {
    token: staff,
    payload: deep(10_000),
    headers: { ...json, 'idempotency-key': 'deep-1' },
  });
  t.equal(keyed.statusCode, 400);
  isProblem(t, keyed.headers, keyed.json(), 400, 'json_too_deep', reference);
  t.equal(keyed.json().detail, 'The JSON body nests arrays and objects deeper than 64 levels.');
  t.equal(await h.count('idempotency_keys'), 0, 'no stored answer');
  const [row] = await h.rows<{ status: string }>('SELECT status FROM inspections WHERE id = $1', [inspection]);
  t.equal(row?.status, 'draft', 'nothing written');

  // Without a key, on a route with a schema, and on an import (its own body limit).
  const plain = await h.call('POST', '/v1/organisations', { token: admin, payload: deep(65), headers: json });
  t.equal(plain.statusCode, 400);
  t.equal(plain.json().code, 'json_too_deep');
  const objects = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
  const nested = await h.call('POST', '/v1/organisations', { token: admin, payload: objects, headers: json });
  t.equal(nested.json().code, 'json_too_deep', 'objects count as arrays do');
  const imported = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates/import`, {
    token: staff,
    payload: `[{"name":${deep(5_000)}}]`,
    headers: json,
  });
  t.equal(imported.statusCode, 400);
  t.equal(imported.json().code, 'json_too_deep');

  // 64 levels are parsed (then refused by the schema); brackets inside strings are text.
  const at64 = await h.call('POST', '/v1/organisations', { token: admin, payload: deep(64), headers: json });
  t.equal(at64.json().code, 'validation_failed');
  const inString = await h.call('POST', '/v1/organisations', {
    token: admin,
    payload: JSON.stringify({ type: 'kanwil', name: `Kanwil [${'['.repeat(100)}\\"{`, province_code: '51' }),
    headers: json,
  });
  t.equal(inString.statusCode, 201, 'brackets and escaped quotes inside strings do not count');
  t.equal(inString.json().name, `Kanwil [${'['.repeat(100)}\\"{`);

  // Still refused as before: prototype poisoning and broken JSON.
  const poisoned = await h.call('POST', '/v1/organisations', {
    token: admin,
    payload: '{"type":"kanwil","name":"x","__proto__":{"admin":true}}',
    headers: json,
  });
  t.equal(poisoned.statusCode, 400);
  t.equal(poisoned.json().code, 'malformed_json');
  const broken = await h.call('POST', '/v1/organisations', { token: admin, payload: '{"a":[}', headers: json });
  t.equal(broken.json().code, 'malformed_json');
});

t.test('the router refusals are problem+json with every header', async (t) => {
  const reference = await referenceHeaders();
  const badUrl = await h.app.inject({ method: 'GET', url: '/v1/facilities/%E0%A4%A' });
  t.equal(badUrl.statusCode, 400);
  isProblem(t, badUrl.headers, badUrl.json(), 400, 'malformed_url', reference);
  t.equal(badUrl.json().instance, '/v1/facilities/%E0%A4%A');

  const longParam = await h.app.inject({ method: 'GET', url: `/v1/facilities/${'a'.repeat(200)}` });
  t.equal(longParam.statusCode, 414);
  isProblem(t, longParam.headers, longParam.json(), 414, 'uri_too_long', reference);
  t.equal(longParam.json().detail, 'A segment of the path is longer than 100 characters.');

  // A body shorter than its Content-Length is a malformed request, not a media type.
  const short = await h.app.inject({
    method: 'POST',
    url: '/v1/organisations',
    headers: {
      'content-type': 'application/json',
      'content-length': '100',
      authorization: `Bearer ${await h.login('admin')}`,
    },
    payload: '{}',
  });
  t.equal(short.statusCode, 400);
  isProblem(t, short.headers, short.json(), 400, 'malformed_request', reference);
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Json;
}

/** Sends raw bytes to the listening app and reads the whole answer (the server closes after a client error). */
function raw(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      try {
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) });
      } catch {
        reject(new Error(`not a JSON answer: ${text.slice(0, 500)}`));
      }
    });
    socket.end(request);
  });
}

t.test("Node's parser refusals (431, bad method, garbage) are problem+json over a real socket", async (t) => {
  const reference = await referenceHeaders();
  const app = await buildApp({
    config: h.app.config,
    database: h.test.database,
    signingKey: h.app.signingKey,
  });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };

  const longQuery = await raw(port, `GET /v1/facilities?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
  t.equal(longQuery.status, 431);
  isProblem(t, longQuery.headers, longQuery.body, 431, 'headers_too_large', reference);
  t.equal(longQuery.body.instance, '/v1/facilities', 'the path, not the query');
  t.equal(longQuery.headers['content-length'], String(Buffer.byteLength(JSON.stringify(longQuery.body))));
  t.equal(longQuery.headers.connection, 'close');

  const bigHeader = await raw(port, `GET /health/live HTTP/1.1\r\nHost: a\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
  t.equal(bigHeader.status, 431);
  t.equal(bigHeader.body.code, 'headers_too_large');
  t.equal(bigHeader.body.detail, 'The request line and headers are larger than the limit of 16384 bytes.');

  const badMethod = await raw(port, 'FROB /v1/facilities HTTP/1.1\r\nHost: a\r\n\r\n');
  t.equal(badMethod.status, 400);
  isProblem(t, badMethod.headers, badMethod.body, 400, 'malformed_request', reference);

  const garbage = await raw(port, 'not http at all\r\n\r\n');
  t.equal(garbage.status, 400);
  t.equal(garbage.body.code, 'malformed_request');

  // The server still answers after them.
  const ok = await fetch(`http://127.0.0.1:${port}/health/live`);
  t.equal(ok.status, 200);
});

t.test('every answer has a Content-Security-Policy that lets its page work', async (t) => {
  const api = await h.call('GET', '/v1/facilities', { token: await h.login('admin') });
  t.equal(api.headers['content-security-policy'], API_CSP);
  t.equal((await h.call('GET', '/health/live')).headers['content-security-policy'], API_CSP);

  // Swagger UI: scripts and styles from its own static files, nothing inline.
  const docs = await h.app.inject({ method: 'GET', url: '/docs/' });
  t.equal(docs.statusCode, 200);
  const docsCsp = String(docs.headers['content-security-policy']);
  t.equal(
    docsCsp,
    "default-src 'none'; base-uri 'none'; connect-src 'self'; font-src 'self' data:; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'",
  );
  checkPage(t, docs, docsCsp);
  const scripts = [...docs.body.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  t.same(scripts, [
    './static/swagger-ui-bundle.js',
    './static/swagger-ui-standalone-preset.js',
    './static/swagger-initializer.js',
  ]);
  for (const src of scripts) {
    const file = await h.app.inject({ method: 'GET', url: `/docs/${String(src).slice(2)}` });
    t.equal(file.statusCode, 200, `${src} is served from this origin`);
  }
  // What the UI fetches (connect-src 'self') is the contract under /docs.
  t.equal((await h.app.inject({ method: 'GET', url: '/docs/json' })).statusCode, 200);

  // The printable scorecard: one inline style, allowed by its hash; no script.
  const page = await h.call('GET', `/v1/facilities/${fac.banjarnegara}/scorecard`, {
    token: await h.login('admin'),
    headers: { accept: 'text/html' },
  });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  const pageCsp = String(page.headers['content-security-policy']);
  const styles = [...page.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] as string);
  t.equal(styles.length, 1);
  const hash = createHash('sha256')
    .update(styles[0] as string)
    .digest('base64');
  t.equal(
    pageCsp,
    `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  checkPage(t, page, pageCsp);
});

/** Every script and style of a page is allowed by its policy: none inline without a matching hash or nonce. */
function checkPage(t: Test, res: LightMyRequestResponse, csp: string) {
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  const sourcesOf = (name: string) => directives.get(name) ?? directives.get('default-src') ?? [];
  const allowsInline = (sources: readonly string[], content: string) => {
    const hash = `'sha256-${createHash('sha256').update(content).digest('base64')}'`;
    return sources.includes(hash) || sources.includes("'unsafe-inline'");
  };
  for (const m of res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const [, attrs = '', content = ''] = m;
    const src = /\bsrc="([^"]+)"/.exec(attrs)?.[1];
    if (src) t.ok(src.startsWith('./') && sourcesOf('script-src').includes("'self'"), `script ${src} allowed`);
    else t.ok(allowsInline(sourcesOf('script-src'), content), 'inline script allowed by hash');
  }
  for (const m of res.body.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)) {
    t.ok(allowsInline(sourcesOf('style-src'), m[1] ?? ''), 'inline style allowed by hash');
  }
  for (const m of res.body.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) {
    t.ok(String(m[1]).startsWith('./') && sourcesOf('style-src').includes("'self'"), `stylesheet ${m[1]} allowed`);
  }
  t.notMatch(res.body, /\sstyle="|\son[a-z]+="/i, 'no style or event-handler attributes');
}

t.test('answers of /v1 are not stored by caches unless they say otherwise', async (t) => {
  const admin = await h.login('admin');
  const cases: [string, string, Parameters<typeof h.call>[2], number, string | undefined][] = [
    ['named people', '/v1/inmates', { token: admin }, 200, 'no-store'],
    ['a facility list', '/v1/facilities', { token: admin }, 200, 'no-store'],
    ['who I am', '/v1/me', { token: admin }, 200, 'no-store'],
    ['a refusal', '/v1/inmates', {}, 401, 'no-store'],
    ['not found', '/v1/inmates/01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d', { token: admin }, 404, 'no-store'],
    ['the public keys keep theirs', '/.well-known/jwks.json', {}, 200, 'public, max-age=300'],
    ['health is not personal', '/health/live', {}, 200, undefined],
  ];
  for (const [name, url, options, status, expected] of cases) {
    const res = await h.call('GET', url, options);
    t.equal(res.statusCode, status, name);
    t.equal(res.headers['cache-control'], expected, name);
  }
  const token = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'password', username: 'admin', password: 'test-password-123' },
  });
  t.equal(token.headers['cache-control'], 'no-store', 'token answers');
  const write = await h.call('POST', '/v1/organisations', {
    token: admin,
    body: { type: 'kanwil', name: 'Kanwil Ditjenpas Maluku', province_code: '81' },
  });
  t.equal(write.statusCode, 201);
  t.equal(write.headers['cache-control'], 'no-store', 'writes');
  const page = await h.call('GET', `/v1/facilities/${fac.banjarnegara}/scorecard`, {
    token: admin,
    headers: { accept: 'text/html' },
  });
  t.equal(page.headers['cache-control'], 'no-store', 'the printable page');
});

t.test('the request log keeps the route and the names of query parameters, not their values', async (t) => {
  const lines: Json[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({ LOG_LEVEL: 'info', NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0' });
  const app = await buildApp({
    config,
    database: h.test.database,
    signingKey: h.app.signingKey,
    logger: pino({ level: 'info' }, stream),
  });
  t.teardown(() => app.close());
  const authorization = `Bearer ${await h.login('admin')}`;
  const asked = [
    `/v1/facilities/${fac.banjarnegara}/officers?name=Budi&nip=198504172010121002&limit=5`,
    '/v1/officers?q=Budi&nip=198504172010121002',
    '/v1/nowhere?q=Budi&nip=198504172010121002',
    '/v1/inmates?name=Siti%20Aminah&name=Budi&registration_number=B.I-123%2F2024',
  ];
  const statuses = [];
  for (const url of asked)
    statuses.push((await app.inject({ method: 'GET', url, headers: { authorization } })).statusCode);
  t.same(statuses, [200, 400, 404, 400]);
  const text = lines.map((l) => JSON.stringify(l)).join('\n');
  for (const value of ['Budi', 'Siti', 'Aminah', '198504172010121002', 'B.I-123']) {
    t.notOk(text.includes(value), `no ${value} in the log`);
  }
  const incoming = lines.filter((l) => l.msg === 'incoming request').map((l) => l.req);
  t.same(incoming, [
    {
      method: 'GET',
      url: `/v1/facilities/${fac.banjarnegara}/officers`,
      route: '/v1/facilities/:facilityId/officers',
      query: ['name', 'nip', 'limit'],
      host: 'localhost:80',
      remoteAddress: '127.0.0.1',
    },
    {
      method: 'GET',
      url: '/v1/officers',
      route: '/v1/officers',
      query: ['q', 'nip'],
      host: 'localhost:80',
      remoteAddress: '127.0.0.1',
    },
    { method: 'GET', url: '/v1/nowhere', query: ['q', 'nip'], host: 'localhost:80', remoteAddress: '127.0.0.1' },
    {
      method: 'GET',
      url: '/v1/inmates',
      route: '/v1/inmates',
      query: ['name', 'registration_number'],
      host: 'localhost:80',
      remoteAddress: '127.0.0.1',
    },
  ]);
});

t.test(
  'no log line holds a credential or personal data, not even the error of a failed query',
  { skip: h.test.kind !== 'server' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    // The logger the server makes: its redaction and serialisers, at the most talkative level.
    const app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'trace', NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0' }),
      database: h.test.database,
      signingKey: h.app.signingKey,
      logger: pino({ level: 'trace', ...LOG_OPTIONS }, stream),
    });
    t.teardown(() => app.close());
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username: 'admin', password: PASSWORD },
    });
    t.equal(login.statusCode, 200);
    const token = login.json().access_token as string;
    const refresh = login.json().refresh_token as string;
    const authorization = `Bearer ${token}`;
    t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } })).statusCode, 200);
    const basic = `Basic ${Buffer.from(`dashboard.demo:${PASSWORD}`).toString('base64')}`;
    const client = await app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    t.equal(client.statusCode, 200);

    // An import whose query fails in the database: the statement's parameters are a person's NIP.
    const holder = new pg.Client({ connectionString: h.test.url });
    await holder.connect();
    t.teardown(() => holder.end());
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE officers IN ACCESS EXCLUSIVE MODE');
    const search = app.inject({
      method: 'POST',
      url: `/v1/facilities/${fac.banjarnegara}/officers/import`,
      headers: { authorization, 'content-type': 'text/csv' },
      payload:
        'nip;name;sex;position;unit;joined_on;status\n198504172010121002;Budi Santoso;male;Staf;KPR;2010-12-01;active\n',
    });
    // Wait for the import to queue behind the lock (polling the server's lock table), then cancel it.
    let pid: number | undefined;
    while (pid === undefined) {
      const { rows } = await holder.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE NOT granted AND relation = 'officers'::regclass`,
      );
      pid = rows[0]?.pid;
    }
    await holder.query('SELECT pg_cancel_backend($1)', [pid]);
    await holder.query('ROLLBACK');
    const failed = await search;
    t.same([failed.statusCode, failed.json().code], [503, 'database_unavailable']);

    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.err);
    t.same(
      logged.map((l) => [l.msg, l.err.code, l.err.message.split(' ').slice(0, 2).join(' ')]),
      [['database_unavailable', '57014', 'Failed query:']],
      'the cancelled query is logged, with its statement',
    );
    const text = lines.join('\n');
    const secrets = {
      token,
      refresh,
      basic: basic.slice(6),
      password: PASSWORD,
      name: 'Budi',
      nip: '198504172010121002',
    };
    t.same(
      Object.entries(secrets)
        .filter(([, value]) => text.includes(value))
        .map(([what]) => what),
      [],
      'none of them in the log',
    );
  },
);

t.test('the log redacts credentials wherever a request or a body would carry them', async (t) => {
  // The request serialiser keeps no header at all; the redaction is the guard behind it, for a
  // logger without that serialiser (pino's standard one logs every header).
  const lines: Json[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: 'info', redact: LOG_OPTIONS.redact }, stream);
  log.info({ req: { method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer a.b.c', cookie: 'sid=1' } } });
  log.info({
    body: {
      password: 'pw',
      client_secret: 'cs',
      refresh_token: 'rt',
      access_token: 'at',
      token: 'tk',
    },
  });
  t.same(
    lines.map((l) => l.req ?? l.body),
    [
      { method: 'GET', url: '/v1/me', headers: { authorization: '[redacted]', cookie: '[redacted]' } },
      {
        password: '[redacted]',
        client_secret: '[redacted]',
        refresh_token: '[redacted]',
        access_token: '[redacted]',
        token: '[redacted]',
      },
    ],
  );
});

t.test('an Idempotency-Key answers its retries while kept, and is free again once expired', async (t) => {
  const admin = await h.login('admin');
  const send = (name: string) =>
    h.call('POST', '/v1/organisations', {
      token: admin,
      body: { type: 'bnn', bnn_level: 'province', name, province_code: '32' },
      headers: { 'idempotency-key': 'kept-then-expired' },
    });
  const first = await send('BNNP Kunci Pertama');
  t.equal(first.statusCode, 201);
  const retry = await send('BNNP Kunci Pertama');
  t.equal(retry.statusCode, 201, 'a retry while kept');
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.equal(retry.json().id, first.json().id, 'gets the first answer');
  t.equal((await send('BNNP Kunci Lain')).statusCode, 422, 'another body under the kept key is refused');

  await h.rows(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'kept-then-expired'`);
  const after = await send('BNNP Kunci Lain');
  t.equal(after.statusCode, 201, 'once expired, the key serves a new request');
  t.equal(after.headers['idempotent-replayed'], undefined, 'not a replay');
  t.not(after.json().id, first.json().id);
  t.equal(await h.count('organisations', `name IN ('BNNP Kunci Pertama', 'BNNP Kunci Lain')`), 2, 'both written once');
});
