import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// Social rehabilitation: programmes under MoUs, weekly slots generating sessions in the facility's
// time zone, double bookings refused (also by the database, in a race), enrolments with capacity,
// release and transfer, attendance and the completion rule, and who reaches what.
// The service's clock stands at 07:00 WIB on Monday 4 January 2027 until a test moves it on;
// 19 January 2027 is a national holiday in this file's configuration.
const START = new Date('2027-01-04T00:00:00Z');
let now = START;
const h = await build(t, { NATIONAL_HOLIDAYS: '2027-01-01,2027-01-19' }, { clock: () => now });
const fac = h.world.facilities;
const org = h.world.organisations;
const banjarnegara = fac.banjarnegara as string;
const kupang = fac.kupang as string;
const purbalingga = org['bnnk.purbalingga'] as string;
const bnnkKupang = org['bnnk.kupang'] as string;

async function as(username: string) {
  return h.login(username);
}

async function ok(method: string, url: string, username: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await h.call(method, url, { token: await as(username), body, headers });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

// People: a second Purbalingga facilitator, and a BNN Kota Kupang officer with an MoU for Lapas Kupang.
const [bnnkUser] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'bnnk.purbalingga'`);
const lead = bnnkUser?.id as string;
const second = (
  await ok('POST', '/v1/users', 'admin', {
    username: 'konselor.purbalingga',
    display_name: 'Konselor BNNK Purbalingga',
    password: PASSWORD,
    role: 'bnn_officer',
    organisation_id: purbalingga,
  })
).id as string;
const kupangOfficer = (
  await ok('POST', '/v1/users', 'admin', {
    username: 'bnnk.kupang',
    display_name: 'Konselor BNN Kota Kupang',
    password: PASSWORD,
    role: 'bnn_officer',
    organisation_id: bnnkKupang,
  })
).id as string;
const mouKupang = (
  await ok('POST', '/v1/mous', 'admin', {
    number: 'PKS/02/I/2027/BNNK-KPG',
    title: 'Rehabilitasi sosial WBP Lapas Kupang',
    bnn_unit_id: bnnkKupang,
    facility_ids: [kupang],
    scope: ['rehabilitation'],
    signed_on: '2026-10-01',
    valid_from: '2026-10-01',
    valid_until: '2028-09-30',
  })
).id as string;
const [mouRow] = await h.rows<{ id: string }>(`SELECT id FROM mous WHERE number = 'PKS/01/XII/2024/BNNK-PBG'`);
const mouBanjarnegara = mouRow?.id as string;

let serial = 0;
async function admit(facility = banjarnegara, over: Record<string, unknown> = {}) {
  serial++;
  return (await ok('POST', `/v1/facilities/${facility}/inmates`, 'admin', {
    registration_number: `R.${serial}/2026`,
    name: `Warga Binaan Rehab ${serial}`,
    sex: 'male',
    birth_date: '1992-02-02',
    case_type: 'narcotics_user',
    admission_date: '2026-01-10',
    status: 'sentenced',
    ...over,
  })) as { id: string };
}

const programmeBody = (over: Record<string, unknown> = {}) => ({
  facility_id: banjarnegara,
  mou_id: mouBanjarnegara,
  title: 'Konseling kelompok WBP pengguna',
  modality: 'group_counselling',
  curriculum: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ number: n, title: `Sesi ${n}`, duration_minutes: 90 })),
  starts_on: '2027-01-04',
  ends_on: '2027-02-26',
  capacity: 10,
  rooms: ['Aula Bimker', 'Ruang Konseling'],
  facilitators: [
    { user_id: lead, role: 'lead' },
    { user_id: second, role: 'regular' },
  ],
  ...over,
});

async function programme(over: Record<string, unknown> = {}, username = 'bnnk.purbalingga') {
  return (await ok('POST', '/v1/rehab-programmes', username, programmeBody(over))) as {
    id: string;
    version: number;
  };
}

const kupangProgramme = (over: Record<string, unknown> = {}) =>
  programme(
    {
      facility_id: kupang,
      mou_id: mouKupang,
      rooms: ['Aula Lapas'],
      facilitators: [{ user_id: kupangOfficer, role: 'lead' }],
      ...over,
    },
    'bnnk.kupang',
  );

const slot = (over: Record<string, unknown> = {}) => ({
  weekday: 2,
  start_time: '09:00',
  duration_minutes: 90,
  room: 'Aula Bimker',
  facilitator_id: lead,
  ...over,
});

async function sessionsOf(programmeId: string, username = 'admin') {
  const res = await ok('GET', `/v1/rehab-programmes/${programmeId}/sessions?limit=200`, username);
  return res.data as {
    id: string;
    starts_at: string;
    number: number | null;
    status: string;
    curriculum_title: string | null;
  }[];
}

function problemOf(res: { statusCode: number; headers: Record<string, unknown>; json(): Record<string, unknown> }) {
  const body = res.json();
  return {
    status: res.statusCode,
    type: String(res.headers['content-type']).split(';')[0],
    code: body.code,
    detail: String(body.detail),
    pointers: ((body.errors as { pointer: string }[] | undefined) ?? []).map((e) => e.pointer),
  };
}

t.test('programmes run under an MoU in force with rehabilitation that covers the facility', async (t) => {
  const created = await h.call('POST', '/v1/rehab-programmes', {
    token: await as('bnnk.purbalingga'),
    body: programmeBody(),
  });
  t.equal(created.statusCode, 201);
  t.match(created.json(), {
    facility_id: banjarnegara,
    mou_id: mouBanjarnegara,
    bnn_unit_id: purbalingga,
    modality: 'group_counselling',
    capacity: 10,
    completion_min_rate: 0.8,
    completion_requires_last: true,
    active_enrolments: 0,
    version: 1,
  });
  t.equal(created.json().facilitators.length, 2);
  t.equal(created.headers.etag, '"1"', 'a new programme carries its version as ETag');
  const read = await h.call('GET', `/v1/rehab-programmes/${created.json().id}`, { token: await as('admin') });
  t.equal(read.headers.etag, '"1"');

  const [expired] = await h.rows<{ id: string }>(`SELECT id FROM mous WHERE number = 'PKS/06/VI/2024/BNNP-KALBAR'`);
  const before = await h.count('rehab_programmes');
  const refused: [string, string, Record<string, unknown>, number, string?][] = [
    ['an MoU not covering the facility', 'admin', { facility_id: kupang }, 422, '/mou_id'],
    ['an MoU of another unit', 'bnnk.kupang', { facility_id: kupang }, 422, '/mou_id'],
    ['an MoU without rehabilitation', 'admin', { mou_id: expired?.id }, 422, '/mou_id'],
    ['outliving its MoU', 'bnnk.purbalingga', { ends_on: '2030-01-31' }, 422, '/ends_on'],
    ['ending before it starts', 'bnnk.purbalingga', { ends_on: '2027-01-01' }, 422, '/ends_on'],
    [
      'a facilitator of another unit',
      'bnnk.purbalingga',
      { facilitators: [{ user_id: kupangOfficer, role: 'lead' }] },
      422,
      '/facilitators',
    ],
    [
      'an unnumbered curriculum',
      'bnnk.purbalingga',
      { curriculum: [{ number: 2, title: 'Sesi', duration_minutes: 60 }] },
      400,
      '/curriculum',
    ],
    ['an unknown modality', 'bnnk.purbalingga', { modality: 'yoga' }, 400, '/modality'],
    ['facility staff', 'staff.banjarnegara', {}, 403],
    ['a regional viewer', 'kanwil.ntt', {}, 403],
  ];
  for (const [what, username, over, status, pointer] of refused) {
    const res = await h.call('POST', '/v1/rehab-programmes', { token: await as(username), body: programmeBody(over) });
    const p = problemOf(res);
    t.equal(p.status, status, what);
    t.equal(p.type, 'application/problem+json', what);
    if (pointer) t.ok(p.pointers.includes(pointer), `${what}: ${pointer} in ${p.pointers}`);
  }
  t.equal(await h.count('rehab_programmes'), before, 'nothing written by refused requests');

  // An MoU that has lapsed: a programme under it is refused.
  const lapsed = await ok('POST', '/v1/mous', 'admin', {
    number: 'PKS/09/I/2024/BNNK-PBG',
    title: 'Rehabilitasi sosial (lama)',
    bnn_unit_id: purbalingga,
    facility_ids: [banjarnegara],
    scope: ['rehabilitation'],
    signed_on: '2024-01-02',
    valid_from: '2024-01-02',
    valid_until: '2024-12-31',
  });
  const old = await h.call('POST', '/v1/rehab-programmes', {
    token: await as('bnnk.purbalingga'),
    body: programmeBody({ mou_id: lapsed.id, starts_on: '2024-02-01', ends_on: '2024-06-30' }),
  });
  t.equal(old.statusCode, 422, 'an expired MoU');
  t.ok(problemOf(old).pointers.includes('/mou_id'));
});

t.test('a weekly slot generates sessions in the facility’s zone, skipping holidays and blackouts', async (t) => {
  const wib = await programme();
  const blackout = await h.call('POST', `/v1/facilities/${banjarnegara}/blackout-dates`, {
    token: await as('staff.banjarnegara'),
    body: { date: '2027-02-09', reason: 'Kunjungan Kanwil' },
  });
  t.equal(blackout.statusCode, 201);
  const twice = await h.call('POST', `/v1/facilities/${banjarnegara}/blackout-dates`, {
    token: await as('staff.banjarnegara'),
    body: { date: '2027-02-09', reason: 'lagi' },
  });
  t.equal(twice.statusCode, 409);
  t.equal(
    (
      await h.call('POST', `/v1/facilities/${banjarnegara}/blackout-dates`, {
        token: await as('bnnk.purbalingga'),
        body: { date: '2027-02-10', reason: 'x x x' },
      })
    ).statusCode,
    403,
    'a BNN officer does not close the facility',
  );

  const res = await h.call('POST', `/v1/rehab-programmes/${wib.id}/slots`, {
    token: await as('bnnk.purbalingga'),
    body: slot(),
  });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { weekday: 2, start_time: '09:00', sessions: 6 });
  const list = await sessionsOf(wib.id);
  t.same(
    list.map((s) => s.starts_at),
    [
      '2027-01-05T09:00:00+07:00',
      '2027-01-12T09:00:00+07:00',
      '2027-01-26T09:00:00+07:00',
      '2027-02-02T09:00:00+07:00',
      '2027-02-16T09:00:00+07:00',
      '2027-02-23T09:00:00+07:00',
    ],
    'Tuesdays, not the 19 January holiday, not the 9 February blackout',
  );
  t.same(
    list.map((s) => [s.number, s.curriculum_title]),
    [1, 2, 3, 4, 5, 6].map((n) => [n, `Sesi ${n}`]),
  );
  const stored = await h.rows<{ at: string }>(
    `SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS at FROM rehab_sessions
      WHERE programme_id = $1 ORDER BY starts_at LIMIT 1`,
    [wib.id],
  );
  t.equal(stored[0]?.at, '2027-01-05T02:00', '09:00 WIB is 02:00 UTC');

  const wita = await kupangProgramme();
  const kres = await h.call('POST', `/v1/rehab-programmes/${wita.id}/slots`, {
    token: await as('bnnk.kupang'),
    body: slot({ room: 'Aula Lapas', facilitator_id: kupangOfficer }),
  });
  t.equal(kres.statusCode, 201);
  t.equal(kres.json().sessions, 7, 'Kupang has no blackout on 9 February');
  const ksessions = await sessionsOf(wita.id);
  t.equal(ksessions[0]?.starts_at, '2027-01-05T09:00:00+08:00');
  const kstored = await h.rows<{ at: string }>(
    `SELECT to_char(min(starts_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS at FROM rehab_sessions WHERE programme_id = $1`,
    [wita.id],
  );
  t.equal(kstored[0]?.at, '2027-01-05T01:00', '09:00 WITA is 01:00 UTC');
  t.notOk(
    ksessions.some((s) => s.starts_at.startsWith('2027-01-19')),
    'the national holiday is skipped in WITA too',
  );

  const before = await h.count('rehab_sessions');
  const refused: [string, Record<string, unknown>, number, string][] = [
    ['a slot at 25:00', { start_time: '25:00' }, 400, '/start_time'],
    ['weekday 8', { weekday: 8 }, 400, '/weekday'],
    ['a room not the programme’s', { room: 'Dapur' }, 422, '/room'],
    ['a facilitator not the programme’s', { facilitator_id: kupangOfficer }, 422, '/facilitator_id'],
    ['generated from a past day', { from: '2027-01-01' }, 422, '/from'],
    ['the same room and time again', { facilitator_id: second }, 409, ''],
  ];
  for (const [what, over, status, pointer] of refused) {
    const r = await h.call('POST', `/v1/rehab-programmes/${wib.id}/slots`, {
      token: await as('bnnk.purbalingga'),
      body: slot(over),
    });
    const p = problemOf(r);
    t.equal(p.status, status, what);
    if (pointer) t.ok(p.pointers.includes(pointer), `${what}: ${pointer} in ${p.pointers}`);
  }
  t.equal(await h.count('rehab_sessions'), before, 'a refused slot books nothing');
  t.equal(
    (
      await h.call('POST', `/v1/rehab-programmes/${wib.id}/slots`, {
        token: await as('staff.banjarnegara'),
        body: slot({ weekday: 3 }),
      })
    ).statusCode,
    403,
  );
  const sessionsBefore = await h.count('rehab_sessions');
  for (const [startsAt, status] of [
    ['2027-13-01T09:00', 400],
    ['2027-01-07T24:30', 400],
    ['2027-02-30T09:00', 400],
    ['2027-01-03T09:00', 422], // before the clock: a session in the past
  ] as const) {
    const res = await h.call('POST', `/v1/rehab-programmes/${wib.id}/sessions`, {
      token: await as('bnnk.purbalingga'),
      body: { starts_at: startsAt, duration_minutes: 60, room: 'Ruang Konseling', facilitator_id: second },
    });
    t.equal(res.statusCode, status, `starts_at ${startsAt}`);
    t.ok(problemOf(res).pointers.includes('/starts_at'), `${startsAt}: the field is named`);
  }
  t.equal(await h.count('rehab_sessions'), sessionsBefore, 'no session from a bad time');
  const outside = await h.call('POST', `/v1/rehab-programmes/${wib.id}/sessions`, {
    token: await as('bnnk.purbalingga'),
    body: { starts_at: '2027-03-02T09:00', duration_minutes: 60, room: 'Ruang Konseling', facilitator_id: second },
  });
  t.equal(outside.statusCode, 422, 'a session outside the programme');
  t.match(problemOf(outside).detail, /outside the programme \(2027-01-04 to 2027-02-26\)/);

  // A programme whose MoU is terminated takes no more sessions.
  const shortMou = await ok('POST', '/v1/mous', 'admin', {
    number: 'PKS/03/I/2027/BNNK-KPG',
    title: 'Rehabilitasi sosial WBP Lapas Kupang (tahap 2)',
    bnn_unit_id: bnnkKupang,
    facility_ids: [kupang],
    scope: ['rehabilitation'],
    signed_on: '2026-10-01',
    valid_from: '2026-10-01',
    valid_until: '2027-12-31',
  });
  const underShort = await kupangProgramme({ mou_id: shortMou.id, rooms: ['Ruang Tahap 2'] });
  await ok('POST', `/v1/mous/${shortMou.id}/terminate`, 'admin', { reason: 'Digantikan PKS baru' });
  const afterMou = await h.call('POST', `/v1/rehab-programmes/${underShort.id}/sessions`, {
    token: await as('bnnk.kupang'),
    body: { starts_at: '2027-01-07T09:00', duration_minutes: 60, room: 'Ruang Tahap 2', facilitator_id: kupangOfficer },
  });
  t.equal(afterMou.statusCode, 422, 'a session after the MoU ended');
  t.match(problemOf(afterMou).detail, /MoU is not in force/);

  const slots = await h.call('GET', `/v1/rehab-programmes/${wib.id}/slots`, { token: await as('kanwil.ntt') });
  t.equal(slots.statusCode, 404, 'a viewer of another province does not reach the slots');
});

t.test('sessions page in time order, each once, the cursor carrying the last one’s start', async (t) => {
  const p = await kupangProgramme({ title: 'Program halaman', rooms: ['Ruang Halaman'] });
  await ok(
    'POST',
    `/v1/rehab-programmes/${p.id}/slots`,
    'bnnk.kupang',
    slot({
      weekday: 7,
      start_time: '06:00',
      duration_minutes: 30,
      room: 'Ruang Halaman',
      facilitator_id: kupangOfficer,
    }),
  );
  const all = await sessionsOf(p.id);
  t.equal(all.length, 7, 'the Sundays of the programme');
  t.same(
    all.map((s) => s.starts_at),
    all.map((s) => s.starts_at).sort(),
  );
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const res: { data: { id: string }[]; next_cursor: string | null } = await ok(
      'GET',
      `/v1/rehab-programmes/${p.id}/sessions?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      'admin',
    );
    pages.push(res.data.map((s) => s.id));
    cursor = res.next_cursor;
  } while (cursor);
  t.same(
    pages.map((ids) => ids.length),
    [3, 3, 1],
  );
  t.same(
    pages.flat(),
    all.map((s) => s.id),
    'every session once, in time order',
  );
  const bad = await h.call('GET', `/v1/rehab-programmes/${p.id}/sessions?cursor=bm9wZQ`, { token: await as('admin') });
  t.equal(bad.statusCode, 400, 'an unreadable cursor');
});

