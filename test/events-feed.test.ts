import { sql } from 'drizzle-orm';
import t from 'tap';
import { recordEvent } from '../src/core/events.ts';
import { build, PASSWORD } from './helpers/app.ts';
import { feedOf } from './helpers/feed.ts';
import { surpriseReport } from './helpers/reports.ts';

const h = await build(t);
const fac = h.world.facilities;
const onPglite = h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const report = surpriseReport();

async function openReport(facility = fac.banjarnegara as string, username = 'staff.banjarnegara'): Promise<Json> {
  const res = await h.call('POST', `/v1/facilities/${facility}/inspections`, {
    token: await h.login(username),
    body: report,
  });
  if (res.statusCode !== 201) throw new Error(`open: ${res.statusCode} ${res.body}`);
  return res.json();
}

const { readAll, head } = feedOf(h);

async function clientToken(): Promise<string> {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  return res.json().access_token as string;
}

t.test('an inspection opened, submitted and signed off is told in order, with what changed', async (t) => {
  const admin = await h.login('admin');
  const from = await head(admin);
  const opened = await openReport();
  const submitted = await h.call('POST', `/v1/inspections/${opened.id}/submit`, {
    token: await h.login('staff.banjarnegara'),
  });
  t.equal(submitted.statusCode, 200, submitted.body);
  const signed = await h.call('POST', `/v1/inspections/${opened.id}/sign-off`, {
    token: await h.login('head.banjarnegara'),
  });
  t.equal(signed.statusCode, 200, signed.body);

  const { events } = await readAll(admin, '', from);
  const [row] = await h.rows<{ submitted_at: string; signed_off_at: string; started_at: string }>(
    'SELECT submitted_at, signed_off_at, started_at FROM inspections WHERE id = $1',
    [opened.id],
  );
  const stored = {
    started_at: new Date(row?.started_at as string),
    submitted_at: new Date(row?.submitted_at as string),
    signed_off_at: new Date(row?.signed_off_at as string),
  };
  const base = { inspection_id: opened.id, facility_id: fac.banjarnegara };
  const place = { subject: { type: 'inspection', id: opened.id }, facility_ids: [fac.banjarnegara], people: [] };
  t.same(
    events.map(({ id: _id, occurred_at: _at, ...rest }) => rest),
    [
      {
        type: 'inspection.created.v1',
        ...place,
        data: { ...base, kind: 'surprise', started_at: stored.started_at.toISOString() },
      },
      { type: 'inspection.submitted.v1', ...place, data: { ...base, submitted_at: stored.submitted_at.toISOString() } },
      {
        type: 'inspection.signed_off.v1',
        ...place,
        data: { ...base, signed_off_at: stored.signed_off_at.toISOString() },
      },
    ],
  );
  const ids = events.map((e) => e.id);
  t.equal(new Set(ids).size, 3, 'each event its own id');
  t.equal(events[2]?.occurred_at, stored.signed_off_at.toISOString(), 'told at the time of the change');
});

t.test('types keeps only the events named', async (t) => {
  const admin = await h.login('admin');
  const from = await head(admin);
  const opened = await openReport();
  await h.call('POST', `/v1/inspections/${opened.id}/submit`, { token: await h.login('staff.banjarnegara') });
  const { events } = await readAll(admin, 'types=inspection.submitted.v1,inspection.signed_off.v1', from);
  t.same(
    events.map((e) => [e.type, e.subject.id]),
    [['inspection.submitted.v1', opened.id]],
  );
});

t.test('each caller is told only of the records it reaches', async (t) => {
  const tokens = {
    admin: await h.login('admin'),
    staffHere: await h.login('staff.banjarnegara'),
    staffElsewhere: await h.login('staff.kupang'),
    kanwilNtt: await h.login('kanwil.ntt'),
    bnnkPurbalingga: await h.login('bnnk.purbalingga'),
    pemkab: await h.login('pemkab.purbalingga'),
  };
  const from = Object.fromEntries(
    await Promise.all(Object.entries(tokens).map(async ([who, token]) => [who, await head(token)] as const)),
  );
  const here = await openReport();
  const kupang = await openReport(fac.kupang, 'staff.kupang');
  const seen = async (who: keyof typeof tokens) =>
    (await readAll(tokens[who], '', from[who])).events.map((e) => e.subject.id);
  t.same(await seen('admin'), [here.id, kupang.id]);
  t.same(await seen('staffHere'), [here.id]);
  t.same(await seen('staffElsewhere'), [kupang.id]);
  t.same(await seen('kanwilNtt'), [kupang.id], 'a Kanwil its province');
  // BNNK Purbalingga's MoU with Banjarnegara covers inspections in the demo data.
  t.same(await seen('bnnkPurbalingga'), [here.id], "a BNN unit the facilities its MoU's scope reaches");
  t.same(await seen('pemkab'), [], 'a regional government no prison records');
});

