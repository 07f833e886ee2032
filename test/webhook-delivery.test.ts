import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { v7 as uuidv7 } from 'uuid';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { recordEvent } from '../src/core/events.ts';
import { openPg } from '../src/db/client.ts';
import { loadSigningKey } from '../src/http/keys.ts';
import { hashSecret } from '../src/modules/auth/passwords.ts';
import { RETRY_DELAYS_MS } from '../src/modules/webhooks/delivery.ts';
import { encryptSecret, newSecret } from '../src/modules/webhooks/secrets.ts';
import { build, type Harness, PASSWORD } from './helpers/app.ts';
import { surpriseReport } from './helpers/reports.ts';

// Webhooks are sent outside the request path: a test makes the change through HTTP, then runs a
// round (app.deliverWebhooks) with the clock where it wants it, and reads what a receiver on this
// machine was sent.

// biome-ignore lint/suspicious/noExplicitAny: bodies, read as a receiver would
type Json = Record<string, any>;

const SECRETS_KEY = randomBytes(32).toString('base64');
const TIMEOUT_MS = 400;
const env = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS), SECRETS_KEY };

// --- A receiver on 127.0.0.1: what it was sent, by path; how it answers, by path. ---
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
const answers = new Map<string, (res: ServerResponse) => void>();
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '';
    received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    const answer = answers.get(path);
    if (answer) return answer(res);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const port = (receiver.address() as AddressInfo).port;
t.teardown(
  () =>
    new Promise<void>((resolve) => {
      receiver.closeAllConnections();
      receiver.close(() => resolve());
    }),
);
const at = (path: string) => received.filter((r) => r.path === path);

const h = await build(t, env);
const fac = h.world.facilities;
const onPglite = h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false;

