import t from 'tap';
import { decryptSecret } from '../src/modules/webhooks/secrets.ts';
import { build, type Harness } from './helpers/app.ts';

// An API client's webhook subscriptions: its own alone, the secret shown when made or rotated and
// kept only encrypted, and no URL into the server's own network.
const h = await build(t, { AUTH_RATE_LIMIT_MAX: '1000' });
const fac = h.world.facilities;
const org = h.world.organisations;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const NO_ID = '00000000-0000-0000-0000-000000000000';
// A public address written as the host: judged without a DNS lookup.
const PUBLIC_URL = 'https://93.184.215.14/bersinar';
const SECRET_FORM = /^whsec_[A-Za-z0-9+/]{43}=$/;

let clients = 0;
/** A new API client with these scopes (and organisation), signed in with client credentials. */
async function clientOf(harness: Harness, scopes: string[], organisation_id?: string): Promise<string> {
  clients += 1;
  const client_id = `hooks${clients}.test`;
  const made = await harness.call('POST', '/v1/api-clients', {
    token: await harness.login('admin'),
    body: { client_id, name: `Penerima ${clients}`, scopes, ...(organisation_id ? { organisation_id } : {}) },
  });
  if (made.statusCode !== 201) throw new Error(`client: ${made.statusCode} ${made.body}`);
  const res = await harness.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id, client_secret: made.json().client_secret },
  });
  if (res.statusCode !== 200) throw new Error(`token: ${res.statusCode} ${res.body}`);
  return res.json().access_token as string;
}

async function subscribe(token: string, body: Json = {}, harness: Harness = h): Promise<Json> {
  const res = await harness.call('POST', '/v1/webhook-subscriptions', {
    token,
    body: { url: PUBLIC_URL, event_types: ['inspection.signed_off.v1'], ...body },
  });
  if (res.statusCode !== 201) throw new Error(`subscribe: ${res.statusCode} ${res.body}`);
  return res.json();
}

interface StoredRow {
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | string | null;
  version: number;
}
async function stored(id: string): Promise<StoredRow | undefined> {
  const [row] = await h.rows<StoredRow>(
    'SELECT secret, previous_secret, previous_secret_until, version FROM webhook_subscriptions WHERE id = $1',
    [id],
  );
  return row;
}

/** What a refused call must leave as it was. */
const state = async (harness: Harness = h) => ({
  subscriptions: await harness.rows('SELECT * FROM webhook_subscriptions ORDER BY id'),
  audit: await harness.count('audit_events'),
  idempotency: await harness.count('idempotency_keys'),
});

async function auditOf(id: string) {
  return h.rows<{ action: string; actor_type: string; before: Json | null; after: Json | null; text: string }>(
    `SELECT action, actor_type, before, after, concat(before::text, after::text) AS text
       FROM audit_events WHERE entity_type = 'webhook_subscription' AND entity_id = $1 ORDER BY seq`,
    [id],
  );
}

/** The answer without its secret, as every other answer shows the subscription. */
const withoutSecret = ({ secret: _secret, ...rest }: Json) => rest;

