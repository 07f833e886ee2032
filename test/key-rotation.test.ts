import { spawn } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { ConfigError, loadConfig } from '../src/config.ts';
import { build, type Harness, PASSWORD } from './helpers/app.ts';
import { feedOf } from './helpers/feed.ts';

// A rolling restart through the stages of a rotation from key A to key B, each stage an app (a
// process) on one database: tokens issued at any stage must pass on the stage before and after it.

const pemOf = (curve: string) =>
  generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const A = pemOf('P-256');
const B = pemOf('P-256');
const SECRETS_KEY = randomBytes(32).toString('base64');

/** RFC 7638 thumbprint of a key's public half, worked out here apart from the service's own. */
function thumbprint(pem: string): string {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  return createHash('sha256')
    .update(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`)
    .digest('base64url');
}
const kidA = thumbprint(A);
const kidB = thumbprint(B);

const keys = (ring: { current: string; next?: string; previous?: string[] }) => JSON.stringify(ring);
const common = { SECRETS_KEY, AUTH_RATE_LIMIT_MAX: '1000' };
const STAGE_0 = { ...common, JWT_PRIVATE_KEY: A };
const STAGE_1 = { ...common, JWT_PRIVATE_KEYS: keys({ current: A, next: B }) };
const STAGE_2 = { ...common, JWT_PRIVATE_KEYS: keys({ current: B, previous: [A] }) };
const STAGE_3 = { ...common, JWT_PRIVATE_KEYS: keys({ current: B }) };

const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8')) as { kid: string; alg: string };

async function signIn(h: Harness) {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'password', username: 'staff.banjarnegara', password: PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in: ${res.statusCode} ${res.body}`);
  return res.json() as { access_token: string; refresh_token: string };
}

async function refresh(h: Harness, refreshToken: string) {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'refresh_token', refresh_token: refreshToken },
  });
  return { status: res.statusCode, body: res.json() as { access_token: string; refresh_token: string } };
}

async function whoAmI(t: Test, h: Harness, token: string, what: string) {
  const res = await h.call('GET', '/v1/me', { token });
  t.equal(res.statusCode, 200, what);
  return res.json().id as string;
}

async function refused(t: Test, h: Harness, token: string, what: string) {
  const res = await h.call('GET', '/v1/me', { token });
  t.equal(res.statusCode, 401, `${what}: 401`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/);
  t.equal(res.json().code, 'unauthenticated', `${what}: unauthenticated`);
  t.equal(
    res.json().detail,
    'A valid bearer token is required (unknown signing key).',
    `${what}: the key is not known`,
  );
}

async function kidsOf(h: Harness) {
  const res = await h.call('GET', '/.well-known/jwks.json');
  const published = res.json().keys as Record<string, unknown>[];
  for (const key of published) {
    if ('d' in key) throw new Error('a private part is published');
  }
  return published.map((key) => key.kid);
}

t.test('a rolling restart from key A to key B refuses no token', async (t) => {
  const s0 = await build(t, STAGE_0);
  const s1 = await build(t, STAGE_1, { sharing: s0 });
  const s2 = await build(t, STAGE_2, { sharing: s0 });
  const s3 = await build(t, STAGE_3, { sharing: s0 });

  t.strictSame(await kidsOf(s0), [kidA], 'stage 0 publishes A');
  t.strictSame(await kidsOf(s1), [kidA, kidB], 'stage 1 publishes A, which signs, and B ahead');
  t.strictSame(await kidsOf(s2), [kidB, kidA], 'stage 2 publishes B, which signs, and A until its tokens expire');
  t.strictSame(await kidsOf(s3), [kidB], 'stage 3 publishes B alone');
  const jwks = (await s1.call('GET', '/.well-known/jwks.json')).json().keys as { kid: string; x: string }[];
  t.equal(jwks[1]?.x, createPublicKey(B).export({ format: 'jwk' }).x, 'the published next key is B itself');

  const t0 = await signIn(s0);
  const t1 = await signIn(s1);
  const t2 = await signIn(s2);
  const t3 = await signIn(s3);
  t.strictSame(
    [t0, t1, t2, t3].map((tokens) => headerOf(tokens.access_token)),
    [
      { alg: 'ES256', typ: 'JWT', kid: kidA },
      { alg: 'ES256', typ: 'JWT', kid: kidA },
      { alg: 'ES256', typ: 'JWT', kid: kidB },
      { alg: 'ES256', typ: 'JWT', kid: kidB },
    ],
    'A signs at stages 0 and 1, B at stages 2 and 3; each token names its key',
  );

  const id = await whoAmI(t, s0, t0.access_token, 'a stage-0 token on stage 0');
  t.equal(await whoAmI(t, s1, t0.access_token, 'a stage-0 token on stage 1'), id, 'the same caller');
  t.equal(await whoAmI(t, s2, t0.access_token, 'a stage-0 token on stage 2'), id, 'the same caller');
  await whoAmI(t, s0, t1.access_token, 'a stage-1 token on stage 0 (both sides of the first restart)');
  await whoAmI(t, s2, t1.access_token, 'a stage-1 token on stage 2');
  t.equal(await whoAmI(t, s1, t2.access_token, 'a stage-2 token on stage 1: it holds B as next'), id);
  await whoAmI(t, s3, t2.access_token, 'a stage-2 token on stage 3');
  await whoAmI(t, s2, t3.access_token, 'a stage-3 token on stage 2');

  await refused(t, s3, t0.access_token, 'an A token once A is dropped');
  await refused(t, s3, t1.access_token, 'a stage-1 token once A is dropped');
  // Why stage 1 must be everywhere before stage 2 begins: a process without B refuses B's tokens.
  await refused(t, s0, t2.access_token, 'a B token on a process that never heard of B');
});