t.test('every kind of double booking is a 409 naming the other session', async (t) => {
  const a = await programme({ title: 'Program A' });
  await ok(
    'POST',
    `/v1/rehab-programmes/${a.id}/slots`,
    'bnnk.purbalingga',
    slot({ weekday: 3, room: 'Ruang Konseling' }),
  );
  const [first] = await sessionsOf(a.id);
  const firstId = first?.id as string;
  t.equal(first?.starts_at, '2027-01-06T09:00:00+07:00');

  const b = await programme({ title: 'Program B', rooms: ['Ruang Konseling', 'Masjid'] });
  const token = await as('bnnk.purbalingga');
  const one = (over: Record<string, unknown>) =>
    h.call('POST', `/v1/rehab-programmes/${b.id}/sessions`, {
      token,
      body: { starts_at: '2027-01-06T09:30', duration_minutes: 60, room: 'Masjid', facilitator_id: second, ...over },
    });

  const room = await one({ room: 'Ruang Konseling' });
  t.equal(room.statusCode, 409, 'the same room');
  t.match(
    problemOf(room).detail,
    new RegExp(`room Ruang Konseling is booked by session ${firstId} at 2027-01-06T09:00:00\\+07:00`),
  );
  const person = await one({ facilitator_id: lead });
  t.equal(person.statusCode, 409, 'the same facilitator');
  t.match(problemOf(person).detail, new RegExp(`facilitator is booked by session ${firstId}`));
  const free = await one({ starts_at: '2027-01-06T10:30', room: 'Ruang Konseling' });
  t.equal(free.statusCode, 201, 'back to back in the same room is no overlap');

  const inmate = await admit();
  await ok('POST', `/v1/rehab-programmes/${a.id}/enrolments`, 'bnnk.purbalingga', { inmate_id: inmate.id });
  const c = await programme({
    title: 'Program C',
    rooms: ['Masjid'],
    facilitators: [{ user_id: second, role: 'lead' }],
  });
  await ok('POST', `/v1/rehab-programmes/${c.id}/sessions`, 'bnnk.purbalingga', {
    starts_at: '2027-01-13T10:00',
    duration_minutes: 60,
    room: 'Masjid',
    facilitator_id: second,
  });
  const twice = await h.call('POST', `/v1/rehab-programmes/${c.id}/enrolments`, {
    token,
    body: { inmate_id: inmate.id },
  });
  t.equal(twice.statusCode, 409, 'an inmate in two sessions at once');
  t.match(problemOf(twice).detail, /inmate is booked by session/);
  t.equal(await h.count('rehab_enrolments', `programme_id = '${c.id}'`), 0, 'not enrolled');

  // The other way round: enrolled in C (no clash yet), then C books a time the inmate spends in A.
  const d = await programme({
    title: 'Program D',
    rooms: ['Masjid'],
    facilitators: [{ user_id: second, role: 'lead' }],
  });
  await ok('POST', `/v1/rehab-programmes/${d.id}/enrolments`, 'bnnk.purbalingga', { inmate_id: inmate.id });
  const clash = await h.call('POST', `/v1/rehab-programmes/${d.id}/sessions`, {
    token,
    body: { starts_at: '2027-01-20T09:15', duration_minutes: 30, room: 'Masjid', facilitator_id: second },
  });
  t.equal(clash.statusCode, 409);
  t.match(problemOf(clash).detail, new RegExp(`inmate ${inmate.id} is booked by session`));

  // Moving a session onto a booked room is refused; onto a free time, its roster moves with it.
  const [, secondA] = await sessionsOf(a.id);
  const target = `/v1/rehab-sessions/${secondA?.id}`;
  const etagOf = async (url: string) => String((await h.call('GET', url, { token })).headers.etag);
  const noMatch = await h.call('PATCH', target, { token, body: { starts_at: '2027-01-13T13:00' } });
  t.equal(noMatch.statusCode, 428);
  const bad = await h.call('PATCH', target, {
    token,
    body: { starts_at: '2027-01-06T10:45' },
    headers: { 'if-match': await etagOf(target) },
  });
  t.equal(bad.statusCode, 409, 'onto the room B took');
  t.match(problemOf(bad).detail, new RegExp(`room Ruang Konseling is booked by session ${free.json().id}`));
  const moved = await h.call('PATCH', target, {
    token,
    body: { starts_at: '2027-01-13T13:00' },
    headers: { 'if-match': await etagOf(target) },
  });
  t.equal(moved.statusCode, 200);
  t.equal(moved.json().starts_at, '2027-01-13T13:00:00+07:00');
  const [roster] = await h.rows<{ at: string }>(
    `SELECT to_char(starts_at AT TIME ZONE 'Asia/Jakarta', 'HH24:MI') AS at FROM rehab_session_inmates WHERE session_id = $1`,
    [secondA?.id],
  );
  t.equal(roster?.at, '13:00', 'the roster moved with the session');
  const trail = await h.rows<{ before: string; after: string }>(
    `SELECT before->>'starts_at' AS before, after->>'starts_at' AS after FROM audit_events
      WHERE entity_id = $1 AND action = 'rehab.session_moved'`,
    [secondA?.id],
  );
  t.same(trail, [{ before: '2027-01-13T09:00:00+07:00', after: '2027-01-13T13:00:00+07:00' }]);

  // Cancelled: the time is free again, and the session is out of the numbering.
  const cancel = await h.call('POST', `/v1/rehab-sessions/${firstId}/cancel`, {
    token,
    body: { reason: 'Sidak blok hunian' },
  });
  t.equal(cancel.statusCode, 200);
  t.match(cancel.json(), { status: 'cancelled', cancel_reason: 'Sidak blok hunian', number: null, expected: 0 });
  const again = await h.call('POST', `/v1/rehab-sessions/${firstId}/cancel`, { token, body: { reason: 'lagi' } });
  t.equal(again.statusCode, 409);
  t.equal(
    (await one({ room: 'Ruang Konseling', starts_at: '2027-01-06T09:00' })).statusCode,
    201,
    'the room is free again',
  );
  const renumbered = await sessionsOf(a.id);
  t.equal(renumbered.find((s) => s.status === 'scheduled')?.number, 1);
});

