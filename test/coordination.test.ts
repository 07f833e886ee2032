import t from 'tap';
import { build } from './helpers/app.ts';
import { matchExactly } from './helpers/match.ts';
import { clientToken, p4gnWorld, planOfRequest, problem } from './helpers/p4gn.ts';

// Coordination meetings (rakor) and their action plans: who records them, the owner's progress
// notes and status, overdue judged in each owner's time zone (WIB and WITA), bad input, and reach.
// The clock starts at 23:30 WIB on 2 June 2025, which is already 00:30 on 3 June in WITA.
let now = new Date('2025-06-02T16:30:00Z');
const h = await build(t, {}, { clock: () => now });
const { org } = await p4gnWorld(h);

const meetingBody = (over: Record<string, unknown> = {}) => ({
  organiser_id: org['bnnp.ntb'],
  title: 'Rakor KOTAN Provinsi NTB',
  held_on: '2025-05-22',
  province_code: '52',
  venue: 'Kantor BNNP NTB, Mataram',
  agenda: 'Hasil IKOTAN dan rencana aksi per instansi',
  participant_ids: [org['pemkot.mataram'], org['bnnk.purbalingga']],
  ...over,
});

async function meeting(over: Record<string, unknown> = {}, username = 'bnnp.ntb') {
  const res = await h.call('POST', '/v1/coordination-meetings', {
    token: await h.login(username),
    body: meetingBody(over),
  });
  if (res.statusCode !== 201) throw new Error(`meeting: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number };
}

async function item(meetingId: string, over: Record<string, unknown> = {}, username = 'bnnp.ntb') {
  const res = await h.call('POST', `/v1/coordination-meetings/${meetingId}/action-items`, {
    token: await h.login(username),
    body: { owner_id: org['pemkot.mataram'], description: 'Menerbitkan perwal P4GN', due_on: '2025-06-02', ...over },
  });
  if (res.statusCode !== 201) throw new Error(`item: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number };
}

async function patchItem(id: string, body: Record<string, unknown>, username: string) {
  const current = await h.call('GET', `/v1/action-items/${id}`, { token: await h.login('admin') });
  return h.call('PATCH', `/v1/action-items/${id}`, {
    token: await h.login(username),
    body,
    headers: { 'if-match': String(current.headers.etag) },
  });
}

t.test('a BNNP records a rakor and its action plan', async (t) => {
  const res = await h.call('POST', '/v1/coordination-meetings', {
    token: await h.login('bnnp.ntb'),
    body: meetingBody({ minutes: 'Disepakati rencana aksi.' }),
  });
  t.equal(res.statusCode, 201);
  const m = res.json();
  t.match(m, {
    organiser: { id: org['bnnp.ntb'], name: 'BNNP Nusa Tenggara Barat' },
    held_on: '2025-05-22',
    province_code: '52',
    regency: null,
    minutes: 'Disepakati rencana aksi.',
    action_items: { planned: 0, in_progress: 0, done: 0, dropped: 0, overdue: 0 },
    version: 1,
  });
  t.same(
    m.participants.map((p: { id: string }) => p.id).sort(),
    [org['pemkot.mataram'], org['bnnk.purbalingga']].sort(),
  );
  t.equal(await h.count('coordination_meeting_participants', `meeting_id = '${m.id}'`), 2);
  t.equal(await h.count('audit_events', `entity_id = '${m.id}' AND action = 'coordination_meeting.created'`), 1);

  const added = await h.call('POST', `/v1/coordination-meetings/${m.id}/action-items`, {
    token: await h.login('bnnp.ntb'),
    body: { owner_id: org['pemkot.mataram'], description: 'Menerbitkan perwal P4GN', due_on: '2025-08-31' },
  });
  t.equal(added.statusCode, 201);
  t.match(added.json(), {
    meeting_id: m.id,
    meeting_title: 'Rakor KOTAN Provinsi NTB',
    meeting_held_on: '2025-05-22',
    owner: { id: org['pemkot.mataram'], name: 'Pemerintah Kota Mataram', timezone: 'Asia/Makassar' },
    status: 'planned',
    closed_on: null,
    overdue: false,
    days_overdue: null,
  });
  t.same(added.json().notes, []);
  t.equal(added.headers.location, `/v1/action-items/${added.json().id}`);
  t.equal(await h.count('audit_events', `entity_id = '${added.json().id}' AND action = 'action_item.created'`), 1);
  const plan = await h.call('GET', `/v1/coordination-meetings/${m.id}/action-items`, {
    token: await h.login('bnnp.ntb'),
  });
  t.same(
    plan.json().data.map((i: { id: string }) => i.id),
    [added.json().id],
  );
  const again = await h.call('GET', `/v1/coordination-meetings/${m.id}`, { token: await h.login('bnnp.ntb') });
  t.match(again.json().action_items, { planned: 1, overdue: 0 });
});

