import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// Officer training: trainings and who may record them, participants in batches under a capacity,
// attendance and scores, certificates issued once, coverage on a date, and each role's reach.
// The service's clock stands at 10:00 WIB (11:00 WITA) on 2 June 2025 unless a test moves it.
const NOW = new Date('2025-06-02T03:00:00Z');
let now = NOW;
const h = await build(t, {}, { clock: () => now });
const fac = h.world.facilities;
const org = h.world.organisations;
const banjarnegara = fac.banjarnegara as string;
const purwokerto = fac.purwokerto as string;
const kupang = fac.kupang as string;
const lppKupang = fac['lpp.kupang'] as string;
const bnnpNtt = org['bnnp.ntt'] as string;
const purbalingga = org['bnnk.purbalingga'] as string;
const kanwilNtt = org['kanwil.ntt'] as string;
const kanwilJateng = org['kanwil.jateng'] as string;

let serial = 0;
const next = () => ++serial;

async function hire(facility: string, over: Record<string, unknown> = {}, username = 'admin') {
  const n = next();
  const res = await h.call('POST', `/v1/facilities/${facility}/officers`, {
    token: await h.login(username),
    body: {
      nip: `19850417201012${String(1000 + n).padStart(4, '0')}`,
      name: `Petugas Latih ${n}`,
      sex: 'male',
      position: 'Penjaga',
      unit: 'KPR',
      joined_on: '2010-12-01',
      ...over,
    },
  });
  if (res.statusCode !== 201) throw new Error(`hire: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; pseudonym: string; name: string; nip: string };
}

const trainingBody = (over: Record<string, unknown> = {}) => ({
  title: 'Deteksi dini peredaran narkoba',
  topic: 'early_detection',
  organiser_type: 'bnn_unit',
  organiser_id: bnnpNtt,
  starts_on: '2025-02-10',
  ends_on: '2025-02-12',
  hours: 24,
  venue: 'Aula Lapas Kelas IIA Kupang',
  mode: 'in_person',
  facility_ids: [kupang, lppKupang],
  trainers: ['dr. Maria Nenobais'],
  capacity: 40,
  ...over,
});

async function createTraining(over: Record<string, unknown> = {}, username = 'bnnp.ntt') {
  const res = await h.call('POST', '/v1/trainings', { token: await h.login(username), body: trainingBody(over) });
  if (res.statusCode !== 201) throw new Error(`training: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number; facility_ids: string[] };
}

async function add(
  trainingId: string,
  officerIds: string[],
  username = 'bnnp.ntt',
  headers: Record<string, string> = {},
) {
  return h.call('POST', `/v1/trainings/${trainingId}/participants`, {
    token: await h.login(username),
    body: { officer_ids: officerIds },
    headers,
  });
}

async function enrol(trainingId: string, officerIds: string[], username = 'bnnp.ntt') {
  const res = await add(trainingId, officerIds, username);
  if (res.statusCode !== 201) throw new Error(`add: ${res.statusCode} ${res.body}`);
  return res.json().data as { id: string; version: number; officer: { id: string } }[];
}

async function record(
  trainingId: string,
  participant: { id: string },
  body: Record<string, unknown>,
  username = 'bnnp.ntt',
) {
  const url = `/v1/trainings/${trainingId}/participants/${participant.id}`;
  const token = await h.login(username);
  const current = await h.call('GET', url, { token: await h.login('admin') });
  return h.call('PATCH', url, { token, body, headers: { 'if-match': String(current.headers.etag) } });
}

async function clientToken() {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  return res.json().access_token as string;
}

const problem = (res: { statusCode: number; headers: Record<string, unknown>; json(): Record<string, unknown> }) => ({
  status: res.statusCode,
  type: String(res.headers['content-type']).split(';')[0],
  code: res.json().code,
  pointers: ((res.json().errors as { pointer: string }[] | undefined) ?? []).map((e) => e.pointer),
});