t.test(
  'two bookings racing for the same room and time: exactly one wins',
  { skip: h.test.kind !== 'server' },
  async (t) => {
    // Two programmes, so that no programme lock orders them: the exclusion constraint decides.
    const one = await programme({
      title: 'Balapan 1',
      rooms: ['Ruang Balap'],
      facilitators: [{ user_id: lead, role: 'lead' }],
    });
    const two = await programme({
      title: 'Balapan 2',
      rooms: ['Ruang Balap'],
      facilitators: [{ user_id: second, role: 'lead' }],
    });
    const token = await as('bnnk.purbalingga');
    for (let round = 0; round < 5; round++) {
      const startsAt = `2027-02-${String(1 + round).padStart(2, '0')}T17:00`;
      const answers = await Promise.all(
        [
          [one, lead],
          [two, second],
        ].map(([p, facilitator]) =>
          h.call('POST', `/v1/rehab-programmes/${(p as { id: string }).id}/sessions`, {
            token,
            body: { starts_at: startsAt, duration_minutes: 60, room: 'Ruang Balap', facilitator_id: facilitator },
          }),
        ),
      );
      t.same(answers.map((a) => a.statusCode).sort(), [201, 409], `round ${round}: one wins`);
      const loser = answers.find((a) => a.statusCode === 409);
      t.equal(loser?.json().code, 'conflict');
      const booked = await h.count(
        'rehab_sessions',
        `room = 'Ruang Balap' AND status = 'scheduled' AND starts_at = '${startsAt}:00+07:00'`,
      );
      t.equal(booked, 1, `round ${round}: one session stored`);
    }
  },
);

