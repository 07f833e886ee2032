import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import t, { type Test } from 'tap';
import { build, type Harness, PASSWORD } from './helpers/app.ts';
import { checkContract } from './helpers/contract.ts';

// Many token requests in this file: the rate limit has its own test with its own app.
const h = await build(t, { AUTH_RATE_LIMIT_MAX: '1000' });
const fac = h.world.facilities;
const org = h.world.organisations;

const ISSUER = 'https://bersinar.local';
const AUDIENCE = 'bersinar-api';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const partOf = (token: string, i: 0 | 1) =>
  JSON.parse(Buffer.from(token.split('.')[i] as string, 'base64url').toString('utf8'));

function token(body: Record<string, unknown>, harness: Harness = h) {
  return harness.call('POST', '/v1/auth/token', { body });
}
const passwordGrant = (username: string, password = PASSWORD, harness: Harness = h) =>
  token({ grant_type: 'password', username, password }, harness);
const refreshGrant = (refresh_token: string) => token({ grant_type: 'refresh_token', refresh_token });
/** Another app in this process, with other settings. */
function buildAnother(env: Record<string, string>, options?: { seed?: boolean }) {
  return build(t, env, options);
}

const me = (bearer: string | undefined, harness: Harness = h) =>
  harness.call('GET', '/v1/me', bearer === undefined ? {} : { headers: { authorization: bearer } });

async function userId(username: string): Promise<string> {
  const [row] = await h.rows<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]);
  return row?.id as string;
}

/** Claims a user token of this service carries, for hand-made tokens. */
async function claimsOf(username: string) {
  const [row] = await h.rows<{ id: string; role: string; organisation_id: string | null; facility_id: string | null }>(
    'SELECT id, role, organisation_id, facility_id FROM users WHERE username = $1',
    [username],
  );
  return {
    sub: row?.id,
    typ: 'user',
    role: row?.role,
    org: row?.organisation_id ?? null,
    fac: row?.facility_id ?? null,
    scope: 'read write personal_data',
  };
}

