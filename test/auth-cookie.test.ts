import t, { type Test } from 'tap';
import { build, type Harness, PASSWORD } from './helpers/app.ts';

// The cookie form of the refresh grant: a browser console keeps its access token in memory and
// its refresh token in an HttpOnly cookie scoped to /v1/auth.
const h = await build(t, { AUTH_RATE_LIMIT_MAX: '1000' });

const COOKIE = 'bersinar_refresh';
const ATTRIBUTES = 'Path=/v1/auth; HttpOnly; Secure; SameSite=Strict';
const LIFETIME = 30 * 86_400; // REFRESH_TOKEN_TTL_DAYS' default
const CSRF = { 'x-requested-with': 'fetch' };
const TOKEN = /^[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/;

type Res = Awaited<ReturnType<Harness['call']>>;

/** Signs in asking for the cookie; its token read back from Set-Cookie. */
async function signIn(username = 'staff.kupang', headers: Record<string, string> = CSRF) {
  return h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'password', username, password: PASSWORD, refresh_token_delivery: 'cookie' },
    headers,
  });
}
const cookieRefresh = (token: string | undefined, headers: Record<string, string> = CSRF) =>
  h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'refresh_token' },
    headers: { ...headers, ...(token === undefined ? {} : { cookie: `${COOKIE}=${token}` }) },
  });
const cookieSignOut = (token: string | undefined, headers: Record<string, string> = CSRF) =>
  h.call('POST', '/v1/auth/revoke', {
    body: {},
    headers: { ...headers, ...(token === undefined ? {} : { cookie: `${COOKIE}=${token}` }) },
  });

/** The refresh token a Set-Cookie carries, after checking the whole header. */
function cookieOf(t: Test, res: Res): string {
  const header = String(res.headers['set-cookie']);
  const match = new RegExp(`^${COOKIE}=([^;]+); Max-Age=${LIFETIME}; ${ATTRIBUTES}$`).exec(header);
  t.ok(match, `Set-Cookie is ${COOKIE}=<token>; Max-Age=${LIFETIME}; ${ATTRIBUTES} (got ${header})`);
  t.match(match?.[1], TOKEN);
  return match?.[1] as string;
}
const CLEARED = `${COOKIE}=; Max-Age=0; ${ATTRIBUTES}`;

const familyOf = async (token: string) =>
  (await h.rows<{ family_id: string }>('SELECT family_id FROM refresh_tokens WHERE id = $1', [token.split('.')[0]]))[0]
    ?.family_id as string;
const liveIn = (family: string) => h.count('refresh_tokens', `family_id = '${family}' AND revoked_at IS NULL`);

function expectProblem(t: Test, res: Res, status: number, code: string) {
  t.equal(res.statusCode, status, `status ${status}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/);
  t.equal(res.json().code, code, `code ${code}`);
}
const MISSING_HEADER = [{ in: 'headers', pointer: '/x-requested-with', detail: 'Required' }];

t.test('a password grant asking for the cookie answers the refresh token only as the cookie', async (t) => {
  const res = await signIn();
  t.equal(res.statusCode, 200);
  t.same(Object.keys(res.json()).sort(), ['access_token', 'expires_in', 'scope', 'token_type'], 'no refresh_token');
  t.equal(res.json().token_type, 'Bearer');
  t.equal(res.json().expires_in, 900);
  t.equal(res.headers['cache-control'], 'no-store');
  const token = cookieOf(t, res);
  t.equal(
    await h.count('refresh_tokens', `id = '${token.split('.')[0]}' AND spent_at IS NULL AND revoked_at IS NULL`),
    1,
    'the token of the cookie is stored, live',
  );
  const me = await h.call('GET', '/v1/me', { token: res.json().access_token });
  t.equal(me.statusCode, 200, 'the access token works');

  // Asked for explicitly, the body form is today's.
  const body = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'password', username: 'staff.kupang', password: PASSWORD, refresh_token_delivery: 'body' },
  });
  t.equal(body.statusCode, 200);
  t.match(body.json().refresh_token, TOKEN);
  t.notOk(body.headers['set-cookie'], 'no cookie for the body form');

  const bad = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'password', username: 'staff.kupang', password: PASSWORD, refresh_token_delivery: 'jar' },
    headers: CSRF,
  });
  expectProblem(t, bad, 400, 'validation_failed');
  t.equal(bad.json().errors[0].pointer, '/refresh_token_delivery');

  const wrong = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'password', username: 'staff.kupang', password: 'nope', refresh_token_delivery: 'cookie' },
    headers: CSRF,
  });
  expectProblem(t, wrong, 400, 'invalid_grant');
  t.notOk(wrong.headers['set-cookie'], 'a refused sign-in sets no cookie');
});

t.test('the cookie form needs X-Requested-With, which a cross-site form cannot send', async (t) => {
  const before = await h.count('refresh_tokens');
  const res = await signIn('staff.kupang', {});
  expectProblem(t, res, 400, 'validation_failed');
  t.same(res.json().errors, MISSING_HEADER);
  t.notOk(res.headers['set-cookie']);
  t.equal(await h.count('refresh_tokens'), before, 'no token issued');

  const token = cookieOf(t, await signIn());
  // A form post, as a cross-site page could make one, with the cookie the browser would attach.
  const form = await h.call('POST', '/v1/auth/token', {
    payload: 'grant_type=refresh_token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${COOKIE}=${token}` },
  });
  expectProblem(t, form, 400, 'validation_failed');
  t.same(form.json().errors, MISSING_HEADER);
  const signOut = await cookieSignOut(token, {});
  expectProblem(t, signOut, 400, 'validation_failed');
  t.same(signOut.json().errors, MISSING_HEADER);
  t.equal(
    await h.count('refresh_tokens', `id = '${token.split('.')[0]}' AND spent_at IS NULL AND revoked_at IS NULL`),
    1,
    'the token was neither spent nor revoked',
  );
});

