import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import type { LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { MemoryFailureStore } from '../src/modules/auth/throttle.ts';
import { build, type Harness, PASSWORD } from './helpers/app.ts';
import { checkContract } from './helpers/contract.ts';

// Limits on hostile callers: the outside issuer's JWKS, failed sign-ins per account, and the
// API-wide budget per caller. Each test builds an app of its own with a clock it moves by hand.

const START = new Date('2026-03-02T02:00:00Z');

function expectProblem(t: Test, res: LightMyRequestResponse, status: number, code: string) {
  t.equal(res.statusCode, status, `status ${status}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/);
  t.equal(res.json().code, code, `code ${code}`);
}

/** A local JWKS endpoint; `handle` may be swapped to change what it does. */
async function jwksServer(t: Test, handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const state = { hits: 0, handle };
  const server = createServer((req, res) => {
    state.hits++;
    state.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys.json` };
}

function idpKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' },
    sign: (signKid = kid) =>
      createSigner({
        key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        algorithm: 'ES256',
        kid: signKid,
        iss: 'https://idp.test',
        aud: 'bersinar-api',
        expiresIn: 600_000,
      })({ sub: 'idp-user-1', typ: 'user', role: 'admin', org: null, fac: null, scope: 'read' }),
  };
}

const serve = (keys: unknown[]) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ keys }));
};

const me = (h: Harness, token: string) => h.call('GET', '/v1/me', { headers: { authorization: `Bearer ${token}` } });

t.test('an unknown kid does not fetch the JWKS again on every request', async (t) => {
  const first = idpKey('idp-key-1');
  const rotated = idpKey('idp-key-2');
  const jwks = await jwksServer(t, serve([first.jwk]));
  let now = START;
  const h = await build(
    t,
    {
      TRUSTED_ISSUER: 'https://idp.test',
      TRUSTED_ISSUER_JWKS_URL: jwks.url,
      TRUSTED_ISSUER_JWKS_REFETCH_SECONDS: '60',
    },
    { seed: false, clock: () => now },
  );

  t.equal((await me(h, first.sign())).statusCode, 200, 'a known key is accepted');
  t.equal(jwks.state.hits, 1, 'the JWKS was fetched once');
  for (const kid of ['idp-key-2', 'idp-key-2', 'made-up-1', 'made-up-2', 'made-up-3']) {
    expectProblem(t, await me(h, first.sign(kid)), 401, 'unauthenticated');
  }
  t.equal(jwks.state.hits, 1, 'five requests with unknown kids fetched nothing more');
  t.equal((await me(h, first.sign())).statusCode, 200, 'the known key still works');

  // The issuer rotates; after the refetch interval an unknown kid fetches once, and the new key works.
  jwks.state.handle = serve([first.jwk, rotated.jwk]);
  now = new Date(START.getTime() + 30_000);
  expectProblem(t, await me(h, rotated.sign()), 401, 'unauthenticated');
  t.equal(jwks.state.hits, 1, 'within the interval, not even a real new key fetches');
  now = new Date(START.getTime() + 61_000);
  t.equal((await me(h, rotated.sign())).statusCode, 200, 'after it, a kid seen in the refetch is accepted');
  t.equal(jwks.state.hits, 2);
  expectProblem(t, await me(h, first.sign('made-up-4')), 401, 'unauthenticated');
  t.equal((await me(h, first.sign())).statusCode, 200);
  t.equal((await me(h, rotated.sign())).statusCode, 200);
  t.equal(jwks.state.hits, 2, 'known keys and a fresh miss fetch nothing');
});

t.test('a JWKS endpoint that never answers gets 503 within the timeout, then is left alone', async (t) => {
  const key = idpKey('idp-key-1');
  const jwks = await jwksServer(t, () => {
    // Never answers.
  });
  let now = START;
  const h = await build(
    t,
    {
      TRUSTED_ISSUER: 'https://idp.test',
      TRUSTED_ISSUER_JWKS_URL: jwks.url,
      TRUSTED_ISSUER_JWKS_TIMEOUT_MS: '200',
      TRUSTED_ISSUER_JWKS_REFETCH_SECONDS: '60',
    },
    { seed: false, clock: () => now },
  );

  const res = await me(h, key.sign());
  expectProblem(t, res, 503, 'issuer_unavailable');
  t.equal(res.headers['retry-after'], '60');
  t.equal(jwks.state.hits, 1);
  expectProblem(t, await me(h, key.sign()), 503, 'issuer_unavailable');
  t.equal(jwks.state.hits, 1, 'a second request does not wait on the endpoint again');

  // Our own tokens do not depend on the outside issuer.
  const { privatePem, kid } = h.app.signingKey;
  const ours = createSigner({
    key: privatePem,
    algorithm: 'ES256',
    kid,
    iss: 'https://bersinar.local',
    aud: 'bersinar-api',
    expiresIn: 60_000,
  })({ sub: 'an-admin', typ: 'user', role: 'admin', org: null, fac: null, scope: 'read' });
  t.equal((await me(h, ours)).statusCode, 200, 'our own tokens still work meanwhile');

  jwks.state.handle = serve([key.jwk]);
  now = new Date(START.getTime() + 60_000);
  t.equal((await me(h, key.sign())).statusCode, 200, 'once the endpoint answers, after the interval, it works');
  t.equal(jwks.state.hits, 2);
});

