import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';
import { feedOf } from './helpers/feed.ts';

// The events of the inmate register: admitted (by hand and by an SDP import), transferred and
// released, each told to those who reach the facilities concerned, the person by id only.

const h = await build(t);
const fac = h.world.facilities;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const { readAll } = feedOf(h);

// A third facility's staff, to see that a move between two others is not told to them.
const created = await h.call('POST', '/v1/users', {
  token: await h.login('admin'),
  body: {
    username: 'staff.purwokerto',
    display_name: 'Staf Lapas Purwokerto',
    role: 'facility_staff',
    facility_id: fac.purwokerto,
    password: PASSWORD,
  },
});
if (created.statusCode !== 201) throw new Error(`user: ${created.statusCode} ${created.body}`);

const USERS = ['admin', 'staff.banjarnegara', 'staff.kupang', 'staff.purwokerto'] as const;
type User = (typeof USERS)[number];

async function heads(): Promise<Record<User, string>> {
  const out = {} as Record<User, string>;
  for (const u of USERS) out[u] = (await readAll(await h.login(u))).cursor;
  return out;
}

const TYPES = 'types=inmate.admitted.v1,inmate.transferred.v1,inmate.released.v1';

async function told(user: User, from: Record<User, string>): Promise<Json[]> {
  const { events } = await readAll(await h.login(user), TYPES, from[user]);
  return events.map(({ id: _id, occurred_at: _at, ...rest }) => rest);
}

/** The person as the feed names them to a reader with personal_data. */
async function named(id: string): Promise<Json> {
  const [row] = await h.rows<Json>('SELECT id, pseudonym, name, registration_number FROM inmates WHERE id = $1', [id]);
  return { type: 'inmate', nip: null, ...row };
}

let serial = 0;
const person = (over: Record<string, unknown> = {}) => ({
  registration_number: `EV-${++serial}/2026`,
  name: 'Budi Santoso',
  sex: 'male',
  birth_date: '1990-04-17',
  case_type: 'narcotics_user',
  admission_date: '2026-03-02',
  expected_release_date: '2027-03-01',
  block: 'A',
  status: 'sentenced',
  ...over,
});

