import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// Sessions held but never booked, written up afterwards; stored session numbers; slots stopping at
// the curriculum's last item. The clock starts at 07:00 WIB on Monday 4 January 2027 (when the
// sessions are booked) and each subtest moves it on; each subtest books at an hour of its own, so
// rooms and facilitators of one never clash with another's.
const START = new Date('2027-01-04T00:00:00Z');
let now = START;
const h = await build(t, { NATIONAL_HOLIDAYS: '2027-01-01' }, { clock: () => now });
const banjarnegara = h.world.facilities.banjarnegara as string;
const purbalingga = h.world.organisations['bnnk.purbalingga'] as string;

async function ok(method: string, url: string, username: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await h.call(method, url, { token: await h.login(username), body, headers });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

const [leadRow] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'bnnk.purbalingga'`);
const lead = leadRow?.id as string;
const second = (
  await ok('POST', '/v1/users', 'admin', {
    username: 'konselor.purbalingga',
    display_name: 'Konselor BNNK Purbalingga',
    password: PASSWORD,
    role: 'bnn_officer',
    organisation_id: purbalingga,
  })
).id as string;
await ok('POST', '/v1/users', 'admin', {
  username: 'bnnk.kupang',
  display_name: 'Konselor BNN Kota Kupang',
  password: PASSWORD,
  role: 'bnn_officer',
  organisation_id: h.world.organisations['bnnk.kupang'],
});
const [mouRow] = await h.rows<{ id: string }>(`SELECT id FROM mous WHERE number = 'PKS/01/XII/2024/BNNK-PBG'`);
const mou = mouRow?.id as string;

let serial = 0;
async function admit() {
  serial++;
  return (
    await ok('POST', `/v1/facilities/${banjarnegara}/inmates`, 'admin', {
      registration_number: `H.${serial}/2026`,
      name: `Warga Binaan Tercatat ${serial}`,
      sex: 'male',
      birth_date: '1990-03-03',
      case_type: 'narcotics_user',
      admission_date: '2026-01-10',
      status: 'sentenced',
    })
  ).id as string;
}

const curriculum = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ number: n, title: `Sesi ${n}`, duration_minutes: 90 }));

async function programme(over: Record<string, unknown> = {}) {
  return (
    await ok('POST', '/v1/rehab-programmes', 'bnnk.purbalingga', {
      facility_id: banjarnegara,
      mou_id: mou,
      title: 'Konseling kelompok WBP pengguna',
      modality: 'group_counselling',
      curriculum,
      starts_on: '2027-01-04',
      ends_on: '2027-02-26',
      capacity: 10,
      rooms: ['Aula Bimker', 'Ruang Konseling'],
      facilitators: [
        { user_id: lead, role: 'lead' },
        { user_id: second, role: 'regular' },
      ],
      ...over,
    })
  ).id as string;
}

async function enrol(programmeId: string, status: 'active' | 'awaiting' = 'active', inmateId?: string) {
  return (await ok('POST', `/v1/rehab-programmes/${programmeId}/enrolments`, 'bnnk.purbalingga', {
    inmate_id: inmateId ?? (await admit()),
    status,
  })) as { id: string; inmate: { id: string; pseudonym: string; name: string }; version: number };
}

type SessionDto = { id: string; starts_at: string; number: number | null; status: string; held: boolean };
async function sessionsOf(programmeId: string) {
  return (await ok('GET', `/v1/rehab-programmes/${programmeId}/sessions?limit=200`, 'admin')).data as SessionDto[];
}
const numbers = async (programmeId: string) =>
  (await sessionsOf(programmeId)).map((s) => `${s.starts_at.slice(5, 10)} ${s.number}`);

/** A programme with a Tuesday slot at `time` (booked at START): sessions on 5, 12, 19, 26 January, 2 … 23 February. */
async function tuesdays(time: string, enrolments = 1) {
  now = START;
  const id = await programme();
  const people = [];
  for (let i = 0; i < enrolments; i++) people.push(await enrol(id));
  await ok('POST', `/v1/rehab-programmes/${id}/slots`, 'bnnk.purbalingga', {
    weekday: 2,
    start_time: time,
    duration_minutes: 90,
    room: 'Aula Bimker',
    facilitator_id: lead,
  });
  return { id, people, sessions: await sessionsOf(id) };
}

async function attend(sessionId: string, records: { enrolment_id: string; status: string }[]) {
  return ok(
    'PUT',
    `/v1/rehab-sessions/${sessionId}/attendance`,
    'bnnk.purbalingga',
    { records },
    { 'if-match': '"0"' },
  );
}

const held = (programmeId: string, body: Record<string, unknown>, username = 'bnnk.purbalingga') =>
  h.login(username).then((token) =>
    h.call('POST', `/v1/rehab-programmes/${programmeId}/held-sessions`, {
      token,
      body: { duration_minutes: 90, room: 'Ruang Konseling', facilitator_id: second, ...body },
    }),
  );

function problemOf(res: { statusCode: number; json(): Record<string, unknown> }) {
  const body = res.json();
  return {
    status: res.statusCode,
    code: body.code,
    detail: String(body.detail),
    pointers: ((body.errors as { pointer: string }[] | undefined) ?? []).map((e) => e.pointer),
  };
}

t.afterEach(() => {
  now = START;
});

t.test('a session held but never booked is written up with its attendance as its roster', async (t) => {
  const p = await tuesdays('09:00', 2);
  const [a, b] = p.people as [(typeof p.people)[0], (typeof p.people)[0]];
  const waiting = await enrol(p.id, 'awaiting');
  // The session of 12 January was moved at short notice to Monday 11 January: cancelled, then written up.
  now = new Date('2027-01-13T00:00:00Z');
  const [jan5, jan12] = p.sessions as [SessionDto, SessionDto];
  await attend(jan5.id, [
    { enrolment_id: a.id, status: 'attended' },
    { enrolment_id: b.id, status: 'attended' },
  ]);
  await ok('POST', `/v1/rehab-sessions/${jan12.id}/cancel`, 'bnnk.purbalingga', { reason: 'Dipindah ke hari Senin' });
  // Activated today: not active on the 11th.
  await ok(
    'PATCH',
    `/v1/rehab-enrolments/${waiting.id}`,
    'bnnk.purbalingga',
    { status: 'active' },
    { 'if-match': `"${waiting.version}"` },
  );

  const res = await held(p.id, {
    starts_at: '2027-01-11T10:00',
    attendance: [
      { enrolment_id: a.id, status: 'attended' },
      { enrolment_id: b.id, status: 'absent', reason: 'court', note: 'Sidang di PN Banjarnegara' },
    ],
  });
  t.equal(res.statusCode, 201, res.statusCode === 201 ? 'written up' : res.body);
  const body = res.json();
  t.equal(res.headers.location, `/v1/rehab-sessions/${body.id}`);
  const person = (e: typeof a) => ({ id: e.inmate.id, pseudonym: e.inmate.pseudonym, name: e.inmate.name });
  const records = [
    { enrolment_id: a.id, inmate: person(a), status: 'attended', reason: null, note: null },
    { enrolment_id: b.id, inmate: person(b), status: 'absent', reason: 'court', note: 'Sidang di PN Banjarnegara' },
  ].sort((x, y) => (x.enrolment_id < y.enrolment_id ? -1 : 1));
  t.same(body, {
    id: body.id,
    programme_id: p.id,
    facility_id: banjarnegara,
    slot_id: null,
    number: 2,
    curriculum_title: 'Sesi 2',
    starts_at: '2027-01-11T10:00:00+07:00',
    ends_at: '2027-01-11T11:30:00+07:00',
    room: 'Ruang Konseling',
    facilitator_id: second,
    status: 'scheduled',
    cancel_reason: null,
    held: true,
    recorded_afterwards: true,
    expected: 2,
    version: 1,
    created_at: body.created_at,
    updated_at: body.updated_at,
    attendance: {
      session_id: body.id,
      version: 1,
      recorded_by: lead,
      recorded_at: body.attendance.recorded_at,
      records,
    },
  });

  t.same(
    await h.rows(
      `SELECT number, attendance_version, recorded_afterwards, slot_id FROM rehab_sessions WHERE id = '${body.id}'`,
    ),
    [{ number: 2, attendance_version: 1, recorded_afterwards: true, slot_id: null }],
  );
  t.same(
    await h.rows(
      `SELECT enrolment_id::text, status::text, reason::text FROM rehab_attendance WHERE session_id = '${body.id}' ORDER BY enrolment_id`,
    ),
    records.map((r) => ({ enrolment_id: r.enrolment_id, status: r.status, reason: r.reason })),
  );
  t.same(
    await h.rows(
      `SELECT enrolment_id::text, starts_at = '2027-01-11T03:00:00Z' AS at FROM rehab_session_inmates WHERE session_id = '${body.id}' ORDER BY enrolment_id`,
    ),
    records.map((r) => ({ enrolment_id: r.enrolment_id, at: true })),
    'its roster is the attendance recorded',
  );
  const audit = await h.rows<{ action: string; marked: string; rows: number }>(
    `SELECT action, after->>'recorded_afterwards' AS marked, jsonb_array_length(after->'attendance') AS rows
       FROM audit_events WHERE entity_id = '${body.id}' ORDER BY seq`,
  );
  t.same(audit, [{ action: 'rehab.session_recorded', marked: 'true', rows: 2 }], 'audited as recorded afterwards');

  // Its item follows the last session before it; the sessions still open follow on from it.
  t.same(await numbers(p.id), [
    '01-05 1',
    '01-11 2',
    '01-12 null',
    '01-19 3',
    '01-26 4',
    '02-02 5',
    '02-09 6',
    '02-16 7',
    '02-23 8',
  ]);
  // A booked session's progress counts it like any held one.
  const progress = (await ok('GET', `/v1/rehab-enrolments/${b.id}`, 'bnnk.purbalingga')).progress;
  t.same([progress.sessions_held, progress.attended], [2, 1]);

  // Only enrolments of this programme active that day.
  const other = await enrol(await programme({ title: 'Program lain' }));
  const before = await h.count('rehab_sessions');
  const refused = await held(p.id, {
    starts_at: '2027-01-07T10:00',
    attendance: [
      { enrolment_id: a.id, status: 'attended' },
      { enrolment_id: waiting.id, status: 'attended' },
      { enrolment_id: other.id, status: 'attended' },
    ],
  });
  t.same(
    { ...problemOf(refused), detail: undefined },
    {
      status: 422,
      code: 'rule_violated',
      detail: undefined,
      pointers: ['/attendance/1/enrolment_id', '/attendance/2/enrolment_id'],
    },
  );
  t.same(
    (refused.json().errors as { detail: string }[]).map((e) => e.detail),
    [
      'not an enrolment of this programme active on 2027-01-07',
      'not an enrolment of this programme active on 2027-01-07',
    ],
  );
  const inIndonesian = await h.call('POST', `/v1/rehab-programmes/${p.id}/held-sessions`, {
    token: await h.login('bnnk.purbalingga'),
    headers: { 'accept-language': 'id' },
    body: {
      duration_minutes: 90,
      room: 'Ruang Konseling',
      facilitator_id: second,
      starts_at: '2027-01-07T10:00',
      attendance: [{ enrolment_id: other.id, status: 'attended' }],
    },
  });
  t.same(inIndonesian.json().errors, [
    {
      in: 'body',
      pointer: '/attendance/0/enrolment_id',
      detail: 'bukan peserta program ini yang aktif pada 2027-01-07',
    },
  ]);
  t.equal(await h.count('rehab_sessions'), before, 'a refused write-up writes nothing');
});

t.test('an enrolment that ended before the day is not on its roster', async (t) => {
  const p = await tuesdays('07:30', 2);
  const [a, gone] = p.people as [(typeof p.people)[0], (typeof p.people)[0]];
  now = new Date('2027-01-06T00:00:00Z');
  await ok(
    'PATCH',
    `/v1/rehab-enrolments/${gone.id}`,
    'bnnk.purbalingga',
    { status: 'withdrawn', note: 'Mengundurkan diri' },
    { 'if-match': `"${gone.version}"` },
  );
  now = new Date('2027-01-13T00:00:00Z');
  const body = {
    starts_at: '2027-01-08T07:30',
    attendance: [
      { enrolment_id: a.id, status: 'attended' },
      { enrolment_id: gone.id, status: 'absent' },
    ],
  };
  t.same(problemOf(await held(p.id, body)).pointers, ['/attendance/1/enrolment_id']);
  // Withdrawn on the 6th: still on the roster that day.
  const res = await held(p.id, { ...body, starts_at: '2027-01-06T12:00' });
  t.equal(res.statusCode, 201, res.statusCode === 201 ? 'written up' : res.body);
});

t.test('the window: 30 local days back is written up, 31 is refused, and so is a time to come', async (t) => {
  const p = await tuesdays('11:00');
  const [a] = p.people as [(typeof p.people)[0]];
  // 07:00 WIB on Wednesday 10 February: 30 days back is 11 January.
  now = new Date('2027-02-10T00:00:00Z');
  const attendance = [{ enrolment_id: a.id, status: 'attended' }];
  const before = await h.count('rehab_sessions');
  const late = await held(p.id, { starts_at: '2027-01-10T23:00', attendance });
  t.same(
    { ...problemOf(late), detail: undefined },
    { status: 422, code: 'rule_violated', detail: undefined, pointers: ['/starts_at'] },
  );
  t.match(problemOf(late).detail, /2027-01-11 or later/);
  const ahead = await held(p.id, { starts_at: '2027-02-10T07:30', attendance });
  t.same(problemOf(ahead).pointers, ['/starts_at'], 'half an hour from now');
  t.equal(await h.count('rehab_sessions'), before, 'nothing written');

  const edge = await held(p.id, { starts_at: '2027-01-11T00:00', attendance });
  t.equal(edge.statusCode, 201, edge.statusCode === 201 ? 'written up' : edge.body);
  const justBegun = await held(p.id, { starts_at: '2027-02-10T07:00', attendance });
  t.equal(justBegun.statusCode, 201, justBegun.statusCode === 201 ? 'written up' : justBegun.body);
});

t.test('double bookings of room, facilitator and inmate are still refused', async (t) => {
  // Another programme holds Aula Bimker and the lead facilitator on Tuesdays at 13:00; one inmate
  // is enrolled in both programmes.
  const q = await tuesdays('13:00');
  const jan5 = (q.sessions[0] as SessionDto).id;
  const p = await programme({ title: 'Program P' });
  const a = await enrol(p);
  const both = await enrol(p, 'active', (q.people[0] as { inmate: { id: string } }).inmate.id);
  now = new Date('2027-01-13T00:00:00Z');
  const at = '2027-01-05T13:30';
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['room', { room: 'Aula Bimker', attendance: [{ enrolment_id: a.id, status: 'attended' }] }, /room Aula Bimker/],
    ['facilitator', { facilitator_id: lead, attendance: [{ enrolment_id: a.id, status: 'attended' }] }, /facilitator/],
    ['inmate', { attendance: [{ enrolment_id: both.id, status: 'attended' }] }, /inmate/],
  ];
  const before = await h.count('rehab_sessions');
  for (const [what, over, kind] of cases) {
    const res = await held(p, { starts_at: at, ...over });
    const problem = problemOf(res);
    t.equal(problem.status, 409, what);
    t.equal(problem.code, 'conflict', what);
    t.match(problem.detail, kind, what);
    t.match(problem.detail, jan5, `${what}: names the other session`);
  }
  t.equal(await h.count('rehab_sessions'), before, 'nothing written');
});

t.test('numbers stay put: a held session keeps its number when others are cancelled or written up', async (t) => {
  const p = await tuesdays('15:00');
  const [a] = p.people as [(typeof p.people)[0]];
  const [jan5, jan12] = p.sessions as [SessionDto, SessionDto];
  now = new Date('2027-01-13T00:00:00Z');
  await attend(jan12.id, [{ enrolment_id: a.id, status: 'attended' }]);
  // The session of the 5th never took place: cancelling it leaves the 12th's number alone.
  await ok('POST', `/v1/rehab-sessions/${jan5.id}/cancel`, 'bnnk.purbalingga', { reason: 'Penggeledahan mendadak' });
  t.same((await ok('GET', `/v1/rehab-sessions/${jan12.id}`, 'admin')).number, 2, 'held: keeps 2');
  t.same(await numbers(p.id), [
    '01-05 null',
    '01-12 2',
    '01-19 3',
    '01-26 4',
    '02-02 5',
    '02-09 6',
    '02-16 7',
    '02-23 8',
  ]);

  // An extra session held between the 5th and the 12th, repeating the first item.
  const extra = await held(p.id, {
    starts_at: '2027-01-08T15:00',
    curriculum_item: 1,
    attendance: [{ enrolment_id: a.id, status: 'late' }],
  });
  t.equal(extra.statusCode, 201, extra.statusCode === 201 ? 'written up' : extra.body);
  t.same([extra.json().number, extra.json().curriculum_title], [1, 'Sesi 1']);
  // Another on the 12th, for a second group, repeating that day's item: the open ones follow it.
  const repeat = await held(p.id, {
    starts_at: '2027-01-12T19:00',
    curriculum_item: 2,
    attendance: [{ enrolment_id: a.id, status: 'attended' }],
  });
  t.equal(repeat.statusCode, 201, repeat.statusCode === 201 ? 'written up' : repeat.body);
  t.same(await numbers(p.id), [
    '01-05 null',
    '01-08 1',
    '01-12 2',
    '01-12 2',
    '01-19 3',
    '01-26 4',
    '02-02 5',
    '02-09 6',
    '02-16 7',
    '02-23 8',
  ]);
  // Cancelling a session still to come renumbers only the open ones after it.
  const jan26 = (p.sessions[3] as SessionDto).id;
  await ok('POST', `/v1/rehab-sessions/${jan26}/cancel`, 'bnnk.purbalingga', { reason: 'Kunjungan Kanwil' });
  t.same(await numbers(p.id), [
    '01-05 null',
    '01-08 1',
    '01-12 2',
    '01-12 2',
    '01-19 3',
    '01-26 null',
    '02-02 4',
    '02-09 5',
    '02-16 6',
    '02-23 7',
  ]);
  t.same(
    await h.rows(`SELECT number FROM rehab_sessions WHERE id = '${jan12.id}'`),
    [{ number: 2 }],
    'stored, not computed',
  );
  const item = await held(p.id, {
    starts_at: '2027-01-09T15:00',
    curriculum_item: 9,
    attendance: [{ enrolment_id: a.id, status: 'attended' }],
  });
  t.same(problemOf(item).pointers, ['/curriculum_item']);
});

t.test('a session renumbered by another write moves its version, so a stale If-Match is refused', async (t) => {
  const p = await tuesdays('20:00');
  const [a] = p.people as [(typeof p.people)[0]];
  const [jan5, jan12, jan19] = p.sessions as [SessionDto, SessionDto, SessionDto];
  const before = await h.call('GET', `/v1/rehab-sessions/${jan19.id}`, { token: await h.login('admin') });
  t.same([before.json().number, before.json().version, before.headers.etag], [3, 1, '"1"']);

  // Held on the 12th, and the 5th cancelled: the 19th follows the 12th, so its number stays 3.
  now = new Date('2027-01-13T00:00:00Z');
  await attend(jan12.id, [{ enrolment_id: a.id, status: 'attended' }]);
  await ok('POST', `/v1/rehab-sessions/${jan5.id}/cancel`, 'bnnk.purbalingga', { reason: 'Penggeledahan mendadak' });
  const same = await ok('GET', `/v1/rehab-sessions/${jan19.id}`, 'admin');
  t.same([same.number, same.version], [3, 1], 'a number that does not change leaves the version alone');

  // An extra session written up on the 14th, as the third item: the 19th becomes the fourth.
  now = new Date('2027-01-15T00:00:00Z');
  const extra = await held(p.id, {
    starts_at: '2027-01-14T20:00',
    curriculum_item: 3,
    attendance: [{ enrolment_id: a.id, status: 'attended' }],
  });
  t.equal(extra.statusCode, 201, extra.statusCode === 201 ? 'written up' : extra.body);
  t.equal(extra.json().version, 1, 'the session written up is at its first version');
  const after = await h.call('GET', `/v1/rehab-sessions/${jan19.id}`, { token: await h.login('admin') });
  t.same([after.json().number, after.json().version, after.headers.etag], [4, 2, '"2"']);

  const stale = await h.call('PATCH', `/v1/rehab-sessions/${jan19.id}`, {
    token: await h.login('bnnk.purbalingga'),
    headers: { 'if-match': '"1"' },
    body: { room: 'Ruang Konseling' },
  });
  t.equal(stale.statusCode, 412, 'the number the client held is stale');
  const moved = await h.call('PATCH', `/v1/rehab-sessions/${jan19.id}`, {
    token: await h.login('bnnk.purbalingga'),
    headers: { 'if-match': '"2"' },
    body: { starts_at: '2027-01-20T20:00' },
  });
  t.equal(moved.statusCode, 200, moved.statusCode === 200 ? 'moved' : moved.body);
  t.same([moved.json().number, moved.json().version], [4, 3], 'a move counts once in its own version');
});

t.test('who may write one up: the unit that runs the programme, and administrators', async (t) => {
  const p = await tuesdays('17:00');
  const [a] = p.people as [(typeof p.people)[0]];
  now = new Date('2027-01-13T00:00:00Z');
  const body = { starts_at: '2027-01-07T17:00', attendance: [{ enrolment_id: a.id, status: 'attended' }] };
  for (const [username, status] of [
    ['bnnk.kupang', 404],
    ['staff.kupang', 404],
    ['staff.banjarnegara', 403],
    ['kanwil.ntt', 404],
  ] as const) {
    t.equal((await held(p.id, body, username)).statusCode, status, username);
  }
  const res = await held(p.id, body, 'admin');
  t.equal(res.statusCode, 201, res.statusCode === 201 ? 'written up' : res.body);
});

t.test('a slot stops at the curriculum’s last item unless asked for more', async (t) => {
  now = START;
  const id = await programme({ ends_on: '2027-03-31' });
  const slot = await ok('POST', `/v1/rehab-programmes/${id}/slots`, 'bnnk.purbalingga', {
    weekday: 3,
    start_time: '09:00',
    duration_minutes: 90,
    room: 'Aula Bimker',
    facilitator_id: lead,
  });
  t.equal(slot.sessions, 8);
  const sessions = (await ok('GET', `/v1/rehab-programmes/${id}/sessions?limit=200`, 'admin')).data as {
    number: number;
    curriculum_title: string;
    starts_at: string;
  }[];
  t.same(
    sessions.map((s) => [s.number, s.curriculum_title]),
    [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, `Sesi ${n}`]),
  );
  t.equal(sessions.at(-1)?.starts_at, '2027-02-24T09:00:00+07:00');

  const more = { weekday: 5, start_time: '09:00', duration_minutes: 90, room: 'Aula Bimker', facilitator_id: lead };
  const refused = await h.call('POST', `/v1/rehab-programmes/${id}/slots`, {
    token: await h.login('bnnk.purbalingga'),
    body: more,
  });
  t.same(problemOf(refused).pointers, ['/beyond_curriculum'], 'every item has a session already');
  const beyond = await ok('POST', `/v1/rehab-programmes/${id}/slots`, 'bnnk.purbalingga', {
    ...more,
    beyond_curriculum: true,
  });
  t.equal(beyond.sessions, 12, 'every Friday from 8 January to 26 March');
  const all = (await ok('GET', `/v1/rehab-programmes/${id}/sessions?limit=200`, 'admin')).data as {
    number: number;
    curriculum_title: string | null;
  }[];
  t.same(
    all.map((s) => s.number),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  t.same(all.filter((s) => s.curriculum_title === null).length, 12, 'past the curriculum: no title');
});