t.test('a BNN unit records a training for the facilities its MoU covers; bad ones are refused', async (t) => {
  const token = await h.login('bnnp.ntt');
  const res = await h.call('POST', '/v1/trainings', { token, body: trainingBody() });
  t.equal(res.statusCode, 201);
  const body = res.json();
  t.match(body, {
    title: 'Deteksi dini peredaran narkoba',
    topic: 'early_detection',
    organiser_type: 'bnn_unit',
    organiser_id: bnnpNtt,
    organiser_name: 'BNNP Nusa Tenggara Timur',
    starts_on: '2025-02-10',
    ends_on: '2025-02-12',
    hours: 24,
    mode: 'in_person',
    capacity: 40,
    pass_mark: 70,
    participants: 0,
    version: 1,
  });
  t.same(body.trainers, ['dr. Maria Nenobais']);
  t.same([...body.facility_ids].sort(), [kupang, lppKupang].sort());
  t.equal(res.headers.location, `/v1/trainings/${body.id}`);
  t.equal(res.headers.etag, '"1"');
  const trail = await h.rows<{ action: string; facility_id: string }>(
    `SELECT action, facility_id FROM audit_events WHERE entity_id = $1 ORDER BY facility_id`,
    [body.id],
  );
  t.same(
    trail.map((e) => e.facility_id),
    [kupang, lppKupang].sort(),
    'one audit event per facility taking part',
  );
  t.ok(trail.every((e) => e.action === 'training.created'));

  const before = await h.count('trainings');
  const refused: [string, string, Record<string, unknown>, number, string, string?][] = [
    ['ends before it starts', 'bnnp.ntt', { ends_on: '2025-02-09' }, 422, 'rule_violated', '/ends_on'],
    ['an unknown field', 'bnnp.ntt', { budget: 10 }, 400, 'validation_failed'],
    ['an unknown topic', 'bnnp.ntt', { topic: 'cooking' }, 400, 'validation_failed', '/topic'],
    ['no capacity', 'bnnp.ntt', { capacity: 0 }, 400, 'validation_failed', '/capacity'],
    ['a pass mark over 100', 'bnnp.ntt', { pass_mark: 101 }, 400, 'validation_failed', '/pass_mark'],
    ['no facilities', 'bnnp.ntt', { facility_ids: [] }, 400, 'validation_failed', '/facility_ids'],
    ['a facility twice', 'bnnp.ntt', { facility_ids: [kupang, kupang] }, 400, 'validation_failed', '/facility_ids'],
    ['a facility outside the MoU', 'bnnp.ntt', { facility_ids: [kupang, banjarnegara] }, 422, 'rule_violated'],
    ['another unit as organiser', 'bnnp.ntt', { organiser_id: purbalingga }, 422, 'rule_violated', '/organiser_id'],
    [
      'a unit whose MoU lacks training',
      'admin',
      { organiser_id: purbalingga, facility_ids: [banjarnegara] },
      422,
      'rule_violated',
      '/facility_ids',
    ],
    [
      'a Kanwil of another province',
      'admin',
      { organiser_type: 'kanwil', organiser_id: kanwilNtt, facility_ids: [banjarnegara] },
      422,
      'rule_violated',
      '/organiser_id',
    ],
    [
      'a facility organising for another',
      'admin',
      { organiser_type: 'facility', organiser_id: kupang, facility_ids: [banjarnegara] },
      422,
      'rule_violated',
      '/organiser_id',
    ],
    [
      "staff recording a BNN unit's training",
      'staff.kupang',
      { facility_ids: [kupang] },
      422,
      'rule_violated',
      '/organiser_id',
    ],
    [
      'staff recording for a facility not theirs',
      'staff.kupang',
      { organiser_type: 'kanwil', organiser_id: kanwilNtt, facility_ids: [kupang, lppKupang] },
      422,
      'rule_violated',
      '/facility_ids',
    ],
    ['a regional viewer', 'kanwil.ntt', {}, 403, 'forbidden'],
  ];
  for (const [what, username, over, status, code, pointer] of refused) {
    const bad = await h.call('POST', '/v1/trainings', { token: await h.login(username), body: trainingBody(over) });
    const p = problem(bad);
    t.equal(p.status, status, what);
    t.equal(p.type, 'application/problem+json', what);
    t.equal(p.code, code, what);
    if (pointer) t.ok(p.pointers.includes(pointer), `${what}: ${pointer} in ${p.pointers}`);
  }
  const client = await h.call('POST', '/v1/trainings', { token: await clientToken(), body: trainingBody() });
  t.equal(client.statusCode, 403, 'an API client reads only');
  t.equal(await h.count('trainings'), before, 'nothing written by refused requests');

  const own = await h.call('POST', '/v1/trainings', {
    token: await h.login('staff.kupang'),
    body: trainingBody({ organiser_type: 'facility', organiser_id: kupang, facility_ids: [kupang], pass_mark: 75 }),
  });
  t.equal(own.statusCode, 201, "staff record their own facility's training");
  t.match(own.json(), { organiser_type: 'facility', organiser_name: 'Lapas Kelas IIA Kupang', pass_mark: 75 });
  const kanwil = await h.call('POST', '/v1/trainings', {
    token: await h.login('head.banjarnegara'),
    body: trainingBody({ organiser_type: 'kanwil', organiser_id: kanwilJateng, facility_ids: [banjarnegara] }),
  });
  t.equal(kanwil.statusCode, 201, "the head records the Kanwil's training for the facility");
});