// ---- failed sign-ins, per account and per client id ----

const THROTTLE = {
  AUTH_RATE_LIMIT_MAX: '1000',
  SIGN_IN_FAILURE_LIMIT: '3',
  SIGN_IN_FAILURE_WINDOW_SECONDS: '600',
  SIGN_IN_LOCK_SECONDS: '60',
  SIGN_IN_MAX_LOCK_SECONDS: '240',
};

/** A token request from an address of its own: the per-address limit plays no part. */
let addresses = 0;
async function grant(h: Harness, body: Record<string, string>) {
  addresses++;
  const res = await h.app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    payload: body,
    remoteAddress: `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`,
  });
  checkContract('POST', '/v1/auth/token', res);
  return res;
}
const password = (h: Harness, username: string, pass = 'a-wrong-guess') =>
  grant(h, { grant_type: 'password', username, password: pass });
const client = (h: Harness, client_id: string, client_secret = 'a-wrong-guess') =>
  grant(h, { grant_type: 'client_credentials', client_id, client_secret });

function expectThrottled(t: Test, res: LightMyRequestResponse, seconds: number) {
  expectProblem(t, res, 429, 'sign_in_throttled');
  t.equal(res.headers['retry-after'], String(seconds), `Retry-After ${seconds}`);
  t.equal(res.json().detail, `Too many failed attempts for this account or client; retry after ${seconds} seconds.`);
}

t.test('failures on one account from many addresses: 429 with a growing Retry-After', async (t) => {
  let now = START;
  const at = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  const h = await build(t, THROTTLE, { clock: () => now });

  for (let i = 1; i <= 3; i++) expectProblem(t, await password(h, 'staff.banjarnegara'), 400, 'invalid_grant');
  expectThrottled(t, await password(h, 'staff.banjarnegara'), 60);
  expectThrottled(t, await password(h, 'staff.banjarnegara', PASSWORD), 60);
  t.equal((await password(h, 'head.banjarnegara', PASSWORD)).statusCode, 200, 'another account still signs in');
  expectProblem(t, await password(h, 'head.banjarnegara'), 400, 'invalid_grant');

  at(30);
  expectThrottled(t, await password(h, 'staff.banjarnegara'), 30);
  // Each time the lock ends one attempt is let through; failing, it locks for twice as long, up to the cap.
  at(30);
  expectProblem(t, await password(h, 'staff.banjarnegara'), 400, 'invalid_grant');
  expectThrottled(t, await password(h, 'staff.banjarnegara'), 120);
  at(120);
  expectProblem(t, await password(h, 'staff.banjarnegara'), 400, 'invalid_grant');
  expectThrottled(t, await password(h, 'staff.banjarnegara'), 240);
  at(240);
  expectProblem(t, await password(h, 'staff.banjarnegara'), 400, 'invalid_grant');
  expectThrottled(t, await password(h, 'staff.banjarnegara'), 240);

  // The lock ends on its own, and a success wipes the record.
  at(240);
  t.equal((await password(h, 'staff.banjarnegara', PASSWORD)).statusCode, 200, 'the real user signs in');
  expectProblem(t, await password(h, 'staff.banjarnegara'), 400, 'invalid_grant');
  expectProblem(t, await password(h, 'staff.banjarnegara'), 400, 'invalid_grant');
  t.equal((await password(h, 'staff.banjarnegara', PASSWORD)).statusCode, 200, 'two failures after it: no lock');
});