t.test('refresh tokens are opaque and keep working at every stage', async (t) => {
  const s0 = await build(t, STAGE_0);
  const s1 = await build(t, STAGE_1, { sharing: s0 });
  const s2 = await build(t, STAGE_2, { sharing: s0 });
  const s3 = await build(t, STAGE_3, { sharing: s0 });

  const first = await signIn(s0);
  t.match(first.refresh_token, /^[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/, 'an id and a secret: no key signs it');
  let refreshToken = first.refresh_token;
  for (const [stage, h, kid] of [
    [1, s1, kidA],
    [2, s2, kidB],
    [3, s3, kidB],
  ] as const) {
    const res = await refresh(h, refreshToken);
    t.equal(res.status, 200, `a refresh token from the stage before is good at stage ${stage}`);
    t.equal(headerOf(res.body.access_token).kid, kid, `stage ${stage} signs the new access token with its key`);
    await whoAmI(t, h, res.body.access_token, `the refreshed token works at stage ${stage}`);
    refreshToken = res.body.refresh_token;
  }
  const rows = await s0.rows<{ n: number }>(
    'SELECT count(*)::int AS n FROM refresh_tokens WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE id = $1)',
    [refreshToken.split('.')[0]],
  );
  t.strictSame(rows, [{ n: 4 }], 'one family: the sign-in and three rotations');
  // The secrets key is SECRETS_KEY at every stage, not drawn from the signing key: cursors survive.
  const admin = (
    await s0.call('POST', '/v1/auth/token', {
      body: { grant_type: 'password', username: 'admin', password: PASSWORD },
    })
  ).json().access_token as string;
  const cursor = await feedOf(s0).head(admin);
  const later = await s3.call('GET', `/v1/events?after=${cursor}`, {
    token: (await refresh(s3, refreshToken)).body.access_token,
  });
  t.equal(later.statusCode, 200, 'a feed cursor sealed at stage 0 is read at stage 3');
});

/** The ConfigError's issues for these settings (with the base a test app has). */
function refusal(env: Record<string, string>) {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

t.test('JWT_PRIVATE_KEYS that cannot rotate safely stop the start, naming the setting', async (t) => {
  const P384 = pemOf('P-384');
  const RSA = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const cases: [string, Record<string, string>, { setting: string; problem: string }][] = [
    [
      'without SECRETS_KEY',
      { JWT_PRIVATE_KEYS: keys({ current: A, next: B }) },
      {
        setting: 'SECRETS_KEY',
        problem:
          'required when JWT_PRIVATE_KEYS is set: otherwise it is drawn from the signing key, which a rotation changes. A deployment that ran without it sets it to `npm run secrets-key` (the key in use, which keeps its webhook secrets and feed cursors); a new one to `openssl rand -base64 32`',
      },
    ],
    [
      'with JWT_PRIVATE_KEY as well',
      { JWT_PRIVATE_KEY: A, JWT_PRIVATE_KEYS: keys({ current: A }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'set JWT_PRIVATE_KEY or JWT_PRIVATE_KEYS, not both' },
    ],
    [
      'next the same as current',
      { JWT_PRIVATE_KEYS: keys({ current: A, next: A }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'next is the same key as current' },
    ],
    [
      'a previous key the same as current',
      { JWT_PRIVATE_KEYS: keys({ current: B, previous: [A, B] }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'previous[1] is the same key as current' },
    ],
    [
      'next on another curve',
      { JWT_PRIVATE_KEYS: keys({ current: A, next: P384 }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'next must be an EC P-256 private key (ES256)' },
    ],
    [
      'a previous RSA key',
      { JWT_PRIVATE_KEYS: keys({ current: B, previous: [RSA] }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'previous[0] must be an EC P-256 private key (ES256)' },
    ],
    [
      'current on another curve',
      { JWT_PRIVATE_KEYS: keys({ current: P384 }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'current must be an EC P-256 private key (ES256)' },
    ],
    [
      'no current key',
      { JWT_PRIVATE_KEYS: JSON.stringify({ next: B }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'current must be a PEM string: the key that signs' },
    ],
    [
      'previous not a list',
      { JWT_PRIVATE_KEYS: JSON.stringify({ current: B, previous: A }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'previous must be an array of PEM strings' },
    ],
    [
      'a stage misspelt',
      { JWT_PRIVATE_KEYS: JSON.stringify({ current: B, previuos: [A] }), SECRETS_KEY },
      { setting: 'JWT_PRIVATE_KEYS', problem: 'has unknown stages (previuos): only current, next and previous' },
    ],
  ];
  for (const [name, env, issue] of cases) t.strictSame(refusal(env), [issue], name);
  const notPem = refusal({ JWT_PRIVATE_KEYS: keys({ current: A, next: 'not a key' }), SECRETS_KEY });
  t.equal(notPem[0]?.setting, 'JWT_PRIVATE_KEYS');
  t.match(notPem[0]?.problem, /^next is not a private key in PEM \(.+\)$/, 'a next key that is no key');
  const notJson = refusal({ JWT_PRIVATE_KEYS: A, SECRETS_KEY });
  t.equal(notJson[0]?.setting, 'JWT_PRIVATE_KEYS');
  t.match(notJson[0]?.problem, /^is not JSON \(.+\)$/, 'a bare PEM where the JSON belongs');

  const escaped = keys({ current: A.replace(/\n/g, '\\n'), next: B.replace(/\n/g, '\\n') });
  t.strictSame(refusal({ JWT_PRIVATE_KEYS: escaped, SECRETS_KEY }), [], '\\n escapes in the PEMs are read');
  t.strictSame(refusal(STAGE_1), [], 'stage 1 is accepted');
  t.strictSame(refusal(STAGE_2), [], 'stage 2 is accepted');
});

t.test('the server refuses to start with one line naming SECRETS_KEY', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      DATABASE_URL: '',
      SECRETS_KEY: '',
      JWT_PRIVATE_KEY: '',
      JWT_PRIVATE_KEYS: STAGE_1.JWT_PRIVATE_KEYS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  t.equal(code, 1, 'exits 1');
  t.equal(
    stderr,
    'bersinar: SECRETS_KEY is not valid: required when JWT_PRIVATE_KEYS is set: otherwise it is drawn from the signing key, which a rotation changes. A deployment that ran without it sets it to `npm run secrets-key` (the key in use, which keeps its webhook secrets and feed cursors); a new one to `openssl rand -base64 32`. Fix it in the environment (see Configuration in the README).\n',
  );
});

/** What `npm run secrets-key` prints with these settings: its exit code, output and errors. */
async function secretsKeyCommand(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/secrets-key.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, DATABASE_URL: '', SECRETS_KEY: '', JWT_PRIVATE_KEY: '', JWT_PRIVATE_KEYS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

t.test('a deployment without SECRETS_KEY moves to one, and to rotation, losing nothing sealed', async (t) => {
  // Before: JWT_PRIVATE_KEY alone, so the secrets key is drawn from A.
  const before = await build(t, { JWT_PRIVATE_KEY: A, SECRETS_KEY: '', AUTH_RATE_LIMIT_MAX: '1000' });
  const adminOf = async (h: Harness) =>
    (
      await h.call('POST', '/v1/auth/token', {
        body: { grant_type: 'password', username: 'admin', password: PASSWORD },
      })
    ).json().access_token as string;
  const cursor = await feedOf(before).head(await adminOf(before));

  const printed = await secretsKeyCommand({ JWT_PRIVATE_KEY: A, DATABASE_URL: 'postgres://db.invalid/bersinar' });
  t.equal(printed.code, 0, 'the command succeeds');
  t.equal(printed.stderr, '', 'and says nothing else');
  const drawn = printed.stdout.trim();
  t.equal(Buffer.from(drawn, 'base64').length, 32, '32 bytes in base64');

  // After: JWT_PRIVATE_KEYS at stage 1 with SECRETS_KEY set to what the command printed.
  const after = await build(
    t,
    { JWT_PRIVATE_KEYS: keys({ current: A, next: B }), SECRETS_KEY: drawn, AUTH_RATE_LIMIT_MAX: '1000' },
    { sharing: before },
  );
  const read = await after.call('GET', `/v1/events?after=${cursor}`, { token: await adminOf(after) });
  t.equal(read.statusCode, 200, 'a cursor sealed under the drawn key reads after the move');

  // A new random key instead, as the old message said: the cursor is lost, which is what the command saves.
  const fresh = await build(
    t,
    { JWT_PRIVATE_KEYS: keys({ current: A, next: B }), SECRETS_KEY, AUTH_RATE_LIMIT_MAX: '1000' },
    { sharing: before },
  );
  const lost = await fresh.call('GET', `/v1/events?after=${cursor}`, { token: await adminOf(fresh) });
  t.equal(lost.statusCode, 400, 'a random key cannot read it');

  const none = await secretsKeyCommand({ DATABASE_URL: 'postgres://db.invalid/bersinar' });
  t.equal(none.code, 2, 'no key to draw from: refused');
  t.match(none.stderr, /^secrets-key: neither SECRETS_KEY nor JWT_PRIVATE_KEY is set/);
});