t.test('who sees a training, and who may change it', async (t) => {
  const ntt = await createTraining({ title: 'Teknik penggeledahan', topic: 'search_techniques' });
  const jateng = await createTraining(
    { organiser_type: 'facility', organiser_id: banjarnegara, facility_ids: [banjarnegara] },
    'staff.banjarnegara',
  );
  const cases: [string, boolean, boolean][] = [
    // username, sees the NTT training, sees the Banjarnegara one
    ['admin', true, true],
    ['staff.banjarnegara', false, true],
    ['head.banjarnegara', false, true],
    ['bnnk.purbalingga', false, false], // its MoU with Banjarnegara has no training in scope
    ['staff.kupang', true, false],
    ['head.kupang', true, false],
    ['kanwil.ntt', true, false],
    ['bnnp.ntt', true, false],
  ];
  for (const [username, seesNtt, seesJateng] of cases) {
    const token = await h.login(username);
    for (const [training, sees] of [
      [ntt, seesNtt],
      [jateng, seesJateng],
    ] as const) {
      const one = await h.call('GET', `/v1/trainings/${training.id}`, { token });
      t.equal(one.statusCode, sees ? 200 : 404, `${username} GET ${training === ntt ? 'NTT' : 'Banjarnegara'}`);
      const list = await h.call('GET', `/v1/trainings?limit=200`, { token });
      t.equal(
        list.json().data.some((x: { id: string }) => x.id === training.id),
        sees,
        `${username} lists ${training === ntt ? 'NTT' : 'Banjarnegara'}`,
      );
    }
  }
  const client = await clientToken();
  const seen = await h.call('GET', `/v1/trainings/${ntt.id}`, { token: client });
  t.equal(seen.statusCode, 200, 'a national API client reads');
  t.equal(seen.json().trainers, null, 'trainers are named only with personal_data');

  const filtered = await h.call('GET', `/v1/trainings?facility_id=${banjarnegara}&topic=early_detection&limit=200`, {
    token: await h.login('admin'),
  });
  t.ok(
    filtered
      .json()
      .data.every(
        (x: { facility_ids: string[]; topic: string }) =>
          x.facility_ids.includes(banjarnegara) && x.topic === 'early_detection',
      ),
  );
  t.ok(filtered.json().data.some((x: { id: string }) => x.id === jateng.id));
  const period = await h.call('GET', '/v1/trainings?from=2025-03-01&limit=200', { token: await h.login('admin') });
  t.same(period.json().data, [], 'no training ends after 1 March 2025');

  const url = `/v1/trainings/${ntt.id}`;
  const patch = (username: string, body: Record<string, unknown>, version = '"1"') =>
    h.login(username).then((token) => h.call('PATCH', url, { token, body, headers: { 'if-match': version } }));
  t.equal((await patch('staff.kupang', { capacity: 45 })).statusCode, 403, "staff do not change a BNN unit's training");
  t.equal((await patch('kanwil.ntt', { capacity: 45 })).statusCode, 403);
  t.equal((await patch('staff.banjarnegara', { capacity: 45 })).statusCode, 404);
  const noMatch = await h.call('PATCH', url, { token: await h.login('bnnp.ntt'), body: { capacity: 45 } });
  t.equal(noMatch.statusCode, 428);
  const ok = await patch('bnnp.ntt', { capacity: 45, venue: 'Aula Kanwil NTT' });
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { capacity: 45, venue: 'Aula Kanwil NTT', version: 2 });
  t.equal((await patch('bnnp.ntt', { capacity: 46 })).statusCode, 412, 'stale ETag');
  const [updated] = await h.rows<{ before: string; after: string }>(
    `SELECT before->>'capacity' AS before, after->>'capacity' AS after FROM audit_events
      WHERE entity_id = $1 AND action = 'training.updated' AND facility_id = $2`,
    [ntt.id, kupang],
  );
  t.same(updated, { before: '40', after: '45' }, 'the change is audited with before and after');
});

