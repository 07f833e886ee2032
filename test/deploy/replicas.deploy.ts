import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import t from 'tap';
import { type Cluster, startCluster } from '../helpers/cluster.ts';
import { call, login, newSigningPem, type ServerProcess, startServer, until } from './processes.ts';

// Two server processes on one database, as behind a load balancer: the test alternates its
// requests between them and checks that what issue 15 made run once still runs once, and that a
// database restart under writes from both loses and doubles nothing acknowledged.

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

// --- A webhook receiver on this machine: what it was sent, in order. ---
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverPort = (receiver.address() as AddressInfo).port;
cleanups.push(
  () =>
    new Promise<void>((resolve) => {
      receiver.closeAllConnections();
      receiver.close(() => resolve());
    }),
);

// The settings both processes share: one database, one signing key, one secrets key.
const shared = {
  DATABASE_URL: cluster.url(),
  DEMO_PASSWORD,
  JWT_PRIVATE_KEY: newSigningPem(),
  SECRETS_KEY: randomBytes(32).toString('base64'),
  NODE_ENV: 'production',
  WEBHOOK_WORKER: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  // The load below is one address, many requests: the API limit is not what is tested here.
  API_RATE_LIMIT_MAX: '100000',
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

const report = (summary: string) => ({
  kind: 'surprise',
  team: [{ name: 'Karutan Banjarnegara', agency: 'facility', role: 'ketua' }],
  started_at: '2026-03-02T09:00:00',
  ended_at: '2026-03-02T11:30:00',
  areas: [{ kind: 'block', name: 'A' }],
  inmates_searched: 120,
  officers_searched: 15,
  summary,
});

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
    body: { url: `http://127.0.0.1:${receiverPort}/hooks`, event_types: ['inspection.created.v1'] },
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
  const listening = await until(
    'both senders to listen',
    async () => {
      const [row] = await rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
      );
      return row?.n === 2 ? row.n : undefined;
    },
    20_000,
  );
  t.equal(listening, 2, 'two senders listen');

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
  const log = await until(
    'every delivery to succeed',
    async () => {
      const res = await call(
        by(opened.length),
        'GET',
        `/v1/webhook-subscriptions/${sub.body.id}/deliveries?limit=200`,
        {
          token: client,
        },
      );
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

t.test('a database restarted under writes from both loses and doubles nothing acknowledged', async (t) => {
  const run = randomUUID().slice(0, 8);
  const WRITES = 160;
  const WORKERS = 8;
  const RESTART_AFTER = 40;
  const MAX_TRIES = 200;

  const acknowledged = new Map<string, string>(); // summary → the id answered
  let tries = 0;
  let retried = 0;
  // Settles with the restart's failure, if any, so that none goes unheard while the load runs.
  let restarted: Promise<unknown> | undefined;
  let next = 0;

  /** One write, retried with the same key (and body) on a network error, a 5xx or a 409 in flight. */
  async function write(n: number) {
    const key = `replicas-${run}-${n}`;
    const summary = `load ${run} ${n}`;
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      tries++;
      // Alternately, so that a retry often lands on the other process.
      const server = by(n + attempt);
      try {
        const res = await call(server, 'POST', `/v1/facilities/${banjarnegara}/inspections`, {
          token: staff,
          body: report(summary),
          headers: { 'idempotency-key': key },
          timeoutMs: 15_000,
        });
        if (res.status === 201) {
          acknowledged.set(summary, res.body.id);
          if (acknowledged.size === RESTART_AFTER)
            restarted = cluster.restart('immediate').then(
              () => null,
              (err: unknown) => String(err),
            );
          return;
        }
        if (res.status < 500 && res.status !== 409)
          throw new Error(`write ${n} on ${server.name}: ${res.status} ${res.text}`);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith(`write ${n}`)) throw err;
        // A network error: the answer may have been lost after the commit, so the same key goes again.
      }
      retried++;
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 10));
    }
    throw new Error(`write ${n} not acknowledged after ${MAX_TRIES} tries:\n${stderrOfPair()}`);
  }

  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < WRITES) await write(next++);
    }),
  );
  t.equal(await restarted, null, 'the cluster was restarted mid-load');
  t.ok(retried > 0, `some writes were retried across the restart (${retried} retries in ${tries} tries)`);
  t.equal(acknowledged.size, WRITES, 'every write was acknowledged');

  const stored = await rows<{ summary: string; id: string }>(
    `SELECT summary, id::text FROM inspections WHERE summary LIKE $1 ORDER BY summary`,
    [`load ${run} %`],
  );
  t.equal(stored.length, WRITES, 'as many stored as acknowledged: none doubled');
  t.same(
    Object.fromEntries(stored.map((r) => [r.summary, r.id])),
    Object.fromEntries(acknowledged),
    'each acknowledged write stored once, under the id answered',
  );

  for (const p of pair) {
    const ready = await until(`${p.name} ready again`, async () => {
      const res = await call(p, 'GET', '/health/ready').catch(() => undefined);
      return res?.status === 200 ? res : undefined;
    });
    t.equal(ready.status, 200, `${p.name} answers /health/ready`);
  }
  t.equal(first.exited() || second.exited(), false, 'both processes still run', { stderr: stderrOfPair() });
});

