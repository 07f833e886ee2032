import t from 'tap';
import { build } from './helpers/app.ts';
import { clientToken, p4gnWorld, planOfRequest, problem } from './helpers/p4gn.ts';

// P4GN campaign events: who records them where, inside a facility under an agreement, bad input,
// totals per organisation, regency and period, corrections, the scorecard's per-facility counts,
// and each role's reach. The clock stands at 10:00 WIB (11:00 WITA) on 2 June 2025.
const NOW = new Date('2025-06-02T03:00:00Z');
const h = await build(t, {}, { clock: () => NOW });
const { org } = await p4gnWorld(h);
const fac = h.world.facilities;
const kupang = fac.kupang as string;
const banjarnegara = fac.banjarnegara as string;

const body = (over: Record<string, unknown> = {}) => ({
  kind: 'joint_campaign',
  topic: 'Bahaya narkoba bagi warga binaan',
  held_on: '2025-05-20',
  province_code: '53',
  regency: 'Kota Kupang',
  venue: 'Aula Lapas Kelas IIA Kupang',
  facility_id: kupang,
  audience_kind: 'inmates',
  audience_count: 250,
  organiser_ids: [org['bnnp.ntt'], org['kanwil.ntt']],
  ...over,
});

async function record(over: Record<string, unknown> = {}, username = 'bnnp.ntt') {
  const res = await h.call('POST', '/v1/campaigns', { token: await h.login(username), body: body(over) });
  if (res.statusCode !== 201) throw new Error(`campaign: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number };
}

t.test('a BNNP records a joint campaign inside a facility its MoU covers', async (t) => {
  const res = await h.call('POST', '/v1/campaigns', { token: await h.login('bnnp.ntt'), body: body() });
  t.equal(res.statusCode, 201);
  const c = res.json();
  t.match(c, {
    kind: 'joint_campaign',
    held_on: '2025-05-20',
    province_code: '53',
    regency: 'Kota Kupang',
    facility_id: kupang,
    audience_kind: 'inmates',
    audience_count: 250,
    notes: null,
    version: 1,
  });
  t.same([...c.organiser_ids].sort(), [org['bnnp.ntt'], org['kanwil.ntt']].sort());
  t.same(c.organisers.map((o: { name: string }) => o.name).sort(), [
    'BNNP Nusa Tenggara Timur',
    'Kanwil Ditjenpas Nusa Tenggara Timur',
  ]);
  t.equal(res.headers.location, `/v1/campaigns/${c.id}`);
  t.equal(res.headers.etag, '"1"');
  t.same(await h.rows(`SELECT audience_count, facility_id::text AS facility_id FROM campaigns WHERE id = $1`, [c.id]), [
    { audience_count: 250, facility_id: kupang },
  ]);
  t.equal(await h.count('campaign_organisers', `campaign_id = '${c.id}'`), 2);
  const trail = await h.rows<{ action: string; facility_id: string }>(
    `SELECT action, facility_id::text AS facility_id FROM audit_events WHERE entity_id = $1`,
    [c.id],
  );
  t.same(trail, [{ action: 'campaign.created', facility_id: kupang }], 'audited, tied to the facility');

  // A regency government records a community event in its own city, no facility.
  const city = await h.call('POST', '/v1/campaigns', {
    token: await h.login('pemkot.kupang'),
    body: body({
      kind: 'socialization',
      venue: 'Kelurahan Oebobo',
      facility_id: undefined,
      audience_kind: 'community',
      audience_count: 80,
      organiser_ids: [org['pemkot.kupang']],
      regency: '  kota   Kupang ',
    }),
  });
  t.equal(city.statusCode, 201);
  t.equal(city.json().regency, 'kota Kupang', 'spaces tidied');
});

t.test('bad input is refused with a problem and nothing is written', async (t) => {
  const before = await h.count('campaigns');
  const audits = await h.count('audit_events');
  const cases: [string, string, Record<string, unknown>, ReturnType<typeof problem>][] = [
    [
      'negative audience',
      'bnnp.ntt',
      { audience_count: -5 },
      { status: 400, type: 'application/problem+json', code: 'validation_failed', pointers: ['/audience_count'] },
    ],
    [
      'no organiser',
      'bnnp.ntt',
      { organiser_ids: [] },
      { status: 400, type: 'application/problem+json', code: 'validation_failed', pointers: ['/organiser_ids'] },
    ],
    [
      'unknown field',
      'bnnp.ntt',
      { colour: 'red' },
      { status: 400, type: 'application/problem+json', code: 'validation_failed', pointers: ['/'] },
    ],
    [
      'still to come at the place (WITA)',
      'bnnp.ntt',
      { held_on: '2025-06-03' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/held_on'] },
    ],
    [
      'a BNNK outside its regency',
      'bnnk.purbalingga',
      {
        province_code: '33',
        regency: 'Banjarnegara',
        facility_id: undefined,
        organiser_ids: [org['bnnk.purbalingga']],
      },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/regency'] },
    ],
    [
      'a city government in another city',
      'pemkot.kupang',
      { regency: 'Belu', facility_id: undefined, organiser_ids: [org['pemkot.kupang']] },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/regency'] },
    ],
    [
      'a BNNP in another province',
      'bnnp.ntt',
      { province_code: '52', regency: 'Kota Mataram', facility_id: undefined, organiser_ids: [org['bnnp.ntt']] },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/regency'] },
    ],
    [
      'not among the organisers',
      'bnnp.ntt',
      { organiser_ids: [org['kanwil.ntt']] },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/organiser_ids'] },
    ],
    [
      'an organiser that does not exist',
      'bnnp.ntt',
      { organiser_ids: [org['bnnp.ntt'], '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c99'] },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/organiser_ids'] },
    ],
    [
      'a facility in another regency',
      'bnnp.ntt',
      { regency: 'Kabupaten Kupang' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/facility_id'] },
    ],
    [
      'a facility without an agreement for socialization',
      // An administrator may name any organiser; BNNK Purbalingga works outside Banjarnegara.
      'admin',
      {
        province_code: '33',
        regency: 'Banjarnegara',
        facility_id: banjarnegara,
        // BNNK Purbalingga's MoU with the Rutan covers rehabilitation, urine tests and inspections only.
        organiser_ids: [org['pemkab.banjarnegara'], org['bnnk.purbalingga']],
      },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/facility_id'] },
    ],
  ];
  for (const [name, username, over, expected] of cases) {
    const res = await h.call('POST', '/v1/campaigns', { token: await h.login(username), body: body(over) });
    t.same(problem(res), expected, name);
  }
  for (const username of ['kanwil.ntt', 'staff.kupang', 'head.kupang']) {
    const res = await h.call('POST', '/v1/campaigns', { token: await h.login(username), body: body() });
    t.equal(res.statusCode, 403, `${username} may not record campaigns`);
  }
  const client = await h.call('POST', '/v1/campaigns', { token: await clientToken(h), body: body() });
  t.equal(client.statusCode, 403, 'API clients read only');
  t.equal(await h.count('campaigns'), before, 'nothing written');
  t.equal(await h.count('audit_events'), audits, 'nothing audited');

  const badQuery = await h.call('GET', '/v1/campaigns?audience_kind=aliens', { token: await h.login('admin') });
  t.equal(badQuery.statusCode, 400, 'a bad filter is a 400 on a GET');
  const badTotals = await h.call('GET', '/v1/campaign-totals?group_by=week', { token: await h.login('admin') });
  t.equal(badTotals.statusCode, 400);
});

t.test('totals per organisation, regency and period', async (t) => {
  // A fresh province keeps the sums of this test to itself: NTB, by BNNP NTB and Pemkot Mataram.
  const ntb = (over: Record<string, unknown>) =>
    body({
      province_code: '52',
      regency: 'Kota Mataram',
      venue: 'Taman Udayana',
      facility_id: undefined,
      organiser_ids: [org['bnnp.ntb']],
      ...over,
    });
  const mk = async (username: string, over: Record<string, unknown>) => {
    const res = await h.call('POST', '/v1/campaigns', { token: await h.login(username), body: ntb(over) });
    t.equal(res.statusCode, 201, `${username} ${String(over.held_on)}`);
  };
  await mk('bnnp.ntb', { held_on: '2025-01-15', audience_kind: 'students', audience_count: 120 });
  await mk('bnnp.ntb', {
    held_on: '2025-03-31',
    audience_kind: 'youth',
    audience_count: 60,
    organiser_ids: [org['bnnp.ntb'], org['pemkot.mataram']],
  });
  await mk('pemkot.mataram', {
    held_on: '2025-04-01',
    audience_kind: 'community',
    audience_count: 40,
    organiser_ids: [org['pemkot.mataram']],
  });
  await mk('bnnp.ntb', {
    held_on: '2025-05-02',
    regency: 'Lombok Barat',
    audience_kind: 'students',
    audience_count: 30,
  });
  await mk('bnnp.ntb', { held_on: '2024-12-31', audience_kind: 'government', audience_count: 25 });

  const token = await h.login('admin');
  const get = async (query: string) => {
    const res = await h.call('GET', `/v1/campaign-totals?province_code=52&${query}`, { token });
    t.equal(res.statusCode, 200, query);
    return res.json();
  };
  const byOrg = await get('group_by=organisation&from=2025-01-01&to=2025-12-31');
  t.match(byOrg.total, { events: 4, audience: 250, by_audience_kind: { students: 150, youth: 60, community: 40 } });
  t.same(
    byOrg.groups.map((g: { key: string; events: number; audience: number }) => [g.key, g.events, g.audience]),
    [
      [org['bnnp.ntb'], 3, 210],
      [org['pemkot.mataram'], 2, 100],
    ],
    'a joint event counts for each organiser, once in the total',
  );
  t.equal(byOrg.groups[0].label, 'BNNP Nusa Tenggara Barat');

  const byRegency = await get('group_by=regency&from=2025-01-01');
  t.same(
    byRegency.groups.map((g: { key: string; label: string; events: number; audience: number }) => [
      g.key,
      g.label,
      g.events,
      g.audience,
    ]),
    [
      ['52/Kota Mataram', 'Kota Mataram, Nusa Tenggara Barat', 3, 220],
      ['52/Lombok Barat', 'Lombok Barat, Nusa Tenggara Barat', 1, 30],
    ],
  );
  const byQuarter = await get('group_by=quarter');
  t.same(
    byQuarter.groups.map((g: { key: string; events: number }) => [g.key, g.events]).sort(),
    [
      ['2024-Q4', 1],
      ['2025-Q1', 2],
      ['2025-Q2', 2],
    ],
    'the quarter of the local date held: 31 March in Q1, 1 April in Q2',
  );
  const byMonth = await get('group_by=month&audience_kind=students');
  t.same(byMonth.groups.map((g: { key: string; audience: number }) => [g.key, g.audience]).sort(), [
    ['2025-01', 120],
    ['2025-05', 30],
  ]);
  const byYear = await get(`group_by=year&organisation_id=${org['pemkot.mataram']}`);
  t.same(
    byYear.groups.map((g: { key: string; events: number }) => [g.key, g.events]),
    [['2025', 2]],
  );

  // A city government's totals are its own area's: Kota Mataram, not Lombok Barat.
  const city = await h.call('GET', '/v1/campaign-totals?group_by=regency', { token: await h.login('pemkot.mataram') });
  t.same(
    city.json().groups.map((g: { key: string }) => g.key),
    ['52/Kota Mataram'],
  );
  // A national API client reads the aggregates of every province.
  const client = await h.call('GET', '/v1/campaign-totals?group_by=year&province_code=52', {
    token: await clientToken(h),
  });
  t.equal(client.statusCode, 200);
  t.equal(client.json().total.events, 5);
});

t.test('each role reaches what it should', async (t) => {
  const inside = await record();
  await record({ held_on: '2025-05-21' }); // a second one inside, for the pages below
  const community = await record(
    {
      facility_id: undefined,
      venue: 'Kelurahan Oesapa',
      audience_kind: 'youth',
      organiser_ids: [org['pemkot.kupang']],
    },
    'pemkot.kupang',
  );
  const jateng = await record(
    {
      province_code: '33',
      regency: 'Purbalingga',
      venue: 'Alun-alun Purbalingga',
      facility_id: undefined,
      audience_kind: 'students',
      organiser_ids: [org['bnnk.purbalingga']],
    },
    'bnnk.purbalingga',
  );
  const sees = async (username: string | null, id: string) => {
    const token = username ? await h.login(username) : await clientToken(h);
    return (await h.call('GET', `/v1/campaigns/${id}`, { token })).statusCode;
  };
  const expected: [string | null, number, number, number][] = [
    // username, inside Lapas Kupang, Kota Kupang community, Purbalingga
    ['admin', 200, 200, 200],
    [null, 200, 200, 200],
    ['kanwil.ntt', 200, 200, 404],
    ['viewer.bnnp.jateng', 404, 404, 200],
    ['bnnp.ntt', 200, 200, 404],
    ['bnnk.kupang', 200, 200, 404],
    ['bnnk.purbalingga', 404, 404, 200],
    ['pemprov.ntt', 200, 200, 404],
    ['pemkot.kupang', 200, 200, 404],
    ['pemkot.mataram', 404, 404, 404],
    ['staff.kupang', 200, 404, 404],
    ['head.kupang', 200, 404, 404],
    ['staff.banjarnegara', 404, 404, 404],
  ];
  for (const [username, a, b, c] of expected) {
    t.same(
      [await sees(username, inside.id), await sees(username, community.id), await sees(username, jateng.id)],
      [a, b, c],
      username ?? 'api client',
    );
  }
  const list = await h.call('GET', `/v1/campaigns?facility_id=${kupang}&limit=1`, {
    token: await h.login('staff.kupang'),
  });
  t.equal(list.statusCode, 200);
  t.equal(list.json().data.length, 1);
  t.ok(list.json().next_cursor, 'more than one inside the facility');
  const rest = await h.call('GET', `/v1/campaigns?facility_id=${kupang}&limit=200&cursor=${list.json().next_cursor}`, {
    token: await h.login('staff.kupang'),
  });
  const ids = [list.json().data[0].id, ...rest.json().data.map((c: { id: string }) => c.id)];
  t.equal(new Set(ids).size, ids.length, 'pages do not repeat');
  t.ok(ids.every(Boolean));
  t.equal(await h.count('campaigns', `facility_id = '${kupang}'`), ids.length, 'every campaign inside, once');
  const theirs = await h.call('GET', '/v1/campaigns?limit=200', { token: await h.login('bnnk.purbalingga') });
  t.same(
    theirs.json().data.map((c: { id: string }) => c.id),
    [jateng.id],
  );
});

t.test('organisers correct a campaign with If-Match; others may not', async (t) => {
  const c = await record();
  const url = `/v1/campaigns/${c.id}`;
  const token = await h.login('bnnp.ntt');
  t.equal((await h.call('PATCH', url, { token, body: { audience_count: 265 } })).statusCode, 428);
  t.equal(
    (await h.call('PATCH', url, { token, body: { audience_count: 265 }, headers: { 'if-match': '"7"' } })).statusCode,
    412,
  );
  const ok = await h.call('PATCH', url, {
    token,
    body: { audience_count: 265, notes: 'Jumlah peserta dikoreksi' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { audience_count: 265, notes: 'Jumlah peserta dikoreksi', version: 2 });
  t.equal(ok.headers.etag, '"2"');
  const [event] = await h.rows<{ before: { audience_count: number }; after: { audience_count: number } }>(
    `SELECT before, after FROM audit_events WHERE entity_id = $1 AND action = 'campaign.updated'`,
    [c.id],
  );
  t.equal(event?.before.audience_count, 250);
  t.equal(event?.after.audience_count, 265);

  const negative = await h.call('PATCH', url, { token, body: { audience_count: -1 }, headers: { 'if-match': '"2"' } });
  t.equal(negative.statusCode, 400);
  const dropSelf = await h.call('PATCH', url, {
    token,
    body: { organiser_ids: [org['kanwil.ntt']] },
    headers: { 'if-match': '"2"' },
  });
  t.same(problem(dropSelf).pointers, ['/organiser_ids'], 'the caller may not write itself out');
  // Reads the place but organised nothing: 403. Outside reach: 404. Kanwil viewers read only: 403.
  for (const [username, status] of [
    ['pemprov.ntt', 403],
    ['kanwil.ntt', 403],
    ['pemkot.mataram', 404],
    ['staff.kupang', 403],
  ] as const) {
    const res = await h.call('PATCH', url, {
      token: await h.login(username),
      body: { audience_count: 1 },
      headers: { 'if-match': '"2"' },
    });
    t.equal(res.statusCode, status, username);
  }
  t.same(await h.rows(`SELECT audience_count, version FROM campaigns WHERE id = $1`, [c.id]), [
    { audience_count: 265, version: 2 },
  ]);
});

t.test('every answer that is one campaign carries its version as ETag, replays too', async (t) => {
  const token = await h.login('bnnp.ntt');
  const post = { token, body: body({ topic: 'ETag' }), headers: { 'idempotency-key': 'campaign-etag' } };
  const created = await h.call('POST', '/v1/campaigns', post);
  t.equal(created.statusCode, 201);
  t.equal(created.headers.etag, '"1"');
  const replay = await h.call('POST', '/v1/campaigns', post);
  t.equal(replay.statusCode, 201);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.equal(replay.headers.etag, '"1"');
  t.equal(replay.headers.location, created.headers.location);
  const url = `/v1/campaigns/${created.json().id}`;
  t.equal((await h.call('GET', url, { token })).headers.etag, '"1"');
  const patched = await h.call('PATCH', url, { token, body: { audience_count: 251 }, headers: { 'if-match': '"1"' } });
  t.equal(patched.statusCode, 200);
  t.equal(patched.headers.etag, '"2"');
  t.equal((await h.call('GET', url, { token })).headers.etag, '"2"');
  t.equal((await h.call('GET', '/v1/campaigns?limit=1', { token })).headers.etag, undefined, 'a page has none');
});

t.test("a campaign held inside a facility counts in that facility's scorecard period", async (t) => {
  const indicator = async (period: string) => {
    const res = await h.call('GET', `/v1/facilities/${kupang}/scorecard?period=${period}`, {
      token: await h.login('admin'),
    });
    t.equal(res.statusCode, 200);
    return (res.json() as { indicators: { code: string; numerator: number; denominator: number }[] }).indicators.find(
      (i) => i.code === 'awareness_campaigns',
    );
  };
  const before = await indicator('2025-Q2');
  const q1Before = await indicator('2025-Q1');
  await record({ held_on: '2025-04-01', audience_kind: 'officers', audience_count: 30 });
  await record({ held_on: '2025-03-31', audience_count: 10 });
  const after = await indicator('2025-Q2');
  t.equal(after?.numerator, (before?.numerator ?? 0) + 1, 'the first day of Q2 counts; the day before does not');
  t.equal(after?.denominator, 3, 'Q2 is in its third month on 2 June');
  const [row] = await h.rows<{ n: number }>(
    `SELECT count(*)::int AS n FROM campaigns WHERE facility_id = $1 AND held_on BETWEEN '2025-04-01' AND '2025-06-02'`,
    [kupang],
  );
  t.equal(after?.numerator, row?.n, 'every campaign held inside Kupang in Q2 so far');
  const q1 = await indicator('2025-Q1');
  t.equal(q1?.numerator, (q1Before?.numerator ?? 0) + 1, "31 March's counts in Q1");
});

t.test('the agreement is judged on the day held, not today', async (t) => {
  // BNNP NTT's MoU with Lapas Kupang runs from 1 October 2024: not before.
  const token = await h.login('bnnp.ntt');
  const early = body({ held_on: '2024-09-30', organiser_ids: [org['bnnp.ntt']] });
  const before = await h.count('campaigns');
  t.same(
    problem(await h.call('POST', '/v1/campaigns', { token, body: early })),
    { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/held_on'] },
    'held before the MoU began',
  );
  t.equal(await h.count('campaigns'), before, 'nothing written');
  const first = await h.call('POST', '/v1/campaigns', {
    token,
    body: body({ held_on: '2024-10-01', organiser_ids: [org['bnnp.ntt']] }),
  });
  t.equal(first.statusCode, 201, 'its first day counts');
  const moved = await h.call('PATCH', `/v1/campaigns/${first.json().id}`, {
    token,
    body: { held_on: '2024-09-30' },
    headers: { 'if-match': '"1"' },
  });
  t.same(problem(moved).pointers, ['/held_on'], 'a correction of the day is judged again');
  t.same(await h.rows(`SELECT held_on::text AS held_on, version FROM campaigns WHERE id = $1`, [first.json().id]), [
    { held_on: '2024-10-01', version: 1 },
  ]);

  // An MoU of BNN Kota Kupang with the women's Lapas that ran through 2023 and has long expired.
  const mou = await h.call('POST', '/v1/mous', {
    token: await h.login('admin'),
    body: {
      number: 'PKS/02/I/2023/BNNK-KPG',
      title: 'Sosialisasi P4GN di Lapas Perempuan Kupang',
      bnn_unit_id: org['bnnk.kupang'],
      facility_ids: [fac['lpp.kupang']],
      scope: ['socialization'],
      signed_on: '2023-01-02',
      valid_from: '2023-01-02',
      valid_until: '2023-12-31',
    },
  });
  t.equal(mou.statusCode, 201);
  const bnnk = await h.login('bnnk.kupang');
  const held = (held_on: string) =>
    h.call('POST', '/v1/campaigns', {
      token: bnnk,
      body: body({ held_on, facility_id: fac['lpp.kupang'], organiser_ids: [org['bnnk.kupang']] }),
    });
  const inForce = await held('2023-06-01');
  t.equal(inForce.statusCode, 201, 'held while the MoU was in force, though it has expired since');
  t.same(problem(await held('2024-01-01')).pointers, ['/held_on'], 'held the day after it expired');
});

t.test('an MoU terminated on or before the day held does not count for it', async (t) => {
  const admin = await h.login('admin');
  const mou = await h.call('POST', '/v1/mous', {
    token: admin,
    body: {
      number: 'PKS/07/I/2025/BNNK-KPG',
      title: 'Penyuluhan P4GN di Lapas Perempuan Kupang',
      bnn_unit_id: org['bnnk.kupang'],
      facility_ids: [fac['lpp.kupang']],
      scope: ['socialization'],
      signed_on: '2025-01-02',
      valid_from: '2025-01-02',
      valid_until: '2027-12-31',
    },
  });
  t.equal(mou.statusCode, 201);
  const ended = await h.call('POST', `/v1/mous/${mou.json().id}/terminate`, {
    token: admin,
    body: { reason: 'Diakhiri para pihak' },
  });
  t.equal(ended.statusCode, 200);
  // A termination is stamped when it is made; one on a past day is set in the table:
  // 16:30 UTC on 10 May is 00:30 WITA on 11 May at the facility.
  await h.rows(`UPDATE mous SET terminated_at = '2025-05-10T16:30:00Z' WHERE id = $1`, [mou.json().id]);
  const held = async (held_on: string) =>
    problem(
      await h.call('POST', '/v1/campaigns', {
        token: await h.login('bnnk.kupang'),
        body: body({ held_on, facility_id: fac['lpp.kupang'], organiser_ids: [org['bnnk.kupang']] }),
      }),
    );
  const refused = { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/held_on'] };
  t.same(
    await held('2025-05-10'),
    { status: 201, type: 'application/json', code: undefined, pointers: [] },
    'the day before, in the facility’s calendar',
  );
  t.same(await held('2025-05-11'), refused, 'the day it was terminated');
  t.same(await held('2025-05-12'), refused, 'after');
});

t.test('only an organisation with the facility under agreement records inside it', async (t) => {
  const before = await h.count('campaigns');
  const pemkot = await h.login('pemkot.kupang');
  // A city government names the Kanwil to pass the rule: the recording organisation itself must
  // have the facility under agreement. The Lapas is outside its reach, so it answers as unknown.
  const borrowed = await h.call('POST', '/v1/campaigns', {
    token: pemkot,
    body: body({ organiser_ids: [org['pemkot.kupang'], org['kanwil.ntt']] }),
  });
  t.same(problem(borrowed), {
    status: 422,
    type: 'application/problem+json',
    code: 'rule_violated',
    pointers: ['/facility_id'],
  });
  const unknown = await h.call('POST', '/v1/campaigns', {
    token: pemkot,
    body: body({
      facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c99',
      organiser_ids: [org['pemkot.kupang'], org['kanwil.ntt']],
    }),
  });
  const shape = (res: typeof borrowed) => {
    const { instance: _i, request_id: _r, ...rest } = res.json();
    return rest;
  };
  t.same(shape(borrowed), shape(unknown), 'a facility out of reach answers like one that does not exist');
  t.equal(await h.count('campaigns'), before, 'nothing written');

  // Even with the facility's own BNN unit among the organisers.
  const withBnnp = await h.call('POST', '/v1/campaigns', {
    token: pemkot,
    body: body({ organiser_ids: [org['pemkot.kupang'], org['bnnp.ntt']] }),
  });
  t.same(problem(withBnnp).pointers, ['/facility_id']);
  // The BNNP records it and names the city government as co-organiser: that is fine.
  const joint = await h.call('POST', '/v1/campaigns', {
    token: await h.login('bnnp.ntt'),
    body: body({ organiser_ids: [org['bnnp.ntt'], org['pemkot.kupang']] }),
  });
  t.equal(joint.statusCode, 201);
});

t.test('co-organisers work where the event was held', async (t) => {
  const before = await h.count('campaigns');
  const audits = await h.count('audit_events');
  const pemkot = await h.login('pemkot.kupang');
  const community = (organiser_ids: unknown[]) =>
    body({ facility_id: undefined, venue: 'Kelurahan Oebobo', audience_kind: 'community', organiser_ids });
  const other = await h.call('POST', '/v1/campaigns', {
    token: pemkot,
    body: community([org['pemkot.kupang'], org['bnnp.ntb']]),
  });
  t.same(problem(other), {
    status: 422,
    type: 'application/problem+json',
    code: 'rule_violated',
    pointers: ['/organiser_ids/1'],
  });
  const two = await h.call('POST', '/v1/campaigns', {
    token: pemkot,
    body: community([org['bnnp.ntb'], org['pemkot.kupang'], org['bnnk.purbalingga']]),
  });
  t.same(problem(two).pointers, ['/organiser_ids/0', '/organiser_ids/2'], 'each one named where it is');
  t.equal(await h.count('campaigns'), before, 'nothing written');
  t.equal(await h.count('audit_events'), audits, 'nothing audited');

  // BNN RI (the country), BNNP NTT and the provincial government (the province), BNN Kota Kupang
  // (the city): all work in Kota Kupang.
  const local = await h.call('POST', '/v1/campaigns', {
    token: pemkot,
    body: community([org['pemkot.kupang'], org.bnn, org['bnnp.ntt'], org['pemprov.ntt'], org['bnnk.kupang']]),
  });
  t.equal(local.statusCode, 201);
  const added = await h.call('PATCH', `/v1/campaigns/${local.json().id}`, {
    token: pemkot,
    body: { organiser_ids: [org['pemkot.kupang'], org.bnn, org['bnnp.ntb']] },
    headers: { 'if-match': '"1"' },
  });
  t.same(problem(added).pointers, ['/organiser_ids/2'], 'nor added by a correction');
  t.equal(
    await h.count(
      'campaign_organisers co JOIN campaigns c ON c.id = co.campaign_id',
      `co.organisation_id = '${org['bnnp.ntb']}' AND c.province_code = '53'`,
    ),
    0,
    'BNNP NTB organised nothing in NTT',
  );
  // An administrator records for anyone.
  const admin = await h.call('POST', '/v1/campaigns', {
    token: await h.login('admin'),
    body: community([org['pemkot.kupang'], org['bnnp.ntb']]),
  });
  t.equal(admin.statusCode, 201);
});

t.test('the place filter has an index: province and regency without case', async (t) => {
  // The statement the list sends, as an administrator sends it: the filter alone, no reach.
  const token = await h.login('admin');
  const plan = await planOfRequest(
    h,
    () => h.call('GET', '/v1/campaigns?province_code=53&regency=kota%20kupang', { token }),
    /from "campaigns"/,
  );
  t.match(plan, /campaigns_place_idx/);
  t.match(plan, /Index Cond: .*lower\(regency\)/, 'the regency is searched in the index, not filtered after');
});
