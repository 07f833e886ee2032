import { sql } from 'drizzle-orm';
import t from 'tap';
import { build, type Harness } from './helpers/app.ts';

// The trail by month: which partition an event lands in, the chain across months, the chore that
// makes months ahead, and verification over every partition. Events of past months are written
// with an explicit occurred_at through the chain trigger (the service stamps the database's time).

let now = new Date();
const h = await build(t, {}, { clock: () => now });

const partitions = async (harness: Harness) =>
  (
    await harness.rows<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_events'::regclass ORDER BY c.relname`,
    )
  ).map((r) => r.name);

const monthName = (d: Date) => `m${d.toISOString().slice(0, 4)}_${d.toISOString().slice(5, 7)}`;
const monthsOn = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));

/** Runs the chores at `at` as if each were due. */
async function choresAt(harness: Harness, at: Date) {
  await harness.app.db.execute(sql`UPDATE chore_runs SET last_run_at = '-infinity'`);
  now = at;
  try {
    return await harness.app.runChores();
  } finally {
    now = new Date();
  }
}

/** Appends an event stamped `at` through the chain trigger: its seq, link and hash are the trigger's. */
async function eventAt(harness: Harness, at: string, action = 'test.backdated') {
  const [row] = await harness.rows<{ seq: string; part: string }>(
    `INSERT INTO audit_events (id, occurred_at, actor_type, action, entity_type)
     VALUES (gen_random_uuid(), $1, 'system', $2, 'test')
     RETURNING seq::text AS seq, tableoid::regclass::text AS part`,
    [at, action],
  );
  return row as { seq: string; part: string };
}

const chain = (harness: Harness) =>
  harness.rows<{ seq: string; id: string; part: string; prev_hash: string; hash: string }>(
    `SELECT seq::text AS seq, id::text AS id, tableoid::regclass::text AS part, prev_hash, hash
       FROM audit_events ORDER BY seq`,
  );

/** The verification's answer, with its status. */
async function verify(harness: Harness) {
  const res = await harness.call('GET', '/v1/audit-events/verify', { token: await harness.login('admin') });
  return { status: res.statusCode, ...res.json() };
}

/** Runs a statement as the superuser with the append-only trigger switched off, in one transaction. */
async function tamper(harness: Harness, statement: string) {
  await harness.test.database.db.transaction(async (tx) => {
    await tx.execute(sql.raw('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update'));
    await tx.execute(sql.raw(statement));
    await tx.execute(sql.raw('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update'));
  });
}

async function newOrganisation(harness: Harness) {
  const res = await harness.call('POST', '/v1/organisations', {
    token: await harness.login('admin'),
    body: {
      type: 'bnn',
      bnn_level: 'province',
      name: `BNNP Bulan ${Math.random().toString(36).slice(2, 8)}`,
      province_code: '32',
    },
  });
  t.equal(res.statusCode, 201, res.body);
}

