import { readFileSync } from 'node:fs';
import pg from 'pg';
import t from 'tap';
import { parse } from 'yaml';
import { build } from './helpers/app.ts';

const h = await build(t, { BODY_LIMIT_BYTES: '4096' });
const org = h.world.organisations;

t.test('bad input gets a problem+json and writes nothing', async (t) => {
  const token = await h.login('admin');
  const before = await h.count('organisations');
  const cases: [string, Parameters<typeof h.call>[2], number, string][] = [
    [
      'malformed JSON',
      { token, payload: '{"type": "kanwil",', headers: { 'content-type': 'application/json' } },
      400,
      'malformed_json',
    ],
    ['wrong type', { token, body: { type: 'kanwil', name: 42, province_code: '51' } }, 400, 'validation_failed'],
    ['unknown enum', { token, body: { type: 'police', name: 'Polda Bali' } }, 400, 'validation_failed'],
    [
      'unknown field',
      { token, body: { type: 'kanwil', name: 'Kanwil Bali', province_code: '51', extra: 1 } },
      400,
      'validation_failed',
    ],
    [
      'oversize',
      { token, body: { type: 'kanwil', name: 'x'.repeat(5000), province_code: '51' } },
      413,
      'body_too_large',
    ],
    [
      'not JSON',
      { token, payload: 'type=kanwil', headers: { 'content-type': 'text/plain' } },
      415,
      'unsupported_media_type',
    ],
    ['no token', { body: { type: 'kanwil', name: 'Kanwil Bali', province_code: '51' } }, 401, 'unauthenticated'],
  ];
  for (const [name, options, status, code] of cases) {
    const res = await h.call('POST', '/v1/organisations', options);
    t.equal(res.statusCode, status, name);
    t.match(res.headers['content-type'], /^application\/problem\+json/, name);
    t.match(
      res.json(),
      { status, code, instance: '/v1/organisations', type: String, title: String, detail: String },
      name,
    );
    t.notMatch(res.body, /stack|SELECT|INSERT/i, `${name}: no stack trace or SQL`);
  }
  const typed = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'kanwil', name: 42, province_code: '51' },
  });
  t.same(
    typed.json().errors.map((e: { pointer: string; in: string }) => [e.in, e.pointer]),
    [['body', '/name']],
  );
  t.equal(await h.count('organisations'), before);

  const badId = await h.call('GET', '/v1/organisations/not-a-uuid', { token });
  t.equal(badId.statusCode, 400);
  t.same(badId.json().errors[0], { in: 'params', pointer: '/organisationId', detail: badId.json().errors[0].detail });
  const badQuery = await h.call('GET', '/v1/facilities?type=hotel', { token });
  t.equal(badQuery.statusCode, 400);
  t.equal(badQuery.json().errors[0].in, 'querystring');
  const bigLimit = await h.call('GET', '/v1/facilities?limit=1000', { token });
  t.equal(bigLimit.statusCode, 400);
  const noRoute = await h.call('GET', '/v1/nowhere', { token });
  t.equal(noRoute.statusCode, 404);
  t.equal(noRoute.json().code, 'route_not_found');
});

t.test('detail speaks Indonesian when the client prefers it', async (t) => {
  const token = await h.login('admin');
  const en = await h.call('GET', '/v1/facilities/01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d', { token });
  const id = await h.call('GET', '/v1/facilities/01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d', {
    token,
    headers: { 'accept-language': 'id' },
  });
  t.match(en.json().detail, /No facility with this id/);
  t.equal(id.json().detail, 'Tidak ada Lapas/Rutan dengan id ini, atau berada di luar cakupan akses Anda.');
  t.equal(en.json().code, id.json().code);
});

t.test('request ids travel in responses and problems', async (t) => {
  const given = await h.call('GET', '/health/live', { headers: { 'x-request-id': 'field-device-42' } });
  t.equal(given.headers['x-request-id'], 'field-device-42');
  const made = await h.call('GET', '/v1/me');
  t.ok(made.headers['x-request-id']);
  t.equal(made.json().request_id, made.headers['x-request-id']);
});