// --- Standard Webhooks verification, written from the specification's text. ---
/** Whether one of the space-separated `v1,<base64>` signatures is HMAC-SHA256 of `id.timestamp.body` under the secret. */
function verifies(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

// --- API clients and subscriptions, written straight into their tables. ---
interface Client {
  id: string;
  clientId: string;
  token(): Promise<string>;
}

async function makeClient(hh: Harness, scopes: string[], organisationId: string | null = null): Promise<Client> {
  const id = uuidv7();
  const clientId = `hook.${id.slice(-12)}`;
  await hh.rows(
    'INSERT INTO api_clients (id, client_id, name, secret_hash, scopes, organisation_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, clientId, `Receiver ${clientId}`, await hashSecret(PASSWORD), `{${scopes.join(',')}}`, organisationId],
  );
  return {
    id,
    clientId,
    async token() {
      const res = await hh.call('POST', '/v1/auth/token', {
        body: { grant_type: 'client_credentials', client_id: clientId, client_secret: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`token: ${res.statusCode} ${res.body}`);
      return res.json().access_token as string;
    },
  };
}

interface Subscription {
  id: string;
  secret: string;
}

async function subscribe(
  hh: Harness,
  client: Client,
  path: string,
  options: { types?: string[]; facilityId?: string; url?: string; createdAt?: Date } = {},
): Promise<Subscription> {
  const id = uuidv7();
  const secret = newSecret();
  await hh.rows(
    `INSERT INTO webhook_subscriptions (id, api_client_id, url, event_types, facility_id, secret, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      client.id,
      options.url ?? `http://127.0.0.1:${port}${path}`,
      `{${(options.types ?? ['inspection.created.v1']).join(',')}}`,
      options.facilityId ?? null,
      encryptSecret(hh.app.secretsKey, secret),
      options.createdAt ?? new Date(hh.app.now().getTime() - 1000),
      new Date(),
    ],
  );
  return { id, secret };
}

/** Stops a subtest's subscriptions from taking part in the next subtests' rounds. */
const retire =
  (hh: Harness, ...subs: Subscription[]) =>
  async () => {
    await hh.rows(`UPDATE webhook_subscriptions SET status = 'disabled' WHERE id = ANY ($1::uuid[])`, [
      `{${subs.map((s) => s.id).join(',')}}`,
    ]);
  };

const report = surpriseReport();

async function openReport(hh: Harness = h, facility = fac.banjarnegara as string): Promise<Json> {
  const res = await hh.call('POST', `/v1/facilities/${facility}/inspections`, {
    token: await hh.login('staff.banjarnegara'),
    body: report,
  });
  if (res.statusCode !== 201) throw new Error(`open: ${res.statusCode} ${res.body}`);
  return res.json();
}

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
}
const deliveriesOf = (sub: Subscription, hh: Harness = h) =>
  hh.rows<DeliveryRow>(
    'SELECT id, status, attempts, next_attempt_at FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY created_at, id',
    [sub.id],
  );
const attemptsOf = (deliveryId: string, hh: Harness = h) =>
  hh.rows<{ status_code: number | null; error: string | null; latency_ms: number; response_excerpt: string | null }>(
    'SELECT status_code, error, latency_ms, response_excerpt FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempted_at, id',
    [deliveryId],
  );

/** Sets the app's clock for the rest of the subtest. */
function clockAt(tt: Tap, instant: Date) {
  let now = instant;
  const before = h.app.now;
  h.app.now = () => now;
  tt.teardown(() => {
    h.app.now = before;
  });
  return (next: Date) => {
    now = next;
  };
}
type Tap = { teardown(fn: () => unknown): void };

t.test('an event is delivered once, signed as Standard Webhooks says, with the envelope the feed shows', async (t) => {
  const client = await makeClient(h, ['read', 'webhooks']);
  const sub = await subscribe(h, client, '/signed');
  t.teardown(retire(h, sub));

  const opened = await openReport();
  const round = await h.app.deliverWebhooks();
  t.same(round, { dispatched: 1, sent: 1 });

  const [got] = at('/signed');
  const [delivery] = await deliveriesOf(sub);
  t.equal(got?.headers['webhook-id'], `msg_${delivery?.id}`);
  t.ok(verifies(sub.secret, got?.headers ?? {}, got?.body ?? ''), 'the signature verifies');
  t.notOk(verifies(newSecret(), got?.headers ?? {}, got?.body ?? ''), 'and not under another secret');
  t.equal(got?.headers['content-type'], 'application/json');

  // The body is the event as the client reads it in the feed.
  const feed = await h.call('GET', '/v1/events?types=inspection.created.v1', { token: await client.token() });
  const event = feed.json().data.find((e: Json) => e.data.inspection_id === opened.id);
  t.same(JSON.parse(got?.body ?? '{}'), { type: 'inspection.created.v1', timestamp: event.occurred_at, data: event });
  const sentAt = Number(got?.headers['webhook-timestamp']);
  t.ok(Math.abs(sentAt - Date.now() / 1000) < 60, 'the timestamp is the time of the try, in seconds');

  t.same(await h.app.deliverWebhooks(), { dispatched: 0, sent: 0 }, 'a second round sends nothing again');
  t.equal(at('/signed').length, 1);

  const log = await h.call('GET', `/v1/webhook-subscriptions/${sub.id}/deliveries`, { token: await client.token() });
  t.equal(log.statusCode, 200, log.body);
  const [entry] = log.json().data;
  t.match(entry, {
    id: delivery?.id,
    message_id: `msg_${delivery?.id}`,
    event_id: event.id,
    event_type: 'inspection.created.v1',
    status: 'succeeded',
    next_attempt_at: null,
  });
  t.equal(entry.attempts.length, 1);
  t.match(entry.attempts[0], { status_code: 200, error: null, response_excerpt: 'thanks' });
  t.type(entry.attempts[0].latency_ms, 'number');
});

t.test('while a secret is rotated, the previous one signs too', async (t) => {
  const client = await makeClient(h, ['read', 'webhooks']);
  const sub = await subscribe(h, client, '/rotated');
  t.teardown(retire(h, sub));
  const previous = newSecret();
  await h.rows('UPDATE webhook_subscriptions SET previous_secret = $1, previous_secret_until = $2 WHERE id = $3', [
    encryptSecret(h.app.secretsKey, previous),
    new Date(Date.now() + 3_600_000),
    sub.id,
  ]);
  await openReport();
  await h.app.deliverWebhooks();
  const [got] = at('/rotated');
  t.equal(String(got?.headers['webhook-signature']).split(' ').length, 2, 'two signatures');
  t.ok(verifies(sub.secret, got?.headers ?? {}, got?.body ?? ''), 'the new secret verifies');
  t.ok(verifies(previous, got?.headers ?? {}, got?.body ?? ''), 'the previous secret verifies');

  await h.rows('UPDATE webhook_subscriptions SET previous_secret_until = $1 WHERE id = $2', [
    new Date(Date.now() - 1000),
    sub.id,
  ]);
  await openReport();
  await h.app.deliverWebhooks();
  const [, after] = at('/rotated');
  t.equal(String(after?.headers['webhook-signature']).split(' ').length, 1, 'once the overlap ends, one');
  t.notOk(verifies(previous, after?.headers ?? {}, after?.body ?? ''));
});

t.test(
  'a failing receiver is retried on the schedule with the same id, then the subscription is disabled',
  async (t) => {
    const start = new Date(Date.now() + 86_400_000);
    const setClock = clockAt(t, start);
    const client = await makeClient(h, ['read', 'webhooks']);
    const sub = await subscribe(h, client, '/failing', { createdAt: new Date(start.getTime() - 1000) });
    t.teardown(retire(h, sub));
    answers.set('/failing', (res) => res.writeHead(503).end('down for maintenance'));

    await openReport();
    await h.app.deliverWebhooks();
    const [delivery] = await deliveriesOf(sub);
    const id = delivery?.id as string;
    let clock = start;
    for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
      const [row] = await deliveriesOf(sub);
      t.equal(row?.status, 'pending', `pending after try ${i + 1}`);
      const due = new Date(row?.next_attempt_at as Date);
      const wait = due.getTime() - clock.getTime();
      t.ok(wait >= delay * 0.9 && wait <= delay * 1.1, `try ${i + 2} waits ${wait} ms, about ${delay}`);
      setClock(new Date(due.getTime() - 1));
      t.same(await h.app.deliverWebhooks(), { dispatched: 0, sent: 0 }, 'not before it is due');
      clock = due;
      setClock(due);
      t.same(await h.app.deliverWebhooks(), { dispatched: 0, sent: 1 }, 'sent when due');
    }
    const tries = at('/failing');
    t.equal(tries.length, RETRY_DELAYS_MS.length + 1, 'eight tries in all');
    t.same(new Set(tries.map((r) => r.headers['webhook-id'])), new Set([`msg_${id}`]), 'each with the same webhook-id');
    t.ok(
      tries.every((r) => verifies(sub.secret, r.headers, r.body)),
      'each signed afresh',
    );

    const [failed] = await deliveriesOf(sub);
    t.equal(failed?.status, 'failed');
    const [subscription] = await h.rows<{ status: string; disabled_reason: string; disabled_at: Date }>(
      'SELECT status, disabled_reason, disabled_at = $1::timestamptz AS disabled_at FROM webhook_subscriptions WHERE id = $2',
      [clock, sub.id],
    );
    t.same(subscription, {
      status: 'disabled',
      disabled_reason: `A inspection.created.v1 delivery (${id}) failed 8 times in a row; the last: HTTP 503`,
      disabled_at: true,
    });
    const attempts = await attemptsOf(id);
    t.equal(attempts.length, 8);
    t.match(attempts[7], { status_code: 503, error: null, response_excerpt: 'down for maintenance' });

    // A disabled subscription is sent nothing, not even what was pending.
    await h.rows(
      `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, status, next_attempt_at, created_at)
     VALUES ($1, $2, NULL, 'ping', 'pending', $3, $4)`,
      [uuidv7(), sub.id, clock, clock],
    );
    await openReport();
    t.same(await h.app.deliverWebhooks(), { dispatched: 0, sent: 0 });
    t.equal(at('/failing').length, 8);
  },
);

