import t, { type Test } from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// What outside systems are told of social rehabilitation: sessions booked (one event a session,
// also from a weekly slot), moved and cancelled; enrolments made or changing status (release
// too); attendance recorded. Who may read them, and that a refused write tells nothing.
// The clock stands at 07:00 WIB on Monday 4 January 2027 unless a test moves it.
const START = new Date('2027-01-04T00:00:00Z');
let now = START;
const h = await build(t, {}, { clock: () => now });
const banjarnegara = h.world.facilities.banjarnegara as string;
const org = h.world.organisations;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const TYPES = [
  'rehab_session.scheduled.v1',
  'rehab_session.moved.v1',
  'rehab_session.cancelled.v1',
  'rehab_enrolment.changed.v1',
  'rehab_attendance.recorded.v1',
].join(',');

async function ok(method: string, url: string, username: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await h.call(method, url, { token: await h.login(username), body, headers });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

// People: a second Purbalingga facilitator; BNNP Jawa Tengah, whose MoU with Banjarnegara leaves rehabilitation out.
const [leadRow] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'bnnk.purbalingga'`);
const lead = leadRow?.id as string;
const user = (username: string, organisation: string) =>
  ok('POST', '/v1/users', 'admin', {
    username,
    display_name: username,
    password: PASSWORD,
    role: 'bnn_officer',
    organisation_id: org[organisation],
  });
const second = (await user('konselor.purbalingga', 'bnnk.purbalingga')).id as string;
await user('bnnp.jateng', 'bnnp.jateng');
await ok('POST', '/v1/mous', 'admin', {
  number: 'PKS/03/I/2027/BNNP-JATENG',
  title: 'Sidak bersama Rutan Banjarnegara',
  bnn_unit_id: org['bnnp.jateng'],
  facility_ids: [banjarnegara],
  scope: ['inspection'],
  signed_on: '2026-10-01',
  valid_from: '2026-10-01',
  valid_until: '2028-09-30',
});
const [mouRow] = await h.rows<{ id: string }>(`SELECT id FROM mous WHERE number = 'PKS/01/XII/2024/BNNK-PBG'`);

async function programme(title: string, rooms: string[], over: Record<string, unknown> = {}) {
  return (await ok('POST', '/v1/rehab-programmes', 'bnnk.purbalingga', {
    facility_id: banjarnegara,
    mou_id: mouRow?.id,
    title,
    modality: 'group_counselling',
    curriculum: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ number: n, title: `Sesi ${n}`, duration_minutes: 90 })),
    starts_on: '2027-01-04',
    ends_on: '2027-02-26',
    capacity: 10,
    rooms,
    facilitators: [
      { user_id: lead, role: 'lead' },
      { user_id: second, role: 'regular' },
    ],
    ...over,
  })) as { id: string };
}

let serial = 0;
async function admit() {
  serial++;
  return (await ok('POST', `/v1/facilities/${banjarnegara}/inmates`, 'admin', {
    registration_number: `EV.${serial}/2026`,
    name: `Warga Binaan Peristiwa ${serial}`,
    sex: 'male',
    birth_date: '1992-02-02',
    case_type: 'narcotics_user',
    admission_date: '2026-01-10',
    status: 'sentenced',
  })) as { id: string };
}

/** An inmate as a reader with personal_data is shown them in an event. */
async function shown(id: string) {
  const [row] = await h.rows<{ pseudonym: string; name: string; registration_number: string }>(
    'SELECT pseudonym, name, registration_number FROM inmates WHERE id = $1',
    [id],
  );
  return { type: 'inmate', id, ...row, nip: null };
}

/** The rehabilitation events told to `username` from `after` (or the start) to the end of the feed. */
async function feed(username: string, after?: string): Promise<{ events: Json[]; cursor: string }> {
  const token = await h.login(username);
  const events: Json[] = [];
  let cursor = after;
  for (;;) {
    const res = await h.call('GET', `/v1/events?types=${TYPES}${cursor ? `&after=${cursor}` : ''}`, { token });
    if (res.statusCode !== 200) throw new Error(`feed: ${res.statusCode} ${res.body}`);
    const page = res.json();
    events.push(...page.data);
    cursor = page.next_cursor;
    if (!page.has_more) return { events, cursor: cursor as string };
  }
}

/** What `username` is told since `after`, without the events' ids and times. */
const told = async (username: string, after: string) =>
  (await feed(username, after)).events.map(({ id: _id, occurred_at: _at, ...rest }) => rest);

const READERS = ['admin', 'staff.banjarnegara', 'bnnk.purbalingga'];
const OUTSIDERS = ['staff.kupang', 'bnnp.jateng', 'bnnp.ntt', 'pemkab.purbalingga'];

/** Each caller's place at the end of the feed, to read what a test makes from there. */
async function marks(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const username of [...READERS, ...OUTSIDERS]) out[username] = (await feed(username)).cursor;
  return out;
}

/** The same events reach the facility's staff and the BNN unit of its rehabilitation MoU; no one else. */
async function reach(t: Test, from: Record<string, string>, expected: Json[]) {
  const subjects = expected.map((e) => [e.type, e.subject.id]);
  for (const username of READERS) {
    t.same(
      (await told(username, from[username] as string)).map((e) => [e.type, e.subject.id]),
      subjects,
      `${username} is told`,
    );
  }
  for (const username of OUTSIDERS) t.same(await told(username, from[username] as string), [], `${username} is not`);
}

const session = (programmeId: string, body: Record<string, unknown>) =>
  ok('POST', `/v1/rehab-programmes/${programmeId}/sessions`, 'bnnk.purbalingga', body);

const iso = (s: string) => new Date(s).toISOString();

t.test('a booked session is told once, and each session a weekly slot makes', async (t) => {
  const p = await programme('Program Jadwal', ['Ruang Jadwal'], {
    curriculum: [1, 2, 3].map((n) => ({ number: n, title: `Sesi ${n}`, duration_minutes: 60 })),
  });
  const from = await marks();
  const one = await session(p.id, {
    starts_at: '2027-01-05T09:00',
    duration_minutes: 60,
    room: 'Ruang Jadwal',
    facilitator_id: lead,
  });
  const clash = await h.call('POST', `/v1/rehab-programmes/${p.id}/sessions`, {
    token: await h.login('bnnk.purbalingga'),
    body: { starts_at: '2027-01-05T09:30', duration_minutes: 60, room: 'Ruang Jadwal', facilitator_id: second },
  });
  t.equal(clash.statusCode, 409, 'the room is taken');
  const slot = await ok('POST', `/v1/rehab-programmes/${p.id}/slots`, 'bnnk.purbalingga', {
    weekday: 2,
    start_time: '14:00',
    duration_minutes: 60,
    room: 'Ruang Jadwal',
    facilitator_id: second,
  });
  const rows = await h.rows<{ id: string; starts_at: Date; ends_at: Date; slot_id: string | null }>(
    'SELECT id, starts_at, ends_at, slot_id FROM rehab_sessions WHERE programme_id = $1 ORDER BY slot_id NULLS FIRST, starts_at',
    [p.id],
  );
  t.equal(rows.length, 3, 'the one booked, and two more to the end of the curriculum');
  t.equal(rows[0]?.id, one.id);
  const expected = rows.map((r) => ({
    type: 'rehab_session.scheduled.v1',
    subject: { type: 'rehab_session', id: r.id },
    facility_ids: [banjarnegara],
    data: {
      session_id: r.id,
      programme_id: p.id,
      facility_id: banjarnegara,
      starts_at: new Date(r.starts_at).toISOString(),
      ends_at: new Date(r.ends_at).toISOString(),
      room: 'Ruang Jadwal',
      facilitator_id: r.slot_id ? second : lead,
      slot_id: r.slot_id,
      recorded_afterwards: false,
    },
    people: [],
  }));
  t.equal(rows[1]?.slot_id, slot.id);
  t.equal(expected[0]?.data.starts_at, iso('2027-01-05T09:00:00+07:00'));
  t.equal(expected[1]?.data.starts_at, iso('2027-01-05T14:00:00+07:00'));
  t.same(await told('admin', from.admin as string), expected);
  await reach(t, from, expected);
  const jateng = await h.login('bnnp.jateng');
  const inspections = await h.call('GET', `/v1/facilities/${banjarnegara}/inspections`, { token: jateng });
  t.equal(inspections.statusCode, 200, 'BNNP Jawa Tengah reaches the facility, for what its MoU covers');
  const calendar = `/v1/rehab-sessions?facility_id=${banjarnegara}&from=2027-01-04&to=2027-01-10`;
  t.equal((await h.call('GET', calendar, { token: jateng })).statusCode, 404, 'but not its rehabilitation');
});

t.test('a moved session tells where it was and where it is; a clash or a stale version tells nothing', async (t) => {
  const p = await programme('Program Pindah', ['Ruang Pindah 1', 'Ruang Pindah 2']);
  const s1 = await session(p.id, {
    starts_at: '2027-01-07T09:00',
    duration_minutes: 60,
    room: 'Ruang Pindah 1',
    facilitator_id: lead,
  });
  await session(p.id, {
    starts_at: '2027-01-07T13:00',
    duration_minutes: 60,
    room: 'Ruang Pindah 2',
    facilitator_id: second,
  });
  const token = await h.login('bnnk.purbalingga');
  const move = async (body: Record<string, unknown>, version?: string) => {
    const current = await h.call('GET', `/v1/rehab-sessions/${s1.id}`, { token });
    return h.call('PATCH', `/v1/rehab-sessions/${s1.id}`, {
      token,
      body,
      headers: { 'if-match': version ?? String(current.headers.etag) },
    });
  };
  const from = await marks();
  const clash = await move({ starts_at: '2027-01-07T13:30', room: 'Ruang Pindah 2' });
  t.equal(clash.statusCode, 409, 'the other session has the room then');
  const stale = await move({ starts_at: '2027-01-07T10:00' }, '"99"');
  t.equal(stale.statusCode, 412);
  const still = await move({ room: 'Ruang Pindah 1' });
  t.equal(still.statusCode, 200, 'asked to stay where it is');
  t.same(await told('admin', from.admin as string), [], 'nothing is told of any of them');

  const moved = await move({
    starts_at: '2027-01-07T10:00',
    duration_minutes: 90,
    room: 'Ruang Pindah 2',
    facilitator_id: second,
  });
  t.equal(moved.statusCode, 200, moved.body);
  const expected = [
    {
      type: 'rehab_session.moved.v1',
      subject: { type: 'rehab_session', id: s1.id },
      facility_ids: [banjarnegara],
      data: {
        session_id: s1.id,
        programme_id: p.id,
        facility_id: banjarnegara,
        before: {
          starts_at: iso('2027-01-07T09:00:00+07:00'),
          ends_at: iso('2027-01-07T10:00:00+07:00'),
          room: 'Ruang Pindah 1',
          facilitator_id: lead,
        },
        after: {
          starts_at: iso('2027-01-07T10:00:00+07:00'),
          ends_at: iso('2027-01-07T11:30:00+07:00'),
          room: 'Ruang Pindah 2',
          facilitator_id: second,
        },
      },
      people: [],
    },
  ];
  t.same(await told('admin', from.admin as string), expected);
  await reach(t, from, expected);
});

t.test('a cancelled session is told once; its roster goes with it, no enrolment changes', async (t) => {
  const p = await programme('Program Batal', ['Ruang Batal']);
  const s = await session(p.id, {
    starts_at: '2027-01-08T09:00',
    duration_minutes: 60,
    room: 'Ruang Batal',
    facilitator_id: lead,
  });
  await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', { inmate_id: (await admit()).id });
  t.equal(await h.count('rehab_session_inmates', `session_id = '${s.id}'`), 1, 'on the roster');
  const from = await marks();
  await ok('POST', `/v1/rehab-sessions/${s.id}/cancel`, 'bnnk.purbalingga', { reason: 'Blok diisolasi' });
  const again = await h.call('POST', `/v1/rehab-sessions/${s.id}/cancel`, {
    token: await h.login('bnnk.purbalingga'),
    body: { reason: 'Sekali lagi' },
  });
  t.equal(again.statusCode, 409, 'cancelled already');
  const expected = [
    {
      type: 'rehab_session.cancelled.v1',
      subject: { type: 'rehab_session', id: s.id },
      facility_ids: [banjarnegara],
      data: {
        session_id: s.id,
        programme_id: p.id,
        facility_id: banjarnegara,
        starts_at: iso('2027-01-08T09:00:00+07:00'),
        ends_at: iso('2027-01-08T10:00:00+07:00'),
      },
      people: [],
    },
  ];
  t.same(await told('admin', from.admin as string), expected);
  await reach(t, from, expected);
});

t.test('an enrolment is told when made and at each change of status, release and transfer too', async (t) => {
  const p = await programme('Program Peserta', ['Ruang Peserta'], { capacity: 1 });
  await session(p.id, {
    starts_at: '2027-01-11T09:00',
    duration_minutes: 60,
    room: 'Ruang Peserta',
    facilitator_id: lead,
  });
  const x = await admit();
  const y = await admit();
  const token = await h.login('bnnk.purbalingga');
  const patch = async (id: string, body: Record<string, unknown>) => {
    const url = `/v1/rehab-enrolments/${id}`;
    const current = await h.call('GET', url, { token });
    return h.call('PATCH', url, { token, body, headers: { 'if-match': String(current.headers.etag) } });
  };
  const from = await marks();
  const ex = await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', { inmate_id: x.id });
  const full = await h.call('POST', `/v1/rehab-programmes/${p.id}/enrolments`, {
    token,
    body: { inmate_id: y.id },
  });
  t.equal(full.statusCode, 409, 'no place left');
  const ey = await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', {
    inmate_id: y.id,
    status: 'awaiting',
  });
  t.equal((await patch(ey.id, { status: 'active' })).statusCode, 409, 'still full');
  t.equal((await patch(ex.id, { status: 'withdrawn' })).statusCode, 422, 'a withdrawal needs a note');
  t.equal((await patch(ex.id, { status: 'withdrawn', note: 'Pindah blok' })).statusCode, 200);
  t.equal((await patch(ey.id, { status: 'active' })).statusCode, 200, 'a place came free');
  await ok('POST', `/v1/inmates/${y.id}/release`, 'admin', { released_on: '2027-01-04', reason: 'parole' });
  const z = await admit();
  const ez = await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', {
    inmate_id: z.id,
    status: 'awaiting',
  });
  await ok('POST', `/v1/inmates/${z.id}/transfer`, 'admin', {
    to_facility_id: h.world.facilities.purwokerto,
    transferred_on: '2027-01-04',
  });

  const event = (e: { id: string }, inmate: Json, before: string | null, after: string) => ({
    type: 'rehab_enrolment.changed.v1',
    subject: { type: 'rehab_enrolment', id: e.id },
    facility_ids: [banjarnegara],
    data: {
      enrolment_id: e.id,
      programme_id: p.id,
      facility_id: banjarnegara,
      status_before: before,
      status_after: after,
    },
    people: [inmate],
  });
  const [px, py, pz] = [await shown(x.id), await shown(y.id), await shown(z.id)];
  const expected = [
    event(ex, px, null, 'active'),
    event(ey, py, null, 'awaiting'),
    event(ex, px, 'active', 'withdrawn'),
    event(ey, py, 'awaiting', 'active'),
    event(ey, py, 'active', 'released'),
    event(ez, pz, null, 'awaiting'),
    event(ez, pz, 'awaiting', 'transferred'),
  ];
  t.same(await told('admin', from.admin as string), expected);
  await reach(t, from, expected);
});

t.test('attendance recorded and amended is told each time, with counts and the people on the list', async (t) => {
  t.teardown(() => {
    now = START;
  });
  const p = await programme('Program Hadir', ['Ruang Hadir', 'Ruang Susulan']);
  const s = await session(p.id, {
    starts_at: '2027-01-06T10:00',
    duration_minutes: 60,
    room: 'Ruang Hadir',
    facilitator_id: lead,
  });
  const x = await admit();
  const y = await admit();
  const ex = await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', { inmate_id: x.id });
  const ey = await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', { inmate_id: y.id });
  now = new Date('2027-01-06T05:00:00Z');
  const token = await h.login('bnnk.purbalingga');
  const put = (records: unknown[], version: string) =>
    h.call('PUT', `/v1/rehab-sessions/${s.id}/attendance`, {
      token,
      body: { records },
      headers: { 'if-match': version },
    });
  const from = await marks();
  t.equal((await put([{ enrolment_id: ex.id, status: 'attended' }], '"0"')).statusCode, 422, 'someone missing');
  const both = [
    { enrolment_id: ex.id, status: 'attended' },
    { enrolment_id: ey.id, status: 'absent', reason: 'sick' },
  ];
  t.equal((await put(both, '"0"')).statusCode, 200);
  t.equal((await put(both, '"0"')).statusCode, 412, 'an amendment at a stale version');
  const amended = [
    { enrolment_id: ex.id, status: 'attended' },
    { enrolment_id: ey.id, status: 'late' },
  ];
  t.equal((await put(amended, '"1"')).statusCode, 200);
  const held = await ok('POST', `/v1/rehab-programmes/${p.id}/held-sessions`, 'bnnk.purbalingga', {
    starts_at: '2027-01-06T08:00',
    duration_minutes: 60,
    room: 'Ruang Susulan',
    facilitator_id: second,
    attendance: [
      { enrolment_id: ex.id, status: 'refused' },
      { enrolment_id: ey.id, status: 'excused', reason: 'court' },
    ],
  });

  // The list is in the order of its enrolments.
  const byEnrolment = [
    [ex.id, x.id],
    [ey.id, y.id],
  ].sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
  const onList = await Promise.all(byEnrolment.map(([, inmate]) => shown(inmate as string)));
  const recorded = (id: string, version: number, counts: Record<string, number>) => ({
    type: 'rehab_attendance.recorded.v1',
    subject: { type: 'rehab_session', id },
    facility_ids: [banjarnegara],
    data: {
      session_id: id,
      programme_id: p.id,
      facility_id: banjarnegara,
      attendance_version: version,
      counts: { attended: 0, late: 0, excused: 0, absent: 0, refused: 0, ...counts },
    },
    people: onList,
  });
  const expected = [
    recorded(s.id, 1, { attended: 1, absent: 1 }),
    recorded(s.id, 2, { attended: 1, late: 1 }),
    {
      type: 'rehab_session.scheduled.v1',
      subject: { type: 'rehab_session', id: held.id },
      facility_ids: [banjarnegara],
      data: {
        session_id: held.id,
        programme_id: p.id,
        facility_id: banjarnegara,
        starts_at: iso('2027-01-06T08:00:00+07:00'),
        ends_at: iso('2027-01-06T09:00:00+07:00'),
        room: 'Ruang Susulan',
        facilitator_id: second,
        slot_id: null,
        recorded_afterwards: true,
      },
      people: [],
    },
    recorded(held.id, 1, { refused: 1, excused: 1 }),
  ];
  t.same(await told('admin', from.admin as string), expected);
  await reach(t, from, expected);
});