t.test('the cursor gives nothing away of events out of reach', async (t) => {
  const staff = await h.login('staff.kupang');
  const before = await readAll(staff);
  for (let i = 0; i < 3; i++) await openReport();
  const after = await readAll(staff, '', before.cursor);
  t.same(after.events, [], 'none of them');
  const res = await h.call('GET', `/v1/events?after=${after.cursor}`, { token: staff });
  t.same(res.json().data, []);
  t.not(after.cursor, before.cursor, 'the cursor moves past them');
  t.match(after.cursor, /^[A-Za-z0-9_-]+$/, 'opaque');
  const again = await readAll(staff, '', before.cursor);
  t.not(again.cursor, after.cursor, 'the same place sealed anew: no counter to compare');
});

t.test('people are named only for personal_data, and naming them is audited', async (t) => {
  const admitted = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      registration_number: 'B.I-EV1/2026',
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
  const admin = await h.login('admin');
  const client = await clientToken();
  const fromAdmin = await head(admin);
  const fromClient = await head(client);
  await h.app.db.transaction((tx) =>
    recordEvent(tx, new Date(), {
      type: 'inspection.created.v1',
      part: 'inmates',
      subject: { type: 'inmate', id: inmate?.id as string },
      facilityIds: [fac.banjarnegara as string],
      people: [{ type: 'inmate', id: inmate?.id as string }],
      data: {},
    }),
  );
  const readsBefore = await h.count('audit_events', `action = 'inmate.viewed'`);
  const named = (await readAll(admin, '', fromAdmin)).events;
  t.same(named[0]?.people, [
    {
      type: 'inmate',
      id: inmate?.id,
      pseudonym: inmate?.pseudonym,
      name: inmate?.name,
      registration_number: inmate?.registration_number,
      nip: null,
    },
  ]);
  const [read] = await h.rows<{ entity_id: string; facility_id: string; actor_role: string }>(
    `SELECT entity_id, facility_id, actor_role FROM audit_events WHERE action = 'inmate.viewed' ORDER BY seq DESC LIMIT 1`,
  );
  t.same(read, { entity_id: inmate?.id, facility_id: fac.banjarnegara, actor_role: 'admin' }, 'the read is audited');
  t.equal(await h.count('audit_events', `action = 'inmate.viewed'`), readsBefore + 1);

  const pseudonymous = (await readAll(client, '', fromClient)).events;
  t.same(pseudonymous[0]?.people, [
    { type: 'inmate', id: inmate?.id, pseudonym: inmate?.pseudonym, name: null, registration_number: null, nip: null },
  ]);
  t.equal(await h.count('audit_events', `action = 'inmate.viewed'`), readsBefore + 1, 'no names, no read to audit');
});

t.test('a named event is audited as a read of its record, at the facility it is about', async (t) => {
  const admitted = await h.call('POST', `/v1/facilities/${fac.kupang}/inmates`, {
    token: await h.login('staff.kupang'),
    body: {
      registration_number: 'K.EV2/2026',
      name: 'Yohanes Bria',
      sex: 'male',
      birth_date: '1991-02-03',
      case_type: 'narcotics_user',
      admission_date: '2026-03-02',
      expected_release_date: '2027-03-01',
      block: 'B',
      status: 'sentenced',
    },
  });
  const inmateId = admitted.json().id as string;
  const admin = await h.login('admin');
  const from = await head(admin);
  // A result told of at Banjarnegara, about a person Kupang keeps now.
  await h.app.db.transaction((tx) =>
    recordEvent(tx, new Date(), {
      type: 'inspection.created.v1',
      part: 'urine',
      subject: { type: 'urine_test', id: 'test-read-1' },
      facilityIds: [fac.banjarnegara as string],
      people: [{ type: 'inmate', id: inmateId }],
      data: {},
    }),
  );
  const before = await h.count('audit_events', `action IN ('urine_test.viewed', 'inmate.viewed')`);
  t.equal((await readAll(admin, '', from)).events.length, 1);
  const reads = await h.rows<{ action: string; entity_id: string; facility_id: string }>(
    `SELECT action, entity_id, facility_id FROM audit_events WHERE action IN ('urine_test.viewed', 'inmate.viewed') ORDER BY seq DESC LIMIT 1`,
  );
  t.same(reads, [{ action: 'urine_test.viewed', entity_id: 'test-read-1', facility_id: fac.banjarnegara }]);
  t.equal(await h.count('audit_events', `action IN ('urine_test.viewed', 'inmate.viewed')`), before + 1);
});

