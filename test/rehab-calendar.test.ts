import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// The facility-wide session list a week calendar reads: GET /v1/rehab-sessions?facility_id=&from=&to=.
// Local dates in the facility's zone, both ends included, every programme of the facility, in time
// order then id, keyset-paged; who reaches the facility reads it, anyone else gets a 404.
// The clock stands at 07:00 WIB on Monday 4 January 2027; nothing here moves it.
const now = new Date('2027-01-04T00:00:00Z');
const h = await build(t, {}, { clock: () => now });
const banjarnegara = h.world.facilities.banjarnegara as string;
const kupang = h.world.facilities.kupang as string;
const bnnkKupang = h.world.organisations['bnnk.kupang'] as string;
const purbalingga = h.world.organisations['bnnk.purbalingga'] as string;

async function ok(method: string, url: string, username: string, body?: unknown) {
  const res = await h.call(method, url, { token: await h.login(username), body });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

// People: a second Purbalingga facilitator, a BNN Kota Kupang officer, a Kanwil Jawa Tengah viewer.
const user = (username: string, role: string, organisation_id: string) =>
  ok('POST', '/v1/users', 'admin', { username, display_name: username, password: PASSWORD, role, organisation_id });
const [leadRow] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'bnnk.purbalingga'`);
const lead = leadRow?.id as string;
const second = (await user('konselor.purbalingga', 'bnn_officer', purbalingga)).id as string;
const kupangOfficer = (await user('bnnk.kupang', 'bnn_officer', bnnkKupang)).id as string;
await user('kanwil.jateng', 'regional_viewer', h.world.organisations['kanwil.jateng'] as string);
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

const programme = async (username: string, over: Record<string, unknown>) =>
  (
    await ok('POST', '/v1/rehab-programmes', username, {
      facility_id: banjarnegara,
      mou_id: mouRow?.id,
      title: 'Konseling kelompok WBP pengguna',
      modality: 'group_counselling',
      curriculum: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ number: n, title: `Sesi ${n}`, duration_minutes: 90 })),
      starts_on: '2027-01-04',
      ends_on: '2027-02-26',
      capacity: 10,
      rooms: ['Aula Bimker'],
      facilitators: [{ user_id: lead, role: 'lead' }],
      ...over,
    })
  ).id as string;
const progA = await programme('bnnk.purbalingga', { title: 'Program A' });
const progB = await programme('bnnk.purbalingga', {
  title: 'Program B',
  rooms: ['Ruang Konseling'],
  facilitators: [{ user_id: second, role: 'lead' }],
});
const progK = await programme('bnnk.kupang', {
  facility_id: kupang,
  mou_id: mouKupang,
  title: 'Program Kupang',
  rooms: ['Aula Lapas'],
  facilitators: [{ user_id: kupangOfficer, role: 'lead' }],
});

/** Books one session; starts_at is local time in the facility's zone. */
async function session(programmeId: string, starts_at: string, duration_minutes = 30) {
  const [p] = await h.rows<{ rooms: string[]; facility_id: string }>(
    'SELECT rooms, facility_id FROM rehab_programmes WHERE id = $1',
    [programmeId],
  );
  const facilitator = programmeId === progA ? lead : programmeId === progB ? second : kupangOfficer;
  const username = programmeId === progK ? 'bnnk.kupang' : 'bnnk.purbalingga';
  return (
    await ok('POST', `/v1/rehab-programmes/${programmeId}/sessions`, username, {
      starts_at,
      duration_minutes,
      room: p?.rooms[0],
      facilitator_id: facilitator,
    })
  ).id as string;
}

// Banjarnegara (WIB), the week of Monday 11 to Sunday 17 January 2027 and its edges.
const before = await session(progA, '2027-01-10T23:30'); // the Sunday before: out
const first = await session(progA, '2027-01-11T00:00'); // the week's first instant: in
const tieA = await session(progA, '2027-01-12T09:00'); // two programmes at the same time: by id
const tieB = await session(progB, '2027-01-12T09:00');
const cancelled = await session(progB, '2027-01-14T10:00');
await ok('POST', `/v1/rehab-sessions/${cancelled}/cancel`, 'bnnk.purbalingga', { reason: 'Penggeledahan blok' });
const last = await session(progB, '2027-01-17T23:30'); // the week's last half hour: in
const after = await session(progA, '2027-01-18T00:00'); // the Monday after: out
// Kupang (WITA): 00:30 on the 11th there is still the 10th in WIB.
const kupangFirst = await session(progK, '2027-01-11T00:30');
const kupangBefore = await session(progK, '2027-01-10T23:30');
const kupangMidweek = await session(progK, '2027-01-13T09:00'); // inside Banjarnegara's week, elsewhere

const [lower, higher] = [tieA, tieB].sort();
const WEEK = [first, lower, higher, cancelled, last] as string[];
const week = (extra = '') => `/v1/rehab-sessions?facility_id=${banjarnegara}&from=2027-01-11&to=2027-01-17${extra}`;

type Page = {
  data: { id: string; starts_at: string; programme_id: string; status: string }[];
  next_cursor: string | null;
};

t.test('a week of the facility’s sessions: every programme, both days included, in time order', async (t) => {
  const res = await h.call('GET', week(), { token: await h.login('admin') });
  t.equal(res.statusCode, 200);
  const body = res.json() as Page;
  t.same(
    body.data.map((s) => s.id),
    WEEK,
    'from the first instant of the 11th to the last of the 17th, ties by id, cancelled ones too',
  );
  t.equal(body.next_cursor, null);
  t.same(
    body.data.map((s) => s.starts_at),
    [
      '2027-01-11T00:00:00+07:00',
      '2027-01-12T09:00:00+07:00',
      '2027-01-12T09:00:00+07:00',
      '2027-01-14T10:00:00+07:00',
      '2027-01-17T23:30:00+07:00',
    ],
  );
  for (const item of body.data) {
    t.strictSame(item, await ok('GET', `/v1/rehab-sessions/${item.id}`, 'admin'), 'each as the session reads');
  }
  t.notOk(
    body.data.some((s) => [before, after, kupangMidweek].includes(s.id)),
    'not the days around it, nor another facility',
  );
  const day = (await ok('GET', week().replace('to=2027-01-17', 'to=2027-01-11'), 'admin')) as Page;
  t.same(
    day.data.map((s) => s.id),
    [first],
    'from and to the same day: that day',
  );
});

t.test('the days are the facility’s own: Kupang counts in WITA', async (t) => {
  const res = (await ok(
    'GET',
    `/v1/rehab-sessions?facility_id=${kupang}&from=2027-01-11&to=2027-01-11`,
    'admin',
  )) as Page;
  t.same(
    res.data.map((s) => [s.id, s.starts_at]),
    [[kupangFirst, '2027-01-11T00:30:00+08:00']],
  );
  const eve = (await ok(
    'GET',
    `/v1/rehab-sessions?facility_id=${kupang}&from=2027-01-10&to=2027-01-10`,
    'admin',
  )) as Page;
  t.same(
    eve.data.map((s) => s.id),
    [kupangBefore],
  );
});

t.test('a calendar filters by programme and by status', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const ids = async (extra: string) =>
    ((await h.call('GET', week(extra), { token })).json() as Page).data.map((s) => s.id);
  t.same(await ids(`&programme_id=${progA}`), [first, tieA]);
  t.same(await ids(`&programme_id=${progB}`), [tieB, cancelled, last]);
  t.same(await ids('&status=cancelled'), [cancelled]);
  t.same(await ids('&status=scheduled'), [first, lower, higher, last]);
  t.same(await ids(`&programme_id=${progB}&status=scheduled`), [tieB, last]);
  t.same(await ids(`&programme_id=${progK}`), [], 'a programme of another facility: nothing');
});

t.test('pages in time order, each session once, the cursor carrying the last one’s start', async (t) => {
  const token = await h.login('bnnk.purbalingga');
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const res: Page = (await h.call('GET', week(`&limit=2${cursor ? `&cursor=${cursor}` : ''}`), { token })).json();
    pages.push(res.data.map((s) => s.id));
    cursor = res.next_cursor;
  } while (cursor);
  t.same(pages, [[first, lower], [higher, cancelled], [last]]);
  const bad = await h.call('GET', week('&cursor=bm9wZQ'), { token });
  t.equal(bad.statusCode, 400, 'an unreadable cursor');
  t.equal(bad.json().code, 'invalid_cursor');
});

t.test('who reaches the facility reads its calendar; anyone else gets a 404', async (t) => {
  const cases: [string, boolean, boolean][] = [
    // username, reaches Banjarnegara, reaches Kupang
    ['admin', true, true],
    ['bnnk.purbalingga', true, false], // its MoU in force with rehabilitation covers Banjarnegara
    ['bnnk.kupang', false, true],
    ['staff.banjarnegara', true, false],
    ['head.banjarnegara', true, false],
    ['kanwil.jateng', true, false],
    ['staff.kupang', false, true],
    ['head.kupang', false, true],
    ['kanwil.ntt', false, true],
    ['bnnp.ntt', false, false], // its MoU with Kupang has no rehabilitation in scope
    ['pemkab.purbalingga', false, false],
  ];
  for (const [username, jateng, ntt] of cases) {
    const token = await h.login(username);
    const b = await h.call('GET', week(), { token });
    t.equal(b.statusCode, jateng ? 200 : 404, `${username}: Banjarnegara`);
    if (jateng)
      t.same(
        (b.json() as Page).data.map((s) => s.id),
        WEEK,
        `${username}: the whole week`,
      );
    else t.equal(b.json().code, 'not_found');
    const k = await h.call('GET', `/v1/rehab-sessions?facility_id=${kupang}&from=2027-01-11&to=2027-01-11`, { token });
    t.equal(k.statusCode, ntt ? 200 : 404, `${username}: Kupang`);
  }
  const none = await h.call(
    'GET',
    '/v1/rehab-sessions?facility_id=00000000-0000-7000-8000-000000000000&from=2027-01-11&to=2027-01-17',
    { token: await h.login('admin') },
  );
  t.equal(none.statusCode, 404, 'a facility that does not exist, as one out of reach');
});

t.test('bad input is a 400 problem naming the field', async (t) => {
  const token = await h.login('admin');
  const base = `facility_id=${banjarnegara}&from=2027-01-11&to=2027-01-17`;
  const cases: [string, string][] = [
    ['from=2027-01-11&to=2027-01-17', '/facility_id'],
    [`facility_id=${banjarnegara}&to=2027-01-17`, '/from'],
    [`facility_id=${banjarnegara}&from=2027-01-11`, '/to'],
    ['facility_id=banjarnegara&from=2027-01-11&to=2027-01-17', '/facility_id'],
    [`facility_id=${banjarnegara}&from=2027-02-30&to=2027-03-01`, '/from'],
    [`facility_id=${banjarnegara}&from=2027-01-11&to=2027-01-10`, '/to'],
    [`facility_id=${banjarnegara}&from=2027-01-01&to=2027-03-04`, '/to'],
    [`${base}&programme_id=A`, '/programme_id'],
    [`${base}&status=held`, '/status'],
    [`${base}&limit=0`, '/limit'],
    [`${base}&limit=201`, '/limit'],
    [`${base}&week=2`, '/'],
  ];
  for (const [query, pointer] of cases) {
    const res = await h.call('GET', `/v1/rehab-sessions?${query}`, { token });
    const body = res.json();
    t.equal(res.statusCode, 400, query);
    t.equal(String(res.headers['content-type']).split(';')[0], 'application/problem+json', query);
    t.equal(body.code, 'validation_failed', query);
    t.same(
      body.errors.map((e: { in: string; pointer: string }) => [e.in, e.pointer]),
      [['querystring', pointer]],
      query,
    );
  }
  const unknown = await h.call('GET', `/v1/rehab-sessions?${base}&week=2`, { token });
  t.equal(unknown.json().errors[0].detail, 'Unrecognized key: "week"', 'an unknown parameter, named');
  const span = async (to: string, language: string) =>
    h.call('GET', `/v1/rehab-sessions?facility_id=${banjarnegara}&from=2027-01-01&to=${to}`, {
      token,
      headers: { 'accept-language': language },
    });
  t.equal((await span('2027-03-03', 'en')).statusCode, 200, '62 days, both included: allowed');
  t.equal((await span('2027-03-04', 'en')).json().errors[0].detail, 'at most 62 days from from to to, both included');
  t.equal(
    (await span('2027-03-04', 'id')).json().errors[0].detail,
    'paling banyak 62 hari dari from sampai to, keduanya termasuk',
  );
  const backwards = await h.call(
    'GET',
    `/v1/rehab-sessions?facility_id=${banjarnegara}&from=2027-01-11&to=2027-01-10`,
    {
      token,
    },
  );
  t.equal(backwards.json().errors[0].detail, 'to is before from');
});