t.test('the sweep opens each case once when both processes start together', async (t) => {
  await stopPair();

  // Due work: negatives of the demo become presumptive positives left unconfirmed past the
  // window, and the demo's open cases fall past their assessment due date.
  const tests = (
    await rows<{ id: string }>(
      `UPDATE urine_tests t
          SET outcome = 'presumptive_positive', confirmation = 'pending',
              collected_at = t.collected_at - interval '40 days',
              classes = (SELECT classes FROM urine_tests WHERE outcome = 'presumptive_positive' LIMIT 1)
        WHERE t.id IN (SELECT u.id FROM urine_tests u
                        WHERE u.outcome = 'negative'
                          AND NOT EXISTS (SELECT 1 FROM follow_up_cases c WHERE c.test_id = u.id)
                        ORDER BY u.id LIMIT 6)
        RETURNING t.id::text`,
    )
  ).map((r) => r.id);
  t.equal(tests.length, 6);
  const overdue = (
    await rows<{ id: string }>(
      `UPDATE follow_up_cases SET assessment_due = current_date - 3
        WHERE status = 'awaiting_assessment' RETURNING id::text`,
    )
  ).map((r) => r.id);
  t.equal(overdue.length, 2, "the demo's two open cases now overdue");
  await rows(`UPDATE chore_runs SET last_run_at = '-infinity'`);
  const chores = (await rows<{ name: string }>('SELECT name FROM chore_runs')).map((r) => r.name);
  const [{ from }] = (await rows<{ from: string }>('SELECT max(position)::text AS from FROM domain_events')) as [
    { from: string },
  ];
  const [{ since }] = (await rows<{ since: Date }>('SELECT now() AS since')) as [{ since: Date }];

  // Both at once: each runs the chores as it starts.
  pair = await Promise.all([
    startServer('process 1 again', { ...shared, SEED_DEMO: 'false' }),
    startServer('process 2 again', { ...shared, SEED_DEMO: 'false' }),
  ]);
  await Promise.all(pair.map((p) => p.ready()));

  // Every chore taken by one of them, and then no statement of theirs still running.
  await until('every chore to have run', async () => {
    const [due] = await rows<{ n: number }>('SELECT count(*)::int AS n FROM chore_runs WHERE last_run_at < $1', [
      since,
    ]);
    return due?.n === 0 ? true : undefined;
  });
  await until('the processes to be idle', async () => {
    const [busy] = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND backend_type = 'client backend' AND state <> 'idle'`,
    );
    return busy?.n === 0 ? true : undefined;
  });
  t.same(
    (await rows<{ name: string }>('SELECT name FROM chore_runs WHERE last_run_at >= $1 ORDER BY name', [since])).map(
      (r) => r.name,
    ),
    [...chores].sort(),
    'every chore ran',
  );

  const cases = await rows<{ test_id: string; n: number }>(
    `SELECT test_id::text, count(*)::int AS n FROM follow_up_cases WHERE test_id = ANY($1::uuid[]) GROUP BY test_id ORDER BY test_id`,
    [tests],
  );
  t.same(
    cases,
    [...tests].sort().map((id) => ({ test_id: id, n: 1 })),
    'a case opened for each test, once',
  );
  const opened = await rows<{ test_id: string; n: number }>(
    `SELECT data->>'test_id' AS test_id, count(*)::int AS n FROM domain_events
      WHERE position > $1 AND type = 'follow_up_case.opened.v1' GROUP BY 1 ORDER BY 1`,
    [from],
  );
  t.same(
    opened,
    [...tests].sort().map((id) => ({ test_id: id, n: 1 })),
    'each opening told once',
  );
  const told = await rows<{ case_id: string; n: number }>(
    `SELECT data->>'case_id' AS case_id, count(*)::int AS n FROM domain_events
      WHERE position > $1 AND type = 'follow_up_case.overdue.v1' GROUP BY 1 ORDER BY 1`,
    [from],
  );
  t.same(
    told,
    [...overdue].sort().map((id) => ({ case_id: id, n: 1 })),
    'each overdue case told once',
  );
  t.equal(
    pair.some((p) => p.exited()),
    false,
    stderrOfPair(),
  );
});
