// The audit trail's growth: single-record reads (the record and its read event) and writes (an
// audit event in a durable transaction) with an empty trail, then with AUDIT_ROWS events spread
// over the past year's monthly partitions. Run it on a copy of the bench database, migrated: it
// empties the trail there first.
//   createdb -h 127.0.0.1 -U postgres -T bersinar_bench bersinar_bench_mine
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_mine npm run db:migrate
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_mine npm run bench:audit
// SECONDS (default 10), CONNECTIONS (default 32) and AUDIT_ROWS (default 2,000,000) set the runs.
// The filled events are chained by the same hash function as the trigger's, written in one loop
// with the trigger off (through the trigger the fill takes many times longer), and the
// verification that follows must find the chain whole. It prints; it never fails on a time.

import { type Actor, recordAudit, recordReads } from '../src/core/change.ts';
import { openPg, queryRows, sql } from '../src/db/client.ts';
import { walkChain } from '../src/modules/audit/events.ts';
import { timeLoop } from './timing.ts';

const url = process.env.DATABASE_URL;
if (!url || /\/bersinar_bench$/.test(url)) throw new Error('set DATABASE_URL to a copy of the bench database');
const seconds = Number(process.env.SECONDS ?? 10);
const connections = Number(process.env.CONNECTIONS ?? 32);
const auditRows = Number(process.env.AUDIT_ROWS ?? 2_000_000);
const database = openPg({ url, poolMax: connections, statementTimeoutMs: 3_600_000, connectTimeoutMs: 5_000 });
const db = database.db;

const actor: Actor = { type: 'user', id: 'bench', role: 'facility_staff', requestId: null };
const tests = await queryRows<{ id: string; facility_id: string }>(
  db,
  sql`SELECT id::text, facility_id::text FROM urine_tests TABLESAMPLE SYSTEM (1) LIMIT 10000`,
);
if (tests.length === 0) throw new Error('no bench data: run npm run bench:data first');
const pick = () => tests[Math.floor(Math.random() * tests.length)] as (typeof tests)[number];

/** One named single-record read: the record, then its read event. */
async function read() {
  const test = pick();
  await queryRows(db, sql`SELECT * FROM urine_tests WHERE id = ${test.id}`);
  await recordReads(db, actor, [
    {
      action: 'urine_test.viewed',
      entityType: 'urine_test',
      entityId: test.id,
      facilityId: test.facility_id,
      after: { ids: [test.id], url: `/v1/urine-tests/${test.id}` },
    },
  ]);
}

/** The trail's part of a write: an audit event in a transaction that commits durably. */
async function write() {
  const test = pick();
  await db.transaction(async (tx) => {
    await recordAudit(tx, actor, {
      action: 'urine_test.updated',
      entityType: 'urine_test',
      entityId: test.id,
      facilityId: test.facility_id,
      before: { note: null },
      after: { note: 'bench' },
    });
  });
}

async function loop(work: () => Promise<unknown>, secs = seconds) {
  const { rps, p50, p99, errors } = await timeLoop(work, secs, connections);
  return { rps, p50: p50.toFixed(1), p99: p99.toFixed(1), errors };
}

async function trail() {
  const [row] = await queryRows<{ events: string; size: string; parts: string }>(
    db,
    sql`SELECT (SELECT count(*) FROM audit_events)::text AS events,
               pg_size_pretty((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits
                                WHERE inhparent = 'audit_events'::regclass)) AS size,
               (SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_events'::regclass)::text AS parts`,
  );
  return row as { events: string; size: string; parts: string };
}

const lines: string[] = [];
async function measure(label: string) {
  // The fill's dirty pages are written out first, and the records read once, so that neither a
  // checkpoint nor a cold cache left by the fill lands inside a timed run.
  await db.execute(sql`VACUUM ANALYZE audit_events`);
  await db.execute(sql`CHECKPOINT`);
  await loop(read, 3);
  const t = await trail();
  const reads = await loop(read);
  const writes = await loop(write);
  for (const [name, f] of [
    ['single-record read + read event', reads],
    ['write (audit event, durable commit)', writes],
  ] as const)
    lines.push(`| ${label} | ${t.events} | ${t.size} | ${name} | ${f.rps} | ${f.p50} | ${f.p99} | ${f.errors} |`);
}

// An empty trail: the bench copy's events go, with the triggers off for this session only.
await db.transaction(async (tx) => {
  await tx.execute(sql`SET LOCAL session_replication_role = replica`);
  await tx.execute(sql`TRUNCATE audit_events, audit_checkpoints`);
  await tx.execute(sql`UPDATE audit_chain_head SET seq = NULL, id = NULL, hash = ''`);
});
await measure('empty');

// The fill: the past year's months made, then one loop chaining each event to the last.
const started = performance.now();
await db.transaction(async (tx) => {
  await tx.execute(sql`SELECT audit_month_partition(now() - make_interval(months => n)) FROM generate_series(0, 12) n`);
  await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain`);
  await tx.execute(sql`
    DO $$
    DECLARE
      link text := coalesce((SELECT hash FROM audit_chain_head), '');
      total int := ${sql.raw(String(Math.trunc(auditRows)))};
      s bigint; e uuid; t uuid; at timestamptz; a jsonb; h text;
    BEGIN
      FOR i IN 1..total LOOP
        s := nextval('audit_events_seq_seq'); e := gen_random_uuid(); t := gen_random_uuid();
        at := now() - interval '360 days' + (i::double precision / total) * interval '350 days';
        a := jsonb_build_object('ids', jsonb_build_array(t), 'url', '/v1/urine-tests');
        h := audit_event_hash_of(link, s, e, at, 'user', 'bench', 'facility_staff', 'urine_test.viewed',
                                 'urine_test', t::text, NULL, NULL, NULL, a);
        INSERT INTO audit_events (seq, id, occurred_at, actor_type, actor_id, actor_role, action, entity_type,
                                  entity_id, after, prev_hash, hash)
        VALUES (s, e, at, 'user', 'bench', 'facility_staff', 'urine_test.viewed', 'urine_test', t::text, a, link, h);
        link := h;
      END LOOP;
      UPDATE audit_chain_head SET seq = s, id = e, hash = link;
    END $$`);
  await tx.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_chain`);
});
const filled = ((performance.now() - started) / 1000).toFixed(0);
await measure(`${auditRows.toLocaleString('en')} events`);

const verifyStarted = performance.now();
const { report, partitions } = await walkChain(db);
const verified = ((performance.now() - verifyStarted) / 1000).toFixed(1);

console.log(`\n${seconds} s a run at ${connections} connections, service functions on a pg pool (no HTTP)\n`);
console.log('| trail | events | trail size | operation | ops/s | p50 ms | p99 ms | errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const line of lines) console.log(line);
console.log(
  `\nfill: ${filled} s; verification of the whole chain: ${verified} s over ${partitions.length} partitions,`,
);
console.log(
  `ok ${report.ok}, ${report.checked} events checked${report.first_broken ? `, first broken ${JSON.stringify(report.first_broken)}` : ''}`,
);
await database.close();
