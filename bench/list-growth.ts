// A list's time as a day grows: one facility-day of LARGE results (100,000 by default) beside one
// of SMALL (50), on a copy of the bench data, each read through HTTP on a running server: the
// first page and a page from the middle of the day. The rows are added at the start and removed
// at the end (a copy is still asked for: the server's reads leave their audit events).
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_lists AUTH_RATE_LIMIT_MAX=1000000 API_RATE_LIMIT_MAX=0 NODE_ENV=production npm start &
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_lists BASE=http://127.0.0.1:3000 npm run bench:lists
import autocannon from 'autocannon';
import { v7 as uuidv7 } from 'uuid';
import { openPg, queryRows, sql } from '../src/db/client.ts';
import { stampedCursor } from '../src/http/pagination.ts';

const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the copy of the bench database the server runs on');
// The shared bench database is only read: this scenario writes, so it runs on a copy.
if (!/^bersinar_bench_\w+$/.test(new URL(url).pathname.slice(1)))
  throw new Error('run on a copy of the bench database (a name starting with bersinar_bench_)');
const password = process.env.DEMO_PASSWORD ?? 'bersinar-demo-2026';
const seconds = Number(process.env.SECONDS ?? 10);
const connections = Number(process.env.CONNECTIONS ?? 32);
const large = Number(process.env.LARGE ?? 100_000);
const small = Number(process.env.SMALL ?? 50);
const day = process.env.DAY ?? '2026-06-15';
const database = openPg({ url, poolMax: 4, statementTimeoutMs: 600_000, connectTimeoutMs: 5_000 });
const db = database.db;

const res = await fetch(`${base}/v1/auth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ grant_type: 'password', username: 'bench.staff', password }),
});
if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
const token = ((await res.json()) as { access_token: string }).access_token;

// bench.staff keeps Fasilitas 1: its day grows; Fasilitas 1 gets the small day too, a week later,
// so that both are read by the same caller through the same reach.
const [facility] = await queryRows<{ id: string; timezone: string }>(
  db,
  sql`SELECT id::text, timezone::text FROM facilities WHERE name = 'Fasilitas 1'`,
);
if (!facility) throw new Error('no bench data: run npm run bench:data first');
const smallDay = new Date(Date.parse(`${day}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);

interface Day {
  label: string;
  day: string;
  results: number;
  roundId: string;
}

const days: Day[] = [];

/** A round on `on` with `n` negative results spread over the local day (kept in `days` to remove). */
async function addDay(label: string, on: string, n: number): Promise<void> {
  const [busy] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM urine_test_rounds WHERE facility_id = ${facility?.id} AND tested_on = ${on}::date`,
  );
  if (busy?.n) throw new Error(`Fasilitas 1 already has a round on ${on}: set DAY to a free day`);
  const round = { id: uuidv7() };
  days.push({ label, day: on, results: n, roundId: round.id });
  await db.execute(
    sql`INSERT INTO urine_test_rounds (id, facility_id, tested_on, reason, subjects, kit, cutoffs, created_by)
        VALUES (${round.id}, ${facility?.id}, ${on}::date, 'random', 'inmates',
                '{"brand":"Bench","lot":"L1","expiry":"2030-01-01","panel":["AMP","MET"]}', '{}', gen_random_uuid())`,
  );
  // Spread over the day's first 23 hours in the facility's zone; several results share a second.
  // Ids are shaped as UUIDv7 minted one a millisecond from now, as a batch written today would be.
  await db.execute(
    sql`INSERT INTO urine_tests (id, round_id, facility_id, subject_type, subject_id, specimen_id, collected_at,
                                 classes, outcome, created_by)
        SELECT (lpad(to_hex(${Date.now()}::bigint + n), 12, '0') || '7' || substr(md5(${round.id} || n), 1, 3)
                || '8' || substr(md5(${round.id} || n), 4, 15))::uuid,
               ${round.id}, ${facility?.id}, 'inmate', gen_random_uuid(), 'LG-' || n,
               (${on}::date::timestamp AT TIME ZONE ${facility?.timezone}) + (n::bigint * 82800 / ${n}) * interval '1 second',
               '[]', 'negative', gen_random_uuid()
        FROM generate_series(1, ${n}) AS n`,
  );
}

async function removeDay(d: Day) {
  await db.execute(sql`DELETE FROM urine_tests WHERE round_id = ${d.roundId}`);
  await db.execute(sql`DELETE FROM urine_test_rounds WHERE id = ${d.roundId}`);
}

/**
 * The cursor after the row at `position` of the day's list, ordered by collection time then id; a
 * server from before that order (it refuses the cursor) gets its own form, the id order's.
 */
async function cursorAt(d: Day, path: string, position: number) {
  const [row] = await queryRows<{ id: string; at: string }>(
    db,
    sql`SELECT id::text, to_char(collected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
        FROM urine_tests WHERE round_id = ${d.roundId} ORDER BY collected_at, id OFFSET ${position - 1} LIMIT 1`,
  );
  if (!row) throw new Error('no row at that position');
  const cursor = stampedCursor('collected_at', row.at, row.id);
  const probe = await fetch(`${base}${path}&cursor=${cursor}`, { headers: { authorization: `Bearer ${token}` } });
  await probe.arrayBuffer();
  if (probe.status !== 400) return cursor;
  const [byId] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id::text FROM urine_tests WHERE round_id = ${d.roundId} ORDER BY id OFFSET ${position - 1} LIMIT 1`,
  );
  return stampedCursor(undefined, null, byId?.id ?? '');
}

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  alone: number;
  errors: number;
}

/** One request at a time (the median of 50, after 20 to warm up), then autocannon at the set concurrency. */
async function measure(name: string, path: string): Promise<Figures> {
  const headers = { authorization: `Bearer ${token}` };
  const times: number[] = [];
  for (let i = 0; i < 70; i++) {
    const started = performance.now();
    const answer = await fetch(`${base}${path}`, { headers });
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
    await answer.arrayBuffer();
    // The first 20 warm the caches; the median of the other 50 is kept.
    if (i >= 20) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const result = await autocannon({ url: `${base}${path}`, connections, duration: seconds, headers });
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    alone: Math.round((times[25] ?? 0) * 10) / 10,
    errors: result.errors + result.non2xx,
  };
}

const table: Figures[] = [];
try {
  await addDay(`a day of ${large.toLocaleString('en')} results`, day, large);
  await addDay(`a day of ${small.toLocaleString('en')} results`, smallDay, small);
  // As a day written earlier would be: its rows frozen in the visibility map, the statistics fresh.
  await db.execute(sql`VACUUM ANALYZE urine_tests`);
  for (const d of days) {
    const path = `/v1/urine-tests?facility_id=${facility.id}&from=${d.day}&to=${d.day}&limit=50`;
    table.push(await measure(`${d.label}: first page`, path));
    const middle = Math.floor(d.results / 2);
    table.push(
      await measure(
        `${d.label}: the page after row ${middle.toLocaleString('en')}`,
        `${path}&cursor=${await cursorAt(d, path, middle)}`,
      ),
    );
  }
} finally {
  for (const d of days) await removeDay(d);
  await database.close();
}

console.log(
  `\n${seconds} s a scenario at ${connections} connections, 50 a page (bench.staff: named, reads audited); ${base}\n`,
);
console.log('| list of one facility-day | req/s | p50 ms | p99 ms | one at a time, median ms | errors |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const f of table) console.log(`| ${f.name} | ${f.rps} | ${f.p50} | ${f.p99} | ${f.alone} | ${f.errors} |`);