async function admit(over: Record<string, unknown> = {}): Promise<Json> {
  const res = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates`, {
    token: await h.login('staff.banjarnegara'),
    body: person(over),
  });
  if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
  return res.json();
}

t.test('a person admitted is told to their facility, by id, with no name in the data', async (t) => {
  const from = await heads();
  const refused = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates`, {
    token: await h.login('staff.banjarnegara'),
    body: person({ admission_date: '2099-01-01' }),
  });
  t.equal(refused.statusCode, 422, 'an admission in the future');
  const outsider = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates`, {
    token: await h.login('staff.kupang'),
    body: person(),
  });
  t.equal(outsider.statusCode, 404, "another facility's staff");
  t.same(await told('admin', from), [], 'refused admissions are not told');

  const inmate = await admit();
  const expected = [
    {
      type: 'inmate.admitted.v1',
      subject: { type: 'inmate', id: inmate.id },
      facility_ids: [fac.banjarnegara],
      data: { inmate_id: inmate.id, facility_id: fac.banjarnegara, admission_date: '2026-03-02', status: 'sentenced' },
      people: [await named(inmate.id)],
    },
  ];
  t.same(await told('admin', from), expected);
  t.same(await told('staff.banjarnegara', from), expected, 'its facility');
  t.same(await told('staff.kupang', from), [], 'not another facility');
  t.same(await told('staff.purwokerto', from), [], 'not another facility in the province');
});

t.test('a move is told to the facility left and the one joined, and to no third', async (t) => {
  const inmate = await admit();
  const from = await heads();
  const url = `/v1/inmates/${inmate.id}/transfer`;
  const refused = await h.call('POST', url, {
    token: await h.login('staff.banjarnegara'),
    body: { to_facility_id: fac.purwokerto, transferred_on: '2026-04-01' },
  });
  t.equal(refused.statusCode, 422, 'a facility beyond the caller');
  const early = await h.call('POST', url, {
    token: await h.login('admin'),
    body: { to_facility_id: fac.purwokerto, transferred_on: '2026-01-01' },
  });
  t.equal(early.statusCode, 422, 'before the stay began');
  t.same(await told('admin', from), [], 'refused moves are not told');

  const moved = await h.call('POST', url, {
    token: await h.login('admin'),
    body: { to_facility_id: fac.purwokerto, transferred_on: '2026-04-01', registration_number: 'PWT-EV/2026' },
  });
  t.equal(moved.statusCode, 200, moved.body);
  const [stay] = await h.rows<{ from_date: string }>(
    'SELECT from_date::text FROM inmate_placements WHERE inmate_id = $1 AND facility_id = $2',
    [inmate.id, fac.purwokerto],
  );
  const event = {
    type: 'inmate.transferred.v1',
    subject: { type: 'inmate', id: inmate.id },
    data: {
      inmate_id: inmate.id,
      from_facility_id: fac.banjarnegara,
      to_facility_id: fac.purwokerto,
      transferred_on: stay?.from_date,
    },
    people: [await named(inmate.id)],
  };
  const sorted = (events: Json[]) => events.map((e) => ({ ...e, facility_ids: [...e.facility_ids].sort() }));
  const expected = [{ ...event, facility_ids: [fac.banjarnegara, fac.purwokerto].sort() }];
  t.same(sorted(await told('admin', from)), expected);
  t.same(sorted(await told('staff.banjarnegara', from)), expected, 'the facility left');
  t.same(sorted(await told('staff.purwokerto', from)), expected, 'the facility joined');
  t.same(await told('staff.kupang', from), [], 'not a third facility');
});

t.test('a release is told with its date and reason; refused ones are not', async (t) => {
  const inmate = await admit();
  const from = await heads();
  const url = `/v1/inmates/${inmate.id}/release`;
  const token = await h.login('staff.banjarnegara');
  const future = await h.call('POST', url, { token, body: { released_on: '2099-01-01' } });
  t.equal(future.statusCode, 422);
  t.same(await told('admin', from), []);

  const ok = await h.call('POST', url, { token, body: { released_on: '2026-06-30', reason: 'parole' } });
  t.equal(ok.statusCode, 200, ok.body);
  const again = await h.call('POST', url, { token, body: { released_on: '2026-07-01' } });
  t.equal(again.statusCode, 409, 'not twice');
  const expected = [
    {
      type: 'inmate.released.v1',
      subject: { type: 'inmate', id: inmate.id },
      facility_ids: [fac.banjarnegara],
      data: {
        inmate_id: inmate.id,
        facility_id: fac.banjarnegara,
        released_on: ok.json().released_on,
        reason: 'parole',
      },
      people: [await named(inmate.id)],
    },
  ];
  t.equal(ok.json().released_on, '2026-06-30');
  t.same(await told('admin', from), expected);
  t.same(await told('staff.banjarnegara', from), expected);
  t.same(await told('staff.kupang', from), []);
});

t.test('an import tells one admission per person created and each release, set-based', async (t) => {
  const kept = await admit({ registration_number: 'IMP-KEPT/2026' });
  const from = await heads();
  const url = `/v1/facilities/${fac.banjarnegara}/inmates/import`;
  const token = await h.login('staff.banjarnegara');
  const file = (...rows: string[]) =>
    `${[
      'registration_number;name;sex;birth_date;case_type;admission_date;expected_release_date;block;cell;status;released_on',
      ...rows,
    ].join('\n')}\n`;
  const csv = file(
    'IMP-001/2026;Andi;male;1990-01-01;narcotics_user;2026-01-10;;A;;detained;',
    'IMP-002/2026;Siti;female;1991-02-02;narcotics_courier;2026-01-11;;B;;sentenced;',
    'IMP-003/2026;Joko;male;1992-03-03;narcotics_user;2025-01-12;;C;;released;2026-01-05',
    'IMP-KEPT/2026;Budi Santoso;male;1990-04-17;narcotics_user;2026-03-02;2027-03-01;A;;released;2026-05-01',
    'IMP-BAD/2026;Bad;male;1990-01-01;narcotics_user;2099-01-01;;A;;detained;',
  );
  const send = (query = '') =>
    h.call('POST', `${url}${query}`, { token, payload: csv, headers: { 'content-type': 'text/csv' } });

  const dry = await send('?dry_run=true');
  t.equal(dry.statusCode, 200, dry.body);
  t.same(await told('admin', from), [], 'a dry run tells nothing');
  const refused = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates/import`, {
    token: await h.login('staff.kupang'),
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  t.equal(refused.statusCode, 404, "another facility's staff");
  t.same(await told('admin', from), [], 'a refused import tells nothing');

  const statements = await h.statementsOf(async () => {
    const res = await send();
    t.equal(res.statusCode, 200, res.body);
    t.match(res.json(), { created: 3, updated: 1, unchanged: 0 });
    t.equal(res.json().rejected.length, 1, 'the bad line is rejected');
  });
  t.equal(
    statements.filter((s) => /INSERT INTO domain_events/i.test(s.statement)).length,
    2,
    'one statement for the admissions, one for the releases',
  );

  const rows = await h.rows<{ id: string; registration_number: string; admission_date: string; status: string }>(
    `SELECT id, registration_number, admission_date::text, status FROM inmates
      WHERE registration_number IN ('IMP-001/2026', 'IMP-002/2026', 'IMP-003/2026') ORDER BY registration_number`,
  );
  t.equal(rows.length, 3);
  const place = (id: string) => ({ subject: { type: 'inmate', id }, facility_ids: [fac.banjarnegara] });
  const admitted = await Promise.all(
    rows.map(async (r) => ({
      type: 'inmate.admitted.v1',
      ...place(r.id),
      data: { inmate_id: r.id, facility_id: fac.banjarnegara, admission_date: r.admission_date, status: r.status },
      people: [await named(r.id)],
    })),
  );
  const released = {
    type: 'inmate.released.v1',
    ...place(kept.id),
    data: { inmate_id: kept.id, facility_id: fac.banjarnegara, released_on: '2026-05-01', reason: null },
    people: [await named(kept.id)],
  };
  t.same(
    admitted.map((e) => e.data.status),
    ['detained', 'sentenced', 'released'],
  );
  const byPerson = (events: Json[]) =>
    [...events].sort((a, b) => `${a.type}${a.subject.id}`.localeCompare(`${b.type}${b.subject.id}`));
  const expected = byPerson([...admitted, released]);
  t.same(byPerson(await told('admin', from)), expected);
  t.same(byPerson(await told('staff.banjarnegara', from)), expected);
  t.same(await told('staff.kupang', from), []);

  const again = await send();
  t.match(again.json(), { created: 0, updated: 0, unchanged: 4 });
  t.same(byPerson(await told('admin', from)), expected, 'the same file again tells nothing new');
});