t.test('a subscription is made with its secret shown once, and kept only encrypted', async (t) => {
  const token = await clientOf(h, ['read', 'webhooks']);
  const res = await h.call('POST', '/v1/webhook-subscriptions', {
    token,
    body: {
      url: PUBLIC_URL,
      event_types: ['inspection.signed_off.v1', 'inspection.created.v1'],
      facility_id: fac.banjarnegara,
      description: 'Dasbor sidak',
    },
  });
  t.equal(res.statusCode, 201);
  const body = res.json();
  t.match(body.secret, SECRET_FORM, 'a Standard Webhooks secret: whsec_ and 32 bytes in base64');
  t.equal(res.headers.location, `/v1/webhook-subscriptions/${body.id}`);
  t.equal(res.headers.etag, '"1"');
  const [row] = await h.rows<Json>(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
       FROM webhook_subscriptions WHERE id = $1`,
    [body.id],
  );
  t.same(withoutSecret(body), {
    id: body.id,
    url: PUBLIC_URL,
    event_types: ['inspection.signed_off.v1', 'inspection.created.v1'],
    facility_id: fac.banjarnegara,
    description: 'Dasbor sidak',
    status: 'active',
    disabled_reason: null,
    disabled_at: null,
    previous_secret_until: null,
    version: 1,
    created_at: row?.created_at,
    updated_at: row?.created_at,
  });

  const kept = await stored(body.id);
  t.ok(kept?.secret.startsWith('v1.'), 'stored in the encrypted form');
  t.notOk(kept?.secret.includes(body.secret.slice(6)), 'not in the clear');
  t.equal(decryptSecret(h.app.secretsKey, kept?.secret as string), body.secret, 'it decrypts to the one shown');
  t.equal(kept?.previous_secret, null);

  const read = await h.call('GET', `/v1/webhook-subscriptions/${body.id}`, { token });
  t.equal(read.statusCode, 200);
  t.same(read.json(), withoutSecret(body), 'read again: everything but the secret');
  const list = await h.call('GET', '/v1/webhook-subscriptions', { token });
  t.same(list.json(), { data: [withoutSecret(body)], next_cursor: null }, 'the list shows no secret either');

  const audit = await auditOf(body.id);
  t.same(
    audit.map((a) => [a.action, a.actor_type, a.before, a.after]),
    [['webhook_subscription.created', 'api_client', null, withoutSecret(body)]],
    'audited without the secret',
  );
  t.notOk(audit[0]?.text.includes('whsec_'));
  t.notOk(audit[0]?.text.includes(kept?.secret as string));
});

t.test('without the webhooks scope, or as a user: 403 on every route, and nothing written', async (t) => {
  const owner = await clientOf(h, ['read', 'webhooks']);
  const sub = await subscribe(owner);
  const callers: [string, string][] = [
    ['a client with read alone', await clientOf(h, ['read'])],
    ['an administrator', await h.login('admin')],
    ['facility staff', await h.login('staff.banjarnegara')],
  ];
  const before = await state();
  for (const [who, token] of callers) {
    for (const [method, url, options] of routes(sub.id)) {
      const res = await h.call(method, url, { token, ...options });
      t.equal(res.statusCode, 403, `${who}: ${method} ${url}`);
      t.equal(res.json().code, 'forbidden');
    }
  }
  t.same(await state(), before);
});

/** Every route of one subscription, with a body each would take. */
function routes(id: string): [string, string, { body?: unknown; headers?: Record<string, string> }][] {
  return [
    ['GET', '/v1/webhook-subscriptions', {}],
    ['POST', '/v1/webhook-subscriptions', { body: { url: PUBLIC_URL, event_types: ['inspection.created.v1'] } }],
    ['GET', `/v1/webhook-subscriptions/${id}`, {}],
    ['PATCH', `/v1/webhook-subscriptions/${id}`, { body: { status: 'disabled' }, headers: { 'if-match': '"1"' } }],
    ['POST', `/v1/webhook-subscriptions/${id}/rotate-secret`, {}],
    ['DELETE', `/v1/webhook-subscriptions/${id}`, {}],
  ];
}

t.test("another client's subscription is a 404 on every route, like a missing one", async (t) => {
  const owner = await clientOf(h, ['read', 'webhooks']);
  const other = await clientOf(h, ['read', 'webhooks']);
  const sub = await subscribe(owner);
  const before = await state();
  for (const id of [sub.id, NO_ID]) {
    for (const [method, url, options] of routes(id).filter(([, url]) => url.includes(id))) {
      const res = await h.call(method, url, { token: other, ...options });
      t.equal(res.statusCode, 404, `${method} ${url}`);
      t.equal(res.json().code, 'not_found');
    }
  }
  const list = await h.call('GET', '/v1/webhook-subscriptions', { token: other });
  t.same(list.json(), { data: [], next_cursor: null }, "the other's list does not hold it");
  t.same(await state(), before);
});

const REFUSALS: [string, string, string][] = [
  ['http://127.0.0.1/hook', 'webhook_url_scheme', 'The URL must be https (a readable absolute URL).'],
  ['ftp://x', 'webhook_url_scheme', 'The URL must be https (a readable absolute URL).'],
  [
    'https://u:p@example.org/hook',
    'webhook_url_credentials',
    'The URL must not carry a user name or password: authenticate deliveries by their signature.',
  ],
  ...[
    'https://127.0.0.1/hook',
    'https://10.0.0.5/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://localhost/hook',
  ].map((url): [string, string, string] => [
    url,
    'webhook_url_private_address',
    'The URL leads to a private, loopback or otherwise reserved address, which webhooks may not reach.',
  ]),
  ['https://nowhere.invalid/hook', 'webhook_url_unresolvable', 'The URL names a host that cannot be resolved.'],
];

t.test('a URL into the server’s own network is refused at /url, saying why, on create and update', async (t) => {
  const token = await clientOf(h, ['read', 'webhooks']);
  const sub = await subscribe(token);
  const before = await state();
  for (const [url, rule, detail] of REFUSALS) {
    const made = await h.call('POST', '/v1/webhook-subscriptions', {
      token,
      body: { url, event_types: ['inspection.created.v1'] },
    });
    t.equal(made.statusCode, 422, `${url}: ${rule}`);
    t.equal(made.json().code, 'rule_violated');
    t.equal(made.json().detail, detail);
    t.same(made.json().errors, [{ in: 'body', pointer: '/url', detail }]);
    const moved = await h.call('PATCH', `/v1/webhook-subscriptions/${sub.id}`, {
      token,
      body: { url },
      headers: { 'if-match': '"1"' },
    });
    t.equal(moved.statusCode, 422, `${url} on update`);
    t.same(moved.json().errors, [{ in: 'body', pointer: '/url', detail }]);
  }
  const indonesian = await h.call('POST', '/v1/webhook-subscriptions', {
    token,
    body: { url: 'https://10.0.0.5/hook', event_types: ['inspection.created.v1'] },
    headers: { 'accept-language': 'id' },
  });
  t.equal(
    indonesian.json().errors[0].detail,
    'URL mengarah ke alamat privat, loopback atau alamat khusus lain, yang tidak boleh dituju webhook.',
  );
  t.same(await state(), before, 'nothing written');
});

t.test('WEBHOOK_ALLOW_PRIVATE lets a local http URL through, for tests and the demo', async (t) => {
  const local = await build(t, { AUTH_RATE_LIMIT_MAX: '1000', WEBHOOK_ALLOW_PRIVATE: 'true' });
  const token = await clientOf(local, ['webhooks']);
  const sub = await subscribe(token, { url: 'http://127.0.0.1:9/hook' }, local);
  t.equal(sub.url, 'http://127.0.0.1:9/hook');
  const before = await state(local);
  for (const url of ['ftp://x', 'https://u:p@localhost/hook']) {
    const res = await local.call('POST', '/v1/webhook-subscriptions', {
      token,
      body: { url, event_types: ['inspection.created.v1'] },
    });
    t.equal(res.statusCode, 422, `${url} still refused`);
  }
  t.same(await state(local), before);
});

t.test('event types: each of the catalogue, at least one, none twice', async (t) => {
  const token = await clientOf(h, ['read', 'webhooks']);
  const before = await state();
  const post = (event_types: unknown, headers: Record<string, string> = {}) =>
    h.call('POST', '/v1/webhook-subscriptions', { token, body: { url: PUBLIC_URL, event_types }, headers });
  const unknown = await post(['inspection.created.v1', 'inspection.burnt.v1']);
  t.equal(unknown.statusCode, 400);
  t.same(unknown.json().errors, [
    {
      in: 'body',
      pointer: '/event_types/1',
      detail: 'inspection.burnt.v1 is not an event type of the catalogue (the webhooks section of openapi.yaml)',
    },
  ]);
  const inIndonesian = await post(['inspection.burnt.v1'], { 'accept-language': 'id' });
  t.equal(
    inIndonesian.json().errors[0].detail,
    'inspection.burnt.v1 bukan jenis event dalam katalog (bagian webhooks di openapi.yaml)',
  );
  const twice = await post(['inspection.created.v1', 'inspection.created.v1']);
  t.equal(twice.statusCode, 400);
  t.same(twice.json().errors, [{ in: 'body', pointer: '/event_types', detail: 'event_types must not repeat' }]);
  const none = await post([]);
  t.equal(none.statusCode, 400);
  t.equal(none.json().errors[0].pointer, '/event_types');
  t.same(await state(), before, 'nothing written');
});

t.test('a facility outside the client’s reach is a 404; one in it narrows the subscription', async (t) => {
  const ntt = await clientOf(h, ['read', 'webhooks'], org['kanwil.ntt']);
  const sub = await subscribe(ntt, { facility_id: fac.kupang });
  t.equal(sub.facility_id, fac.kupang);
  const before = await state();
  for (const facility_id of [fac.banjarnegara, NO_ID]) {
    const made = await h.call('POST', '/v1/webhook-subscriptions', {
      token: ntt,
      body: { url: PUBLIC_URL, event_types: ['inspection.created.v1'], facility_id },
    });
    t.equal(made.statusCode, 404);
    t.equal(made.json().code, 'not_found');
    const moved = await h.call('PATCH', `/v1/webhook-subscriptions/${sub.id}`, {
      token: ntt,
      body: { facility_id },
      headers: { 'if-match': '"1"' },
    });
    t.equal(moved.statusCode, 404);
  }
  t.same(await state(), before, 'nothing written');
});

t.test('a rotation shows the new secret once; the previous one signs until the overlap ends', async (t) => {
  const token = await clientOf(h, ['webhooks']);
  const now = new Date('2026-05-04T03:05:06.789Z');
  const clock = h.app.now;
  h.app.now = () => now;
  t.teardown(() => {
    h.app.now = clock;
  });
  const sub = await subscribe(token);
  const first = sub.secret as string;

  const res = await h.call('POST', `/v1/webhook-subscriptions/${sub.id}/rotate-secret`, { token });
  t.equal(res.statusCode, 200);
  const rotated = res.json();
  t.match(rotated.secret, SECRET_FORM);
  t.not(rotated.secret, first, 'a new secret');
  t.equal(res.headers.etag, '"2"');
  t.same(withoutSecret(rotated), {
    ...withoutSecret(sub),
    previous_secret_until: '2026-05-05T03:05:06.789Z',
    version: 2,
    updated_at: now.toISOString(),
  });
  const kept = await stored(sub.id);
  t.equal(decryptSecret(h.app.secretsKey, kept?.secret as string), rotated.secret, 'the new one signs');
  t.equal(decryptSecret(h.app.secretsKey, kept?.previous_secret as string), first, 'and the previous one still');
  t.equal(new Date(kept?.previous_secret_until as string).toISOString(), '2026-05-05T03:05:06.789Z');

  const again = (await h.call('POST', `/v1/webhook-subscriptions/${sub.id}/rotate-secret`, { token })).json();
  const keptAgain = await stored(sub.id);
  t.equal(
    decryptSecret(h.app.secretsKey, keptAgain?.previous_secret as string),
    rotated.secret,
    'a second rotation keeps the one it replaces, and drops the first',
  );
  t.equal(decryptSecret(h.app.secretsKey, keptAgain?.secret as string), again.secret);

  const read = await h.call('GET', `/v1/webhook-subscriptions/${sub.id}`, { token });
  t.notOk('secret' in read.json(), 'a read shows no secret');
  const audit = await auditOf(sub.id);
  t.same(
    audit.map((a) => a.action),
    ['webhook_subscription.created', 'webhook_subscription.secret_rotated', 'webhook_subscription.secret_rotated'],
  );
  t.same(audit[1]?.after, withoutSecret(rotated));
  for (const a of audit) {
    t.notOk(a.text.includes('whsec_'), `${a.action}: no secret in the clear`);
    t.notOk(a.text.includes('v1.'), `${a.action}: nor encrypted`);
  }
});

t.test('the overlap is WEBHOOK_SECRET_OVERLAP_HOURS long', async (t) => {
  const now = new Date('2026-05-04T03:05:06.000Z');
  const short = await build(
    t,
    { AUTH_RATE_LIMIT_MAX: '1000', WEBHOOK_SECRET_OVERLAP_HOURS: '2' },
    { clock: () => now },
  );
  const token = await clientOf(short, ['webhooks']);
  const sub = await subscribe(token, {}, short);
  const res = await short.call('POST', `/v1/webhook-subscriptions/${sub.id}/rotate-secret`, { token });
  t.equal(res.json().previous_secret_until, '2026-05-04T05:05:06.000Z');
});

t.test('an update needs If-Match; disabling by the owner and re-enabling, which clears the reason', async (t) => {
  const token = await clientOf(h, ['webhooks']);
  const now = new Date('2026-05-04T03:05:06.000Z');
  const clock = h.app.now;
  h.app.now = () => now;
  t.teardown(() => {
    h.app.now = clock;
  });
  const sub = await subscribe(token);
  const url = `/v1/webhook-subscriptions/${sub.id}`;
  const before = await state();
  const bare = await h.call('PATCH', url, { token, body: { status: 'disabled' } });
  t.equal(bare.statusCode, 428);
  const stale = await h.call('PATCH', url, { token, body: { status: 'disabled' }, headers: { 'if-match': '"7"' } });
  t.equal(stale.statusCode, 412);
  t.same(await state(), before, 'nothing written');

  const off = await h.call('PATCH', url, { token, body: { status: 'disabled' }, headers: { 'if-match': '"1"' } });
  t.equal(off.statusCode, 200);
  t.equal(off.headers.etag, '"2"');
  t.same(off.json(), {
    ...withoutSecret(sub),
    status: 'disabled',
    disabled_reason: 'by_owner',
    disabled_at: now.toISOString(),
    version: 2,
    updated_at: now.toISOString(),
  });

  // The deliveries disable a failing subscription with their own reason; its owner sees why.
  await h.rows(`UPDATE webhook_subscriptions SET disabled_reason = 'failing', version = 3 WHERE id = $1`, [sub.id]);
  const seen = await h.call('GET', url, { token });
  t.equal(seen.json().disabled_reason, 'failing');
  const renamed = await h.call('PATCH', url, {
    token,
    body: { description: 'Masih mati', status: 'disabled' },
    headers: { 'if-match': '"3"' },
  });
  t.equal(renamed.json().disabled_reason, 'failing', 'disabled again: the reason it had is kept');

  const on = await h.call('PATCH', url, {
    token,
    body: { status: 'active', event_types: ['inspection.created.v1'], description: null },
    headers: { 'if-match': '"4"' },
  });
  t.equal(on.statusCode, 200);
  t.same(on.json(), {
    ...withoutSecret(sub),
    event_types: ['inspection.created.v1'],
    description: null,
    status: 'active',
    disabled_reason: null,
    disabled_at: null,
    version: 5,
    updated_at: now.toISOString(),
  });
  const audit = await auditOf(sub.id);
  t.same(audit.at(-1)?.before, renamed.json());
  t.same(audit.at(-1)?.after, on.json());
  t.notOk(
    audit.some((a) => a.text.includes('whsec_') || a.text.includes('v1.')),
    'no secret in any audit record',
  );
  const [secret] = await h.rows<{ secret: string }>('SELECT secret FROM webhook_subscriptions WHERE id = $1', [sub.id]);
  t.equal(decryptSecret(h.app.secretsKey, secret?.secret as string), sub.secret, 'an update keeps the secret');
});

t.test('a deletion answers 204 and takes the deliveries with it; the audit keeps what it was', async (t) => {
  const token = await clientOf(h, ['webhooks']);
  const sub = await subscribe(token);
  await h.rows(
    `INSERT INTO webhook_deliveries (id, subscription_id, event_type, created_at)
     VALUES (gen_random_uuid(), $1, 'webhook.ping', now())`,
    [sub.id],
  );
  const res = await h.call('DELETE', `/v1/webhook-subscriptions/${sub.id}`, { token });
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');
  t.equal(await h.count('webhook_subscriptions', `id = '${sub.id}'`), 0);
  t.equal(await h.count('webhook_deliveries', `subscription_id = '${sub.id}'`), 0);
  const again = await h.call('GET', `/v1/webhook-subscriptions/${sub.id}`, { token });
  t.equal(again.statusCode, 404);
  const audit = await auditOf(sub.id);
  t.same(
    audit.map((a) => [a.action, a.before, a.after]),
    [
      ['webhook_subscription.created', null, withoutSecret(sub)],
      ['webhook_subscription.deleted', withoutSecret(sub), null],
    ],
  );
});

t.test('the list is the client’s own, a page at a time', async (t) => {
  const token = await clientOf(h, ['webhooks']);
  const made = [];
  for (let i = 0; i < 3; i++) made.push(withoutSecret(await subscribe(token, { description: `Nomor ${i}` })));
  const first = (await h.call('GET', '/v1/webhook-subscriptions?limit=2', { token })).json();
  t.same(first.data, made.slice(0, 2));
  t.type(first.next_cursor, 'string');
  const second = (
    await h.call('GET', `/v1/webhook-subscriptions?limit=2&cursor=${first.next_cursor}`, { token })
  ).json();
  t.same(second, { data: made.slice(2), next_cursor: null });
});

t.test('Idempotency-Key is not honoured where the answer holds a secret: nothing of it is kept', async (t) => {
  const token = await clientOf(h, ['webhooks']);
  const keys = await h.count('idempotency_keys');
  const headers = { 'idempotency-key': 'subscribe-once' };
  const body = { url: PUBLIC_URL, event_types: ['inspection.created.v1'] };
  const first = await h.call('POST', '/v1/webhook-subscriptions', { token, body, headers });
  const second = await h.call('POST', '/v1/webhook-subscriptions', { token, body, headers });
  t.same([first.statusCode, second.statusCode], [201, 201]);
  t.not(first.json().id, second.json().id, 'each a subscription of its own');
  t.equal(second.headers['idempotent-replayed'], undefined);
  const rotated = await h.call('POST', `/v1/webhook-subscriptions/${first.json().id}/rotate-secret`, {
    token,
    headers: { 'idempotency-key': 'rotate-once' },
  });
  t.equal(rotated.statusCode, 200);
  t.equal(await h.count('idempotency_keys'), keys, 'no answer, and so no secret, kept for replays');
});
