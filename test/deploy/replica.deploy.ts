// Reports from a read replica (issue 20): a primary cluster of the test's own and a real streaming
// replica of it (pg_basebackup -R), both on spare ports and torn down after. Closed periods'
// scorecards, the rankings, training coverage and the change feed read from the replica while it
// keeps up; past REPLICA_MAX_LAG_SECONDS, or with the replica stopped, they read from the primary
// and nothing fails. Writes, running scorecards, reach and audit events stay on the primary.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import t from 'tap';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { localDate, periodOf, previousPeriod } from '../../src/core/calendar/index.ts';
import { expandIds } from '../../src/core/compact-ids.ts';
import { type Database, openPg } from '../../src/db/client.ts';
import { openReplicaDatabase } from '../../src/db/open.ts';
import { lsnOf } from '../../src/db/replica.ts';
import { seedDemo } from '../../src/db/seed.ts';
import { loadSigningKey } from '../../src/http/keys.ts';
import { type Cluster, startCluster, startReplica } from '../helpers/cluster.ts';
import { checkContract } from '../helpers/contract.ts';

const PASSWORD = 'test-password-123';
// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

// Everything made here is closed in reverse order when the test ends, clusters last.
const closers: (() => Promise<unknown>)[] = [];
t.teardown(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls `probe` until it answers something truthy (a condition, never a fixed wait). */
async function until<T>(what: string, probe: () => Promise<T>, timeoutMs = 60_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const primary: Cluster = await startCluster();
closers.push(() => primary.destroy());
const primaryDb = openPg({ url: primary.url(), poolMax: 4, statementTimeoutMs: 60_000, connectTimeoutMs: 5_000 });
closers.push(() => primaryDb.close());
await primaryDb.migrate();
const world = await seedDemo(primaryDb.db, PASSWORD);
if (!world) throw new Error('the seed found a database already seeded');
const replica: Cluster = await startReplica(primary);
closers.push(() => replica.destroy());

const sqlOn = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  closers.push(() => client.end());
  // A stopped server ends this connection: told, not thrown at the process.
  client.on('error', () => undefined);
  return client;
};
const onPrimary = await sqlOn(primary.url());
const onReplica = await sqlOn(replica.url());
const scalar = async (client: pg.Client, text: string, params: unknown[] = []) =>
  (await client.query(text, params)).rows[0]?.v;

/** An app on the primary with the replica for reports, its log lines kept. */
async function appWith(maxLagSeconds: number, replicaDb: Database) {
  const lines: Json[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const evidence = mkdtempSync(join(tmpdir(), 'bersinar-evidence-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    EVIDENCE_DIR: evidence,
    DATABASE_URL: primary.url(),
    DATABASE_REPLICA_URL: replica.url(),
    REPLICA_MAX_LAG_SECONDS: String(maxLagSeconds),
  });
  const app: FastifyInstance = await buildApp({
    config,
    database: primaryDb,
    replica: replicaDb,
    signingKey: loadSigningKey({ log: () => undefined }),
    logger,
  });
  closers.push(async () => {
    await app.close();
    await replicaDb.close();
    rmSync(evidence, { recursive: true, force: true });
  });
  await app.ready();
  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const res: LightMyRequestResponse = await app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    checkContract(method, url, res);
    return res;
  };
  const login = async (username: string) => {
    const res = await call('POST', '/v1/auth/token', undefined, {
      grant_type: 'password',
      username,
      password: PASSWORD,
    });
    if (res.statusCode !== 200) throw new Error(`login: ${res.statusCode} ${res.body}`);
    return res.json().access_token as string;
  };
  const ready = async () => {
    const res = await call('GET', '/health/ready');
    return { code: res.statusCode, replica: res.json().replica as Json };
  };
  const switches = () => lines.filter((l) => /reports read from/.test(String(l.msg))).map((l) => l.msg as string);
  return { app, call, login, ready, switches, lines };
}

// Every statement the first app sends to the replica, to show what it reads there and that it writes nothing.
const onReplicaStatements: string[] = [];
// When set, the replica fails the next read of officers as a query fails: with its parameters.
let failOfficersRead: string | undefined;
const replicaA = openPg({
  url: replica.url(),
  poolMax: 4,
  statementTimeoutMs: 10_000,
  connectTimeoutMs: 2_000,
  readOnly: true,
  logQuery: (statement) => {
    onReplicaStatements.push(statement);
    if (failOfficersRead && /from "?officers"?/i.test(statement)) {
      const secret = failOfficersRead;
      failOfficersRead = undefined;
      throw new Error(`Failed query: ${statement}\nparams: ${secret}`);
    }
  },
});
const A = await appWith(3600, replicaA);
const admin = await A.login('admin');
const facility = world.facilities.banjarnegara as string;
const province = await scalar(onPrimary, 'SELECT province_code AS v FROM facilities WHERE id = $1', [facility]);
const today = localDate(new Date(), 'Asia/Jakarta');
const closedPeriod = previousPeriod(periodOf('quarter', today)).code;
const earlierPeriod = previousPeriod(previousPeriod(periodOf('quarter', today))).code;
const closings = (events: Json[], period: string) =>
  events.filter((e) => e.type === 'scorecard.period_closed.v1' && e.data.period === period);

let hired = 0;
async function hire(app: typeof A, token: string) {
  hired++;
  const res = await app.call('POST', `/v1/facilities/${facility}/officers`, token, {
    nip: `19850417201012${String(1000 + hired).padStart(4, '0')}`,
    name: `Petugas Replika ${hired}`,
    sex: 'male',
    position: 'Penjaga',
    unit: 'KPR',
    joined_on: '2010-12-01',
  });
  if (res.statusCode !== 201) throw new Error(`hire: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

const coverageOf = async (app: typeof A, token: string) => {
  const res = await app.call('GET', `/v1/facilities/${facility}/training-coverage`, token);
  return { code: res.statusCode, body: res.json() as Json };
};
const provinceCoverageOf = async (app: typeof A, token: string) => {
  const res = await app.call('GET', `/v1/training-coverage?province_code=${province}`, token);
  return (res.json().facilities as Json[]).find((f) => f.facility_id === facility)?.officers as number;
};
const feedOf = async (app: typeof A, token: string) => {
  const events: Json[] = [];
  let after: string | undefined;
  for (;;) {
    const res = await app.call('GET', `/v1/events?limit=200${after ? `&after=${after}` : ''}`, token);
    if (res.statusCode !== 200) throw new Error(`feed: ${res.statusCode} ${res.body}`);
    events.push(...res.json().data);
    after = res.json().next_cursor;
    if (!res.json().has_more) return events;
  }
};
const rankingOf = async (app: typeof A, token: string, period: string) => {
  const res = await app.call('GET', `/v1/scorecards?period=${period}`, token);
  return { code: res.statusCode, rows: res.json().data as Json[] };
};
const pauseReplay = async () => {
  await onReplica.query('SELECT pg_wal_replay_pause()');
  await until(
    'replay paused',
    async () => (await scalar(onReplica, 'SELECT pg_get_wal_replay_pause_state() AS v')) === 'paused',
  );
};
const resumeReplay = () => onReplica.query('SELECT pg_wal_replay_resume()');

t.test('the replica serves reports while it keeps up', async (t) => {
  const ready = await A.ready();
  t.equal(ready.code, 200);
  t.match(ready.replica, { status: 'ok', serving: 'replica', max_lag_seconds: 3600 });
  t.ok(ready.replica.lag_seconds >= 0 && ready.replica.lag_seconds < 5, `a small lag (${ready.replica.lag_seconds} s)`);
  t.same(A.switches(), ['reports read from the replica'], 'said once, at start');

  const first = [await hire(A, admin), await hire(A, admin), await hire(A, admin)];
  const caughtUp = await until('the officers replicated', async () => {
    const c = await coverageOf(A, admin);
    return c.body.officers === 3 && c;
  });
  t.same(caughtUp.body.due.map((o: Json) => o.id).sort(), [...first].sort(), 'the due list read there names them');

  await pauseReplay();
  // Written through the app while the replica stands still: the writes go to the primary.
  await hire(A, admin);
  const close = await A.call('POST', '/v1/scorecards/close', admin, { period: closedPeriod });
  t.equal(close.statusCode, 200, 'a write succeeds with replay paused: it went to the primary');
  t.equal(Number(await scalar(onPrimary, 'SELECT count(*) AS v FROM officers WHERE facility_id = $1', [facility])), 4);
  t.equal(
    Number(await scalar(onReplica, 'SELECT count(*) AS v FROM officers WHERE facility_id = $1', [facility])),
    3,
    'the replica does not have the fourth officer yet',
  );
  const snapshots = Number(
    await scalar(onPrimary, 'SELECT count(*) AS v FROM scorecard_snapshots WHERE period = $1', [closedPeriod]),
  );
  t.ok(snapshots > 0, 'the closing is stored on the primary');

  const audited = `SELECT count(*) AS v FROM audit_events WHERE action = 'officer.viewed' AND facility_id = $1`;
  const auditBefore = Number(await scalar(onPrimary, audited, [facility]));
  const readAt = onReplicaStatements.length;
  const coverage = await coverageOf(A, admin);
  t.equal(coverage.code, 200);
  t.equal(coverage.body.officers, 3, "coverage counts the replica's officers, not the primary's four");
  t.same(coverage.body.due.map((o: Json) => o.id).sort(), [...first].sort());
  t.ok(
    onReplicaStatements.slice(readAt).some((s) => /from officers/i.test(s)),
    'the officers were read on the replica',
  );
  t.equal(Number(await scalar(onPrimary, audited, [facility])), auditBefore + 1, 'the named read is audited');
  const [audit] = (
    await onPrimary.query(
      `SELECT after FROM audit_events WHERE action = 'officer.viewed' AND facility_id = $1 ORDER BY seq DESC LIMIT 1`,
      [facility],
    )
  ).rows;
  t.same(
    [...(expandIds(audit.after.ids_b64) ?? [])].sort(),
    [...first].sort(),
    'the audit names what the replica showed, on the primary',
  );
  t.equal(await provinceCoverageOf(A, admin), 3, 'province coverage reads the replica too');

  t.same(closings(await feedOf(A, admin), closedPeriod), [], 'the feed does not show the closing the replica lacks');
  t.equal(
    Number(
      await scalar(onPrimary, `SELECT count(*) AS v FROM domain_events WHERE type = 'scorecard.period_closed.v1'`),
    ),
    snapshots,
    'while the primary holds its events',
  );
  const ranking = await rankingOf(A, admin, closedPeriod);
  t.equal(ranking.code, 200);
  t.ok(ranking.rows.length > 0);
  t.ok(
    ranking.rows.every((r) => r.closed_score === null),
    'the ranking of the closed period does not show the closing yet',
  );
  const closedCard = await A.call('GET', `/v1/facilities/${facility}/scorecard?period=${closedPeriod}`, admin);
  t.equal(
    closedCard.json().closed?.revision,
    1,
    "whoever just closed sees the closing: a closed period's figures read the replica, its closing the primary",
  );

  const running = await A.call('GET', `/v1/facilities/${facility}/scorecard`, admin);
  t.equal(running.statusCode, 200);
  const trained = (running.json().indicators as Json[]).find((i) => i.code === 'officers_trained');
  t.equal(trained?.denominator, 4, 'the running scorecard reads the primary: it counts the fourth officer');

  await resumeReplay();
  const caught = await until('the closing replicated', async () => {
    const r = await rankingOf(A, admin, closedPeriod);
    return r.rows.some((row) => row.facility_id === facility && row.closed_score !== null) && r;
  });
  t.equal(caught.code, 200);
  t.equal((await coverageOf(A, admin)).body.officers, 4);
  t.equal(closings(await feedOf(A, admin), closedPeriod).length, snapshots, 'the feed shows them once replayed');
  t.same(
    onReplicaStatements.filter((s) => /^\s*(insert|update|delete|merge)\b/i.test(s)),
    [],
    'nothing was ever written on the replica',
  );
  for (const table of ['domain_events', 'scorecard_snapshots', 'officers'])
    t.ok(
      onReplicaStatements.some((s) => new RegExp(`\\b${table}\\b`).test(s)),
      `reports read ${table} there`,
    );
});

t.test('past the lag limit reports read from the primary, and come back', async (t) => {
  const B = await appWith(1, openReplicaDatabase(A.app.config, pino({ level: 'silent' })) as Database);
  const token = await B.login('admin');
  await until('B serving from the replica', async () => (await B.ready()).replica.serving === 'replica');

  await pauseReplay();
  await hire(B, token);
  t.equal((await B.call('POST', '/v1/scorecards/close', token, { period: earlierPeriod })).statusCode, 200);
  const lagging = await until('the lag past one second', async () => {
    const r = await B.ready();
    return r.replica.status === 'lagging' && r;
  });
  t.equal(lagging.code, 200, 'readiness holds with the replica lagging');
  t.equal(lagging.replica.serving, 'primary');
  t.ok(lagging.replica.lag_seconds > 1, `the lag is told (${lagging.replica.lag_seconds} s)`);
  t.match(B.switches().at(-1), /reports read from the primary: the replica is lagging/);

  const coverage = await coverageOf(B, token);
  t.equal(coverage.code, 200);
  t.equal(coverage.body.officers, 5, 'coverage now reads the primary');
  t.ok(closings(await feedOf(B, token), earlierPeriod).length > 0, 'so does the feed');
  t.same(closings(await feedOf(A, admin), earlierPeriod), [], 'not yet on the replica');
  t.equal((await rankingOf(B, token, closedPeriod)).code, 200);
  t.equal((await coverageOf(A, admin)).body.officers, 4, 'an app with a higher limit still reads the replica');

  await resumeReplay();
  await until('B back on the replica', async () => (await B.ready()).replica.serving === 'replica');
  t.match(B.switches().at(-1), 'reports read from the replica');
  t.equal((await coverageOf(B, token)).body.officers, 5);

  // An idle primary: the last replayed commit grows old with nothing missing. Still the replica.
  await until(
    'no commit replayed for two seconds',
    async () =>
      Number(
        await scalar(onReplica, 'SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS v'),
      ) > 2,
  );
  const idle = await B.ready();
  t.match(idle.replica, { status: 'ok', serving: 'replica' }, 'an idle primary is not a lagging replica');
  t.ok(idle.replica.lag_seconds <= 1);
});

t.test('with the replica stopped reports answer from the primary', async (t) => {
  await replica.stop('fast');
  // Whether or not a check has noticed yet, nothing fails.
  const ranking = await rankingOf(A, admin, closedPeriod);
  t.equal(ranking.code, 200);
  const coverage = await coverageOf(A, admin);
  t.equal(coverage.code, 200);
  t.equal(coverage.body.officers, 5, "the primary's count");
  t.equal((await A.call('GET', '/v1/events?limit=10', admin)).statusCode, 200);
  const closedCard = await A.call('GET', `/v1/facilities/${facility}/scorecard?period=${closedPeriod}`, admin);
  t.equal(closedCard.statusCode, 200);
  t.not(closedCard.json().closed, null, "the closing, from the primary's snapshots");

  const down = await until('the replica told down', async () => {
    const r = await A.ready();
    return r.replica.status === 'down' && r;
  });
  t.equal(down.code, 200, 'readiness holds with the replica down');
  t.match(down.replica, { status: 'down', lag_seconds: null, serving: 'primary' });
  t.match(A.switches().at(-1), /reports read from the primary/);

  await replica.start();
  const back = await until('the replica back', async () => {
    const r = await A.ready();
    return r.replica.serving === 'replica' && r;
  });
  t.match(back.replica, { status: 'ok' });
  t.equal(A.switches().at(-1), 'reports read from the replica');
});

t.test('a standby of another primary is never served, however fresh it looks', async (t) => {
  // A standby left from an earlier primary: its WAL positions belong to another history.
  const other = await startCluster();
  closers.push(() => other.destroy());
  const otherReplica = await startReplica(other);
  closers.push(() => otherReplica.destroy());
  const onOther = await sqlOn(other.url());
  const onOtherReplica = await sqlOn(otherReplica.url());
  await onOther.query('CREATE TABLE filler (n int)');
  // Its positions pushed past this primary's, so that by positions alone it would look caught up.
  const primaryAt = lsnOf(await scalar(onPrimary, 'SELECT pg_current_wal_lsn()::text AS v'));
  for (let n = 0; lsnOf(await scalar(onOther, 'SELECT pg_current_wal_lsn()::text AS v')) <= primaryAt; n++) {
    if (n > 500) throw new Error('the other cluster did not get past the primary');
    await onOther.query('INSERT INTO filler VALUES ($1)', [n]);
    await onOther.query('SELECT pg_switch_wal()');
  }
  await onOther.query('INSERT INTO filler VALUES (-1)');
  const otherAt = await scalar(onOther, 'SELECT pg_current_wal_lsn()::text AS v');
  await until(
    'the other standby replays it all',
    async () => lsnOf(await scalar(onOtherReplica, 'SELECT pg_last_wal_replay_lsn()::text AS v')) >= lsnOf(otherAt),
  );

  const stray = openPg({
    url: otherReplica.url(),
    poolMax: 2,
    statementTimeoutMs: 10_000,
    connectTimeoutMs: 2_000,
    readOnly: true,
  });
  const C = await appWith(3600, stray);
  const state = await C.ready();
  t.equal(state.code, 200, 'readiness holds: reports read from the primary');
  t.strictSame(state.replica, { status: 'down', lag_seconds: null, serving: 'primary', max_lag_seconds: 3600 });
  t.strictSame(
    C.lines.filter((l) => l.msg === 'the replica does not answer').map((l) => l.err.message),
    ['a standby of another primary: its system identifier differs'],
    'the log says why',
  );
  const coverage = await coverageOf(C, await C.login('admin'));
  t.equal(coverage.body.officers, 5, "the primary's count");
});

t.test('a report the replica fails is read from the primary, and its parameters stay out of the log', async (t) => {
  await until('the replica serving', async () => (await A.ready()).replica.serving === 'replica');
  const logged = A.lines.length;
  failOfficersRead = 'Petugas Rahasia 19850417';
  const coverage = await coverageOf(A, admin);
  t.equal(coverage.code, 200, 'answered from the primary');
  t.equal(failOfficersRead, undefined, 'the replica was asked first, and failed');
  const told = A.lines.slice(logged).filter((l) => /the replica failed a report/.test(String(l.msg)));
  t.equal(told.length, 1, 'the fall back is logged');
  t.equal(JSON.stringify(told).includes('Petugas Rahasia'), false, "the query's parameters are not");
  t.match(told[0]?.err.message, /^Failed query: /, 'what failed is');
});