function expectProblem(t: Test, res: Awaited<ReturnType<Harness['call']>>, status: number, code: string) {
  t.equal(res.statusCode, status, `status ${status}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/);
  t.equal(res.json().code, code, `code ${code}`);
}

t.test('password grant: a token for the right password, the same refusal otherwise', async (t) => {
  const res = await passwordGrant('staff.banjarnegara');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'no-store');
  const body = res.json();
  t.equal(body.token_type, 'Bearer');
  t.equal(body.expires_in, 900);
  t.equal(body.scope, 'read write personal_data');
  t.type(body.access_token, 'string');
  t.match(body.refresh_token, /^[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/);

  const header = partOf(body.access_token, 0);
  const claims = partOf(body.access_token, 1);
  t.equal(header.alg, 'ES256');
  const jwks = await h.call('GET', '/.well-known/jwks.json');
  t.equal(jwks.statusCode, 200);
  const keys = jwks.json().keys as { kid: string; alg: string; kty: string; crv: string; d?: string }[];
  const key = keys.find((k) => k.kid === header.kid);
  t.ok(key, 'the token names a published key');
  t.match(key, { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  t.notOk(
    keys.some((k) => 'd' in k),
    'no private part is published',
  );

  const now = Math.floor(Date.now() / 1000);
  t.match(claims, {
    sub: await userId('staff.banjarnegara'),
    typ: 'user',
    role: 'facility_staff',
    fac: fac.banjarnegara,
    org: null,
    iss: ISSUER,
    aud: AUDIENCE,
  });
  t.ok(claims.exp > now + 890 && claims.exp <= now + 901, 'expires in about 900 s');
  const [stored] = await h.rows<{ n: number }>(
    'SELECT count(*)::int AS n FROM refresh_tokens WHERE id = $1 AND spent_at IS NULL AND revoked_at IS NULL',
    [body.refresh_token.split('.')[0]],
  );
  t.equal(stored?.n, 1, 'the refresh token is stored, live');
  const [row] = await h.rows<{ secret_hash: string }>('SELECT secret_hash FROM refresh_tokens WHERE id = $1', [
    body.refresh_token.split('.')[0],
  ]);
  t.not(row?.secret_hash, body.refresh_token.split('.')[1], 'only a hash of its secret is kept');

  const wrong = await passwordGrant('staff.banjarnegara', 'not-the-password');
  expectProblem(t, wrong, 400, 'invalid_grant');
  const unknown = await passwordGrant('nobody.here', PASSWORD);
  expectProblem(t, unknown, 400, 'invalid_grant');
  t.equal(unknown.json().detail, wrong.json().detail, 'unknown user and wrong password read the same');
  t.notMatch(wrong.body, /access_token/);
});

t.test('the token endpoint also takes a form-encoded body', async (t) => {
  const form = new URLSearchParams({ grant_type: 'password', username: 'admin', password: PASSWORD }).toString();
  const res = await h.call('POST', '/v1/auth/token', {
    payload: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(res.statusCode, 200);
  t.equal(partOf(res.json().access_token, 1).role, 'admin');
  const wrong = await h.call('POST', '/v1/auth/token', {
    payload: new URLSearchParams({ grant_type: 'password', username: 'admin', password: 'nope' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expectProblem(t, wrong, 400, 'invalid_grant');
  const unknownField = await token({ grant_type: 'password', username: 'admin', password: PASSWORD, extra: 1 });
  t.equal(unknownField.statusCode, 400, 'unknown fields are refused');
});

t.test('a disabled account cannot sign in or refresh', async (t) => {
  const before = await passwordGrant('head.kupang');
  t.equal(before.statusCode, 200);
  const refresh = before.json().refresh_token as string;
  const id = await userId('head.kupang');
  const admin = await h.login('admin');
  const disabled = await h.call('PATCH', `/v1/users/${id}`, {
    token: admin,
    body: { active: false },
    headers: { 'if-match': '"1"' },
  });
  t.equal(disabled.statusCode, 200);
  t.equal(disabled.json().active, false);

  const res = await passwordGrant('head.kupang');
  expectProblem(t, res, 400, 'invalid_grant');
  const unknown = await passwordGrant('nobody.here');
  t.equal(res.json().detail, unknown.json().detail, 'a disabled account reads like an unknown one');
  expectProblem(t, await refreshGrant(refresh), 400, 'invalid_grant');
  t.equal(
    await h.count('refresh_tokens', `user_id = '${id}' AND revoked_at IS NULL`),
    0,
    'disabling revoked every refresh token of the account',
  );
});

t.test('client credentials may come in an HTTP Basic header, as OAuth libraries send them', async (t) => {
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const form = (body: Record<string, string>, authorization: string) =>
    h.call('POST', '/v1/auth/token', {
      payload: new URLSearchParams(body).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    });
  const ok = await form({ grant_type: 'client_credentials' }, basic('dashboard.demo', PASSWORD));
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().scope, 'read');
  const who = await h.call('GET', '/v1/me', { token: ok.json().access_token });
  t.equal(who.json().kind, 'api_client');

  const same = await form(
    { grant_type: 'client_credentials', client_id: 'dashboard.demo' },
    basic('dashboard.demo', PASSWORD),
  );
  t.equal(same.statusCode, 200, 'the body may repeat the same client id');
  const differs = await form(
    { grant_type: 'client_credentials', client_id: 'other' },
    basic('dashboard.demo', PASSWORD),
  );
  expectProblem(t, differs, 400, 'validation_failed');
  t.same(differs.json().errors, [
    { in: 'headers', pointer: '/authorization', detail: "Basic client credentials: client_id differs from the body's" },
  ]);
  const malformed = await form(
    { grant_type: 'client_credentials' },
    `Basic ${Buffer.from('no-colon').toString('base64')}`,
  );
  expectProblem(t, malformed, 400, 'validation_failed');
  // An empty Basic header (Swagger UI's password flow) is not a client.
  const password = await form(
    { grant_type: 'password', username: 'staff.banjarnegara', password: PASSWORD },
    `Basic ${Buffer.from(':').toString('base64')}`,
  );
  t.equal(password.statusCode, 200);
});

t.test('client credentials: the demo client gets a read token, nothing more', async (t) => {
  const res = await token({ grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.token_type, 'Bearer');
  t.equal(body.scope, 'read');
  t.notOk('refresh_token' in body, 'no refresh token for a client');
  const [client] = await h.rows<{ id: string }>(`SELECT id FROM api_clients WHERE client_id = 'dashboard.demo'`);
  t.match(partOf(body.access_token, 1), {
    sub: client?.id,
    typ: 'api_client',
    role: 'api_client',
    scope: 'read',
    iss: ISSUER,
    aud: AUDIENCE,
  });
  const who = await h.call('GET', '/v1/me', { token: body.access_token });
  t.equal(who.statusCode, 200);
  t.match(who.json(), { kind: 'api_client', role: 'api_client' });
  t.same(who.json().scopes, ['read']);

  const beyond = await token({
    grant_type: 'client_credentials',
    client_id: 'dashboard.demo',
    client_secret: PASSWORD,
    scope: 'read personal_data',
  });
  expectProblem(t, beyond, 400, 'invalid_grant');
  // Straight through inject, so that the contract check below is an assertion of its own.
  const badClient = (client_id: string, client_secret: string) =>
    h.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'client_credentials', client_id, client_secret },
    });
  const wrongSecret = await badClient('dashboard.demo', 'not-the-secret');
  expectProblem(t, wrongSecret, 401, 'invalid_client');
  t.equal(wrongSecret.headers['www-authenticate'], 'Basic');
  t.doesNotThrow(
    () => checkContract('POST', '/v1/auth/token', wrongSecret),
    'openapi.yaml documents the 401 invalid_client of the token endpoint',
  );
  const unknownClient = await badClient('no.such.client', PASSWORD);
  expectProblem(t, unknownClient, 401, 'invalid_client');
  t.equal(unknownClient.json().detail, wrongSecret.json().detail, 'unknown client and wrong secret read the same');
});

t.test('refresh tokens rotate; a spent one presented again revokes the family', async (t) => {
  const first = (await passwordGrant('staff.kupang')).json().refresh_token as string;
  const family = (
    await h.rows<{ family_id: string }>('SELECT family_id FROM refresh_tokens WHERE id = $1', [first.split('.')[0]])
  )[0]?.family_id;

  const rotated = await refreshGrant(first);
  t.equal(rotated.statusCode, 200);
  const second = rotated.json().refresh_token as string;
  t.type(second, 'string');
  t.not(second, first, 'a new refresh token');
  t.equal(partOf(rotated.json().access_token, 1).sub, await userId('staff.kupang'));
  t.equal(await h.count('refresh_tokens', `family_id = '${family}'`), 2, 'the new token joins the family');

  const reused = await refreshGrant(first);
  expectProblem(t, reused, 400, 'invalid_grant');
  const newest = await refreshGrant(second);
  expectProblem(t, newest, 400, 'invalid_grant');
  t.equal(
    await h.count('refresh_tokens', `family_id = '${family}' AND revoked_at IS NULL`),
    0,
    'the whole family is revoked',
  );
  const audit = await h.rows<{ entity_id: string; after: { family_id: string } }>(
    `SELECT entity_id, after FROM audit_events WHERE action = 'auth.refresh_token_reused'`,
  );
  t.equal(audit.length, 1, 'the reuse is audited once');
  t.equal(audit[0]?.entity_id, await userId('staff.kupang'));
  t.equal(audit[0]?.after.family_id, family);

  expectProblem(t, await refreshGrant('not-a-refresh-token'), 400, 'invalid_grant');
  expectProblem(t, await refreshGrant(`${second.split('.')[0]}.wrong-secret`), 400, 'invalid_grant');
});

t.test('a refresh token lives REFRESH_TOKEN_TTL_DAYS by the service clock', async (t) => {
  let now = new Date('2026-03-02T02:00:00Z');
  const c = await build(t, { REFRESH_TOKEN_TTL_DAYS: '2' }, { clock: () => now });
  const issued = (await passwordGrant('staff.kupang', PASSWORD, c)).json().refresh_token as string;
  const stamps = async (id: string) =>
    (
      await c.rows<{ expires_at: string; spent_at: string | null }>(
        `SELECT to_json(expires_at AT TIME ZONE 'UTC')#>>'{}' AS expires_at, to_json(spent_at AT TIME ZONE 'UTC')#>>'{}' AS spent_at
           FROM refresh_tokens WHERE id = $1`,
        [id.split('.')[0]],
      )
    )[0];
  t.same(await stamps(issued), { expires_at: '2026-03-04T02:00:00', spent_at: null }, 'two days from the clock');

  now = new Date('2026-03-04T01:59:59Z');
  const rotated = await token({ grant_type: 'refresh_token', refresh_token: issued }, c);
  t.equal(rotated.statusCode, 200, 'a second before it ends, it still rotates');
  t.same(
    await stamps(issued),
    { expires_at: '2026-03-04T02:00:00', spent_at: '2026-03-04T01:59:59' },
    'spent at the clock',
  );

  now = new Date('2026-03-06T01:59:59Z');
  const next = rotated.json().refresh_token as string;
  const expired = await token({ grant_type: 'refresh_token', refresh_token: next }, c);
  expectProblem(t, expired, 400, 'invalid_grant');
  t.equal(expired.json().detail, 'The credentials or token were not accepted (refresh token expired).');
});

t.test(
  'the same refresh token presented twice at once is honoured once',
  { skip: h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const first = (await passwordGrant('head.banjarnegara')).json().refresh_token as string;
    const answers = await Promise.all([refreshGrant(first), refreshGrant(first), refreshGrant(first)]);
    t.same(answers.map((res) => res.statusCode).sort(), [200, 400, 400], 'one rotation; the others are reuse');
    const id = await userId('head.banjarnegara');
    t.equal(await h.count('refresh_tokens', `user_id = '${id}' AND revoked_at IS NULL`), 0, 'the family is revoked');
  },
);

t.test('revoke signs out a family; unknown tokens answer revoked false', async (t) => {
  const first = (await passwordGrant('bnnp.ntt')).json().refresh_token as string;
  const second = (await refreshGrant(first)).json().refresh_token as string;
  const revoked = await h.call('POST', '/v1/auth/revoke', { body: { token: second } });
  t.equal(revoked.statusCode, 200);
  t.same(revoked.json(), { revoked: true });
  expectProblem(t, await refreshGrant(second), 400, 'invalid_grant');
  const id = await userId('bnnp.ntt');
  t.equal(await h.count('refresh_tokens', `user_id = '${id}' AND revoked_at IS NULL`), 0);
  t.equal(
    await h.count('audit_events', `action = 'auth.refresh_token_revoked' AND entity_id = '${id}'`),
    1,
    'the sign-out is audited',
  );

  const unknown = await h.call('POST', '/v1/auth/revoke', {
    body: { token: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c11.c2VjcmV0' },
  });
  t.equal(unknown.statusCode, 200);
  t.same(unknown.json(), { revoked: false });
  const garbage = await h.call('POST', '/v1/auth/revoke', { body: { token: 'garbage' } });
  t.same(garbage.json(), { revoked: false });
});

t.test('GET /v1/me refuses every token that is not ours and current', async (t) => {
  const none = await me(undefined);
  expectProblem(t, none, 401, 'unauthenticated');
  t.equal(none.headers['www-authenticate'], 'Bearer');
  expectProblem(t, await me('Bearer garbage'), 401, 'unauthenticated');
  expectProblem(t, await me('Basic YWRtaW46cGFzc3dvcmQ='), 401, 'unauthenticated');

  const claims = await claimsOf('admin');
  const { kid, privatePem, publicPem } = h.app.signingKey;
  const ours = (extra: Record<string, unknown> = {}) =>
    createSigner({ key: privatePem, algorithm: 'ES256', kid, iss: ISSUER, aud: AUDIENCE, expiresIn: 60_000, ...extra });

  const good = await me(`Bearer ${ours()(claims)}`);
  t.equal(
    good.statusCode,
    200,
    'a token made with our key and claims is accepted (the forgeries below differ by one thing)',
  );

  const { privateKey: other } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const otherPem = other.export({ format: 'pem', type: 'pkcs8' }).toString();
  const foreign = createSigner({
    key: otherPem,
    algorithm: 'ES256',
    kid,
    iss: ISSUER,
    aud: AUDIENCE,
    expiresIn: 60_000,
  });
  expectProblem(t, await me(`Bearer ${foreign(claims)}`), 401, 'unauthenticated');

  const now = Math.floor(Date.now() / 1000);
  const payload = { ...claims, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 };
  const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
  expectProblem(t, await me(`Bearer ${unsigned}`), 401, 'unauthenticated');

  const hsInput = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(payload)}`;
  const hs = `${hsInput}.${createHmac('sha256', publicPem).update(hsInput).digest('base64url')}`;
  expectProblem(t, await me(`Bearer ${hs}`), 401, 'unauthenticated');

  const expired = createSigner({ key: privatePem, algorithm: 'ES256', kid, iss: ISSUER, aud: AUDIENCE })({
    ...claims,
    iat: now - 1200,
    exp: now - 300,
  });
  const expiredRes = await me(`Bearer ${expired}`);
  expectProblem(t, expiredRes, 401, 'unauthenticated');
  t.match(expiredRes.json().detail, /expired/);

  expectProblem(t, await me(`Bearer ${ours({ aud: 'someone-else' })(claims)}`), 401, 'unauthenticated');
  expectProblem(t, await me(`Bearer ${ours({ iss: 'https://evil.test' })(claims)}`), 401, 'unauthenticated');
  expectProblem(t, await me(`Bearer ${ours()({ ...claims, role: 'superuser' })}`), 401, 'unauthenticated');

  // A real token with one byte of its payload changed.
  const real = await h.login('staff.banjarnegara');
  const [head, body, sig] = real.split('.');
  const tampered = `${head}.${b64({ ...partOf(real, 1), role: 'admin' })}.${sig}`;
  t.not(tampered.split('.')[1], body);
  expectProblem(t, await me(`Bearer ${tampered}`), 401, 'unauthenticated');
});