t.test('a redirect is not followed: it is a failed try', async (t) => {
  const client = await makeClient(h, ['read', 'webhooks']);
  const sub = await subscribe(h, client, '/moved');
  t.teardown(retire(h, sub));
  answers.set('/moved', (res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/moved-here` }).end());
  await openReport();
  await h.app.deliverWebhooks();
  const [delivery] = await deliveriesOf(sub);
  t.equal(delivery?.status, 'pending');
  t.equal(delivery?.attempts, 1);
  t.match(await attemptsOf(delivery?.id as string), [{ status_code: 302, error: null }]);
  t.equal(at('/moved-here').length, 0, 'the new location was not asked');
});

t.test('a receiver that does not answer in time is a failed try', async (t) => {
  const client = await makeClient(h, ['read', 'webhooks']);
  const sub = await subscribe(h, client, '/slow');
  t.teardown(retire(h, sub));
  answers.set('/slow', () => undefined); // never answers
  await openReport();
  await h.app.deliverWebhooks();
  const [delivery] = await deliveriesOf(sub);
  t.equal(delivery?.status, 'pending');
  const [attempt] = await attemptsOf(delivery?.id as string);
  t.equal(attempt?.status_code, null);
  t.equal(attempt?.error, `timed out after ${TIMEOUT_MS} ms`);
  t.ok((attempt?.latency_ms ?? 0) >= TIMEOUT_MS - 5, 'after the timeout');
});

t.test('only events the subscription names, in its facility, after it began, that its client may see', async (t) => {
  const national = await makeClient(h, ['read', 'webhooks']);
  const elsewhere = await makeClient(h, ['read', 'webhooks'], h.world.organisations['kanwil.ntt'] as string);
  const own = await makeClient(h, ['read', 'webhooks'], h.world.organisations['kanwil.jateng'] as string);
  const noScope = await makeClient(h, ['read']);
  const subs = {
    seen: await subscribe(h, own, '/reach-own'),
    outOfReach: await subscribe(h, elsewhere, '/reach-elsewhere'),
    otherFacility: await subscribe(h, national, '/reach-purwokerto', { facilityId: fac.purwokerto as string }),
    thisFacility: await subscribe(h, national, '/reach-banjarnegara', { facilityId: fac.banjarnegara as string }),
    otherType: await subscribe(h, national, '/reach-signed-off', { types: ['inspection.signed_off.v1'] }),
    later: await subscribe(h, national, '/reach-later', { createdAt: new Date(Date.now() + 3_600_000) }),
    withoutScope: await subscribe(h, noScope, '/reach-no-scope'),
  };
  t.teardown(retire(h, ...Object.values(subs)));
  await openReport();
  await h.app.deliverWebhooks();
  const counts = Object.fromEntries(
    await Promise.all(Object.entries(subs).map(async ([name, sub]) => [name, (await deliveriesOf(sub)).length])),
  );
  t.same(counts, {
    seen: 1,
    outOfReach: 0,
    otherFacility: 0,
    thisFacility: 1,
    otherType: 0,
    later: 0,
    withoutScope: 0,
  });
  t.equal(received.filter((r) => r.path.startsWith('/reach-')).length, 2);
});

t.test('people are named only to a client with personal_data, and that naming is audited', async (t) => {
  const named = await makeClient(h, ['read', 'personal_data', 'webhooks']);
  const plain = await makeClient(h, ['read', 'webhooks']);
  const types = ['inspection.submitted.v1'];
  const subs = [
    await subscribe(h, named, '/people-named', { types }),
    await subscribe(h, plain, '/people-plain', { types }),
  ];
  t.teardown(retire(h, ...subs));
  const admitted = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      registration_number: 'B.I-WH1/2026',
      name: 'Budi Santoso',
      sex: 'male',
      birth_date: '1990-04-17',
      case_type: 'narcotics_user',
      admission_date: '2026-03-02',
      expected_release_date: '2027-03-01',
      block: 'A',
      status: 'sentenced',
    },
  });
  t.equal(admitted.statusCode, 201, admitted.body);
  const [inmate] = await h.rows<{ id: string; pseudonym: string; name: string; registration_number: string }>(
    'SELECT id, pseudonym, name, registration_number FROM inmates WHERE id = $1',
    [admitted.json().id],
  );
  await h.app.db.transaction((tx) =>
    recordEvent(tx, new Date(), {
      type: 'inspection.submitted.v1',
      part: 'inmates',
      subject: { type: 'inmate', id: inmate?.id as string },
      facilityIds: [fac.banjarnegara as string],
      people: [{ type: 'inmate', id: inmate?.id as string }],
      data: {},
    }),
  );
  const readsBefore = await h.count('audit_events', `action = 'inmate.viewed' AND actor_type = 'api_client'`);
  await h.app.deliverWebhooks();
  const people = (path: string) => JSON.parse(at(path)[0]?.body ?? '{}').data?.people;
  t.same(people('/people-named'), [
    {
      type: 'inmate',
      id: inmate?.id,
      pseudonym: inmate?.pseudonym,
      name: inmate?.name,
      registration_number: inmate?.registration_number,
      nip: null,
    },
  ]);
  t.same(people('/people-plain'), [
    { type: 'inmate', id: inmate?.id, pseudonym: inmate?.pseudonym, name: null, registration_number: null, nip: null },
  ]);
  const reads = await h.rows<{ actor_id: string; entity_id: string; facility_id: string }>(
    `SELECT actor_id, entity_id, facility_id FROM audit_events WHERE action = 'inmate.viewed' AND actor_type = 'api_client' ORDER BY seq DESC`,
  );
  t.equal(reads.length, readsBefore + 1, 'one read audited');
  t.same(reads[0], { actor_id: named.id, entity_id: inmate?.id, facility_id: fac.banjarnegara });
});

t.test('a redelivery keeps the message id; a ping is signed and sent; only the owner reaches them', async (t) => {
  const client = await makeClient(h, ['read', 'webhooks']);
  const other = await makeClient(h, ['read', 'webhooks']);
  const sub = await subscribe(h, client, '/again');
  t.teardown(retire(h, sub));
  await openReport();
  await h.app.deliverWebhooks();
  const [delivery] = await deliveriesOf(sub);
  const token = await client.token();

  const res = await h.call('POST', `/v1/webhook-subscriptions/${sub.id}/deliveries/${delivery?.id}/redeliver`, {
    token,
  });
  t.equal(res.statusCode, 202, res.body);
  t.match(res.json(), { id: delivery?.id, status: 'pending', message_id: `msg_${delivery?.id}` });
  t.equal(res.json().attempts.length, 1, 'the earlier try stays in the log');
  t.same(await h.app.deliverWebhooks(), { dispatched: 0, sent: 1 });
  const [first, second] = at('/again');
  t.equal(second?.headers['webhook-id'], first?.headers['webhook-id'], 'the same webhook-id');
  t.equal(second?.body, first?.body, 'the same body');
  t.ok(verifies(sub.secret, second?.headers ?? {}, second?.body ?? ''));

  const pinged = await h.call('POST', `/v1/webhook-subscriptions/${sub.id}/ping`, { token });
  t.equal(pinged.statusCode, 202, pinged.body);
  const ping = pinged.json();
  t.match(ping, { event_id: null, event_type: 'ping', status: 'pending', attempts: [] });
  t.same(await h.app.deliverWebhooks(), { dispatched: 0, sent: 1 });
  const got = at('/again')[2];
  t.equal(got?.headers['webhook-id'], `msg_${ping.id}`);
  t.ok(verifies(sub.secret, got?.headers ?? {}, got?.body ?? ''));
  t.same(JSON.parse(got?.body ?? '{}'), {
    type: 'ping',
    timestamp: ping.created_at,
    data: { subscription_id: sub.id },
  });

  const log = await h.call('GET', `/v1/webhook-subscriptions/${sub.id}/deliveries?limit=1`, { token });
  t.same(
    log.json().data.map((d: Json) => d.id),
    [ping.id],
    'newest first',
  );
  const rest = await h.call(
    'GET',
    `/v1/webhook-subscriptions/${sub.id}/deliveries?limit=1&cursor=${log.json().next_cursor}`,
    {
      token,
    },
  );
  t.same(
    rest.json().data.map((d: Json) => [d.id, d.attempts.length]),
    [[delivery?.id, 2]],
  );
  t.equal(rest.json().next_cursor, null);

  const otherToken = await other.token();
  for (const [method, url] of [
    ['GET', `/v1/webhook-subscriptions/${sub.id}/deliveries`],
    ['POST', `/v1/webhook-subscriptions/${sub.id}/ping`],
    ['POST', `/v1/webhook-subscriptions/${sub.id}/deliveries/${delivery?.id}/redeliver`],
  ] as const) {
    t.equal((await h.call(method, url, { token: otherToken })).statusCode, 404, `${method} ${url}: another client`);
    t.equal(
      (await h.call(method, url, { token: await h.login('admin') })).statusCode,
      403,
      'a user: the role, before the record',
    );
  }
  t.equal(
    (await h.call('POST', `/v1/webhook-subscriptions/${sub.id}/deliveries/${uuidv7()}/redeliver`, { token }))
      .statusCode,
    404,
    'a delivery of none of its own',
  );
});

t.test('two processes on one database deliver each event once per subscription', { skip: onPglite }, async (t) => {
  const second = openPg({ url: h.test.url as string, poolMax: 5, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 });
  const other = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0', ...env }),
    database: second,
    signingKey: loadSigningKey({ log: () => undefined }),
  });
  await other.ready();
  t.teardown(async () => {
    await other.close();
    await second.close();
  });
  const client = await makeClient(h, ['read', 'webhooks']);
  const subs = [await subscribe(h, client, '/twice-a'), await subscribe(h, client, '/twice-b')];
  t.teardown(retire(h, ...subs));
  const n = 40;
  for (let i = 0; i < n; i++) {
    await h.app.db.transaction((tx) =>
      recordEvent(tx, new Date(), {
        type: 'inspection.created.v1',
        part: 'inspections',
        subject: { type: 'inspection', id: String(i) },
        facilityIds: [fac.banjarnegara as string],
        data: {},
      }),
    );
  }
  for (let i = 0; i < 3; i++)
    await Promise.all([
      h.app.deliverWebhooks(),
      other.deliverWebhooks(),
      h.app.deliverWebhooks(),
      other.deliverWebhooks(),
    ]);
  for (const path of ['/twice-a', '/twice-b']) {
    const ids = at(path).map((r) => r.headers['webhook-id']);
    t.equal(ids.length, n, `${path}: ${n} deliveries`);
    t.equal(new Set(ids).size, n, `${path}: each once`);
  }
});

t.test('with private addresses refused, a name resolving to loopback is refused when connecting', async (t) => {
  const guarded = await build(t, { WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS), SECRETS_KEY });
  const client = await makeClient(guarded, ['read', 'webhooks']);
  const byName = await subscribe(guarded, client, '', { url: `https://localhost:${port}/by-name` });
  const byAddress = await subscribe(guarded, client, '', { url: `https://127.0.0.1:${port}/by-address` });
  await openReport(guarded, guarded.world.facilities.banjarnegara as string);
  t.same(await guarded.app.deliverWebhooks(), { dispatched: 2, sent: 2 });
  const [named] = await deliveriesOf(byName, guarded);
  t.match(await attemptsOf(named?.id as string, guarded), [
    { status_code: null, error: 'EPRIVATEADDRESS: localhost resolves to an address in a private range' },
  ]);
  const [addressed] = await deliveriesOf(byAddress, guarded);
  t.match(await attemptsOf(addressed?.id as string, guarded), [
    { status_code: null, error: 'EPRIVATEADDRESS: 127.0.0.1 is in a private range' },
  ]);
  t.equal(at('/by-name').length + at('/by-address').length, 0, 'nothing reached the receiver');
});

t.test('the background sender delivers a committed event without being asked', async (t) => {
  const live = await build(t, { ...env, WEBHOOK_WORKER: 'true' });
  const client = await makeClient(live, ['read', 'webhooks']);
  const sub = await subscribe(live, client, '/live');
  const arrived = new Promise<Received>((resolve) => {
    answers.set('/live', (res) => {
      res.writeHead(204).end();
      resolve(at('/live')[0] as Received);
    });
  });
  const opened = await openReport(live, live.world.facilities.banjarnegara as string);
  const got = await arrived;
  t.equal(JSON.parse(got.body).data.data.inspection_id, opened.id, 'woken by the commit, not by a poll');
  t.ok(verifies(sub.secret, got.headers, got.body));
});

t.test('the delivery log is kept as long as the events, then pruned by an hourly chore', async (t) => {
  const client = await makeClient(h, ['read', 'webhooks']);
  const sub = await subscribe(h, client, '/pruned');
  t.teardown(retire(h, sub));
  await openReport();
  await openReport();
  await h.app.deliverWebhooks();
  const [old, recent] = await deliveriesOf(sub);
  await h.rows(`UPDATE webhook_deliveries SET completed_at = now() - interval '91 days' WHERE id = $1`, [old?.id]);
  await h.rows(`UPDATE chore_runs SET last_run_at = '-infinity' WHERE name = 'webhook-deliveries-prune'`);
  t.match(await h.app.runChores(), { 'webhook-deliveries-prune': 1 });
  t.same(
    (await deliveriesOf(sub)).map((d) => d.id),
    [recent?.id],
  );
  t.equal(await h.count('webhook_attempts', `delivery_id = '${old?.id}'`), 0, 'its tries with it');
});
