import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import t from 'tap';
import { type Cluster, startCluster } from '../helpers/cluster.ts';
import { multipart, png } from '../helpers/multipart.ts';
import { surpriseReport } from '../helpers/reports.ts';
import { idempotentLoad } from './load.ts';
import { call, login, newSigningPem, type ServerProcess, startServer, until } from './processes.ts';
import { rotationTest } from './rotation.ts';
import { startReceiver, startS3 } from './stores.ts';
import { arrangeDueWork, choresSettled } from './sweep.ts';

// Two server processes on one database, one S3 server and one Redis, as behind a load balancer:
// the test alternates its requests between them. A file uploaded through one is read through the
// other; a sign-in throttle started on one holds on the other;
// what issue 15 made run once still runs once; a database restart under writes from both loses and
// doubles nothing acknowledged; tokens of every stage of a key rotation work on both throughout.

const DEMO_PASSWORD = 'bersinar-demo-2026';

// Undone last first: the processes stop before the database they use.
const cleanups: (() => Promise<unknown>)[] = [];
t.teardown(async () => {
  for (const undo of cleanups.reverse()) await undo().catch(() => undefined);
});

const cluster: Cluster = await startCluster();
cleanups.push(() => cluster.destroy());

// The test's own reads of the database; idle connections die with the restart, and say so here.
const pool = new pg.Pool({ connectionString: cluster.url(), max: 2 });
pool.on('error', () => undefined);
cleanups.push(() => pool.end());
// biome-ignore lint/suspicious/noExplicitAny: rows, read as the test checks them
async function rows<T = Record<string, any>>(query: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query(query, params)).rows as T[];
}

const s3 = await startS3('bersinar-replicas');
cleanups.push(() => s3.close());
const receiver = await startReceiver();
cleanups.push(() => receiver.close());
const received = receiver.received;

// Signing keys: A to start, B and C for the rotation.
const [keyA, keyB, keyC] = [newSigningPem(), newSigningPem(), newSigningPem()] as [string, string, string];

// The settings both processes share: one database, one S3 server, one signing key, one secrets key.
// Each process has a data folder of its own (processes.ts), so a file read through the other can
// only have come from the shared store.
const shared = {
  DATABASE_URL: cluster.url(),
  ...s3.env,
  DEMO_PASSWORD,
  JWT_PRIVATE_KEY: keyA,
  SECRETS_KEY: randomBytes(32).toString('base64'),
  NODE_ENV: 'production',
  WEBHOOK_WORKER: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  // One address, many requests and sign-ins (counted across both once the limits are shared):
  // the limits per address are not what is tested here.
  API_RATE_LIMIT_MAX: '100000',
  AUTH_RATE_LIMIT_MAX: '1000',
  // One Redis for both, under keys of this run only.
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `bersinar-replicas-${randomUUID()}:`,
};

let pair: ServerProcess[] = [];
/** Stops whatever processes run; each failure names the process and what it wrote to stderr. */
async function stopPair() {
  await Promise.all(pair.map((p) => p.stop()));
  pair = [];
}
cleanups.push(stopPair);

// The first migrates and loads the demo; the second starts on that schema, as a replica would.
const first = await startServer('process 1', { ...shared, SEED_DEMO: 'true' });
pair.push(first);
await first.ready();
const second = await startServer('process 2', { ...shared, SEED_DEMO: 'false' });
pair.push(second);
await second.ready();

/** Process 1 or 2 by turn: `i` even goes to the first. */
const by = (i: number) => pair[i % 2] as ServerProcess;
/** What both processes wrote to stderr: a failing assertion shows it. */
const stderrOfPair = () => pair.map((p) => `--- ${p.name} ---\n${p.stderr()}`).join('\n');

const [banjarnegara] = (
  await rows<{ id: string }>(`SELECT id FROM facilities WHERE name = 'Rutan Kelas IIB Banjarnegara'`)
).map((r) => r.id);
const staff = await login(first, 'staff.banjarnegara', DEMO_PASSWORD);
const admin = await login(second, 'admin', DEMO_PASSWORD);