t.test('the migration made this month and the next, and a default for any other time', async (t) => {
  const today = new Date();
  const names = await partitions(h);
  t.ok(names.includes(monthName(today)), 'this month');
  t.ok(names.includes(monthName(monthsOn(today, 1))), 'next month');
  t.ok(names.includes('m_default'), 'the default');
  await newOrganisation(h);
  const [last] = await h.rows<{ part: string }>(
    'SELECT tableoid::regclass::text AS part FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  t.equal(last?.part, `audit_months.${monthName(today)}`, "a write lands in this month's partition");
});

t.test('the chore makes the coming months, once; a month already in the default is left there', async (t) => {
  const done = await choresAt(h, new Date('2029-11-20T12:00:00Z'));
  t.equal(done['audit-months'], 3, 'November, December and January');
  const names = await partitions(h);
  for (const m of ['m2029_11', 'm2029_12', 'm2030_01']) t.ok(names.includes(m), m);
  t.notOk(names.includes('m2030_02'));

  const again = await choresAt(h, new Date('2029-11-21T12:00:00Z'));
  t.equal(again['audit-months'], 0, 'nothing left to make');

  const stray = await eventAt(h, '2031-03-15T00:00:00Z', 'test.stray');
  t.equal(stray.part, 'audit_months.m_default', 'a time outside every month lands in the default');
  const later = await choresAt(h, new Date('2031-02-10T00:00:00Z'));
  t.equal(later['audit-months'], 2, 'February and April; March holds an event in the default');
  const after = await partitions(h);
  t.ok(after.includes('m2031_02') && after.includes('m2031_04'));
  t.notOk(after.includes('m2031_03'));
  const [still] = await h.rows<{ part: string }>(
    `SELECT tableoid::regclass::text AS part FROM audit_events WHERE action = 'test.stray'`,
  );
  t.equal(still?.part, 'audit_months.m_default', 'it stays in the default');
  const report = await verify(h);
  t.same(
    report,
    { status: 200, ok: true, checked: await h.count('audit_events'), first_broken: null },
    'and in the chain',
  );
});

t.test('events land in their month, and the chain links across months whatever the order', async (t) => {
  await choresAt(h, new Date('2026-10-10T00:00:00Z'));
  const october = await eventAt(h, '2026-10-31T23:59:59.999Z');
  const november = await eventAt(h, '2026-11-01T00:00:00Z');
  // A transaction that began in October may commit after one of November's: a later seq, an earlier month.
  const late = await eventAt(h, '2026-10-31T23:59:59Z');
  t.equal(october.part, 'audit_months.m2026_10');
  t.equal(november.part, 'audit_months.m2026_11', 'the first instant of a month is that month');
  t.equal(late.part, 'audit_months.m2026_10');
  await newOrganisation(h);

  const rows = await chain(h);
  const at = (seq: string) => rows.findIndex((r) => r.seq === seq);
  for (const seq of [november.seq, late.seq]) {
    const i = at(seq);
    t.equal(rows[i]?.prev_hash, rows[i - 1]?.hash, `seq ${seq} links to the event before it in another month`);
  }
  t.equal(rows[at(late.seq) + 1]?.prev_hash, rows[at(late.seq)]?.hash, "this month's next event links back to October");
  t.same(await verify(h), { status: 200, ok: true, checked: rows.length, first_broken: null });
});

t.test('no one changes a partition named directly', async (t) => {
  const month = `audit_months.${monthName(new Date())}`;
  for (const statement of [`UPDATE ${month} SET action = 'x'`, `DELETE FROM ${month}`, `TRUNCATE ${month}`]) {
    try {
      await h.rows(statement);
      t.fail(`${statement} went through`);
    } catch (err) {
      let e = err as { code?: string; message: string; cause?: unknown };
      while (e.cause && !e.code) e = e.cause as typeof e;
      t.equal(e.code, '42501', statement);
      t.match(e.message, /append-only/);
    }
  }
});

// Tampering happens on a database of its own, so that the chain above stays clean.
t.test('verify finds an edit in an older month, even with every later hash rewritten', async (t) => {
  const fresh = await build(t, {}, { clock: () => now });
  await choresAt(fresh, new Date('2026-09-10T00:00:00Z'));
  const old: { seq: string; part: string }[] = [];
  for (const day of ['2026-09-03', '2026-09-04', '2026-09-05']) old.push(await eventAt(fresh, `${day}T08:00:00Z`));
  await newOrganisation(fresh);
  await newOrganisation(fresh);
  const rows = await chain(fresh);
  t.same(
    await verify(fresh),
    { status: 200, ok: true, checked: rows.length, first_broken: null },
    'clean, and checkpointed',
  );
  const checkpoints = await fresh.rows<{ partition: string; events: string }>(
    'SELECT partition, events::text AS events FROM audit_checkpoints ORDER BY partition',
  );
  t.same(
    checkpoints.find((c) => c.partition === 'audit_months.m2026_09'),
    { partition: 'audit_months.m2026_09', events: '3' },
    "September's checkpoint",
  );

  const victim = rows.find((r) => r.seq === old[1]?.seq) as (typeof rows)[number];
  await tamper(fresh, `UPDATE audit_events SET action = 'test.forged' WHERE seq = ${victim.seq}`);
  t.same(await verify(fresh), {
    status: 200,
    ok: false,
    checked: rows.length,
    first_broken: { seq: Number(victim.seq), id: victim.id, reason: 'hash_mismatch' },
  });

  // Every hash from the edit on recomputed, the head too: each link holds, but September's
  // checkpoint no longer finds its last event as it was.
  await tamper(
    fresh,
    `DO $$
     DECLARE r record; link text := '';
     BEGIN
       FOR r IN SELECT seq FROM audit_events ORDER BY seq LOOP
         UPDATE audit_events SET prev_hash = link WHERE seq = r.seq;
         UPDATE audit_events e SET hash = audit_event_hash(e) WHERE seq = r.seq RETURNING hash INTO link;
       END LOOP;
       UPDATE audit_chain_head SET hash = link;
     END $$`,
  );
  const rewritten = await chain(fresh);
  t.ok(
    rewritten.every((r, i) => r.prev_hash === (rewritten[i - 1]?.hash ?? '')),
    'every link holds',
  );
  const septemberLast = old[2] as { seq: string };
  t.same(await verify(fresh), {
    status: 200,
    ok: false,
    checked: rows.length,
    first_broken: {
      seq: Number(septemberLast.seq),
      id: rows.find((r) => r.seq === septemberLast.seq)?.id,
      reason: 'hash_mismatch',
    },
  });
});

t.test(
  'verify finds a month that is gone',
  { skip: h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const fresh = await build(t, {}, { clock: () => now });
    await choresAt(fresh, new Date('2026-08-10T00:00:00Z'));
    const august = await eventAt(fresh, '2026-08-20T08:00:00Z');
    await newOrganisation(fresh);
    const rows = await chain(fresh);
    t.same(await verify(fresh), { status: 200, ok: true, checked: rows.length, first_broken: null });
    await fresh.rows('ALTER TABLE audit_events DETACH PARTITION audit_months.m2026_08');
    const next = rows[rows.findIndex((r) => r.seq === august.seq) + 1] as (typeof rows)[number];
    t.same(
      await verify(fresh),
      {
        status: 200,
        ok: false,
        checked: rows.length - 1,
        first_broken: {
          seq: Number(august.seq),
          id: rows.find((r) => r.seq === august.seq)?.id,
          reason: 'broken_link',
        },
      },
      "the missing month's checkpoint is reported first",
    );
    t.ok(next, 'events after it remain');
  },
);