t.test('participants are added in batches: all or nothing, within capacity', async (t) => {
  const training = await createTraining({ capacity: 4 });
  const a = await hire(kupang);
  const b = await hire(lppKupang);
  const elsewhere = await hire(banjarnegara);
  const gone = await hire(kupang, { status: 'retired', left_on: '2025-01-31' });
  const later = await hire(kupang, { joined_on: '2025-03-01' });
  const c = await hire(kupang);

  const refused = await add(training.id, [
    a.id,
    elsewhere.id,
    gone.id,
    later.id,
    '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c99',
  ]);
  t.equal(refused.statusCode, 422);
  t.same(
    refused.json().errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]),
    [
      ['/officer_ids/1', 'not an officer of a facility taking part in this training'],
      ['/officer_ids/2', 'not in service during the training'],
      ['/officer_ids/3', 'not in service during the training'],
      ['/officer_ids/4', 'not an officer of a facility taking part in this training'],
    ],
  );
  t.equal(await h.count('training_participants', `training_id = '${training.id}'`), 0, 'nobody added');

  const added = await add(training.id, [a.id, b.id], 'bnnp.ntt', { 'idempotency-key': `add-${training.id}` });
  t.equal(added.statusCode, 201);
  const rows = added.json().data;
  t.same(rows.map((p: { officer: { id: string } }) => p.officer.id).sort(), [a.id, b.id].sort());
  t.match(rows[0], {
    training_id: training.id,
    attended_days: null,
    attended_hours: null,
    pre_test_score: null,
    post_test_score: null,
    passed: null,
    certificate_number: null,
    version: 1,
  });
  const retry = await add(training.id, [a.id, b.id], 'bnnp.ntt', { 'idempotency-key': `add-${training.id}` });
  t.equal(retry.statusCode, 201);
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.same(retry.json(), added.json(), 'a retry gets the first answer');
  t.equal(await h.count('training_participants', `training_id = '${training.id}'`), 2, 'and adds nobody twice');

  const again = await add(training.id, [c.id, a.id]);
  t.equal(again.statusCode, 422);
  t.same(
    again.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/officer_ids/1'],
    'already a participant',
  );

  const crowd = [await hire(kupang), await hire(kupang), await hire(kupang)];
  const over = await add(
    training.id,
    crowd.map((o) => o.id),
  );
  t.equal(over.statusCode, 409, 'three more do not fit in the two places left');
  t.match(over.json().detail, /4 places, 2 taken/);
  t.equal(await h.count('training_participants', `training_id = '${training.id}'`), 2);

  const theirs = await add(training.id, [b.id], 'staff.kupang');
  t.equal(theirs.statusCode, 422, "staff add only their own facility's officers");
  const trail = await h.rows<{ facility_id: string; n: number }>(
    `SELECT facility_id, jsonb_array_length(after->'participants')::int AS n FROM audit_events
      WHERE entity_id = $1 AND action = 'training.participants_added' ORDER BY facility_id`,
    [training.id],
  );
  t.same(
    trail.map((e) => [e.facility_id, e.n]),
    [
      [kupang, 1],
      [lppKupang, 1],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    'one audit event per facility',
  );

  const cases: [string, number, string[] | null][] = [
    // username, GET participants status, the participants seen
    ['admin', 200, [a.id, b.id]],
    ['bnnp.ntt', 200, [a.id, b.id]],
    ['kanwil.ntt', 200, [a.id, b.id]],
    ['staff.kupang', 200, [a.id]],
    ['head.kupang', 200, [a.id]],
    ['staff.banjarnegara', 404, null],
    ['bnnk.purbalingga', 404, null],
  ];
  for (const [username, status, seen] of cases) {
    const res = await h.call('GET', `/v1/trainings/${training.id}/participants`, { token: await h.login(username) });
    t.equal(res.statusCode, status, `${username} lists participants`);
    if (seen) {
      t.same(
        res
          .json()
          .data.map((p: { officer: { id: string } }) => p.officer.id)
          .sort(),
        [...seen].sort(),
        username,
      );
    }
  }
  const lppOne = rows.find((p: { officer: { id: string } }) => p.officer.id === b.id);
  const hidden = await h.call('GET', `/v1/trainings/${training.id}/participants/${lppOne.id}`, {
    token: await h.login('staff.kupang'),
  });
  t.equal(hidden.statusCode, 404, 'a participant of another facility is out of reach');
  const client = await h.call('GET', `/v1/trainings/${training.id}/participants`, { token: await clientToken() });
  t.equal(client.statusCode, 200);
  t.ok(
    client
      .json()
      .data.every(
        (p: { officer: { name: unknown; nip: unknown; pseudonym: string } }) =>
          p.officer.name === null && p.officer.nip === null && /^PTG-/.test(p.officer.pseudonym),
      ),
    'pseudonymous without personal_data',
  );
  const viewed = await h.count('audit_events', `action = 'officer.viewed' AND after->>'url' LIKE '%${training.id}%'`);
  t.ok(viewed >= 1, 'reads of named participants are audited');
});