const report = (summary: string) => surpriseReport({ summary });

/** How many connections listen for events: two once both senders are up, or what there are when waiting ends. */
async function listeners(): Promise<number> {
  const count = async () =>
    (
      await rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
      )
    )[0]?.n ?? 0;
  return until('two senders to listen', async () => ((await count()) === 2 ? 2 : undefined), 20_000).catch(count);
}

t.test('a webhook is delivered once though both processes run a sender', async (t) => {
  // An API client with the webhooks scope, registered by an administrator through process 2.
  const made = await call(second, 'POST', '/v1/api-clients', {
    token: admin,
    body: {
      client_id: `hook.replicas.${randomUUID().slice(0, 8)}`,
      name: 'Receiver of the replicas test',
      scopes: ['read', 'webhooks'],
    },
  });
  t.equal(made.status, 201, 'an API client registered', { body: made.text });
  const tokenRes = await call(first, 'POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: made.body.client_id, client_secret: made.body.client_secret },
  });
  t.equal(tokenRes.status, 200, 'its token', { body: tokenRes.text });
  const client = tokenRes.body.access_token as string;

  const sub = await call(first, 'POST', '/v1/webhook-subscriptions', {
    token: client,
    body: { url: receiver.url, event_types: ['inspection.created.v1'] },
  });
  t.equal(sub.status, 201, 'its subscription', { body: sub.text });
  t.teardown(async () => {
    // Later subtests write inspections too: the subscription stops here.
    await call(second, 'PATCH', `/v1/webhook-subscriptions/${sub.body.id}`, {
      token: client,
      body: { status: 'disabled' },
      headers: { 'if-match': `"${sub.body.version}"` },
    });
  });

  // Both senders are up: each process listens for events on a connection of its own.
  t.equal(await listeners(), 2, 'two senders listen');

  // Six reports, most through process 2, each one event.
  const opened: string[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await call(i % 3 === 0 ? first : second, 'POST', `/v1/facilities/${banjarnegara}/inspections`, {
      token: staff,
      body: report(`webhook ${i}`),
    });
    t.equal(res.status, 201, `report ${i} opened`, { body: res.text });
    opened.push(res.body.id);
  }

  // Until the log says every delivery succeeded: then nothing of them is left to send.
  let polls = 0;
  const log = await until(
    'every delivery to succeed',
    async () => {
      const res = await call(by(polls++), 'GET', `/v1/webhook-subscriptions/${sub.body.id}/deliveries?limit=200`, {
        token: client,
      });
      if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${res.text}`);
      const data = res.body.data as { status: string }[];
      return data.length >= opened.length && data.every((d) => d.status === 'succeeded') ? data : undefined;
    },
    90_000,
  );
  // biome-ignore lint/suspicious/noExplicitAny: the log as its owner reads it
  const deliveries = log as any[];
  t.equal(deliveries.length, opened.length, 'one delivery per event');
  t.same(
    deliveries.map((d) => d.attempts.length),
    opened.map(() => 1),
    'each sent in one try',
  );

  const ids = received.map((r) => String(r.headers['webhook-id']));
  t.same(
    [...ids].sort(),
    deliveries.map((d) => d.message_id).sort(),
    'each webhook-id arrived exactly once, and only those',
  );
  t.same(
    received.map((r) => JSON.parse(r.body).data.data.inspection_id).sort(),
    [...opened].sort(),
    'every report opened was told',
  );
  t.same(
    received.map((r) => JSON.parse(r.body).type),
    opened.map(() => 'inspection.created.v1'),
  );
  t.equal(first.exited() || second.exited(), false, 'both processes still run', { stderr: stderrOfPair() });
});

t.test('a file uploaded through one process is downloaded through the other', async (t) => {
  const opened = await call(first, 'POST', `/v1/facilities/${banjarnegara}/inspections`, {
    token: staff,
    body: report('evidence'),
  });
  t.equal(opened.status, 201, 'report opened', { body: opened.text });
  const finding = await call(second, 'POST', `/v1/inspections/${opened.body.id}/findings`, {
    token: staff,
    body: {
      category: 'mobile_phone',
      description: 'Satu telepon genggam dalam bantal',
      quantity: 1,
      unit: 'pieces',
      location: 'Blok A kamar 12',
    },
  });
  t.equal(finding.status, 201, 'finding recorded', { body: finding.text });

  const file = png(64 * 1024);
  const sha = createHash('sha256').update(file).digest('hex');
  const form = multipart(
    { kind: 'photo', description: 'Foto temuan di lokasi' },
    { name: 'temuan.png', type: 'image/png', data: file },
  );
  const uploaded = await call(first, 'POST', `/v1/inspections/${opened.body.id}/findings/${finding.body.id}/evidence`, {
    token: staff,
    payload: form.body,
    headers: { 'content-type': form.contentType },
  });
  t.equal(uploaded.status, 201, 'uploaded through process 1', { body: uploaded.text });

  for (const p of [second, first]) {
    const got = await call(p, 'GET', `/v1/evidence/${uploaded.body.id}/file`, { token: staff });
    t.equal(got.status, 200, `downloaded through ${p.name}`, { body: got.status === 200 ? '' : got.text });
    t.equal(got.headers.get('content-type'), 'image/png');
    t.equal(createHash('sha256').update(got.bytes).digest('hex'), sha, `${p.name} gave the same bytes`);
  }
  // In the bucket under its content address, and nothing left of the upload's temporary key.
  const key = `evidence/${sha.slice(0, 2)}/${sha}`;
  t.same(await s3.list(key), [{ key, size: file.length }]);
  t.same(await s3.list('evidence/incoming/'), [], 'no temporary object left');
});

t.test('a sign-in throttle started on one process holds on the other', async (t) => {
  const grant = (p: ServerProcess, username: string, password: string) =>
    call(p, 'POST', '/v1/auth/token', { body: { grant_type: 'password', username, password } });

  // As many wrong passwords as SIGN_IN_FAILURE_LIMIT allows, alternately on both: none held back yet.
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await grant(by(i), 'kanwil.ntt', 'a-wrong-guess')).status);
  t.same(statuses, [400, 400, 400, 400, 400], 'each a wrong password');

  // Then the right password is held back on both, for the whole lock.
  for (const p of [second, first]) {
    const res = await grant(p, 'kanwil.ntt', DEMO_PASSWORD);
    t.equal(res.status, 429, `held on ${p.name}`, { body: res.text });
    t.match(res.headers.get('content-type'), /^application\/problem\+json/);
    t.equal(res.body.code, 'sign_in_throttled');
    t.equal(res.headers.get('retry-after'), '60', 'SIGN_IN_LOCK_SECONDS');
  }
  const other = await grant(second, 'bnnp.ntt', DEMO_PASSWORD);
  t.equal(other.status, 200, 'another name signs in', { body: other.text });
});

t.test('a database restarted under writes from both loses and doubles nothing acknowledged', async (t) => {
  const run = randomUUID().slice(0, 8);
  const WRITES = 160;
  // Settles with the restart's failure, if any, so that none goes unheard while the load runs.
  let restarted: Promise<unknown> | undefined;
  const load = await idempotentLoad({
    writes: WRITES,
    workers: 8,
    maxTries: 200,
    // Alternately, so that a retry often lands on the other process.
    send: (n, attempt) =>
      call(by(n + attempt), 'POST', `/v1/facilities/${banjarnegara}/inspections`, {
        token: staff,
        body: report(`load ${run} ${n}`),
        headers: { 'idempotency-key': `replicas-${run}-${n}` },
        timeoutMs: 15_000,
      }),
    onAcknowledged: (count) => {
      if (count === 40) restarted = cluster.restart('immediate').then(() => null, String);
    },
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n${stderrOfPair()}`);
  });
  t.equal(await restarted, null, 'the cluster was restarted mid-load');
  t.ok(
    load.retried > 0,
    `some writes were retried across the restart (${load.retried} retries in ${load.tries} tries)`,
  );
  t.equal(load.acknowledged.size, WRITES, 'every write was acknowledged');

  const stored = await rows<{ summary: string; id: string }>(
    `SELECT summary, id::text FROM inspections WHERE summary LIKE $1 ORDER BY summary`,
    [`load ${run} %`],
  );
  t.equal(stored.length, WRITES, 'as many stored as acknowledged: none doubled');
  t.same(
    Object.fromEntries(stored.map((r) => [r.summary, r.id])),
    Object.fromEntries([...load.acknowledged].map(([n, id]) => [`load ${run} ${n}`, id])),
    'each acknowledged write stored once, under the id answered',
  );

  for (const p of pair) {
    const ready = await until(`${p.name} ready again`, async () => {
      const res = await call(p, 'GET', '/health/ready').catch(() => undefined);
      return res?.status === 200 ? res : undefined;
    });
    t.equal(ready.status, 200, `${p.name} answers /health/ready`);
  }
  // The restart cut every connection: the senders listen for events again on new ones.
  t.equal(await listeners(), 2, 'both senders listen again');
  t.equal(first.exited() || second.exited(), false, 'both processes still run', { stderr: stderrOfPair() });
});

