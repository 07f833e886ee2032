import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import type { LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { build, type Harness } from './helpers/app.ts';

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