t.test('a retried record answers as the first: same body, Location and ETag', async (t) => {
  const token = await h.login('bnnp.ntb');
  const send = (url: string, body: unknown, key: string) =>
    h.call('POST', url, { token, body, headers: { 'idempotency-key': key } });
  const first = await send('/v1/coordination-meetings', meetingBody({ title: 'Rakor ulang' }), 'coord-retry-meeting');
  const again = await send('/v1/coordination-meetings', meetingBody({ title: 'Rakor ulang' }), 'coord-retry-meeting');
  t.equal(first.statusCode, 201);
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.same(again.json(), first.json());
  t.equal(first.headers.etag, '"1"');
  t.equal(again.headers.etag, '"1"');
  t.equal(again.headers.location, `/v1/coordination-meetings/${first.json().id}`);
  const url = `/v1/coordination-meetings/${first.json().id}/action-items`;
  const body = { owner_id: org['pemkot.mataram'], description: 'Menerbitkan perwal P4GN', due_on: '2025-08-31' };
  const added = await send(url, body, 'coord-retry-item');
  const retried = await send(url, body, 'coord-retry-item');
  t.equal(retried.headers['idempotent-replayed'], 'true');
  t.same(retried.json(), added.json());
  t.equal(added.headers.etag, '"1"');
  t.equal(retried.headers.etag, '"1"');
  t.equal(retried.headers.location, `/v1/action-items/${added.json().id}`);
  t.equal(await h.count('action_items', `meeting_id = '${first.json().id}'`), 1);
});

