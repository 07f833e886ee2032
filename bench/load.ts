// The load suite: scenarios against a running server on the bench data (npm run bench:data), each
// for a fixed time at a fixed concurrency with autocannon, beside two ceilings measured in the same
// run: the framework's (a bare route of the same app) and the database's (the same service queries
// the endpoint runs, in a loop on a pg pool at the same concurrency, no HTTP). Usage:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench AUTH_RATE_LIMIT_MAX=1000000 API_RATE_LIMIT_MAX=0 npm start &
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench BASE=http://127.0.0.1:3000 npm run bench
// SECONDS (default 10) and CONNECTIONS (default 32) set the runs; ONLY=list,history,scorecard,ranking,
// token,attendance,ingest runs some of the scenarios (the framework ceiling always runs). The
// server's resident memory is sampled through the whole run (SERVER_PID, or the process listening
// on BASE's port) and its peak printed. It prints; it never fails on a time.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { localDate, parsePeriod } from '../src/core/calendar/index.ts';
import type { Actor } from '../src/core/change.ts';
import type { ReadRecord } from '../src/core/named-read.ts';
import { openPg, queryRows, sql } from '../src/db/client.ts';
import type { Principal } from '../src/http/principal.ts';
import { scorecardRules } from '../src/modules/compliance/indicators.ts';
import { facilityScorecard, snapshotOf } from '../src/modules/compliance/service.ts';
import { facilities } from '../src/modules/facilities/tables.ts';
import { listTestPage } from '../src/modules/urine/tests.ts';
import { timeLoop } from './timing.ts';

const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the bench database the server runs on');
const password = process.env.DEMO_PASSWORD ?? 'bersinar-demo-2026';
const seconds = Number(process.env.SECONDS ?? 10);
const connections = Number(process.env.CONNECTIONS ?? 32);