t.test('our tokens must carry exp, iss and aud, and name our key', async (t) => {
  const claims = await claimsOf('admin');
  const { kid, privatePem } = h.app.signingKey;
  const all = { key: privatePem, algorithm: 'ES256' as const, kid, iss: ISSUER, aud: AUDIENCE, expiresIn: 60_000 };
  const without = (name: 'kid' | 'iss' | 'aud' | 'expiresIn', extra: Record<string, unknown> = {}) => {
    const { [name]: _left, ...options } = all;
    return `Bearer ${createSigner({ ...options, ...extra })(claims)}`;
  };
  t.equal((await me(`Bearer ${createSigner(all)(claims)}`)).statusCode, 200, 'with all of them it is accepted');

  for (const [name, what] of [
    ['expiresIn', 'exp'],
    ['iss', 'iss'],
    ['aud', 'aud'],
  ] as const) {
    const res = await me(without(name));
    expectProblem(t, res, 401, 'unauthenticated');
    t.equal(res.headers['www-authenticate'], 'Bearer', `without ${what}: Bearer challenge`);
    t.equal(res.json().detail, 'A valid bearer token is required (token not valid).', `without ${what}`);
  }
  const noKid = await me(without('kid'));
  expectProblem(t, noKid, 401, 'unauthenticated');
  t.equal(noKid.json().detail, 'A valid bearer token is required (unknown signing key).');
  const wrongKid = await me(without('kid', { kid: 'not-a-key-of-ours' }));
  expectProblem(t, wrongKid, 401, 'unauthenticated');
  t.equal(wrongKid.json().detail, 'A valid bearer token is required (unknown signing key).');
});