t.test('a refresh with the cookie rotates it as the body form does', async (t) => {
  const first = cookieOf(t, await signIn());
  const family = await familyOf(first);
  const res = await cookieRefresh(first);
  t.equal(res.statusCode, 200);
  t.same(Object.keys(res.json()).sort(), ['access_token', 'expires_in', 'scope', 'token_type'], 'no refresh_token');
  const second = cookieOf(t, res);
  t.not(second, first, 'a new token in the cookie');
  t.equal(await familyOf(second), family, 'of the same family');
  t.equal(await h.count('refresh_tokens', `id = '${first.split('.')[0]}' AND spent_at IS NOT NULL`), 1, 'first spent');
  const [user] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'staff.kupang'`);
  const claims = JSON.parse(Buffer.from(res.json().access_token.split('.')[1], 'base64url').toString('utf8'));
  t.equal(claims.sub, user?.id);
  const third = cookieOf(t, await cookieRefresh(second));
  t.equal(await familyOf(third), family);

  // A form-encoded refresh with the header is the same cookie form.
  const form = await h.call('POST', '/v1/auth/token', {
    payload: 'grant_type=refresh_token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${COOKIE}=${third}`, ...CSRF },
  });
  t.equal(form.statusCode, 200);
  cookieOf(t, form);
});

t.test('an old cookie presented again is refused and revokes the family, as the body form', async (t) => {
  const first = cookieOf(t, await signIn('head.kupang'));
  const family = await familyOf(first);
  const second = cookieOf(t, await cookieRefresh(first));
  const auditsBefore = await h.count('audit_events', `action = 'auth.refresh_token_reused'`);

  const reused = await cookieRefresh(first);
  expectProblem(t, reused, 400, 'invalid_grant');
  t.match(reused.json().detail, /already used; its family is revoked/);
  t.equal(reused.headers['set-cookie'], CLEARED, 'the refused cookie is cleared');
  t.equal(await liveIn(family), 0, 'the whole family is revoked');
  t.equal(await h.count('audit_events', `action = 'auth.refresh_token_reused'`), auditsBefore + 1, 'audited once');

  const newest = await cookieRefresh(second);
  expectProblem(t, newest, 400, 'invalid_grant');
  t.match(newest.json().detail, /revoked/);
  t.equal(newest.headers['set-cookie'], CLEARED);

  const junk = await cookieRefresh('not-a-refresh-token');
  expectProblem(t, junk, 400, 'invalid_grant');
  t.equal(junk.headers['set-cookie'], CLEARED);
});

t.test('sign-out with the cookie revokes its family and clears the cookie', async (t) => {
  const first = cookieOf(t, await signIn('staff.kupang'));
  const family = await familyOf(first);
  const second = cookieOf(t, await cookieRefresh(first));
  const res = await cookieSignOut(second);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { revoked: true });
  t.equal(res.headers['set-cookie'], CLEARED);
  t.equal(await liveIn(family), 0, 'the family is revoked');
  const [audit] = await h.rows<{ after: { family_id: string } }>(
    `SELECT after FROM audit_events WHERE action = 'auth.refresh_token_revoked' ORDER BY seq DESC LIMIT 1`,
  );
  t.equal(audit?.after.family_id, family, 'audited as a sign-out');
  expectProblem(t, await cookieRefresh(second), 400, 'invalid_grant');

  const unknown = await cookieSignOut('not-a-refresh-token');
  t.same(unknown.json(), { revoked: false }, 'an unknown cookie: revoked false, as the body form');
  t.equal(unknown.headers['set-cookie'], CLEARED, 'and cleared all the same');
});