t.test('a staff member adds officers of their own facility to a Kanwil training', async (t) => {
  const training = await createTraining({ organiser_type: 'kanwil', organiser_id: kanwilNtt, capacity: 10 }, 'admin');
  const ours = await hire(kupang);
  const theirs = await hire(lppKupang);
  const res = await add(training.id, [ours.id, theirs.id], 'staff.kupang');
  t.equal(res.statusCode, 422);
  t.same(
    res.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/officer_ids/1'],
    'an officer out of reach is refused',
  );
  t.equal((await add(training.id, [ours.id], 'staff.kupang')).statusCode, 201);
  t.equal((await add(training.id, [theirs.id], 'kanwil.ntt')).statusCode, 403, 'a regional viewer only reads');
  const drop = await h.call('PATCH', `/v1/trainings/${training.id}`, {
    token: await h.login('staff.kupang'),
    body: { facility_ids: [kupang] },
    headers: { 'if-match': '"1"' },
  });
  t.equal(drop.statusCode, 422, 'staff do not take another facility out');
  t.equal(
    (await h.call('GET', `/v1/trainings/${training.id}`, { token: await h.login('admin') })).json().facility_ids.length,
    2,
  );
  const lpp = await createTraining(
    { organiser_type: 'facility', organiser_id: lppKupang, facility_ids: [kupang, lppKupang] },
    'admin',
  );
  const foreign = await h.call('PATCH', `/v1/trainings/${lpp.id}`, {
    token: await h.login('staff.kupang'),
    body: { title: 'Judul lain' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(foreign.statusCode, 403, "another facility's own training is kept by its staff");
});

t.test('attendance and scores: recorded after the start, checked, audited', async (t) => {
  const training = await createTraining({ pass_mark: 70 });
  const [p] = await enrol(training.id, [(await hire(kupang)).id]);
  const participant = p as { id: string };
  const url = `/v1/trainings/${training.id}/participants/${participant.id}`;
  const token = await h.login('bnnp.ntt');
  const before = await h.rows(`SELECT * FROM training_participants WHERE id = $1`, [participant.id]);

  const refused: [string, Record<string, unknown>, number, string][] = [
    ['a post-test over 100', { post_test_score: 100.5 }, 400, '/post_test_score'],
    ['a negative pre-test', { pre_test_score: -1 }, 400, '/pre_test_score'],
    ['attendance before the training starts', { attended_days: ['2025-02-09'] }, 422, '/attended_days/0'],
    ['attendance after it ends', { attended_days: ['2025-02-10', '2025-02-13'] }, 422, '/attended_days/1'],
    ['a day twice', { attended_days: ['2025-02-10', '2025-02-10'] }, 400, '/attended_days'],
    ['days and hours both', { attended_days: ['2025-02-10'], attended_hours: 8 }, 422, '/attended_hours'],
    ['more hours than the training', { attended_hours: 25 }, 422, '/attended_hours'],
    ['an unknown field', { remarks: 'x' }, 400, '/'],
  ];
  for (const [what, body, status, pointer] of refused) {
    const res = await h.call('PATCH', url, { token, body, headers: { 'if-match': '"1"' } });
    const pr = problem(res);
    t.equal(pr.status, status, what);
    t.equal(pr.type, 'application/problem+json', what);
    if (pointer !== '/') t.ok(pr.pointers.includes(pointer), `${what}: ${pointer} in ${pr.pointers}`);
  }
  t.same(
    await h.rows(`SELECT * FROM training_participants WHERE id = $1`, [participant.id]),
    before,
    'nothing changed',
  );
  t.equal((await h.call('PATCH', url, { token, body: { pre_test_score: 50 } })).statusCode, 428);
  t.equal(
    (
      await h.call('PATCH', url, {
        token: await h.login('kanwil.ntt'),
        body: { pre_test_score: 50 },
        headers: { 'if-match': '"1"' },
      })
    ).statusCode,
    403,
  );
  t.equal(
    (
      await h.call('PATCH', url, {
        token: await h.login('staff.banjarnegara'),
        body: { pre_test_score: 50 },
        headers: { 'if-match': '"1"' },
      })
    ).statusCode,
    404,
  );

  const ok = await h.call('PATCH', url, {
    token,
    body: { attended_days: ['2025-02-12', '2025-02-10'], pre_test_score: 55, post_test_score: 68.5 },
    headers: { 'if-match': '"1"' },
  });
  t.equal(ok.statusCode, 200);
  t.same(ok.json().attended_days, ['2025-02-10', '2025-02-12'], 'in date order');
  t.match(ok.json(), {
    attended_hours: 16,
    attendance_rate: 0.667,
    pre_test_score: 55,
    post_test_score: 68.5,
    passed: false,
    version: 2,
  });
  t.equal(ok.headers.etag, '"2"');
  t.equal((await h.call('GET', url, { token })).headers.etag, '"2"', 'a read gives the same ETag');
  const amended = await h.call('PATCH', url, {
    token,
    body: { attended_hours: 22.5, post_test_score: 82.5 },
    headers: { 'if-match': '"2"' },
  });
  t.match(amended.json(), { attended_days: null, attended_hours: 22.5, attendance_rate: 0.938, passed: true });
  t.equal(
    (await h.call('PATCH', url, { token, body: { pre_test_score: 1 }, headers: { 'if-match': '"2"' } })).statusCode,
    412,
  );
  const trail = await h.rows<{ before: string; after: string; actor: string }>(
    `SELECT before->>'post_test_score' AS before, after->>'post_test_score' AS after, actor_role AS actor
       FROM audit_events WHERE entity_id = $1 AND action = 'training.participant_updated' ORDER BY seq`,
    [participant.id],
  );
  t.same(trail, [
    { before: null, after: '68.5', actor: 'bnn_officer' },
    { before: '68.5', after: '82.5', actor: 'bnn_officer' },
  ]);

  const fewer = await h.call('PATCH', `/v1/trainings/${training.id}`, {
    token,
    body: { hours: 20 },
    headers: { 'if-match': '"1"' },
  });
  t.equal(fewer.statusCode, 422, 'hours below what a participant attended');
  t.ok(problem(fewer).pointers.includes('/hours'));
  const pass = await h.call('PATCH', `/v1/trainings/${training.id}`, {
    token,
    body: { pass_mark: 60 },
    headers: { 'if-match': '"1"' },
  });
  t.equal(pass.statusCode, 422, 'the pass mark is fixed once post-tests are scored');
  const shrink = await h.call('PATCH', `/v1/trainings/${training.id}`, {
    token,
    body: { ends_on: '2025-02-11' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(shrink.statusCode, 200, 'hours recorded in total do not pin the dates');
  const noRoom = await h.call('PATCH', `/v1/trainings/${training.id}`, {
    token,
    body: { facility_ids: [lppKupang] },
    headers: { 'if-match': '"2"' },
  });
  t.equal(noRoom.statusCode, 422, 'a facility whose officers take part stays');
});

t.test('nothing is recorded before a training starts, by the facility’s own calendar', async (t) => {
  // 16:30 UTC on 2 June: 23:30 in Banjarnegara (WIB), already 00:30 on 3 June in Kupang (WITA).
  const starts = { starts_on: '2025-06-03', ends_on: '2025-06-03', hours: 8 };
  const ntt = await createTraining(starts);
  const jateng = await createTraining(
    { ...starts, organiser_type: 'facility', organiser_id: banjarnegara, facility_ids: [banjarnegara] },
    'admin',
  );
  const [k] = await enrol(ntt.id, [(await hire(kupang)).id]);
  const [j] = await enrol(jateng.id, [(await hire(banjarnegara)).id], 'admin');
  now = new Date('2025-06-02T16:30:00Z');
  try {
    const early = await record(jateng.id, j as { id: string }, { attended_days: ['2025-06-03'] }, 'admin');
    t.equal(early.statusCode, 422, 'still 2 June in Banjarnegara');
    t.match(early.json().detail, /starts on 2025-06-03/);
    const onTime = await record(ntt.id, k as { id: string }, { attended_days: ['2025-06-03'] });
    t.equal(onTime.statusCode, 200, 'already 3 June in Kupang');
    now = new Date('2025-06-02T12:00:00Z');
    const future = await record(ntt.id, k as { id: string }, { pre_test_score: 40 });
    t.equal(future.statusCode, 422, 'nothing at all before the start');
  } finally {
    now = NOW;
  }
});

t.test('a certificate is issued once, to a participant who passed, and freezes the record', async (t) => {
  const training = await createTraining({ pass_mark: 75 });
  const people = await enrol(training.id, [(await hire(kupang)).id, (await hire(lppKupang)).id]);
  const passer = people[0] as { id: string };
  const failer = people[1] as { id: string };
  t.equal(
    (
      await record(training.id, passer, {
        attended_days: ['2025-02-10', '2025-02-11', '2025-02-12'],
        post_test_score: 75,
      })
    ).statusCode,
    200,
  );
  t.equal((await record(training.id, failer, { post_test_score: 74.99 })).statusCode, 200);
  const token = await h.login('bnnp.ntt');
  const certify = (p: { id: string }, username = 'bnnp.ntt') =>
    h
      .login(username)
      .then((tk) => h.call('POST', `/v1/trainings/${training.id}/participants/${p.id}/certificate`, { token: tk }));

  const refused = await certify(failer);
  t.equal(refused.statusCode, 422, 'no certificate below the pass mark');
  t.match(refused.json().detail, /at least 75/);
  t.equal((await certify(passer, 'kanwil.ntt')).statusCode, 403);
  t.equal((await certify(passer, 'staff.banjarnegara')).statusCode, 404);
  t.equal(
    await h.count('training_participants', `certificate_number IS NOT NULL AND training_id = '${training.id}'`),
    0,
  );

  const issued = await certify(passer);
  t.equal(issued.statusCode, 201);
  t.match(issued.json(), { passed: true, certificate_number: /^BERSINAR\/PLT\/2025\/\d{6}$/, version: 3 });
  t.equal(issued.headers.etag, '"3"', 'the certificate moves the version, and the ETag with it');
  t.ok(issued.json().certificate_issued_at);
  const twice = await certify(passer);
  t.equal(twice.statusCode, 409, 'issued once');
  const amend = await h.call('PATCH', `/v1/trainings/${training.id}/participants/${passer.id}`, {
    token,
    body: { post_test_score: 90 },
    headers: { 'if-match': '"3"' },
  });
  t.equal(amend.statusCode, 409, 'the record is final');
  for (const statement of [
    'UPDATE training_participants SET post_test_score = 10 WHERE id = $1',
    'DELETE FROM training_participants WHERE id = $1',
  ]) {
    const refusal = await h.rows(statement, [passer.id]).then(
      () => 'accepted',
      (err: Error & { cause?: Error }) => String(err.cause?.message ?? err.message),
    );
    t.match(refusal, /is frozen/, `the database refuses too: ${statement.split(' ')[0]}`);
  }
  const dates = await h.call('PATCH', `/v1/trainings/${training.id}`, {
    token,
    body: { hours: 30 },
    headers: { 'if-match': '"1"' },
  });
  t.equal(dates.statusCode, 409, 'what a certificate attests stays');
  const [event] = await h.rows<{ number: string }>(
    `SELECT after->>'certificate_number' AS number FROM audit_events WHERE entity_id = $1 AND action = 'training.certificate_issued'`,
    [passer.id],
  );
  t.equal(event?.number, issued.json().certificate_number, 'the issue is audited');
  const passedOnly = await h.call('GET', `/v1/trainings/${training.id}/participants?passed=true`, { token });
  t.same(
    passedOnly.json().data.map((p: { id: string }) => p.id),
    [passer.id],
  );
  const notPassed = await h.call('GET', `/v1/trainings/${training.id}/participants?passed=false`, { token });
  t.same(
    notPassed.json().data.map((p: { id: string }) => p.id),
    [failer.id],
  );
});

t.test('coverage on a date counts the officers in service then, and who is due', async (t) => {
  // Purwokerto (WIB) has no officers but these. Trainings are the facility's own, recorded by an administrator.
  const A = await hire(purwokerto, { name: 'A Terlatih' });
  const B = await hire(purwokerto, { name: 'B Lama' });
  const C = await hire(purwokerto, { name: 'C Gagal' });
  const D = await hire(purwokerto, { name: 'D Baru', joined_on: '2025-05-15' });
  const E = await hire(purwokerto, { name: 'E Pensiun', status: 'retired', left_on: '2025-05-20' });
  const F = await hire(purwokerto, { name: 'F Nonaktif', status: 'inactive' });
  const G = await hire(purwokerto, { name: 'G Baru Lulus', joined_on: '2011-01-03' });
  const own = { organiser_type: 'facility', organiser_id: purwokerto, facility_ids: [purwokerto], capacity: 20 };
  async function held(over: Record<string, unknown>, scores: [{ id: string }, number][]) {
    const training = await createTraining({ ...own, ...over }, 'admin');
    const participants = await enrol(
      training.id,
      scores.map(([o]) => o.id),
      'admin',
    );
    for (const [o, score] of scores) {
      const p = participants.find((x) => x.officer.id === o.id) as { id: string };
      const res = await record(training.id, p, { post_test_score: score }, 'admin');
      if (res.statusCode !== 200) throw new Error(`score: ${res.statusCode} ${res.body}`);
    }
  }
  await held({ topic: 'early_detection', starts_on: '2025-02-10', ends_on: '2025-02-12' }, [
    [A, 80],
    [C, 50],
    [E, 90],
  ]);
  await held({ topic: 'p4gn_awareness', starts_on: '2025-03-03', ends_on: '2025-03-03', hours: 6 }, [[A, 70]]);
  await held({ topic: 'search_techniques', starts_on: '2024-05-30', ends_on: '2024-06-01' }, [[B, 95]]);
  await held({ topic: 'urine_testing_procedure', starts_on: '2025-06-01', ends_on: '2025-06-01', hours: 8 }, [[G, 71]]);

  const token = await h.login('admin');
  const june = await h.call('GET', `/v1/facilities/${purwokerto}/training-coverage?on=2025-06-01`, { token });
  t.equal(june.statusCode, 200);
  const topics = (res: typeof june) =>
    Object.fromEntries(res.json().topics.map((x: { topic: string; trained: number }) => [x.topic, x.trained]));
  t.match(june.json(), {
    facility_id: purwokerto,
    on: '2025-06-01',
    window_months: 12,
    window_from: '2024-06-01',
    officers: 5, // A B C D G: E has left, F is inactive
    trained: 2, // A, and G on the last day; B's training ended on the window's first (excluded) day
    share: 0.4,
  });
  t.same(topics(june), {
    early_detection: 1,
    p4gn_awareness: 1,
    search_techniques: 0,
    assessment_and_counselling: 0,
    urine_testing_procedure: 1,
    other: 0,
  });
  t.same(
    june
      .json()
      .due.map((o: { id: string; last_trained_on: string | null; name: string }) => [o.name, o.last_trained_on]),
    [
      ['C Gagal', null],
      ['D Baru', null],
      ['B Lama', '2024-06-01'],
    ],
    'never trained first (by joining date), then the longest ago',
  );
  t.notOk(
    june.json().due.some((o: { id: string }) => [E.id, F.id].includes(o.id)),
    'those not in service are not due',
  );
  t.equal(june.json().due[1].id, D.id);

  const may = await h.call('GET', `/v1/facilities/${purwokerto}/training-coverage?on=2025-05-01`, { token });
  t.match(may.json(), {
    window_from: '2024-05-01',
    officers: 5, // A B C E G: D had not joined
    trained: 3, // A, B (ended 1 June 2024), E; G's training ends after the date
    share: 0.6,
  });
  t.same(
    may.json().due.map((o: { id: string }) => o.id),
    [C.id, G.id],
  );
  t.equal(topics(may).search_techniques, 1);

  const today = await h.call('GET', `/v1/facilities/${purwokerto}/training-coverage`, { token });
  t.equal(today.json().on, '2025-06-02', "today in the facility's calendar by default");
  t.equal(today.json().officers, 5);
  const empty = await h.call('GET', `/v1/facilities/${purwokerto}/training-coverage?on=2000-01-01`, { token });
  t.match(empty.json(), { officers: 0, trained: 0, share: null });
  t.same(empty.json().due, []);

  const viewed = await h.count('audit_events', `action = 'officer.viewed' AND facility_id = '${purwokerto}'`);
  t.ok(viewed >= 1, 'a named due list is an audited read');
  const client = await h.call('GET', `/v1/facilities/${purwokerto}/training-coverage?on=2025-06-01`, {
    token: await clientToken(),
  });
  t.equal(client.statusCode, 200);
  t.ok(
    client.json().due.every((o: { name: unknown; nip: unknown }) => o.name === null && o.nip === null),
    'pseudonymous without personal_data',
  );
  t.equal(client.json().trained, 2);

  for (const [username, status] of [
    ['staff.banjarnegara', 404],
    ['bnnk.purbalingga', 404],
    ['kanwil.ntt', 404],
    ['staff.kupang', 404],
  ] as const) {
    const res = await h.call('GET', `/v1/facilities/${purwokerto}/training-coverage`, {
      token: await h.login(username),
    });
    t.equal(res.statusCode, status, `${username} reaches no coverage of Purwokerto`);
  }
  const bnnk = await h.call('GET', `/v1/facilities/${banjarnegara}/training-coverage`, {
    token: await h.login('bnnk.purbalingga'),
  });
  t.equal(bnnk.statusCode, 404, 'an MoU without training in scope gives no reach');
  const bad = await h.call('GET', `/v1/facilities/${purwokerto}/training-coverage?on=2025-13-01`, { token });
  t.equal(bad.statusCode, 400);

  const province = await h.call('GET', '/v1/training-coverage?province_code=33&on=2025-06-01', { token });
  t.equal(province.statusCode, 200);
  const row = province.json().facilities.find((f: { facility_id: string }) => f.facility_id === purwokerto);
  t.match(row, { name: 'Lapas Kelas IIA Purwokerto', province_code: '33', officers: 5, trained: 2, share: 0.4 });
  t.ok(province.json().facilities.every((f: { province_code: string }) => f.province_code === '33'));
  const [jateng] = province.json().provinces;
  t.equal(province.json().provinces.length, 1);
  const sum = (key: 'officers' | 'trained') =>
    province.json().facilities.reduce((n: number, f: Record<string, number>) => n + (f[key] as number), 0);
  t.match(jateng, {
    province_code: '33',
    facilities: province.json().facilities.length,
    officers: sum('officers'),
    trained: sum('trained'),
  });

  const kanwil = await h.call('GET', '/v1/training-coverage?on=2025-06-01', { token: await h.login('kanwil.ntt') });
  t.same(
    kanwil.json().provinces.map((p: { province_code: string }) => p.province_code),
    ['53'],
    'a Kanwil viewer sees its own province',
  );
  t.same(
    kanwil
      .json()
      .facilities.map((f: { facility_id: string }) => f.facility_id)
      .sort(),
    [kupang, lppKupang].sort(),
  );
  const elsewhere = await h.call('GET', '/v1/training-coverage?province_code=33', {
    token: await h.login('kanwil.ntt'),
  });
  t.same(elsewhere.json().facilities, [], 'and nothing of another');
  const none = await h.call('GET', '/v1/training-coverage', { token: await h.login('bnnk.purbalingga') });
  t.same(none.json().facilities, []);
});

t.test('two batches racing for the last places: one wins', { skip: h.test.kind !== 'server' }, async (t) => {
  const training = await createTraining({ capacity: 3 });
  const first = [await hire(kupang), await hire(kupang)];
  const second = [await hire(kupang), await hire(kupang)];
  const answers = await Promise.all(
    [first, second].map((batch) =>
      add(
        training.id,
        batch.map((o) => o.id),
      ),
    ),
  );
  t.same(answers.map((r) => r.statusCode).sort(), [201, 409]);
  t.equal(await h.count('training_participants', `training_id = '${training.id}'`), 2);
});