t.test(
  'a capacity cut racing an enrolment: the programme never holds more than it may',
  { skip: h.test.kind !== 'server' },
  async (t) => {
    for (let round = 0; round < 4; round++) {
      const p = await programme({ title: `Program Kapasitas ${round}`, capacity: 3, rooms: [`Ruang K${round}`] });
      for (let i = 0; i < 2; i++) {
        await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', {
          inmate_id: (await admit()).id,
        });
      }
      const newcomer = await admit();
      const token = await as('bnnk.purbalingga');
      await Promise.all([
        h.call('POST', `/v1/rehab-programmes/${p.id}/enrolments`, { token, body: { inmate_id: newcomer.id } }),
        h.call('PATCH', `/v1/rehab-programmes/${p.id}`, {
          token,
          body: { capacity: 2 },
          headers: { 'if-match': '"1"' },
        }),
      ]);
      const [state] = await h.rows<{ capacity: number; active: number }>(
        `SELECT p.capacity, (SELECT count(*)::int FROM rehab_enrolments e WHERE e.programme_id = p.id AND e.status = 'active') AS active
         FROM rehab_programmes p WHERE p.id = $1`,
        [p.id],
      );
      t.ok(
        (state?.active ?? 0) <= (state?.capacity ?? 0),
        `round ${round}: ${state?.active} active within ${state?.capacity}`,
      );
    }
  },
);