/** The server's process: SERVER_PID, or the one listening on BASE's port (ss from iproute2). */
function serverPid(): number | null {
  if (process.env.SERVER_PID) return Number(process.env.SERVER_PID);
  const port = new URL(base).port || '80';
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
const pid = serverPid();
/** Resident memory in MiB, from /proc: what the server holds, its heap and the native parts alike. */
const rssOf = (p: number) => {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
  return kib ? Number(kib) / 1024 : 0;
};
const memory = { first: pid ? rssOf(pid) : 0, peak: 0, scenario: 0 };
const sampler = setInterval(() => {
  if (!pid) return;
  const now = rssOf(pid);
  memory.peak = Math.max(memory.peak, now);
  memory.scenario = Math.max(memory.scenario, now);
}, 250);
/** The highest resident memory seen since the last call: the scenario's own peak. */
const scenarioPeak = () => {
  const peak = memory.scenario;
  memory.scenario = 0;
  return pid ? Math.round(peak) : null;
};

const database = openPg({ url, poolMax: connections, statementTimeoutMs: 60_000, connectTimeoutMs: 5_000 });
const db = database.db;

async function token(username: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password }),
  });
  if (!res.ok) throw new Error(`token ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
const staff = await token('bench.staff');
const admin = await token('bench.admin');
const [facility] = await queryRows<{ id: string; timezone: string }>(
  db,
  sql`SELECT id::text, timezone::text FROM facilities WHERE name = 'Fasilitas 1'`,
);
if (!facility) throw new Error('no bench data: run npm run bench:data first');
const [inmate] = await queryRows<{ id: string }>(
  db,
  sql`SELECT subject_id::text AS id FROM urine_tests WHERE facility_id = ${facility.id} AND subject_type = 'inmate' LIMIT 1`,
);
const staffPrincipal: Principal = {
  kind: 'user',
  id: 'bench',
  role: 'facility_staff',
  organisationId: null,
  facilityId: facility.id,
  scopes: ['read', 'write', 'personal_data'],
};

interface Figures {
  name: string;
  rps: number;
  p50: number | null;
  p975: number | null;
  p99: number | null;
  errors: number;
  /** The server's peak resident memory during the run, MiB. */
  rss?: number | null;
  note?: string;
}
const table: Figures[] = [];
const only = process.env.ONLY ? new Set(process.env.ONLY.split(',')) : null;
const runs = (scenario: string) => !only || only.has(scenario);

async function http(
  name: string,
  options: {
    path: string;
    method?: 'GET' | 'POST' | 'PUT';
    token?: string;
    body?: string;
    headers?: Record<string, string>;
    connections?: number;
    amount?: number;
    requests?: autocannon.Request[];
  },
): Promise<Figures> {
  scenarioPeak();
  const result = await autocannon({
    url: `${base}${options.path}`,
    method: options.method ?? 'GET',
    connections: options.connections ?? connections,
    ...(options.amount ? { amount: options.amount } : { duration: seconds }),
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body ? { body: options.body } : {}),
    ...(options.requests ? { requests: options.requests } : {}),
  });
  const l = result.latency;
  const figures = {
    name,
    rps: Math.round(result.requests.average),
    p50: l.p50,
    p975: l.p97_5,
    p99: l.p99,
    errors: result.errors + result.non2xx,
    rss: scenarioPeak(),
    // What the failures were: the status codes other than 2xx, and timeouts.
    ...(result.errors + result.non2xx > 0
      ? {
          note: [
            ...Object.entries(result.statusCodeStats ?? {})
              .filter(([code]) => !code.startsWith('2'))
              .map(([code, stat]) => `${stat.count}× ${code}`),
            ...(result.timeouts ? [`${result.timeouts} timeouts`] : []),
          ].join(', '),
        }
      : {}),
  };
  table.push(figures);
  return figures;
}

/** The database's ceiling: `work` in a loop on `connections` concurrent workers for the same time. */
async function loop(name: string, work: () => Promise<unknown>): Promise<Figures> {
  const timed = await timeLoop(work, seconds, connections);
  const figures = {
    name,
    ...timed,
    p50: Math.round(timed.p50),
    p975: Math.round(timed.p975),
    p99: Math.round(timed.p99),
  };
  table.push(figures);
  return figures;
}

// The ceilings first, then each scenario beside its own database ceiling. A ceiling runs the same
// statements the endpoint does, the audit event of a named read included.
const framework = await http('framework ceiling: GET /health/live', { path: '/health/live' });
const ceilings = new Map<string, Figures>();
const benchActor: Actor = { type: 'user', id: staffPrincipal.id, role: staffPrincipal.role, requestId: null };
// The route's own command: reach, the page and its read event, in the statements the route sends.
const readRecord: ReadRecord = {
  actor: benchActor,
  action: 'urine_test.viewed',
  entityType: 'urine_test',
  url: '/bench',
};
const from = '2025-01-01';
const to = '2025-12-31';

if (runs('list')) {
  const list = await http("a facility's urine tests, 50 a page, filtered (staff: named, reads audited)", {
    path: `/v1/urine-tests?facility_id=${facility.id}&subject_type=inmate&from=${from}&to=${to}&limit=50`,
    token: staff,
  });
  ceilings.set(
    list.name,
    await loop('  database ceiling: the same reach, list and audit statements', () =>
      listTestPage(
        db,
        staffPrincipal,
        { facility_id: facility.id, subject_type: 'inmate', from, to, limit: 50 },
        new Date(),
        readRecord,
      ),
    ),
  );
}

if (runs('history')) {
  const history = await http("one inmate's test history", {
    path: `/v1/urine-tests?subject_id=${inmate?.id}&limit=50`,
    token: staff,
  });
  ceilings.set(
    history.name,
    await loop('  database ceiling: the same reach, history and audit statements', () =>
      listTestPage(db, staffPrincipal, { subject_id: inmate?.id, limit: 50 }, new Date(), readRecord),
    ),
  );
}

const period = parsePeriod('2025-Q3');
if (!period) throw new Error('bad period');
const ctx = { rules: scorecardRules(undefined), trainingMonths: 12, now: new Date() };
if (runs('scorecard')) {
  const [row] = await db.select().from(facilities).where(eq(facilities.id, facility.id));
  if (!row) throw new Error('no bench facility');
  const card = await http('a facility scorecard, 2025-Q3', {
    path: `/v1/facilities/${facility.id}/scorecard?period=2025-Q3`,
    token: staff,
  });
  // The route's own function: the measures, the records behind each indicator not met, the closing.
  ceilings.set(
    card.name,
    await loop(
      '  database ceiling: the same measures computed afresh (no cache), records behind and closing',
      async () => {
        await facilityScorecard(db, row, period, ctx, async () => true);
        await snapshotOf(db, facility.id, period.code);
      },
    ),
  );
}

if (runs('ranking')) {
  await http('the national ranking, 2025-Q3 (4 connections)', {
    path: '/v1/scorecards?period=2025-Q3',
    token: admin,
    connections: 4,
  });
}

if (runs('token')) {
  await http('token endpoint (password grant)', {
    path: '/v1/auth/token',
    method: 'POST',
    body: JSON.stringify({ grant_type: 'password', username: 'bench.staff', password }),
  });
}

// Recording a session's attendance: sessions already held but not yet recorded, one request each.
if (runs('attendance')) {
  const open = await queryRows<{ id: string; enrolments: string[] }>(
    db,
    sql`SELECT s.id::text AS id, array_agg(r.enrolment_id::text) AS enrolments
          FROM rehab_sessions s JOIN rehab_session_inmates r ON r.session_id = s.id
         WHERE s.facility_id = ${facility.id} AND s.attendance_version = 0 AND s.starts_at < now() AND s.status = 'scheduled'
         GROUP BY s.id LIMIT 200`,
  );
  const bnn = await token('bench.bnn');
  let nextSession = 0;
  if (open.length) {
    await http(`recording a session's attendance, the whole list (${open.length} sessions, 2 connections)`, {
      path: '/v1/rehab-sessions/x/attendance',
      method: 'PUT',
      connections: 2,
      amount: open.length,
      requests: [
        {
          setupRequest: (req) => {
            const session = open[nextSession++ % open.length] as { id: string; enrolments: string[] };
            return {
              ...req,
              method: 'PUT',
              path: `/v1/rehab-sessions/${session.id}/attendance`,
              headers: {
                ...req.headers,
                authorization: `Bearer ${bnn}`,
                'content-type': 'application/json',
                'if-match': '"0"',
              },
              body: JSON.stringify({
                records: session.enrolments.map((id) => ({ enrolment_id: id, status: 'attended' })),
              }),
            };
          },
        },
      ],
    });
  }
}

