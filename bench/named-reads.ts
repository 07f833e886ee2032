// Named reads at one connection: a facility's urine-test list and one inmate's test history, each
// read by facility staff (names shown, so every read leaves its audit event), beside the database's
// ceiling at one connection: the same service command the route runs, reach, list and audit event
// included, in a loop on a one-connection pool with no HTTP. Usage:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_x AUTH_RATE_LIMIT_MAX=1000000 \
//     API_RATE_LIMIT_MAX=100000000 NODE_ENV=production PORT=3105 npm start &
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_x BASE=http://127.0.0.1:3105 npm run bench:reads
// SECONDS (default 10) sets each run. It prints; it never fails on a time.

import autocannon from 'autocannon';
import type { Actor } from '../src/core/change.ts';
import { openPg, queryRows, sql } from '../src/db/client.ts';
import type { Principal } from '../src/http/principal.ts';
import { listTestPage } from '../src/modules/urine/tests.ts';
import { timeLoop } from './timing.ts';

const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the bench database the server runs on');
const password = process.env.DEMO_PASSWORD ?? 'bersinar-demo-2026';
const seconds = Number(process.env.SECONDS ?? 10);
const database = openPg({ url, poolMax: 1, statementTimeoutMs: 60_000, connectTimeoutMs: 5_000 });
const db = database.db;

const login = await fetch(`${base}/v1/auth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ grant_type: 'password', username: 'bench.staff', password }),
});
if (!login.ok) throw new Error(`token: ${login.status} ${await login.text()}`);
const staff = ((await login.json()) as { access_token: string }).access_token;
const [facility] = await queryRows<{ id: string }>(db, sql`SELECT id::text FROM facilities WHERE name = 'Fasilitas 1'`);
if (!facility) throw new Error('no bench data: run npm run bench:data first');
const [inmate] = await queryRows<{ id: string }>(
  db,
  sql`SELECT subject_id::text AS id FROM urine_tests WHERE facility_id = ${facility.id} AND subject_type = 'inmate' LIMIT 1`,
);
if (!inmate) throw new Error('no urine tests at the bench facility');
const principal: Principal = {
  kind: 'user',
  id: 'bench',
  role: 'facility_staff',
  organisationId: null,
  facilityId: facility.id,
  scopes: ['read', 'write', 'personal_data'],
};
const actor: Actor = { type: 'user', id: principal.id, role: principal.role, requestId: null };

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}
const table: Figures[] = [];

async function http(name: string, path: string): Promise<Figures> {
  const result = await autocannon({
    url: `${base}${path}`,
    connections: 1,
    duration: seconds,
    headers: { authorization: `Bearer ${staff}` },
  });
  const figures = {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
  table.push(figures);
  return figures;
}

/** The database's ceiling at one connection: `work` in a loop for the same time. */
async function loop(name: string, work: () => Promise<unknown>): Promise<Figures> {
  const { rps, p50, p99, errors } = await timeLoop(work, seconds, 1);
  const figures = { name, rps, p50, p99, errors };
  table.push(figures);
  return figures;
}

// The same command the route runs, its audit event included: one page of 50 by facility staff.
const read = (query: Record<string, unknown>, url: string) => async () => {
  const record = { actor, action: 'urine_test.viewed', entityType: 'urine_test', url };
  await listTestPage(db, principal, { limit: 50, ...query } as Parameters<typeof listTestPage>[2], new Date(), record);
};

const from = '2025-01-01';
const to = '2025-12-31';
const listPath = `/v1/urine-tests?facility_id=${facility.id}&subject_type=inmate&from=${from}&to=${to}&limit=50`;
const historyPath = `/v1/urine-tests?subject_id=${inmate.id}&limit=50`;
const pairs: [Figures, Figures][] = [];
pairs.push([
  await http("a facility's urine tests, 50 a page (staff: named, audited)", listPath),
  await loop(
    '  database ceiling: the same command, no HTTP',
    read({ facility_id: facility.id, subject_type: 'inmate', from, to }, listPath),
  ),
]);
pairs.push([
  await http("one inmate's test history (staff: named, audited)", historyPath),
  await loop('  database ceiling: the same command, no HTTP', read({ subject_id: inmate.id }, historyPath)),
]);

console.log(`\n${seconds} s a scenario at ONE connection; ${base}\n`);
console.log('| scenario | req/s | p50 ms | p99 ms | errors | share of the ceiling |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [endpoint, ceiling] of pairs) {
  for (const f of [endpoint, ceiling]) {
    const share = f === endpoint && ceiling.rps ? `${Math.round((f.rps / ceiling.rps) * 100)}%` : '';
    console.log(`| ${f.name} | ${f.rps} | ${f.p50} | ${f.p99} | ${f.errors} | ${share} |`);
  }
}
await database.close();
