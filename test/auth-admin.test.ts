import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// Users and API clients are the administrators' alone, and their refusals come in a fixed order:
// the role (403) before If-Match (428), a malformed or stale one (412) and a missing record (404).
const h = await build(t, { AUTH_RATE_LIMIT_MAX: '1000' });
const fac = h.world.facilities;

const NO_ID = '00000000-0000-0000-0000-000000000000';
const NOT_A_CURSOR = 'not-a-cursor';

async function idOf(table: 'users' | 'api_clients', where: string): Promise<string> {
  const [row] = await h.rows<{ id: string }>(`SELECT id::text AS id FROM ${table} WHERE ${where}`);
  return row?.id as string;
}

async function clientToken(): Promise<string> {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`client token: ${res.statusCode}`);
  return res.json().access_token as string;
}

/** Every role but the administrator's, with its token. */
async function others(): Promise<[string, string][]> {
  const users = ['staff.banjarnegara', 'head.banjarnegara', 'bnnk.purbalingga', 'kanwil.ntt', 'pemkab.purbalingga'];
  const tokens: [string, string][] = [];
  for (const who of users) tokens.push([who, await h.login(who)]);
  tokens.push(['dashboard.demo', await clientToken()]);
  return tokens;
}

/** What the refused calls must leave as it was. */
const state = async () => ({
  users: await h.rows('SELECT id, display_name, active, version FROM users ORDER BY id'),
  clients: await h.rows('SELECT id, name, scopes, active, version FROM api_clients ORDER BY id'),
  audit: await h.count('audit_events'),
  idempotency: await h.count('idempotency_keys'),
});

t.test('every other role gets 403 on each user and API client route, before 404, 428 and 412', async (t) => {
  const userId = await idOf('users', `username = 'staff.kupang'`);
  const clientId = await idOf('api_clients', `client_id = 'dashboard.demo'`);
  const before = await state();
  const newUser = {
    username: 'refused.user',
    display_name: 'Tidak Boleh',
    password: 'a-long-enough-password',
    role: 'facility_staff',
    facility_id: fac.banjarnegara,
  };
  const newClient = { client_id: 'refused.client', name: 'Tidak Boleh', scopes: ['read'] };
  const calls: [string, string, { body?: unknown; headers?: Record<string, string> }][] = [
    ['GET', '/v1/users', {}],
    ['GET', `/v1/users?cursor=${NOT_A_CURSOR}`, {}],
    ['GET', `/v1/users/${userId}`, {}],
    ['GET', `/v1/users/${NO_ID}`, {}],
    ['POST', '/v1/users', { body: newUser }],
    ['POST', '/v1/users', { body: newUser, headers: { 'idempotency-key': 'refused-user-1' } }],
    ['PATCH', `/v1/users/${userId}`, { body: { active: false } }],
    ['PATCH', `/v1/users/${userId}`, { body: { active: false }, headers: { 'if-match': '"1"' } }],
    ['PATCH', `/v1/users/${userId}`, { body: { active: false }, headers: { 'if-match': '"99"' } }],
    ['PATCH', `/v1/users/${userId}`, { body: { active: false }, headers: { 'if-match': 'nonsense' } }],
    ['PATCH', `/v1/users/${NO_ID}`, { body: { active: false } }],
    ['GET', '/v1/api-clients', {}],
    ['GET', `/v1/api-clients?cursor=${NOT_A_CURSOR}`, {}],
    ['GET', `/v1/api-clients/${clientId}`, {}],
    ['GET', `/v1/api-clients/${NO_ID}`, {}],
    ['POST', '/v1/api-clients', { body: newClient }],
    ['PATCH', `/v1/api-clients/${clientId}`, { body: { active: false } }],
    ['PATCH', `/v1/api-clients/${clientId}`, { body: { active: false }, headers: { 'if-match': '"1"' } }],
    ['PATCH', `/v1/api-clients/${NO_ID}`, { body: { active: false }, headers: { 'if-match': 'nonsense' } }],
  ];
  for (const [who, token] of await others()) {
    for (const [method, url, options] of calls) {
      const res = await h.call(method, url, { token, ...options });
      const label = `${who}: ${method} ${url} ${JSON.stringify(options.headers ?? {})}`;
      t.equal(res.statusCode, 403, label);
      t.equal(res.json().code, 'forbidden', label);
    }
  }
  t.strictSame(await state(), before, 'nothing written, audited or kept for a replay');
});

t.test('the administrator: 428, then 412 malformed, then 404, then 412 stale', async (t) => {
  const token = await h.login('admin');
  const userId = await idOf('users', `username = 'head.kupang'`);
  const clientId = await idOf('api_clients', `client_id = 'dashboard.demo'`);
  for (const [kind, id] of [
    ['users', userId],
    ['api-clients', clientId],
  ] as const) {
    const patch = (target: string, headers: Record<string, string> = {}) =>
      h.call('PATCH', `/v1/${kind}/${target}`, { token, body: { active: true }, headers });
    const missing = await patch(NO_ID);
    t.equal(missing.statusCode, 428, `${kind}: an unknown id without If-Match`);
    t.equal(missing.json().code, 'precondition_required');
    const malformed = await patch(NO_ID, { 'if-match': 'nonsense' });
    t.equal(malformed.statusCode, 412, `${kind}: an unknown id with a malformed If-Match`);
    t.equal(malformed.json().code, 'precondition_failed');
    const unknown = await patch(NO_ID, { 'if-match': '"1"' });
    t.equal(unknown.statusCode, 404, `${kind}: an unknown id`);
    t.equal(unknown.json().code, 'not_found');
    const stale = await patch(id, { 'if-match': '"99"' });
    t.equal(stale.statusCode, 412, `${kind}: a stale version`);
    t.equal(stale.json().code, 'precondition_failed');
    t.equal(stale.json().detail, 'The record has changed since you read it (now version 1); read it again.');
    const read = await h.call('GET', `/v1/${kind}/${id}`, { token });
    t.equal(read.statusCode, 200);
    t.equal(read.headers.etag, '"1"', `${kind}: unchanged`);
  }
});

t.test('an unreadable cursor: 400 for the administrator, and on colleagues before the role', async (t) => {
  const admin = await h.login('admin');
  for (const path of ['/v1/users', '/v1/api-clients', '/v1/colleagues']) {
    const res = await h.call('GET', `${path}?cursor=${NOT_A_CURSOR}`, { token: admin });
    t.equal(res.statusCode, 400, path);
    t.equal(res.json().code, 'invalid_cursor', path);
  }
  const client = await clientToken();
  const bad = await h.call('GET', `/v1/colleagues?cursor=${NOT_A_CURSOR}`, { token: client });
  t.equal(bad.statusCode, 400, 'an API client with a bad cursor');
  t.equal(bad.json().code, 'invalid_cursor');
  const refused = await h.call('GET', '/v1/colleagues', { token: client });
  t.equal(refused.statusCode, 403, 'an API client with none');
  t.equal(refused.json().code, 'forbidden');
});