t.test('an unknown account is throttled exactly like a known one', async (t) => {
  let now = START;
  const h = await build(t, THROTTLE, { clock: () => now });
  // What may differ between two answers: the request id and the date.
  const seen = (res: LightMyRequestResponse) => {
    const { 'x-request-id': _id, date: _date, ...headers } = res.headers;
    const { request_id: _rid, ...body } = res.json();
    return { status: res.statusCode, headers, body };
  };
  const steps: number[] = [0, 0, 0, 0, 0, 30, 30, 0];
  for (const [i, step] of steps.entries()) {
    now = new Date(now.getTime() + step * 1000);
    const known = await password(h, 'staff.kupang');
    const unknown = await password(h, 'nobody.at.all');
    t.same(seen(unknown), seen(known), `attempt ${i + 1}: the same answer (${known.statusCode})`);
  }
  t.same(
    (await Promise.all([password(h, 'staff.kupang'), password(h, 'nobody.at.all')])).map((r) => r.statusCode),
    [429, 429],
  );
});

t.test('client credentials are throttled per client id, known or not', async (t) => {
  let now = START;
  const h = await build(t, THROTTLE, { clock: () => now });
  for (let i = 1; i <= 3; i++) {
    expectProblem(t, await client(h, 'dashboard.demo'), 401, 'invalid_client');
    expectProblem(t, await client(h, 'no.such.client'), 401, 'invalid_client');
  }
  expectThrottled(t, await client(h, 'dashboard.demo'), 60);
  expectThrottled(t, await client(h, 'dashboard.demo', PASSWORD), 60);
  expectThrottled(t, await client(h, 'no.such.client'), 60);
  t.equal((await password(h, 'admin', PASSWORD)).statusCode, 200, 'a password sign-in is not held up');

  // A quiet window after the lock forgets everything: the count starts afresh.
  now = new Date(now.getTime() + 60_000 + 600_000);
  expectProblem(t, await client(h, 'dashboard.demo'), 401, 'invalid_client');
  expectProblem(t, await client(h, 'dashboard.demo'), 401, 'invalid_client');
  const ok = await client(h, 'dashboard.demo', PASSWORD);
  t.equal(ok.statusCode, 200, 'the right secret gets a token');
  t.equal(ok.json().scope, 'read');
});

t.test('a burst of concurrent guesses lets through no more than the limit', async (t) => {
  const h = await build(t, THROTTLE, { clock: () => START });
  const answers = await Promise.all(Array.from({ length: 10 }, () => password(h, 'staff.kupang')));
  t.same(
    answers.map((res) => res.statusCode).sort(),
    [400, 400, 400, 429, 429, 429, 429, 429, 429, 429],
    'three judged, seven refused',
  );
});

// ---- the API-wide budget per caller ----