t.test('nothing is told of a change that rolls back', async (t) => {
  const admin = await h.login('admin');
  const from = await head(admin);
  const before = await h.count('domain_events');
  await t.rejects(
    h.app.db.transaction(async (tx) => {
      await recordEvent(tx, new Date(), {
        type: 'inspection.created.v1',
        part: 'inspections',
        subject: { type: 'inspection', id: 'x' },
        facilityIds: [fac.banjarnegara as string],
        data: {},
      });
      throw new Error('the write fails after its event');
    }),
  );
  t.equal(await h.count('domain_events'), before);
  t.same((await readAll(admin, '', from)).events, []);
  // Through HTTP: a refused sign-off (the report is still a draft) leaves no event either.
  const opened = await openReport();
  const from2 = await head(admin);
  const refused = await h.call('POST', `/v1/inspections/${opened.id}/sign-off`, {
    token: await h.login('head.banjarnegara'),
  });
  t.equal(refused.statusCode, 409);
  t.same((await readAll(admin, '', from2)).events, []);
});

t.test('a transaction that commits late is not passed by a reader', { skip: onPglite }, async (t) => {
  const admin = await h.login('admin');
  const from = await head(admin);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let written: () => void = () => undefined;
  const wrote = new Promise<void>((resolve) => {
    written = resolve;
  });
  // A writes its event and waits, uncommitted; a reader reads meanwhile; then A commits.
  const late = h.app.db.transaction(async (tx) => {
    await recordEvent(tx, new Date(), {
      type: 'inspection.created.v1',
      part: 'inspections',
      subject: { type: 'inspection', id: 'late' },
      facilityIds: [fac.banjarnegara as string],
      data: {},
    });
    written();
    await held;
  });
  await wrote;
  // An event committed by another write while A is open waits behind A's lock, so it cannot pass A either.
  const other = openReport();
  const meanwhile = await readAll(admin, '', from);
  t.same(meanwhile.events, [], 'neither is visible yet');
  release();
  await late;
  const opened = await other;
  const { events } = await readAll(admin, '', meanwhile.cursor);
  t.same(
    events.map((e) => e.subject.id),
    ['late', opened.id],
    'both are read after the cursor given meanwhile, in commit order',
  );
  const [positions] = await h.rows<{ ordered: boolean }>(
    `SELECT (SELECT position FROM domain_events WHERE subject_id = 'late') <
            (SELECT position FROM domain_events WHERE subject_id = $1) AS ordered`,
    [opened.id],
  );
  t.equal(positions?.ordered, true);
});

t.test('a bad cursor or an unknown type is a 400 that names it', async (t) => {
  const admin = await h.login('admin');
  const forged = Buffer.from(JSON.stringify({ after: 1 })).toString('base64url');
  const res = await h.call('GET', `/v1/events?after=${forged}`, { token: admin });
  t.equal(res.statusCode, 400);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(res.json().code, 'invalid_cursor');
  const typed = await h.call('GET', '/v1/events?types=inspection.created.v1,inspection.exploded.v1', { token: admin });
  t.equal(typed.statusCode, 400);
  t.equal(typed.json().errors?.[0]?.pointer, '/types/1');
  const anonymous = await h.call('GET', '/v1/events');
  t.equal(anonymous.statusCode, 401);
});

t.test('events past their keeping period are pruned by the chore, once', async (t) => {
  const admin = await h.login('admin');
  await openReport();
  const total = await h.count('domain_events');
  t.ok(total > 0);
  // The clock moves on past the keeping period: every event so far is older than it.
  const later = new Date(Date.now() + 91 * 86_400_000);
  await h.app.db.execute(sql`UPDATE chore_runs SET last_run_at = '-infinity' WHERE name = 'events-prune'`);
  const clock = h.app.now;
  h.app.now = () => later;
  t.teardown(() => {
    h.app.now = clock;
  });
  const done = await h.app.runChores();
  t.equal(done['events-prune'], total);
  // What the other chores tell at the later clock (an MoU expired by then) is all that is left.
  t.equal(await h.count('domain_events', `occurred_at < '${later.toISOString()}'`), 0);
  t.same(await h.app.runChores(), {}, 'not due again within the hour');
  const left = (await readAll(admin)).events;
  t.same(
    left.filter((e) => e.occurred_at !== later.toISOString()),
    [],
  );
});

t.test('a new reader starts at the oldest event kept, however far positions have come', async (t) => {
  const admin = await h.login('admin');
  const early = (await h.call('GET', '/v1/events', { token: admin })).json().next_cursor as string;
  // Everything before was pruned, and positions have gone far past the scan of one read.
  await h.rows('DELETE FROM domain_events');
  await h.rows(`SELECT setval('domain_events_position_seq', nextval('domain_events_position_seq') + 100000)`);
  const opened = await openReport();
  const first = await h.call('GET', '/v1/events', { token: admin });
  t.same(
    first.json().data.map((e: Json) => e.subject.id),
    [opened.id],
    'the first read holds it, with no empty pages before',
  );
  t.equal(first.json().has_more, false);
  t.equal(first.json().next_cursor.length, early.length, "a cursor's length says nothing of how far the log has come");
});