t.test('GET /v1/me names the caller and the facilities in reach', async (t) => {
  const staff = await h.call('GET', '/v1/me', { token: await h.login('staff.banjarnegara') });
  t.equal(staff.statusCode, 200);
  t.same(staff.json(), {
    kind: 'user',
    id: await userId('staff.banjarnegara'),
    role: 'facility_staff',
    organisation_id: null,
    facility_id: fac.banjarnegara,
    scopes: ['read', 'write', 'personal_data'],
    facility_ids: [fac.banjarnegara],
  });
  const bnnp = await h.call('GET', '/v1/me', { token: await h.login('kanwil.ntt') });
  t.match(bnnp.json(), { role: 'regional_viewer', organisation_id: org['kanwil.ntt'], facility_id: null });
  t.same([...bnnp.json().facility_ids].sort(), [fac.kupang, fac['lpp.kupang']].sort());
  const admin = await h.call('GET', '/v1/me', { token: await h.login('admin') });
  t.match(admin.json(), { kind: 'user', role: 'admin', facility_id: null, facility_ids: null });
});

t.test('an outside issuer is trusted through its JWKS URL', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'idp-key-1', alg: 'ES256', use: 'sig' };
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url === '/keys.json') {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const idp = await buildAnother({
    AUTH_RATE_LIMIT_MAX: '1000',
    TRUSTED_ISSUER: 'https://idp.test',
    TRUSTED_ISSUER_JWKS_URL: `http://127.0.0.1:${port}/keys.json`,
    TRUSTED_ISSUER_AUDIENCE: 'bersinar-api',
  });

  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const claims = { sub: 'idp-user-1', typ: 'user', role: 'admin', org: null, fac: null, scope: 'read' };
  const sign = (extra: Record<string, unknown> = {}) =>
    createSigner({
      key: pem,
      algorithm: 'ES256',
      kid: 'idp-key-1',
      iss: 'https://idp.test',
      aud: 'bersinar-api',
      expiresIn: 60_000,
      ...extra,
    })(claims);

  const accepted = await me(`Bearer ${sign()}`, idp);
  t.equal(accepted.statusCode, 200);
  t.match(accepted.json(), { kind: 'user', id: 'idp-user-1', role: 'admin', facility_ids: null });
  t.same(accepted.json().scopes, ['read']);
  t.ok(fetches >= 1, 'the keys came from the JWKS URL');

  expectProblem(t, await me(`Bearer ${sign({ kid: 'not-in-the-jwks' })}`, idp), 401, 'unauthenticated');
  expectProblem(t, await me(`Bearer ${sign({ aud: 'another-api' })}`, idp), 401, 'unauthenticated');
  // Outside tokens, too, must carry exp and aud (fast-jwt checks them only when present).
  expectProblem(t, await me(`Bearer ${sign({ expiresIn: undefined })}`, idp), 401, 'unauthenticated');
  expectProblem(t, await me(`Bearer ${sign({ aud: undefined })}`, idp), 401, 'unauthenticated');
  const { privateKey: impostor } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const forged = createSigner({
    key: impostor.export({ format: 'pem', type: 'pkcs8' }).toString(),
    algorithm: 'ES256',
    kid: 'idp-key-1',
    iss: 'https://idp.test',
    aud: 'bersinar-api',
    expiresIn: 60_000,
  })(claims);
  expectProblem(t, await me(`Bearer ${forged}`, idp), 401, 'unauthenticated');

  // Our own tokens still work alongside, and the outside key does not sign for our issuer.
  const own = await me(`Bearer ${await idp.login('admin')}`, idp);
  t.equal(own.statusCode, 200);
  expectProblem(t, await me(`Bearer ${sign({ iss: ISSUER })}`, idp), 401, 'unauthenticated');
});