t.test('without a token in the body or a cookie, the answer is the missing field, as before', async (t) => {
  for (const headers of [CSRF, {}]) {
    const refresh = await cookieRefresh(undefined, headers);
    expectProblem(t, refresh, 400, 'validation_failed');
    t.same(refresh.json().errors, [{ in: 'body', pointer: '/refresh_token', detail: 'Required' }]);
    t.notOk(refresh.headers['set-cookie']);
    const revoke = await cookieSignOut(undefined, headers);
    expectProblem(t, revoke, 400, 'validation_failed');
    t.same(revoke.json().errors, [{ in: 'body', pointer: '/token', detail: 'Required' }]);
    t.notOk(revoke.headers['set-cookie']);
  }
  // Another cookie of the same site is no refresh token.
  const other = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'refresh_token' },
    headers: { ...CSRF, cookie: 'theme=dark' },
  });
  t.same(other.json().errors, [{ in: 'body', pointer: '/refresh_token', detail: 'Required' }]);
  const inIndonesian = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'refresh_token' },
    headers: { ...CSRF, 'accept-language': 'id' },
  });
  t.same(inIndonesian.json().errors, [{ in: 'body', pointer: '/refresh_token', detail: 'Wajib diisi' }]);
});

t.test('the body form is unchanged, a cookie alongside it notwithstanding', async (t) => {
  const cookie = cookieOf(t, await signIn());
  const issued = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'password', username: 'staff.kupang', password: PASSWORD },
  });
  const body = issued.json().refresh_token as string;
  t.match(body, TOKEN);
  t.notOk(issued.headers['set-cookie']);
  const rotated = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'refresh_token', refresh_token: body },
    headers: { cookie: `${COOKIE}=${cookie}` },
  });
  t.equal(rotated.statusCode, 200, 'no X-Requested-With needed for the body form');
  t.match(rotated.json().refresh_token, TOKEN);
  t.notOk(rotated.headers['set-cookie']);
  t.equal(await h.count('refresh_tokens', `id = '${body.split('.')[0]}' AND spent_at IS NOT NULL`), 1, 'body spent');
  t.equal(await h.count('refresh_tokens', `id = '${cookie.split('.')[0]}' AND spent_at IS NULL`), 1, 'cookie not');

  const revoked = await h.call('POST', '/v1/auth/revoke', {
    body: { token: rotated.json().refresh_token },
    headers: { cookie: `${COOKIE}=${cookie}` },
  });
  t.same(revoked.json(), { revoked: true });
  t.notOk(revoked.headers['set-cookie'], 'the body form leaves the cookie alone');
  t.equal(await liveIn(await familyOf(cookie)), 1, "the cookie's family lives on");
});

t.test('no other route reads the cookie', async (t) => {
  const signedIn = await signIn();
  const refresh = cookieOf(t, signedIn);
  const access = signedIn.json().access_token as string;
  for (const cookie of [`${COOKIE}=${refresh}`, `${COOKIE}=${access}`, `access_token=${access}`]) {
    const me = await h.call('GET', '/v1/me', { headers: { ...CSRF, cookie } });
    expectProblem(t, me, 401, 'unauthenticated');
    const list = await h.call('GET', '/v1/facilities', { headers: { ...CSRF, cookie } });
    expectProblem(t, list, 401, 'unauthenticated');
  }
  t.equal(
    await h.count('refresh_tokens', `id = '${refresh.split('.')[0]}' AND spent_at IS NULL AND revoked_at IS NULL`),
    1,
    'the cookie was not spent',
  );
});

t.test('a console on a listed origin may send the cookie with credentials, to the auth routes only', async (t) => {
  const console = 'https://console.bersinar.example';
  const c = await build(t, { AUTH_RATE_LIMIT_MAX: '1000', CORS_ORIGINS: `${console}, https://other.example` });
  const preflight = (url: string, origin = console) =>
    c.app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-requested-with',
      },
    });
  for (const url of ['/v1/auth/token', '/v1/auth/revoke']) {
    const res = await preflight(url);
    t.equal(res.statusCode, 204, url);
    t.equal(res.headers['access-control-allow-origin'], console);
    t.equal(res.headers['access-control-allow-credentials'], 'true', `${url} allows credentials`);
    t.match(String(res.headers['access-control-allow-headers']), /x-requested-with/);
  }
  const api = await preflight('/v1/me');
  t.equal(api.headers['access-control-allow-origin'], console);
  t.notOk(api.headers['access-control-allow-credentials'], 'the API itself takes no credentials');
  const stranger = await preflight('/v1/auth/token', 'https://evil.example');
  t.notOk(stranger.headers['access-control-allow-origin'], 'an unlisted origin is not allowed');

  const signedIn = await c.call('POST', '/v1/auth/token', {
    body: { grant_type: 'password', username: 'staff.kupang', password: PASSWORD, refresh_token_delivery: 'cookie' },
    headers: { ...CSRF, origin: console },
  });
  t.equal(signedIn.statusCode, 200);
  t.equal(signedIn.headers['access-control-allow-credentials'], 'true');
  t.equal(signedIn.headers['access-control-allow-origin'], console);
  cookieOf(t, signedIn);
});