t.test('tokens of every stage of a key rotation work on both processes throughout', (t) =>
  rotationTest(t, { pair, keys: [keyA, keyB, keyC], password: DEMO_PASSWORD, stderr: stderrOfPair }),
);

t.test('the sweep opens each case once when both processes start together', async (t) => {
  await stopPair();

  const { tests, overdue, chores, from, since } = await arrangeDueWork(rows);
  t.equal(tests.length, 6, 'six presumptive positives past the window');
  t.equal(overdue.length, 2, "the demo's two open cases now overdue");

  // Both at once: each runs the chores as it starts.
  pair = await Promise.all([
    startServer('process 1 again', { ...shared, SEED_DEMO: 'false' }),
    startServer('process 2 again', { ...shared, SEED_DEMO: 'false' }),
  ]);
  await Promise.all(pair.map((p) => p.ready()));

  await choresSettled(rows, since);
  t.same(
    (await rows<{ name: string }>('SELECT name FROM chore_runs WHERE last_run_at >= $1 ORDER BY name', [since])).map(
      (r) => r.name,
    ),
    [...chores].sort(),
    'every chore ran',
  );

  // How many times each id is counted: each must be counted once.
  const onceEach = (ids: Iterable<string>) => [...ids].sort().map((id) => ({ id, n: 1 }));
  const told = (type: string, field: string) =>
    rows<{ id: string; n: number }>(
      `SELECT data->>'${field}' AS id, count(*)::int AS n FROM domain_events
        WHERE position > $1 AND type = $2 GROUP BY 1 ORDER BY 1`,
      [from, type],
    );
  const cases = await rows<{ id: string; n: number }>(
    `SELECT test_id::text AS id, count(*)::int AS n FROM follow_up_cases WHERE test_id = ANY($1::uuid[]) GROUP BY test_id ORDER BY test_id`,
    [tests],
  );
  t.same(cases, onceEach(tests), 'a case opened for each test, once');
  t.same(await told('follow_up_case.opened.v1', 'test_id'), onceEach(tests), 'each opening told once');
  t.same(await told('follow_up_case.overdue.v1', 'case_id'), onceEach(overdue), 'each overdue case told once');
  t.equal(
    pair.some((p) => p.exited()),
    false,
    stderrOfPair(),
  );
});