t.test('Idempotency-Key makes a POST safe to retry', async (t) => {
  const token = await h.login('admin');
  const body = { type: 'kanwil', name: 'Kanwil Ditjenpas Bali', province_code: '51' };
  const headers = { 'idempotency-key': 'sync-2026-11-22-001' };
  const first = await h.call('POST', '/v1/organisations', { token, body, headers });
  t.equal(first.statusCode, 201);
  const retry = await h.call('POST', '/v1/organisations', { token, body, headers });
  t.equal(retry.statusCode, 201);
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.same(retry.json(), first.json(), 'the first answer, again');
  t.equal(retry.headers.location, first.headers.location);
  t.equal(first.headers.etag, '"1"');
  t.equal(retry.headers.etag, '"1"', 'a replay carries the version as ETag too');
  t.equal(await h.count('organisations', `name = 'Kanwil Ditjenpas Bali'`), 1, 'written once');
  t.equal(await h.count('audit_events', `entity_id = '${first.json().id}'`), 1, 'audited once');

  const other = await h.call('POST', '/v1/organisations', { token, body: { ...body, name: 'Kanwil Lain' }, headers });
  t.equal(other.statusCode, 422);
  t.equal(other.json().code, 'idempotency_key_reused');
  const bad = await h.call('POST', '/v1/organisations', {
    token,
    body,
    headers: { 'idempotency-key': 'spasi tidak boleh' },
  });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'idempotency_key_invalid');

  // Keys belong to the caller: the same key from someone else is a new request.
  const bnnk = await h.login('bnnk.purbalingga');
  const mou = {
    number: 'PKS/IDEM/2026',
    title: 'Tes urine',
    bnn_unit_id: org['bnnk.purbalingga'],
    facility_ids: [h.world.facilities.purwokerto],
    scope: ['urine_testing'],
    valid_from: '2026-02-01',
    valid_until: '2027-02-01',
  };
  const theirs = await h.call('POST', '/v1/mous', { token: bnnk, body: mou, headers });
  t.equal(theirs.statusCode, 201);
  t.notOk(theirs.headers['idempotent-replayed']);

  // A failed request stores nothing under its key: fixing the body and retrying works.
  const failing = { ...mou, number: 'PKS/IDEM/2027', valid_until: '2020-01-01' };
  const k = { 'idempotency-key': 'retry-after-fix' };
  t.equal((await h.call('POST', '/v1/mous', { token: bnnk, body: failing, headers: k })).statusCode, 422);
  t.equal(
    (await h.call('POST', '/v1/mous', { token: bnnk, body: failing, headers: k })).statusCode,
    422,
    'the error again, not a replay',
  );
});

t.test(
  'a retry while the first is still running gets 409',
  { skip: h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const token = await h.login('admin');
    const me = (await h.call('GET', '/v1/me', { token })).json();
    const key = 'in-flight-1';
    const other = new pg.Client({ connectionString: h.test.url });
    await other.connect();
    t.teardown(() => other.end());
    // Holding the key's lock from another session is what a first request still running looks like.
    await other.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`user:${me.id} ${key}`]);
    const res = await h.call('POST', '/v1/organisations', {
      token,
      body: { type: 'kanwil', name: 'Kanwil Ditjenpas Maluku', province_code: '81' },
      headers: { 'idempotency-key': key },
    });
    t.equal(res.statusCode, 409);
    t.equal(res.json().code, 'idempotency_in_flight');
    t.ok(res.headers['retry-after']);
    t.equal(await h.count('organisations', `province_code = '81'`), 0);
  },
);

t.test('service endpoints', async (t) => {
  t.same((await h.call('GET', '/health/live')).json(), { status: 'ok' });
  // Readiness may carry warnings that depend on today (the holiday calendar's end): its status is what counts here.
  t.equal((await h.call('GET', '/health/ready')).json().status, 'ok');
  const metrics = await h.call('GET', '/metrics');
  t.equal(metrics.statusCode, 200);
  t.match(metrics.body, /http_request_duration_seconds/);
  const docs = await h.call('GET', '/docs/');
  t.equal(docs.statusCode, 200);
  t.match(docs.body, /Swagger UI/);
  const json = await h.call('GET', '/openapi.json');
  t.equal(json.json().openapi, '3.1.0');
  const jwks = await h.call('GET', '/.well-known/jwks.json');
  t.match(jwks.json().keys[0], { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  t.notOk(jwks.json().keys[0].d, 'no private part');
});

t.test('openapi.yaml is what the code generates, and complete', async (t) => {
  const committed = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8');
  t.equal(h.app.swagger({ yaml: true }), committed, 'run npm run openapi and commit the result');
  const doc = parse(committed) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, unknown> };
    security?: unknown[];
  };
  const hasExample = (node: unknown): boolean => {
    if (!node || typeof node !== 'object') return false;
    const o = node as Record<string, unknown>;
    if ('examples' in o || 'example' in o) return true;
    if (typeof o.$ref === 'string') return hasExample(doc.components.schemas[o.$ref.split('/').pop() as string]);
    return Object.values(o).some(hasExample);
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const name = `${method.toUpperCase()} ${path}`;
      t.ok(op.operationId, `${name} has an operationId`);
      t.ok(op.description, `${name} has a description`);
      // Secured by the document's bearer or OAuth 2 scheme, unless declared public (security: []).
      const security = op.security as unknown[] | undefined;
      t.ok(security === undefined ? doc.security?.length : security.length === 0, `${name} is secured or public`);
      const responses = op.responses as Record<string, unknown>;
      const success = Object.entries(responses).find(([code]) => code.startsWith('2'));
      // A 204 has no body to show; anything else shows what it answers or takes.
      const shown = success && (success[0] === '204' || hasExample(success[1]) || hasExample(op.requestBody));
      t.ok(shown, `${name} has an example`);
    }
  }
});