t.test('overdue is judged in the owner time zone: WITA is a day ahead at 23:30 WIB', async (t) => {
  const m = await meeting(
    {
      organiser_id: org.bnn,
      title: 'Rakor nasional P4GN',
      province_code: '31',
      venue: 'BNN RI, Jakarta',
      participant_ids: [org['bnnp.ntb'], org['bnnk.purbalingga']],
    },
    'bnn.ri',
  );
  const wita = await item(m.id, { owner_id: org['bnnp.ntb'], due_on: '2025-06-02' }, 'bnn.ri');
  const wib = await item(m.id, { owner_id: org['bnnk.purbalingga'], due_on: '2025-06-02' }, 'bnn.ri');
  const later = await item(m.id, { owner_id: org['bnnk.purbalingga'], due_on: '2025-06-30' }, 'bnn.ri');
  const admin = await h.login('admin');
  const overdue = async (owner: string) =>
    (await h.call('GET', `/v1/action-items?owner_id=${owner}&overdue=true`, { token: admin }))
      .json()
      .data.map((i: { id: string }) => i.id);

  now = new Date('2025-06-02T16:30:00Z'); // 23:30 WIB, 00:30 WITA on 3 June
  t.same(await overdue(org['bnnp.ntb'] as string), [wita.id], 'the WITA owner is a day late');
  t.same(await overdue(org['bnnk.purbalingga'] as string), [], 'the WIB owner still has until midnight');
  const one = (await h.call('GET', `/v1/action-items/${wita.id}`, { token: admin })).json();
  t.match(one, { overdue: true, days_overdue: 1 });
  t.match((await h.call('GET', `/v1/action-items/${wib.id}`, { token: admin })).json(), {
    overdue: false,
    days_overdue: null,
  });
  t.match((await h.call('GET', `/v1/coordination-meetings/${m.id}`, { token: admin })).json().action_items, {
    planned: 3,
    overdue: 1,
  });
  // The owner sees its own promises without reading the meeting's place.
  const mine = await h.call('GET', '/v1/action-items?overdue=true', { token: await h.login('bnnp.ntb') });
  t.same(
    mine.json().data.map((i: { id: string }) => i.id),
    [wita.id],
  );
  const notOverdue = await h.call('GET', `/v1/action-items?owner_id=${org['bnnk.purbalingga']}&overdue=false`, {
    token: admin,
  });
  t.same(
    notOverdue.json().data.map((i: { id: string }) => i.id),
    [wib.id, later.id],
    'by due date',
  );

  now = new Date('2025-06-02T17:30:00Z'); // 00:30 WIB on 3 June
  t.same(await overdue(org['bnnk.purbalingga'] as string), [wib.id], 'now the WIB owner is late too');

  // Done is never overdue; closed_on is the owner's local date.
  const done = await patchItem(wib.id, { status: 'done', note: { text: 'Sudah dilaksanakan' } }, 'bnnk.purbalingga');
  t.equal(done.statusCode, 200);
  t.match(done.json(), { status: 'done', closed_on: '2025-06-03', overdue: false, days_overdue: null });
  t.same(await overdue(org['bnnk.purbalingga'] as string), []);
  now = new Date('2025-06-02T16:30:00Z');

  // Pages follow the due date and id.
  const first = await h.call('GET', `/v1/action-items?meeting_id=${m.id}&limit=2`, { token: admin });
  t.equal(first.json().data.length, 2);
  const second = await h.call('GET', `/v1/action-items?meeting_id=${m.id}&limit=2&cursor=${first.json().next_cursor}`, {
    token: admin,
  });
  t.same(
    [...first.json().data, ...second.json().data].map((i: { id: string }) => i.id).sort(),
    [wita.id, wib.id, later.id].sort(),
  );
  t.equal(second.json().next_cursor, null);
  t.equal((await h.call('GET', '/v1/action-items?cursor=bm9wZQ', { token: admin })).statusCode, 400);
  t.equal((await h.call('GET', '/v1/action-items?overdue=yes', { token: admin })).statusCode, 400);
});