t.test('enrolments: eligibility, capacity, status, and release or transfer closing them', async (t) => {
  const p = await programme({ title: 'Program Enrol', capacity: 2, rooms: ['Ruang Enrol'] });
  await ok(
    'POST',
    `/v1/rehab-programmes/${p.id}/slots`,
    'bnnk.purbalingga',
    slot({ weekday: 4, room: 'Ruang Enrol', facilitator_id: second }),
  );
  const url = `/v1/rehab-programmes/${p.id}/enrolments`;
  const token = await as('bnnk.purbalingga');
  const user = await admit();
  const other = await admit(banjarnegara, { case_type: 'non_narcotics' });
  const gone = await admit(banjarnegara, { case_type: 'narcotics_user' });
  await ok('POST', `/v1/inmates/${gone.id}/release`, 'admin', { released_on: '2026-11-20', reason: 'parole' });
  const elsewhere = await admit(kupang);

  const refused: [string, Record<string, unknown>, number, string][] = [
    ['no reason for a non-user', { inmate_id: other.id }, 422, '/reason'],
    ['a released person', { inmate_id: gone.id }, 422, '/inmate_id'],
    ['an inmate of another facility', { inmate_id: elsewhere.id }, 422, '/inmate_id'],
    ['an unknown status', { inmate_id: user.id, status: 'completed' }, 400, '/status'],
  ];
  for (const [what, body, status, pointer] of refused) {
    const res = await h.call('POST', url, { token, body });
    const pr = problemOf(res);
    t.equal(pr.status, status, what);
    t.ok(pr.pointers.includes(pointer), `${what}: ${pointer} in ${pr.pointers}`);
  }
  t.equal(await h.count('rehab_enrolments', `programme_id = '${p.id}'`), 0);

  const first = await h.call('POST', url, { token, body: { inmate_id: user.id } });
  t.equal(first.statusCode, 201);
  t.match(first.json(), {
    status: 'active',
    reason: null,
    enrolled_on: '2027-01-04',
    inmate: { id: user.id, name: `Warga Binaan Rehab ${serial - 3}` },
    progress: { sessions_held: 0, attended: 0, rate: null, completion_rule_met: false },
  });
  t.equal(
    await h.count('rehab_session_inmates', `enrolment_id = '${first.json().id}'`),
    8,
    'on every Thursday session',
  );
  const dup = await h.call('POST', url, { token, body: { inmate_id: user.id } });
  t.equal(dup.statusCode, 409, 'once per programme');
  const reasoned = await h.call('POST', url, {
    token,
    body: { inmate_id: other.id, reason: 'Rujukan hasil asesmen TAT' },
  });
  t.equal(reasoned.statusCode, 201, 'with a reason');
  const third = await admit();
  const full = await h.call('POST', url, { token, body: { inmate_id: third.id } });
  t.equal(full.statusCode, 409, 'over capacity');
  const waiting = await h.call('POST', url, { token, body: { inmate_id: third.id, status: 'awaiting' } });
  t.equal(waiting.statusCode, 201, 'awaiting takes no place');
  t.equal(await h.count('rehab_session_inmates', `enrolment_id = '${waiting.json().id}'`), 0, 'and no session');

  const patch = async (id: string, body: Record<string, unknown>) => {
    const target = `/v1/rehab-enrolments/${id}`;
    const current = await h.call('GET', target, { token });
    return h.call('PATCH', target, { token, body, headers: { 'if-match': String(current.headers.etag) } });
  };
  t.equal((await patch(waiting.json().id, { status: 'active' })).statusCode, 409, 'still full');
  t.equal((await patch(waiting.json().id, { status: 'completed' })).statusCode, 409, 'awaiting cannot complete');
  t.equal((await patch(reasoned.json().id, { status: 'withdrawn' })).statusCode, 422, 'a withdrawal needs a note');
  const withdrawn = await patch(reasoned.json().id, { status: 'withdrawn', note: 'Dipindah blok isolasi' });
  t.equal(withdrawn.statusCode, 200);
  t.match(withdrawn.json(), { status: 'withdrawn', ended_on: '2027-01-04', end_note: 'Dipindah blok isolasi' });
  t.equal(
    await h.count('rehab_session_inmates', `enrolment_id = '${reasoned.json().id}'`),
    0,
    'off the coming sessions',
  );
  t.equal((await patch(waiting.json().id, { status: 'active' })).statusCode, 200, 'a place came free');

  // Release and transfer close enrolments by themselves and clear the coming sessions.
  const schedule = await ok('GET', `/v1/inmates/${user.id}/schedule`, 'bnnk.purbalingga');
  t.equal(schedule.data.length, 8);
  t.equal(schedule.data[0].starts_at, '2027-01-07T09:00:00+07:00');
  t.equal(schedule.data[0].programme_title, 'Program Enrol');
  await ok('POST', `/v1/inmates/${user.id}/release`, 'admin', { released_on: '2026-11-21', reason: 'end_of_sentence' });
  const released = await ok('GET', `/v1/rehab-enrolments/${first.json().id}`, 'bnnk.purbalingga');
  t.match(released, { status: 'released', ended_on: '2026-11-21' });
  t.equal(await h.count('rehab_session_inmates', `inmate_id = '${user.id}'`), 0, 'off every coming session');
  t.same((await ok('GET', `/v1/inmates/${user.id}/schedule`, 'admin')).data, []);
  const [audit] = await h.rows<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'rehab.enrolments_released'`,
    [first.json().id],
  );
  t.equal(audit?.n, 1, 'audited');

  const mover = waiting.json();
  await ok('POST', `/v1/inmates/${third.id}/transfer`, 'admin', {
    to_facility_id: fac.purwokerto,
    transferred_on: '2026-11-22',
  });
  const transferred = await ok('GET', `/v1/rehab-enrolments/${mover.id}`, 'admin');
  t.match(transferred, { status: 'transferred', ended_on: '2026-11-22' });
  t.equal(await h.count('rehab_session_inmates', `enrolment_id = '${mover.id}'`), 0);
  const after = await ok('GET', `/v1/rehab-programmes/${p.id}`, 'admin');
  t.equal(after.active_enrolments, 0, 'their places are free');
});

t.test('attendance, progress and the completion rule', async (t) => {
  const p = await programme({ title: 'Program Hadir', rooms: ['Ruang Hadir'] });
  const token = await as('bnnk.purbalingga');
  await ok(
    'POST',
    `/v1/rehab-programmes/${p.id}/slots`,
    'bnnk.purbalingga',
    slot({ weekday: 5, room: 'Ruang Hadir', facilitator_id: second }),
  );
  // Fridays 8 Jan … 26 Feb: eight sessions; the one on 5 February is cancelled before it is held.
  const all = await sessionsOf(p.id);
  t.equal(all.length, 8);
  const cancelled = all.find((s) => s.starts_at.startsWith('2027-02-05')) as { id: string };
  await ok('POST', `/v1/rehab-sessions/${cancelled.id}/cancel`, 'bnnk.purbalingga', { reason: 'Lockdown blok' });
  const x = await admit();
  const y = await admit();
  const ex = await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', { inmate_id: x.id });
  const ey = await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga', { inmate_id: y.id });
  const held = (await sessionsOf(p.id)).filter((s) => s.status === 'scheduled');
  t.equal(held.length, 7);
  const first = held[0] as { id: string };
  const attendanceUrl = (id: string) => `/v1/rehab-sessions/${id}/attendance`;

  const early = await h.call('PUT', attendanceUrl(first.id), {
    token,
    body: {
      records: [
        { enrolment_id: ex.id, status: 'attended' },
        { enrolment_id: ey.id, status: 'attended' },
      ],
    },
    headers: { 'if-match': '"0"' },
  });
  t.equal(early.statusCode, 422, 'a session still to come');
  now = new Date('2027-03-01T03:00:00Z');
  try {
    const list = await h.call('GET', attendanceUrl(first.id), { token });
    t.equal(list.statusCode, 200);
    t.equal(list.headers.etag, '"0"');
    t.same(
      list
        .json()
        .records.map((r: { enrolment_id: string; status: null }) => [r.enrolment_id, r.status])
        .sort(),
      [
        [ex.id, null],
        [ey.id, null],
      ].sort(),
    );
    const outsider = await admit();
    const bad: [string, unknown, number][] = [
      [
        'someone not enrolled',
        [
          { enrolment_id: ex.id, status: 'attended' },
          { enrolment_id: ey.id, status: 'attended' },
          { enrolment_id: outsider.id, status: 'absent' },
        ],
        422,
      ],
      ['someone missing', [{ enrolment_id: ex.id, status: 'attended' }], 422],
      [
        'an unknown status',
        [
          { enrolment_id: ex.id, status: 'asleep' },
          { enrolment_id: ey.id, status: 'attended' },
        ],
        400,
      ],
      [
        'one enrolment twice',
        [
          { enrolment_id: ex.id, status: 'attended' },
          { enrolment_id: ex.id, status: 'late' },
        ],
        400,
      ],
    ];
    for (const [what, records, status] of bad) {
      const res = await h.call('PUT', attendanceUrl(first.id), {
        token,
        body: { records },
        headers: { 'if-match': '"0"' },
      });
      t.equal(res.statusCode, status, what);
    }
    const wrongVersion = await h.call('PUT', attendanceUrl(first.id), {
      token,
      body: {
        records: [
          { enrolment_id: ex.id, status: 'attended' },
          { enrolment_id: ey.id, status: 'attended' },
        ],
      },
      headers: { 'if-match': '"77"' },
    });
    t.equal(wrongVersion.statusCode, 412, 'the first recording names version 0');
    t.equal(await h.count('rehab_attendance'), 0, 'nothing recorded by refused lists');
    t.equal(
      (
        await h.call('PUT', attendanceUrl(first.id), {
          token: await as('staff.banjarnegara'),
          body: { records: [] },
          headers: { 'if-match': '"0"' },
        })
      ).statusCode,
      403,
      'facility staff read attendance, the rehab team records it',
    );
    t.equal(
      (
        await h.call('PUT', attendanceUrl(cancelled.id), {
          token,
          body: { records: [] },
          headers: { 'if-match': '"0"' },
        })
      ).statusCode,
      409,
      'a cancelled session takes no attendance',
    );

    // X misses the second session and attends the rest; Y attends all but the last.
    for (const [i, s] of held.entries()) {
      const last = i === held.length - 1;
      const res = await h.call('PUT', attendanceUrl(s.id), {
        token,
        headers: { 'if-match': '"0"' },
        body: {
          records: [
            i === 1
              ? { enrolment_id: ex.id, status: 'absent', reason: 'court', note: 'Sidang PN Banjarnegara' }
              : { enrolment_id: ex.id, status: i === 2 ? 'late' : 'attended' },
            last
              ? { enrolment_id: ey.id, status: 'refused', reason: 'refused' }
              : { enrolment_id: ey.id, status: 'attended' },
          ],
        },
      });
      t.equal(res.statusCode, 200, `session ${i + 1} recorded`);
    }
    const progress = async (id: string) => (await ok('GET', `/v1/rehab-enrolments/${id}`, 'bnnk.purbalingga')).progress;
    t.same(await progress(ex.id), {
      sessions_held: 7,
      attended: 6,
      rate: 0.857,
      last_session_attended: true,
      completion_rule_met: true,
    });
    t.same(await progress(ey.id), {
      sessions_held: 7,
      attended: 6,
      rate: 0.857,
      last_session_attended: false,
      completion_rule_met: false,
    });
    const complete = async (id: string) => {
      const target = `/v1/rehab-enrolments/${id}`;
      const etag = String((await h.call('GET', target, { token })).headers.etag);
      return h.call('PATCH', target, { token, body: { status: 'completed' }, headers: { 'if-match': etag } });
    };
    const notYet = await complete(ey.id);
    t.equal(notYet.statusCode, 422, 'the last session was not attended');
    t.match(problemOf(notYet).detail, /attended 6 of 7 held sessions/);
    const done = await complete(ex.id);
    t.equal(done.statusCode, 200);
    t.match(done.json(), { status: 'completed', ended_on: '2027-03-01', progress: { completion_rule_met: true } });

    // An amendment needs the attendance version and is audited with before and after.
    const second = held[1] as { id: string };
    const amend = (ifMatch?: string) =>
      h.call('PUT', attendanceUrl(second.id), {
        token,
        headers: ifMatch ? { 'if-match': ifMatch } : {},
        body: {
          records: [
            { enrolment_id: ex.id, status: 'excused', reason: 'court', note: 'Sidang, surat panggilan terlampir' },
            { enrolment_id: ey.id, status: 'attended' },
          ],
        },
      });
    t.equal((await amend()).statusCode, 428);
    t.equal((await amend('"0"')).statusCode, 412, 'stale');
    const amended = await amend('"1"');
    t.equal(amended.statusCode, 200);
    t.equal(amended.headers.etag, '"2"');
    const trail = await h.rows<{ action: string; before: string; after: string }>(
      `SELECT action, before->'records' AS before, after->'records' AS after FROM audit_events
        WHERE entity_id = $1 ORDER BY seq`,
      [second.id],
    );
    t.same(
      trail.map((e) => e.action),
      ['rehab.attendance_recorded', 'rehab.attendance_amended'],
    );
    const statusOf = (records: unknown, id: string) =>
      (records as { enrolment_id: string; status: string }[]).find((r) => r.enrolment_id === id)?.status;
    t.equal(statusOf(trail[1]?.before, ex.id), 'absent');
    t.equal(statusOf(trail[1]?.after, ex.id), 'excused');
    await ok('POST', `/v1/inmates/${y.id}/release`, 'admin', { released_on: '2026-11-22', reason: 'parole' });
    const afterRelease = await ok('GET', `/v1/rehab-enrolments/${ey.id}`, 'bnnk.purbalingga');
    t.match(
      afterRelease,
      { status: 'released', progress: { sessions_held: 7 } },
      'sessions already held stay on the record',
    );
    const sessionView = await ok('GET', `/v1/rehab-sessions/${second.id}`, 'bnnk.purbalingga');
    t.match(sessionView, { held: true, expected: 2 });
    const moveHeld = await h.call('POST', `/v1/rehab-sessions/${second.id}/cancel`, {
      token,
      body: { reason: 'terlambat' },
    });
    t.equal(moveHeld.statusCode, 409, 'a held session is not cancelled');

    // Without personal_data: no names, and the notes (special category) beside pseudonyms.
    const client = await h.call('POST', '/v1/auth/token', {
      body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
    });
    const seen = await ok('GET', attendanceUrl(second.id), 'admin');
    t.ok(seen.records.every((r: { inmate: { name: string } }) => r.inmate.name));
    const pseud = await h.call('GET', attendanceUrl(second.id), { token: client.json().access_token });
    t.ok(
      pseud
        .json()
        .records.every(
          (r: { inmate: { name: unknown; pseudonym: string } }) => r.inmate.name === null && r.inmate.pseudonym,
        ),
    );
    const viewed = await h.count('audit_events', `action = 'inmate.viewed' AND after->>'url' LIKE '%${second.id}%'`);
    t.ok(viewed >= 1, 'reading named attendance is audited');
  } finally {
    now = START;
  }
});

t.test('who reaches programmes, sessions, enrolments and schedules', async (t) => {
  const jateng = await programme({ title: 'Program Jangkauan', rooms: ['Ruang Jangkauan'] });
  await ok(
    'POST',
    `/v1/rehab-programmes/${jateng.id}/slots`,
    'bnnk.purbalingga',
    slot({ weekday: 1, room: 'Ruang Jangkauan', facilitator_id: second, start_time: '14:00' }),
  );
  const inmate = await admit();
  const enrolment = await ok('POST', `/v1/rehab-programmes/${jateng.id}/enrolments`, 'bnnk.purbalingga', {
    inmate_id: inmate.id,
  });
  const [session] = await sessionsOf(jateng.id);
  const ntt = await kupangProgramme({ title: 'Program NTT', rooms: ['Aula NTT'] });

  const reads = [
    `/v1/rehab-programmes/${jateng.id}`,
    `/v1/rehab-programmes/${jateng.id}/slots`,
    `/v1/rehab-programmes/${jateng.id}/sessions`,
    `/v1/rehab-programmes/${jateng.id}/enrolments`,
    `/v1/rehab-sessions/${session?.id}`,
    `/v1/rehab-sessions/${session?.id}/attendance`,
    `/v1/rehab-enrolments/${enrolment.id}`,
    `/v1/inmates/${inmate.id}/schedule`,
    `/v1/facilities/${banjarnegara}/blackout-dates`,
  ];
  const cases: [string, boolean, boolean][] = [
    // username, reaches Banjarnegara's, reaches Kupang's
    ['admin', true, true],
    ['bnnk.purbalingga', true, false],
    ['bnnk.kupang', false, true],
    ['staff.banjarnegara', true, false],
    ['head.banjarnegara', true, false],
    ['staff.kupang', false, true],
    ['kanwil.ntt', false, true],
    ['bnnp.ntt', false, false], // its MoU with Kupang has no rehabilitation in scope
  ];
  for (const [username, jatengSeen, nttSeen] of cases) {
    const token = await as(username);
    for (const url of reads) {
      const res = await h.call('GET', url, { token });
      t.equal(res.statusCode, jatengSeen ? 200 : 404, `${username} GET ${url.split('/').slice(2, 3)}…`);
    }
    const other = await h.call('GET', `/v1/rehab-programmes/${ntt.id}`, { token });
    t.equal(other.statusCode, nttSeen ? 200 : 404, `${username} GET the Kupang programme`);
    const listed = await h.call('GET', '/v1/rehab-programmes?limit=200', { token });
    const ids = listed.json().data.map((p: { id: string }) => p.id);
    t.equal(ids.includes(jateng.id), jatengSeen, `${username} lists Banjarnegara's`);
    t.equal(ids.includes(ntt.id), nttSeen, `${username} lists Kupang's`);
  }
  const writes: [string, string, unknown][] = [
    ['POST', `/v1/rehab-programmes/${jateng.id}/slots`, slot({ weekday: 6, room: 'Ruang Jangkauan' })],
    [
      'POST',
      `/v1/rehab-programmes/${jateng.id}/sessions`,
      { starts_at: '2027-02-20T08:00', duration_minutes: 60, room: 'Ruang Jangkauan', facilitator_id: lead },
    ],
    ['POST', `/v1/rehab-programmes/${jateng.id}/enrolments`, { inmate_id: inmate.id }],
    ['POST', `/v1/rehab-sessions/${session?.id}/cancel`, { reason: 'tidak ada' }],
  ];
  for (const [username, status] of [
    ['bnnk.kupang', 404],
    ['staff.kupang', 404],
    ['kanwil.ntt', 404],
    ['staff.banjarnegara', 403],
    ['head.banjarnegara', 403],
  ] as const) {
    for (const [method, url, body] of writes) {
      const res = await h.call(method, url, { token: await as(username), body });
      t.equal(res.statusCode, status, `${username} ${method} ${url.split('/').slice(-1)}`);
    }
  }
  t.equal(await h.count('rehab_enrolments', `programme_id = '${jateng.id}'`), 1, 'nothing written');
  t.equal(
    (await h.call('GET', `/v1/rehab-programmes?facility_id=${kupang}`, { token: await as('bnnk.purbalingga') })).json()
      .data.length,
    0,
  );
});