t.test('the token endpoint is rate-limited per address', async (t) => {
  const limited = await buildAnother({ AUTH_RATE_LIMIT_MAX: '3' }, { seed: false });
  for (let i = 0; i < 3; i++) {
    const res = await passwordGrant('nobody.here', PASSWORD, limited);
    t.equal(res.statusCode, 400, `attempt ${i + 1} is answered`);
  }
  const fourth = await passwordGrant('nobody.here', PASSWORD, limited);
  expectProblem(t, fourth, 429, 'too_many_requests');
  t.match(String(fourth.headers['retry-after']), /^\d+$/);
  t.ok(Number(fourth.headers['retry-after']) > 0);
});

t.test('administrators create staff users under the rules of affiliation', async (t) => {
  const admin = await h.login('admin');
  const password = 'a-long-new-password-42';
  const body = {
    username: 'staff2.banjarnegara',
    display_name: 'Staf Registrasi',
    password,
    role: 'facility_staff',
    facility_id: fac.banjarnegara,
  };
  const usersBefore = await h.count('users');

  const noFacility = await h.call('POST', '/v1/users', { token: admin, body: { ...body, facility_id: undefined } });
  expectProblem(t, noFacility, 422, 'rule_violated');
  t.equal(noFacility.json().errors[0].pointer, '/facility_id');
  const officerAtKanwil = await h.call('POST', '/v1/users', {
    token: admin,
    body: {
      ...body,
      username: 'officer2.kanwil',
      role: 'bnn_officer',
      facility_id: undefined,
      organisation_id: org['kanwil.jateng'],
    },
  });
  expectProblem(t, officerAtKanwil, 422, 'rule_violated');
  t.equal(officerAtKanwil.json().errors[0].pointer, '/organisation_id');
  t.equal(await h.count('users'), usersBefore, 'refused requests store nothing');

  const created = await h.call('POST', '/v1/users', { token: admin, body });
  t.equal(created.statusCode, 201);
  const user = created.json();
  t.equal(created.headers.location, `/v1/users/${user.id}`);
  t.match(user, { username: body.username, role: 'facility_staff', facility_id: fac.banjarnegara, active: true });
  t.notOk('password' in user || 'password_hash' in user, 'no password in the answer');
  const [stored] = await h.rows<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.id]);
  t.not(stored?.password_hash, password);
  t.match(stored?.password_hash, /^scrypt\$/);
  t.notMatch(stored?.password_hash, password);
  t.equal((await passwordGrant(body.username, password)).statusCode, 200, 'the new user signs in');
  const audit = await h.rows<{ action: string; facility_id: string }>(
    'SELECT action, facility_id FROM audit_events WHERE entity_id = $1',
    [user.id],
  );
  t.same(audit, [{ action: 'user.created', facility_id: fac.banjarnegara }]);

  const dup = await h.call('POST', '/v1/users', { token: admin, body });
  expectProblem(t, dup, 409, 'already_exists');
  t.equal(await h.count('users'), usersBefore + 1);

  // A new password ends the sessions that could be refreshed, and the old password.
  const session = (await passwordGrant(body.username, password)).json().refresh_token as string;
  const changed = await h.call('PATCH', `/v1/users/${user.id}`, {
    token: admin,
    body: { password: 'another-long-password-7' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(changed.statusCode, 200);
  t.equal(changed.headers.etag, '"2"');
  expectProblem(t, await refreshGrant(session), 400, 'invalid_grant');
  expectProblem(t, await passwordGrant(body.username, password), 400, 'invalid_grant');
  t.equal((await passwordGrant(body.username, 'another-long-password-7')).statusCode, 200);

  const staff = await h.login('staff.banjarnegara');
  expectProblem(t, await h.call('GET', '/v1/users', { token: staff }), 403, 'forbidden');
  expectProblem(
    t,
    await h.call('POST', '/v1/users', { token: staff, body: { ...body, username: 'x.y.z' } }),
    403,
    'forbidden',
  );
  const list = await h.call('GET', '/v1/users?limit=200', { token: admin });
  t.equal(list.statusCode, 200);
  t.ok(list.json().data.some((u: { id: string }) => u.id === user.id));
});

t.test('administrators register API clients; the secret is shown once and works', async (t) => {
  const admin = await h.login('admin');
  const staff = await h.login('staff.banjarnegara');
  const body = { client_id: 'reports.bnnp-ntt', name: 'Laporan BNNP NTT', scopes: ['read', 'personal_data'] };
  expectProblem(t, await h.call('POST', '/v1/api-clients', { token: staff, body }), 403, 'forbidden');
  expectProblem(t, await h.call('GET', '/v1/api-clients', { token: staff }), 403, 'forbidden');

  const created = await h.call('POST', '/v1/api-clients', { token: admin, body });
  t.equal(created.statusCode, 201);
  const client = created.json();
  t.equal(created.headers.location, `/v1/api-clients/${client.id}`);
  t.match(client, { client_id: body.client_id, active: true });
  t.same(client.scopes, ['read', 'personal_data']);
  t.type(client.client_secret, 'string');
  t.ok(client.client_secret.length >= 32, 'a long secret');
  const [stored] = await h.rows<{ secret_hash: string }>('SELECT secret_hash FROM api_clients WHERE id = $1', [
    client.id,
  ]);
  t.notMatch(stored?.secret_hash, client.client_secret, 'only a hash of the secret is kept');

  const again = await h.call('GET', `/v1/api-clients/${client.id}`, { token: admin });
  t.equal(again.statusCode, 200);
  t.notOk('client_secret' in again.json(), 'the secret is not shown again');
  const list = await h.call('GET', '/v1/api-clients', { token: admin });
  t.notOk(list.body.includes(client.client_secret));

  const grant = await token({
    grant_type: 'client_credentials',
    client_id: body.client_id,
    client_secret: client.client_secret,
    scope: 'personal_data',
  });
  t.equal(grant.statusCode, 200);
  t.equal(grant.json().scope, 'personal_data');
  t.match(partOf(grant.json().access_token, 1), { sub: client.id, role: 'api_client' });

  t.equal(await h.count('audit_events', `action = 'api_client.created' AND entity_id = '${client.id}'`), 1);
  const dup = await h.call('POST', '/v1/api-clients', { token: admin, body });
  expectProblem(t, dup, 409, 'already_exists');

  // Nothing secret ever reaches the audit trail: a user made and given a new password here too.
  const made = await h.call('POST', '/v1/users', {
    token: admin,
    body: {
      username: 'staff3.banjarnegara',
      display_name: 'Staf Arsip',
      password: 'a-third-long-password-9',
      role: 'facility_staff',
      facility_id: fac.banjarnegara,
    },
  });
  t.equal(made.statusCode, 201);
  const repassed = await h.call('PATCH', `/v1/users/${made.json().id}`, {
    token: admin,
    body: { password: 'a-fourth-long-password-3' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(repassed.statusCode, 200);
  const rows = await h.rows<{ action: string; text: string }>(
    'SELECT action, to_jsonb(a)::text AS text FROM audit_events a ORDER BY seq',
  );
  const actions = rows.map((r) => r.action);
  t.ok(actions.includes('user.created') && actions.includes('api_client.created') && actions.includes('user.updated'));
  const secrets = [
    PASSWORD,
    'a-long-new-password-42',
    'another-long-password-7',
    'a-third-long-password-9',
    'a-fourth-long-password-3',
    client.client_secret,
    'scrypt$',
  ];
  const leaking = rows.filter(
    (row) =>
      secrets.some((secret) => row.text.includes(secret)) ||
      /password_hash|secret_hash|client_secret|"password"/.test(row.text),
  );
  t.same(
    leaking.map((row) => row.action),
    [],
    'no audit event holds a password, a secret, a hash or a secret field',
  );
});