t.test('the owner reports progress; bad updates change nothing', async (t) => {
  const m = await meeting();
  const i = await item(m.id, { due_on: '2025-07-31' });
  const progress = await patchItem(
    i.id,
    { status: 'in_progress', note: { text: 'Rancangan perwal dibahas bagian hukum', noted_on: '2025-06-01' } },
    'pemkot.mataram',
  );
  t.equal(progress.statusCode, 200);
  matchExactly(t, progress.json(), {
    status: 'in_progress',
    version: 2,
    notes: [{ noted_on: '2025-06-01', note: 'Rancangan perwal dibahas bagian hukum', status_after: 'in_progress' }],
  });
  const trail = await h.rows<{ before: { status: string }; after: { status: string } }>(
    `SELECT before, after FROM audit_events WHERE entity_id = $1 AND action = 'action_item.updated'`,
    [i.id],
  );
  t.same(
    trail.map((e) => [e.before.status, e.after.status]),
    [['planned', 'in_progress']],
  );

  const cases: [string, string, Record<string, unknown>, ReturnType<typeof problem>][] = [
    [
      'dropping without a note',
      'pemkot.mataram',
      { status: 'dropped' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/note'] },
    ],
    [
      'a note still to come in WITA (today is 3 June there)',
      'pemkot.mataram',
      { note: { text: 'Besok', noted_on: '2025-06-04' } },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/note/noted_on'] },
    ],
    [
      'a note before the meeting',
      'pemkot.mataram',
      { note: { text: 'Dulu', noted_on: '2025-05-01' } },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/note/noted_on'] },
    ],
    [
      'the owner moving its own due date',
      'pemkot.mataram',
      { due_on: '2025-12-31' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/due_on'] },
    ],
    [
      'the organiser moving it before the meeting',
      'bnnp.ntb',
      { due_on: '2025-05-21' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/due_on'] },
    ],
    [
      'an owner who is not at the meeting',
      'bnnp.ntb',
      { owner_id: org['pemkot.kupang'] },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/owner_id'] },
    ],
    [
      'an unknown status',
      'pemkot.mataram',
      { status: 'forgotten' },
      { status: 400, type: 'application/problem+json', code: 'validation_failed', pointers: ['/status'] },
    ],
  ];
  for (const [name, username, body, expected] of cases) {
    t.same(problem(await patchItem(i.id, body, username)), expected, name);
  }
  // A participant who does not own the item, a viewer of the province, a stranger, a client.
  for (const [username, status] of [
    ['bnnk.purbalingga', 403],
    ['pemkot.kupang', 404],
  ] as const) {
    t.equal((await patchItem(i.id, { status: 'done' }, username)).statusCode, status, username);
  }
  t.same(await h.rows(`SELECT status, version FROM action_items WHERE id = $1`, [i.id]), [
    { status: 'in_progress', version: 2 },
  ]);
  t.equal(await h.count('action_item_notes', `item_id = '${i.id}'`), 1, 'no note added by a refused update');

  const stale = await h.call('PATCH', `/v1/action-items/${i.id}`, {
    token: await h.login('pemkot.mataram'),
    body: { status: 'done' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(stale.statusCode, 412);
  const dropped = await patchItem(
    i.id,
    { status: 'dropped', note: { text: 'Digabung dengan perda provinsi' } },
    'pemkot.mataram',
  );
  t.match(dropped.json(), { status: 'dropped', closed_on: '2025-06-03' });
  const reopen = await patchItem(i.id, { status: 'in_progress' }, 'pemkot.mataram');
  t.same(problem(reopen).pointers, ['/note'], 'reopening needs a note');
  const reopened = await patchItem(i.id, { status: 'in_progress', note: { text: 'Dibuka kembali' } }, 'bnnp.ntb');
  t.match(reopened.json(), { status: 'in_progress', closed_on: null });
  t.equal(reopened.json().notes.length, 3);
});

t.test('bad meetings and items are refused; nothing is written', async (t) => {
  const m = await meeting();
  const meetings = await h.count('coordination_meetings');
  const items = await h.count('action_items');
  const post = async (username: string, body: Record<string, unknown>) =>
    h.call('POST', '/v1/coordination-meetings', { token: await h.login(username), body: meetingBody(body) });
  t.same(problem(await post('bnnp.ntb', { organiser_id: org['pemkot.mataram'] })).pointers, ['/organiser_id']);
  t.same(
    problem(await post('bnnp.ntb', { province_code: '53' })).pointers,
    ['/province_code'],
    'a BNNP outside its province',
  );
  t.same(
    problem(await post('pemkot.mataram', { organiser_id: org['pemkot.mataram'] })).pointers,
    ['/province_code'],
    'a city government may not hold a province meeting',
  );
  t.same(
    problem(await post('pemkot.mataram', { organiser_id: org['pemkot.mataram'], regency: 'Lombok Timur' })).pointers,
    ['/regency'],
  );
  t.same(problem(await post('bnnp.ntb', { participant_ids: ['01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c99'] })).pointers, [
    '/participant_ids',
  ]);
  t.equal((await post('bnnp.ntb', { agenda: '' })).statusCode, 400);
  for (const username of ['kanwil.ntt', 'staff.kupang']) {
    t.equal((await post(username, {})).statusCode, 403, username);
  }
  t.equal(
    (await h.call('POST', '/v1/coordination-meetings', { token: await clientToken(h), body: meetingBody() }))
      .statusCode,
    403,
  );
  const addItem = async (username: string, body: Record<string, unknown>) =>
    h.call('POST', `/v1/coordination-meetings/${m.id}/action-items`, {
      token: await h.login(username),
      body: { owner_id: org['pemkot.mataram'], description: 'Menyusun perda', due_on: '2025-07-01', ...body },
    });
  t.same(problem(await addItem('bnnp.ntb', { due_on: '2025-05-21' })), {
    status: 422,
    type: 'application/problem+json',
    code: 'rule_violated',
    pointers: ['/due_on'],
  });
  t.same(problem(await addItem('bnnp.ntb', { owner_id: org['pemkot.kupang'] })).pointers, ['/owner_id']);
  t.equal((await addItem('pemkot.mataram', {})).statusCode, 403, 'a participant does not write the plan');
  t.equal((await addItem('pemkot.kupang', {})).statusCode, 404, 'outside reach');
  t.equal(await h.count('coordination_meetings'), meetings);
  t.equal(await h.count('action_items'), items);

  // Meeting updates: the date may not pass a due date; an owner stays a participant.
  await item(m.id, { due_on: '2025-06-10' });
  const url = `/v1/coordination-meetings/${m.id}`;
  const token = await h.login('bnnp.ntb');
  const late = await h.call('PATCH', url, { token, body: { held_on: '2025-06-11' }, headers: { 'if-match': '"1"' } });
  t.same(problem(late).pointers, ['/held_on']);
  const orphan = await h.call('PATCH', url, {
    token,
    body: { participant_ids: [org['bnnk.purbalingga']] },
    headers: { 'if-match': '"1"' },
  });
  t.same(problem(orphan).pointers, ['/participant_ids']);
  t.equal(
    (
      await h.call('PATCH', url, {
        token: await h.login('pemkot.mataram'),
        body: { minutes: 'x y' },
        headers: { 'if-match': '"1"' },
      })
    ).statusCode,
    403,
  );
  const ok = await h.call('PATCH', url, {
    token,
    body: { minutes: 'Notulen lengkap.', held_on: '2025-05-23' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { minutes: 'Notulen lengkap.', held_on: '2025-05-23', version: 2 });
  t.equal(await h.count('audit_events', `entity_id = '${m.id}' AND action = 'coordination_meeting.updated'`), 1);
});

t.test('each role reaches meetings and items as it should', async (t) => {
  const ntb = await meeting({ title: 'Rakor NTB untuk jangkauan' });
  const ntbItem = await item(ntb.id, { owner_id: org['bnnk.purbalingga'] });
  const kupang = await meeting(
    {
      organiser_id: org['pemkot.kupang'],
      title: 'Rakor Kota Kupang',
      province_code: '53',
      regency: 'Kota Kupang',
      venue: 'Balai Kota Kupang',
      participant_ids: [org['bnnk.kupang']],
    },
    'pemkot.kupang',
  );
  const sees = async (username: string, id: string) =>
    (await h.call('GET', `/v1/coordination-meetings/${id}`, { token: await h.login(username) })).statusCode;
  const expected: [string, number, number][] = [
    // username, NTB province meeting, Kota Kupang meeting
    ['admin', 200, 200],
    ['bnn.ri', 200, 200],
    ['bnnp.ntb', 200, 404],
    ['pemkot.mataram', 200, 404], // a participant
    ['bnnk.purbalingga', 200, 404], // a participant and owner
    ['kanwil.ntt', 404, 200],
    ['bnnp.ntt', 404, 200],
    ['pemprov.ntt', 404, 200],
    ['pemkot.kupang', 404, 200],
    ['bnnk.kupang', 404, 200],
    ['viewer.bnnp.jateng', 404, 404],
    ['pemkab.banjarnegara', 404, 404],
    ['staff.kupang', 403, 403],
    ['head.banjarnegara', 403, 403],
  ];
  for (const [username, a, b] of expected) {
    t.same([await sees(username, ntb.id), await sees(username, kupang.id)], [a, b], username);
  }
  const client = await clientToken(h);
  t.equal((await h.call('GET', '/v1/coordination-meetings', { token: client })).statusCode, 403);
  t.equal((await h.call('GET', '/v1/action-items', { token: client })).statusCode, 403);
  t.equal((await h.call('GET', `/v1/action-items/${ntbItem.id}`, { token: client })).statusCode, 403);
  t.equal(
    (await h.call('GET', `/v1/action-items/${ntbItem.id}`, { token: await h.login('pemkot.kupang') })).statusCode,
    404,
  );
  const kupangList = await h.call('GET', '/v1/coordination-meetings?limit=200', {
    token: await h.login('pemkot.kupang'),
  });
  t.same(
    kupangList.json().data.map((m: { id: string }) => m.id),
    [kupang.id],
  );
  const filtered = await h.call('GET', `/v1/coordination-meetings?organisation_id=${org['bnnk.kupang']}`, {
    token: await h.login('admin'),
  });
  t.same(
    filtered.json().data.map((m: { id: string }) => m.id),
    [kupang.id],
  );
  t.equal(
    (await h.call('GET', `/v1/coordination-meetings/${kupang.id}/action-items`, { token: await h.login('bnnp.ntb') }))
      .statusCode,
    404,
  );
});

t.test(
  'a meeting date and an item due date changed at once: never an item due before its meeting',
  { skip: h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const token = await h.login('bnnp.ntb');
    for (let round = 0; round < 8; round++) {
      const m = await meeting({ title: `Rakor serentak ${round}`, held_on: '2025-05-01' });
      const i = await item(m.id, { due_on: '2025-05-10' });
      const [moved, earlier] = await Promise.all([
        h.call('PATCH', `/v1/coordination-meetings/${m.id}`, {
          token,
          body: { held_on: '2025-05-08' },
          headers: { 'if-match': '"1"' },
        }),
        h.call('PATCH', `/v1/action-items/${i.id}`, {
          token,
          body: { due_on: '2025-05-05' },
          headers: { 'if-match': '"1"' },
        }),
      ]);
      t.same(
        [moved.statusCode, earlier.statusCode].sort(),
        [200, 422],
        `round ${round}: one change wins, the other is judged against it`,
      );
      const [row] = await h.rows<{ held: string; due: string }>(
        `SELECT m.held_on::text AS held, i.due_on::text AS due
           FROM action_items i JOIN coordination_meetings m ON m.id = i.meeting_id WHERE i.id = $1`,
        [i.id],
      );
      t.ok(row && row.due >= row.held, `round ${round}: due ${row?.due} not before the meeting ${row?.held}`);
    }
  },
);

t.test(
  'a participant dropped while it is made an owner: never an owner outside the meeting',
  { skip: h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const token = await h.login('bnnp.ntb');
    for (let round = 0; round < 8; round++) {
      const m = await meeting({ title: `Rakor peserta ${round}` });
      const i = await item(m.id, { owner_id: org['bnnp.ntb'] });
      const [dropped, handed] = await Promise.all([
        h.call('PATCH', `/v1/coordination-meetings/${m.id}`, {
          token,
          body: { participant_ids: [org['bnnk.purbalingga']] },
          headers: { 'if-match': '"1"' },
        }),
        h.call('PATCH', `/v1/action-items/${i.id}`, {
          token,
          body: { owner_id: org['pemkot.mataram'] },
          headers: { 'if-match': '"1"' },
        }),
      ]);
      t.same([dropped.statusCode, handed.statusCode].sort(), [200, 422], `round ${round}: one change wins`);
      const [row] = await h.rows<{ fine: boolean }>(
        `SELECT i.owner_id = m.organiser_id OR EXISTS (SELECT 1 FROM coordination_meeting_participants p
                  WHERE p.meeting_id = m.id AND p.organisation_id = i.owner_id) AS fine
           FROM action_items i JOIN coordination_meetings m ON m.id = i.meeting_id WHERE i.id = $1`,
        [i.id],
      );
      t.equal(row?.fine, true, `round ${round}: the owner took part in the meeting`);
    }
  },
);

t.test('the list filters have indexes', async (t) => {
  // The statements the lists send, as an administrator sends them: the filters alone, no reach.
  const token = await h.login('admin');
  const place = await planOfRequest(
    h,
    () => h.call('GET', '/v1/coordination-meetings?province_code=52&regency=kota%20mataram', { token }),
    /from "coordination_meetings"/,
  );
  t.match(place, /coordination_meetings_place_idx/);
  t.match(place, /Index Cond: .*lower\(regency\)/, 'the regency is searched in the index');
  // An owner's items in the list's order, whatever their status: no sort, no scan of others' items.
  for (const status of ['done', 'planned']) {
    const owner = await planOfRequest(
      h,
      () => h.call('GET', `/v1/action-items?owner_id=${org['pemkot.mataram']}&status=${status}`, { token }),
      /from "action_items"/,
    );
    t.match(owner, /Index Scan using action_items_owner_idx/, status);
    t.notMatch(owner, /Sort/, `${status}: read in order`);
  }
});