/** A request from a given address, checked against the contract. */
async function from(h: Harness, address: string, method: 'GET' | 'POST', url: string, token?: string) {
  const res = await h.app.inject({
    method,
    url,
    remoteAddress: address,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  checkContract(method, url, res);
  return res;
}
const budget = (res: LightMyRequestResponse) => [
  res.headers['ratelimit-limit'],
  res.headers['ratelimit-remaining'],
  res.headers['ratelimit-reset'],
];

t.test('the API is limited per caller: the subject of a good token, else the address', async (t) => {
  const h = await build(t, { API_RATE_LIMIT_MAX: '3', API_RATE_LIMIT_WINDOW: '1 hour' });
  const staff = await h.login('staff.banjarnegara');
  const admin = await h.login('admin');

  const first = await from(h, '10.1.0.1', 'GET', '/v1/me', staff);
  t.equal(first.statusCode, 200);
  t.same(budget(first), ['3', '2', '3600'], 'limit, remaining and seconds to the reset');
  // The same subject from another address spends the same budget.
  const second = await from(h, '10.1.0.2', 'GET', '/v1/me', staff);
  t.same(budget(second).slice(0, 2), ['3', '1']);
  const third = await from(h, '10.1.0.3', 'GET', '/v1/me', staff);
  t.same(budget(third).slice(0, 2), ['3', '0']);
  const over = await from(h, '10.1.0.1', 'GET', '/v1/me', staff);
  expectProblem(t, over, 429, 'too_many_requests');
  t.equal(over.headers['ratelimit-limit'], '3');
  t.equal(over.headers['ratelimit-remaining'], '0');
  t.match(over.headers['retry-after'], /^\d+$/);
  t.equal(over.headers['retry-after'], over.headers['ratelimit-reset'], 'Retry-After is the time to the reset');
  t.ok(Number(over.headers['retry-after']) > 3500 && Number(over.headers['retry-after']) <= 3600);

  // Another caller from the very same address has a budget of its own.
  const other = await from(h, '10.1.0.1', 'GET', '/v1/me', admin);
  t.equal(other.statusCode, 200);
  t.same(budget(other).slice(0, 2), ['3', '2'], 'the admin has spent one of three');

  // Without a token, or with a bad one, the address is the caller.
  const anonymous = await from(h, '10.1.0.9', 'GET', '/.well-known/jwks.json');
  t.equal(anonymous.statusCode, 200);
  t.same(budget(anonymous), ['3', '2', '3600']);
  for (const remaining of ['1', '0']) {
    const bad = await from(h, '10.1.0.9', 'GET', '/v1/me', 'not-a-token');
    expectProblem(t, bad, 401, 'unauthenticated');
    t.equal(bad.headers['ratelimit-remaining'], remaining, 'a refused token counts against its address');
  }
  expectProblem(t, await from(h, '10.1.0.9', 'GET', '/.well-known/jwks.json'), 429, 'too_many_requests');
  t.equal((await from(h, '10.1.0.10', 'GET', '/.well-known/jwks.json')).statusCode, 200, 'another address');
  t.equal((await from(h, '10.1.0.9', 'GET', '/v1/me', admin)).statusCode, 200, 'a good token from there');
});

t.test('probes, metrics, docs and the token endpoint are outside the API budget', async (t) => {
  const h = await build(t, { API_RATE_LIMIT_MAX: '1', AUTH_RATE_LIMIT_MAX: '7' }, { seed: false });
  for (let i = 0; i < 3; i++) {
    for (const url of ['/health/live', '/metrics', '/docs/', '/openapi.json']) {
      const res = await from(h, '10.2.0.1', 'GET', url);
      t.ok(res.statusCode < 400, `${url} answers`);
      t.equal(res.headers['ratelimit-limit'], undefined, `${url} carries no budget`);
    }
  }
  // The token endpoint keeps its own limit per address.
  const res = await from(h, '10.2.0.1', 'POST', '/v1/auth/token');
  t.equal(res.statusCode, 400);
  t.same(budget(res).slice(0, 2), ['7', '6']);
  t.equal((await from(h, '10.2.0.1', 'GET', '/.well-known/jwks.json')).statusCode, 200, 'the API budget is untouched');
});

t.test("unknown paths spend their address's budget: probing for routes is not free", async (t) => {
  const h = await build(t, { API_RATE_LIMIT_MAX: '2', API_RATE_LIMIT_WINDOW: '1 hour' }, { seed: false });
  const first = await from(h, '10.4.0.1', 'GET', '/v1/no-such-thing');
  expectProblem(t, first, 404, 'route_not_found');
  t.same(budget(first).slice(0, 2), ['2', '1']);
  expectProblem(t, await from(h, '10.4.0.1', 'GET', '/wp-admin'), 404, 'route_not_found');
  expectProblem(t, await from(h, '10.4.0.1', 'GET', '/v1/another'), 429, 'too_many_requests');
  expectProblem(t, await from(h, '10.4.0.1', 'GET', '/.well-known/jwks.json'), 429, 'too_many_requests');
  expectProblem(t, await from(h, '10.4.0.2', 'GET', '/v1/another'), 404, 'route_not_found');
});

t.test('a full failure store drops entries without a lock first', async (t) => {
  const store = new MemoryFailureStore(3, 10);
  const locked = { failures: 5, windowStart: 0, lockouts: 1, lockedUntil: 10_000, expiresAt: 20_000 };
  const open = { failures: 1, windowStart: 0, lockouts: 0, lockedUntil: 0, expiresAt: 20_000 };
  await store.update('victim', 0, () => locked);
  for (const name of ['made-up-1', 'made-up-2', 'made-up-3', 'made-up-4']) await store.update(name, 1, () => open);
  t.same(await store.update('victim', 2, (entry) => entry), locked, "the locked account's entry is still there");
  t.equal(await store.update('made-up-1', 2, (entry) => entry), undefined, 'the oldest unlocked entry went first');
  t.equal(await store.update('made-up-2', 2, (entry) => entry), undefined);
  t.same(await store.update('made-up-4', 2, (entry) => entry), open);
});

t.test('API_RATE_LIMIT_MAX=0 turns the budget off', async (t) => {
  const h = await build(t, { API_RATE_LIMIT_MAX: '0' }, { seed: false });
  for (let i = 0; i < 3; i++) {
    const res = await from(h, '10.3.0.1', 'GET', '/.well-known/jwks.json');
    t.equal(res.statusCode, 200);
    t.equal(res.headers['ratelimit-limit'], undefined);
  }
});