if (runs('ingest')) await ingestion();

async function newRound(): Promise<string> {
  const res = await fetch(`${base}/v1/facilities/${facility?.id}/urine-test-rounds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
    body: JSON.stringify({
      tested_on: localDate(new Date(), facility?.timezone ?? 'Asia/Jakarta'),
      reason: 'random',
      subjects: 'inmates',
      kit: { brand: 'Bench', lot: `B${Date.now()}`, expiry: '2030-01-01', panel: ['AMP', 'MET', 'THC'] },
    }),
  });
  if (!res.ok) throw new Error(`round: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/**
 * Batches of 1,000 results, each into a round of its own, beside a COPY of the same rows (other
 * rounds, so the same people may be tested). The COPY's transaction is rolled back: the bench
 * database keeps only what the API recorded.
 */
async function ingestion() {
  if (!facility) return;
  // A facility holds about 450 people at the bench's density: the register is topped up to 1,000 once.
  const held = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM inmates WHERE facility_id = ${facility.id} AND status IN ('detained', 'sentenced')`,
  );
  if ((held[0]?.n ?? 0) < 1000) {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      registration_number: `INGEST-${i}`,
      name: `Warga Binaan Uji Muat ${i}`,
      sex: 'male',
      birth_date: '1990-01-01',
      case_type: 'non_narcotics',
      admission_date: '2024-01-02',
    }));
    const res = await fetch(`${base}/v1/facilities/${facility.id}/inmates/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
      body: JSON.stringify(rows),
    });
    if (!res.ok) throw new Error(`import: ${res.status} ${await res.text()}`);
  }
  const people = await queryRows<{ id: string }>(
    db,
    sql`SELECT id::text FROM inmates WHERE facility_id = ${facility.id} AND status IN ('detained', 'sentenced') ORDER BY id LIMIT 1000`,
  );
  const batches = 8;
  const roundIds: string[] = [];
  const copyRounds: string[] = [];
  for (let i = 0; i < batches; i++) roundIds.push(await newRound());
  for (let i = 0; i < batches; i++) copyRounds.push(await newRound());
  // Collected a minute ago: on the round's day in the facility's calendar (unless run in the first minute of a day).
  const collectedAt = new Date(Date.now() - 60_000).toISOString();
  const panel = ['AMP', 'MET', 'THC'];
  const batchBody = (round: number) =>
    JSON.stringify({
      results: people.map((p, i) => ({
        subject_type: 'inmate',
        subject_id: p.id,
        specimen_id: `BENCH-${round}-${i}`,
        collected_at: collectedAt,
        temperature_c: 34.5,
        results: panel.map((c) => ({ class: c, result: 'negative' })),
      })),
    });
  let next = 0;
  const ingestStarted = performance.now();
  const ingest = await http(`batches of ${people.length} results, one round each (${batches} batches, 2 connections)`, {
    path: '/v1/urine-test-rounds/x/results',
    method: 'POST',
    connections: 2,
    amount: batches,
    requests: [
      {
        setupRequest: (req) => {
          const n = next++;
          return {
            ...req,
            path: `/v1/urine-test-rounds/${roundIds[n]}/results`,
            headers: {
              ...req.headers,
              authorization: `Bearer ${staff}`,
              'content-type': 'application/json',
              'idempotency-key': `bench-${Date.now()}-${n}`,
            },
            body: batchBody(n),
          };
        },
        onResponse: (status, body) => {
          if (status >= 300) console.error(`batch answered ${status}: ${String(body).slice(0, 300)}`);
        },
      },
    ],
  });
  const ingestRate = Math.round((batches * people.length) / ((performance.now() - ingestStarted) / 1000));
  // The same values the API stores for these results: the temperature, its range and the panel's classes.
  const classes = JSON.stringify(panel.map((c) => ({ class: c, result: 'negative' })));
  // COPY of the same rows, in a transaction rolled back: into the same table (its indexes, keys and
  // checks), then into a bare copy of it (none of them) for scale.
  const copyClient = new pg.Client({ connectionString: url });
  await copyClient.connect();
  const copyRows = batches * people.length;
  const copy = async (table: string) => {
    const stream = copyClient.query(
      copyFrom(
        `COPY ${table} (id, round_id, facility_id, subject_type, subject_id, specimen_id, collected_at,
                        temperature_c, temperature_in_range, classes, outcome, created_by) FROM STDIN`,
      ),
    );
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      for (let b = 0; b < batches; b++) {
        for (const [i, p] of people.entries()) {
          stream.write(
            `${crypto.randomUUID()}\t${copyRounds[b]}\t${facility.id}\tinmate\t${p.id}\tCOPY-${b}-${i}\t${collectedAt}\t34.5\tt\t${classes}\tnegative\t${crypto.randomUUID()}\n`,
          );
        }
      }
      stream.end();
    });
    return Math.round(copyRows / ((performance.now() - started) / 1000));
  };
  await copyClient.query('BEGIN');
  const same = await copy('urine_tests');
  await copyClient.query('CREATE TEMP TABLE bench_copy (LIKE urine_tests INCLUDING DEFAULTS)');
  const bare = await copy('bench_copy');
  await copyClient.query('ROLLBACK');
  await copyClient.end();
  const row = (name: string, note: string) =>
    table.push({ name, rps: 0, p50: null, p975: null, p99: null, errors: 0, note });
  row(`  COPY of the same ${copyRows} rows into the same table (the ceiling)`, `${same} rows/s`);
  row('  COPY of them into a bare copy of the table (no index, key or check)', `${bare} rows/s`);
  ingest.note = `${ingestRate} rows/s (${Math.round((ingestRate / same) * 100)}% of COPY)`;
}

clearInterval(sampler);
console.log(`\n${seconds} s a scenario at ${connections} connections unless said; ${base}\n`);
console.log(
  pid
    ? `server RSS (pid ${pid}): ${Math.round(memory.first)} MiB at the start, peak ${Math.round(memory.peak)} MiB\n`
    : 'server RSS: not sampled (set SERVER_PID, or install iproute2 for ss)\n',
);
console.log(
  '| scenario | req/s | p50 ms | p97.5 ms | p99 ms | errors | server RSS peak MiB | share of the lower ceiling |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const f of table) {
  const own = ceilings.get(f.name);
  const lower = own ? Math.min(own.rps, framework.rps) : null;
  const share = lower && f.rps ? `${Math.round((f.rps / lower) * 100)}%` : '';
  console.log(
    `| ${f.name} | ${f.rps || ''} | ${f.p50 ?? ''} | ${f.p975 ?? ''} | ${f.p99 ?? ''} | ${f.errors} | ${f.rss ?? ''} | ${f.note ?? share} |`,
  );
}
await database.close();