t.test('the decree’s cuti bersama is skipped like a holiday (2026 is not named in this file)', async (t) => {
  now = new Date('2026-12-01T00:00:00Z');
  t.teardown(() => {
    now = START;
  });
  const december = await programme({ title: 'Program Desember', starts_on: '2026-12-01', ends_on: '2026-12-31' });
  const res = await h.call('POST', `/v1/rehab-programmes/${december.id}/slots`, {
    token: await as('bnnk.purbalingga'),
    body: slot({ weekday: 4, room: 'Ruang Konseling' }),
  });
  t.equal(res.statusCode, 201);
  t.same(
    (await sessionsOf(december.id)).map((s) => s.starts_at.slice(0, 10)),
    ['2026-12-03', '2026-12-10', '2026-12-17', '2026-12-31'],
    'Thursdays, not Thursday 24 December (cuti bersama Natal, SKB 1497/2025)',
  );
});

t.test('what a programme already holds bounds its capacity, its end and its slots', async (t) => {
  const p = await kupangProgramme({
    title: 'Program Batas',
    rooms: ['Ruang Batas'],
    curriculum: [1, 2].map((n) => ({ number: n, title: `Sesi ${n}`, duration_minutes: 30 })),
  });
  for (let i = 0; i < 2; i++) {
    await ok('POST', `/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.kupang', { inmate_id: (await admit(kupang)).id });
  }
  const token = await as('bnnk.kupang');
  const patch = (body: Record<string, unknown>) =>
    h.call('PATCH', `/v1/rehab-programmes/${p.id}`, { token, body, headers: { 'if-match': `"${p.version}"` } });

  const cut = await patch({ capacity: 1 });
  t.same([cut.statusCode, problemOf(cut).pointers], [422, ['/capacity']], 'capacity below the active enrolments');
  t.match(problemOf(cut).detail, /\b2\b/, 'the refusal counts the two active enrolments');

  // Saturdays at 21:15 WITA: the 9th and the 16th of January, then the curriculum is used up.
  const added = await ok('POST', `/v1/rehab-programmes/${p.id}/slots`, 'bnnk.kupang', {
    weekday: 6,
    start_time: '21:15',
    duration_minutes: 30,
    room: 'Ruang Batas',
    facilitator_id: kupangOfficer,
  });
  t.equal(added.sessions, 2);
  const sessions = await sessionsOf(p.id);
  t.same(
    sessions.map((s) => [s.number, s.starts_at.slice(0, 16)]),
    [
      [1, '2027-01-09T21:15'],
      [2, '2027-01-16T21:15'],
    ],
  );
  const more = await h.call('POST', `/v1/rehab-programmes/${p.id}/slots`, {
    token,
    body: { weekday: 5, start_time: '21:15', duration_minutes: 30, room: 'Ruang Batas', facilitator_id: kupangOfficer },
  });
  t.same([more.statusCode, problemOf(more).pointers], [422, ['/beyond_curriculum']], 'the curriculum is used up');

  // The end date may not leave a scheduled session after it: the day of the last one is still in.
  const early = await patch({ ends_on: '2027-01-15' });
  t.same([early.statusCode, problemOf(early).pointers], [422, ['/ends_on']], 'a session after the new end');
  t.ok(problemOf(early).detail.includes(sessions[1]?.id as string), 'the refusal names that session');
  t.equal(await h.count('rehab_sessions', `programme_id = '${p.id}'`), 2, 'nothing written by refused requests');
  const [stored] = await h.rows<{ version: number; ends_on: string; capacity: number }>(
    `SELECT version, ends_on::text, capacity FROM rehab_programmes WHERE id = $1`,
    [p.id],
  );
  t.same(stored, { version: p.version, ends_on: '2027-02-26', capacity: 10 });

  const last = await patch({ ends_on: '2027-01-16' });
  t.equal(last.statusCode, 200, 'ending on the day of the last session');
  t.equal(last.json().ends_on, '2027-01-16');
});