t.test("a period closed is told per facility snapshot, to that facility's readers", async (t) => {
  const from = await heads();
  const close = async (body: Json, user = 'admin') =>
    h.call('POST', '/v1/scorecards/close', { token: await h.login(user), body });
  t.equal((await close({ period: '2026-Q3' }, 'staff.banjarnegara')).statusCode, 403);
  t.equal((await close({ period: '2099-Q1' })).statusCode, 400, 'a period not begun');
  const open = await h.call('POST', '/v1/scorecards/close', {
    token: await h.login('admin'),
    body: { period: `${new Date().getUTCFullYear()}-Q${Math.floor(new Date().getUTCMonth() / 3) + 1}` },
  });
  t.equal(open.statusCode, 422, 'a running period');
  const types = 'types=scorecard.period_closed.v1';
  const closedTold = async (user: User, after = from) =>
    (await readAll(await h.login(user), types, after[user])).events.map(({ id: _id, occurred_at: _at, ...e }) => e);
  t.same(await closedTold('admin'), [], 'refused closings tell nothing');

  const first = await close({ period: '2026-Q3', province_code: '33' });
  t.equal(first.statusCode, 200, first.body);
  const snapshots = async (revision: number) =>
    h.rows<{ id: string; facility_id: string; score: string; status: string; revision: number }>(
      `SELECT s.id, s.facility_id, s.score::text, s.status, s.revision FROM scorecard_snapshots s
         JOIN facilities f ON f.id = s.facility_id
        WHERE s.period = '2026-Q3' AND f.province_code = '33' AND s.revision = $1 ORDER BY s.id`,
      [revision],
    );
  const firsts = await snapshots(1);
  t.same(first.json(), { period: '2026-Q3', closed: firsts.length, revised: 0, unchanged: 0 });
  const eventOf = (s: { id: string; facility_id: string; score: string; status: string }, previous: number | null) => ({
    type: 'scorecard.period_closed.v1',
    subject: { type: 'scorecard_snapshot', id: s.id },
    facility_ids: [s.facility_id],
    data: {
      snapshot_id: s.id,
      facility_id: s.facility_id,
      period: '2026-Q3',
      revision: firsts.some((f) => f.id === s.id) ? 1 : 2,
      score: Number(s.score),
      status: s.status,
      previous_score: previous,
    },
    people: [],
  });
  const expected = firsts.map((s) => eventOf(s, null));
  t.ok(firsts.some((s) => s.facility_id === fac.banjarnegara) && firsts.some((s) => s.facility_id === fac.purwokerto));
  const bySubject = (events: Json[]) => [...events].sort((a, b) => a.subject.id.localeCompare(b.subject.id));
  t.same(bySubject(await closedTold('admin')), expected, 'one event per facility snapshot');
  const own = (facility: string | undefined) => expected.filter((e) => e.data.facility_id === facility);
  t.same(await closedTold('staff.banjarnegara'), own(fac.banjarnegara), "a facility's own");
  t.same(await closedTold('staff.purwokerto'), own(fac.purwokerto), "a facility's own");
  t.same(await closedTold('staff.kupang'), [], 'none of another province');

  const from2 = await heads();
  const again = await close({ period: '2026-Q3', province_code: '33' });
  t.match(again.json(), { closed: 0, revised: 0 });
  t.same(await closedTold('admin', from2), [], 'closing unchanged scorecards again tells nothing');

  // A correction: one more person held at Banjarnegara during the quarter.
  await admit({ admission_date: '2026-08-01' });
  const revised = await close({ period: '2026-Q3', province_code: '33' });
  t.match(revised.json(), { revised: 1 });
  const [second] = await snapshots(2);
  const previous = firsts.find((s) => s.facility_id === fac.banjarnegara);
  t.same(
    await closedTold('admin', from2),
    [eventOf(second as never, Number(previous?.score))],
    'a revision, with the score it replaces',
  );
});
