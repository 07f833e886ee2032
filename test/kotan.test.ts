import t from 'tap';
import { loadConfig } from '../src/config.ts';
import { bandOf, kotanInstrument, score } from '../src/modules/kotan/instrument.ts';
import { build } from './helpers/app.ts';
import { clientToken, p4gnWorld, problem } from './helpers/p4gn.ts';

// KOTAN assessments: scoring from the instrument, the band edges after rounding to two decimals,
// last year's comparison, the ranking of a province, refusals (range, missing variable, second
// assessment, outside the area, dates), corrections, and who reads what.
const NOW = new Date('2025-06-02T03:00:00Z');
const h = await build(t, {}, { clock: () => NOW });
const { org } = await p4gnWorld(h);

const INDICATORS = {
  family_resilience: ['family_drug_awareness', 'parenting_programmes', 'family_early_detection'],
  community_resilience: ['anti_drug_volunteers', 'community_prevention_activities', 'drug_free_villages'],
  territory: ['vulnerable_areas_mapped', 'vulnerable_areas_intervened', 'prevalence_trend'],
  institutions: ['p4gn_regulation', 'p4gn_budget', 'p4gn_team', 'rehabilitation_services'],
  law: ['case_handling', 'integrated_assessment', 'enforcement_cooperation'],
} as const;

/** Every indicator at one score, or per variable. */
function scores(value: number | Partial<Record<keyof typeof INDICATORS, number>>) {
  return Object.fromEntries(
    Object.entries(INDICATORS).map(([variable, codes]) => [
      variable,
      Object.fromEntries(
        codes.map((c) => [c, typeof value === 'number' ? value : (value[variable as keyof typeof INDICATORS] ?? 0)]),
      ),
    ]),
  ) as Record<string, Record<string, number>>;
}

const body = (over: Record<string, unknown> = {}) => ({
  province_code: '53',
  regency: 'Kota Kupang',
  year: 2024,
  assessor_name: 'Yohanes Bria',
  assessed_on: '2024-11-18',
  scores: scores(50),
  evidence_notes: 'Perwali P4GN No. 12/2023',
  ...over,
});

async function assess(over: Record<string, unknown> = {}, username = 'bnnp.ntt') {
  const res = await h.call('POST', '/v1/kotan-assessments', { token: await h.login(username), body: body(over) });
  if (res.statusCode !== 201) throw new Error(`assessment: ${res.statusCode} ${res.body}`);
  return res.json();
}

t.test('the band is read from the index rounded to two decimals, at every edge', async (t) => {
  const cases: [number, number, string][] = [
    [0, 0, 'not_responsive'],
    [25, 25, 'not_responsive'],
    [25.004, 25, 'not_responsive'],
    [25.005, 25.01, 'fairly_responsive'],
    [25.01, 25.01, 'fairly_responsive'],
    [50, 50, 'fairly_responsive'],
    [50.01, 50.01, 'responsive'],
    [75, 75, 'responsive'],
    [75.01, 75.01, 'very_responsive'],
    [100, 100, 'very_responsive'],
  ];
  let n = 0;
  for (const [given, index, band] of cases) {
    const res = await h.call('POST', '/v1/kotan-assessments', {
      token: await h.login('bnnp.ntt'),
      body: body({ regency: `Kabupaten Uji ${++n}`, year: 2023, assessed_on: '2023-12-01', scores: scores(given) }),
    });
    t.equal(res.statusCode, 201, `${given}`);
    t.match(res.json(), { index, band }, `${given} gives ${index}, ${band}`);
    const [stored] = await h.rows<{ index: string; band: string }>(
      `SELECT index::text AS index, band FROM kotan_assessments WHERE id = $1`,
      [res.json().id],
    );
    t.same(stored, { index: index.toFixed(2), band }, 'stored as numeric(5,2)');
  }
  // The database holds the same rule.
  const refused = await h.rows(`UPDATE kotan_assessments SET band = 'fairly_responsive' WHERE index = 25.00`).then(
    () => 'accepted',
    (err: { cause?: { constraint?: string } }) => err.cause?.constraint,
  );
  t.equal(refused, 'kotan_assessments_band_ck');
  t.equal(bandOf(25), 'not_responsive');
  t.equal(bandOf(25.01), 'fairly_responsive');
  t.equal(bandOf(75.01), 'very_responsive');
});

t.test('variables are weighted means of their indicators; the index of the variables', async (t) => {
  const res = await h.call('POST', '/v1/kotan-assessments', {
    token: await h.login('bnnp.ntt'),
    body: body({
      regency: 'Sikka',
      scores: {
        ...scores({ family_resilience: 60, community_resilience: 40, territory: 80, law: 20 }),
        institutions: { p4gn_regulation: 100, p4gn_budget: 50, p4gn_team: 0, rehabilitation_services: 0 },
      },
    }),
  });
  t.equal(res.statusCode, 201);
  const a = res.json();
  t.same(
    a.variables.map((v: { code: string; score: number; weight: number }) => [v.code, v.score, v.weight]),
    [
      ['family_resilience', 60, 20],
      ['community_resilience', 40, 20],
      ['territory', 80, 20],
      ['institutions', 37.5, 20],
      ['law', 20, 20],
    ],
  );
  t.equal(a.index, 47.5);
  t.equal(a.band, 'fairly_responsive');
  t.equal(a.previous, null);
  t.match(a, {
    province_name: 'Nusa Tenggara Timur',
    assessor: { organisation_id: org['bnnp.ntt'], organisation_name: 'BNNP Nusa Tenggara Timur', name: 'Yohanes Bria' },
    version: 1,
  });
  t.equal(res.headers.location, `/v1/kotan-assessments/${a.id}`);
  const [stored] = await h.rows<{ instrument: { variables: { code: string }[] }; institutions: string }>(
    `SELECT instrument, institutions::text AS institutions FROM kotan_assessments WHERE id = $1`,
    [a.id],
  );
  t.equal(stored?.institutions, '37.50');
  t.equal(stored?.instrument.variables.length, 5, 'the instrument used is kept');
  t.equal(await h.count('audit_events', `entity_id = '${a.id}' AND action = 'kotan_assessment.created'`), 1);

  // The instrument and its weights come from KOTAN_CONFIG.
  const instrument = kotanInstrument(
    JSON.stringify({
      variables: { law: { weight: 60, indicators: [{ code: 'convictions', name: 'Convictions', min: 1, max: 5 }] } },
    }),
  );
  const given = { ...scores(50), law: { convictions: 4 } };
  t.match(
    score(instrument, given),
    { variables: { law: 75 }, index: 60.71 },
    '(4 × 20 × 50 + 60 × 75) / 140 = 60.714… → 60.71',
  );
  t.throws(
    () => loadConfig({ KOTAN_CONFIG: '{"variables":{"law":{"weight":-1}}}' }),
    /KOTAN_CONFIG: variables\.law\.weight/,
  );
  t.throws(() => loadConfig({ KOTAN_CONFIG: '{"variables":{"trust":{}}}' }), /KOTAN_CONFIG/);
  t.throws(() => loadConfig({ KOTAN_CONFIG: 'not json' }), /KOTAN_CONFIG/);
  const shown = await h.call('GET', '/v1/kotan-instrument', { token: await clientToken(h) });
  t.equal(shown.statusCode, 200);
  t.same(
    shown.json().variables.map((v: { code: string; indicators: unknown[] }) => [v.code, v.indicators.length]),
    [
      ['family_resilience', 3],
      ['community_resilience', 3],
      ['territory', 3],
      ['institutions', 4],
      ['law', 3],
    ],
  );
});

t.test('last year and the ranking of a province', async (t) => {
  // 2022: a year no other subtest assesses, so that the ranking is this subtest's own.
  const in2022 = { year: 2022, assessed_on: '2022-11-18' };
  const last = await assess({ regency: 'Belu', year: 2021, assessed_on: '2021-11-20', scores: scores(40) });
  const belu = await assess({
    regency: 'BELU',
    ...in2022,
    scores: scores({ family_resilience: 70, community_resilience: 60, territory: 60, institutions: 60, law: 65 }),
  });
  t.equal(belu.index, 63);
  t.match(belu.previous, { id: last.id, year: 2021, index: 40, band: 'fairly_responsive', change: 23 });
  t.same(
    belu.variables.map((v: { change: number }) => v.change),
    [30, 20, 20, 20, 25],
  );
  await assess({ regency: 'Alor', ...in2022, scores: scores(80) });
  await assess({ regency: 'Ende', ...in2022, scores: scores(63) });
  await assess({ regency: 'Sikka', ...in2022, scores: scores(45) });
  await assess({ regency: 'Kota Mataram', province_code: '52', ...in2022, scores: scores(90) }, 'bnnp.ntb');

  const token = await h.login('kanwil.ntt');
  const ranked = await h.call('GET', '/v1/kotan-assessments?province_code=53&year=2022', { token });
  t.equal(ranked.statusCode, 200);
  t.same(
    ranked
      .json()
      .data.map((a: { regency: string; index: number; rank_in_province: number; assessed_in_province: number }) => [
        a.regency,
        a.index,
        a.rank_in_province,
        a.assessed_in_province,
      ]),
    [
      ['Alor', 80, 1, 4],
      ['BELU', 63, 2, 4],
      ['Ende', 63, 2, 4],
      ['Sikka', 45, 4, 4],
    ],
    'ties share a rank; the next takes its place after them',
  );
  // Pages of one: the same ranking, nothing repeated or lost.
  const seen: string[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const url: string = `/v1/kotan-assessments?province_code=53&year=2022&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await h.call('GET', url, { token });
    seen.push(...res.json().data.map((a: { regency: string }) => a.regency));
    cursor = res.json().next_cursor;
  }
  t.same(
    seen,
    ranked.json().data.map((a: { regency: string }) => a.regency),
  );
  const band = await h.call('GET', '/v1/kotan-assessments?year=2022&band=very_responsive', {
    token: await h.login('admin'),
  });
  t.same(
    band.json().data.map((a: { regency: string }) => a.regency),
    ['Kota Mataram', 'Alor'],
  );
  t.equal((await h.call('GET', '/v1/kotan-assessments?year=1999', { token })).statusCode, 400);
  t.equal((await h.call('GET', '/v1/kotan-assessments?cursor=abc', { token })).statusCode, 400);
});

t.test('bad assessments are refused and nothing is written', async (t) => {
  await assess({ regency: 'Kabupaten Kupang' });
  const before = await h.count('kotan_assessments');
  const audits = await h.count('audit_events');
  const outOfRange = scores(50);
  (outOfRange.law as Record<string, number>).case_handling = 101;
  const missingIndicator = scores(50);
  delete (missingIndicator.territory as Record<string, number>).prevalence_trend;
  const unknownIndicator = scores(50);
  (unknownIndicator.law as Record<string, number>).bribery = 10;
  const { law: _law, ...noLaw } = scores(50);
  const cases: [string, string, Record<string, unknown>, ReturnType<typeof problem>][] = [
    [
      'a score outside its range',
      'bnnp.ntt',
      { regency: 'Rote Ndao', scores: outOfRange },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/scores/law/case_handling'] },
    ],
    [
      'a variable missing',
      'bnnp.ntt',
      { regency: 'Rote Ndao', scores: noLaw },
      { status: 400, type: 'application/problem+json', code: 'validation_failed', pointers: ['/scores/law'] },
    ],
    [
      'an indicator missing',
      'bnnp.ntt',
      { regency: 'Rote Ndao', scores: missingIndicator },
      {
        status: 422,
        type: 'application/problem+json',
        code: 'rule_violated',
        pointers: ['/scores/territory/prevalence_trend'],
      },
    ],
    [
      'an indicator the instrument does not have',
      'bnnp.ntt',
      { regency: 'Rote Ndao', scores: unknownIndicator },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/scores/law/bribery'] },
    ],
    [
      'a second assessment of the regency and year',
      'bnnp.ntt',
      { regency: 'kabupaten  kupang' },
      { status: 409, type: 'application/problem+json', code: 'conflict', pointers: [] },
    ],
    [
      'a city government assessing another regency',
      'pemkot.kupang',
      { regency: 'Rote Ndao' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/regency'] },
    ],
    [
      'a BNNK outside its province',
      'bnnk.purbalingga',
      { regency: 'Rote Ndao' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/regency'] },
    ],
    [
      'naming another assessor',
      'bnnp.ntt',
      { regency: 'Rote Ndao', assessor_organisation_id: org['pemprov.ntt'] },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/assessor_organisation_id'] },
    ],
    [
      'a year not yet begun',
      'bnnp.ntt',
      { regency: 'Rote Ndao', year: 2026, assessed_on: '2025-06-01' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/year'] },
    ],
    [
      'assessed before the year',
      'bnnp.ntt',
      { regency: 'Rote Ndao', assessed_on: '2023-12-31' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/assessed_on'] },
    ],
    [
      'assessed on a day still to come',
      'bnnp.ntt',
      { regency: 'Rote Ndao', year: 2025, assessed_on: '2025-06-03' },
      { status: 422, type: 'application/problem+json', code: 'rule_violated', pointers: ['/assessed_on'] },
    ],
  ];
  for (const [name, username, over, expected] of cases) {
    const res = await h.call('POST', '/v1/kotan-assessments', { token: await h.login(username), body: body(over) });
    t.same(problem(res), expected, name);
  }
  for (const username of ['kanwil.ntt', 'staff.kupang']) {
    const res = await h.call('POST', '/v1/kotan-assessments', {
      token: await h.login(username),
      body: body({ regency: 'Rote Ndao' }),
    });
    t.equal(res.statusCode, 403, username);
  }
  const admin = await h.call('POST', '/v1/kotan-assessments', {
    token: await h.login('admin'),
    body: body({ regency: 'Rote Ndao' }),
  });
  t.same(problem(admin).pointers, ['/assessor_organisation_id'], 'an administrator names the assessor');
  t.equal(await h.count('kotan_assessments'), before);
  t.equal(await h.count('audit_events'), audits);

  // A regional government assesses its own city; the province's government any regency in it.
  const city = await assess({ regency: 'Kota Kupang', year: 2025, assessed_on: '2025-06-02' }, 'pemkot.kupang');
  t.equal(city.assessor.organisation_id, org['pemkot.kupang']);
  const province = await assess({ regency: 'Rote Ndao', year: 2025, assessed_on: '2025-06-02' }, 'pemprov.ntt');
  t.equal(province.assessor.organisation_id, org['pemprov.ntt']);
});

t.test('corrections re-score with the instrument first used; only the assessor corrects', async (t) => {
  const a = await assess({ regency: 'Flores Timur', scores: scores(50) });
  const url = `/v1/kotan-assessments/${a.id}`;
  const token = await h.login('bnnp.ntt');
  t.equal((await h.call('PATCH', url, { token, body: { scores: scores(60) } })).statusCode, 428);
  const ok = await h.call('PATCH', url, {
    token,
    body: { scores: scores(75.01), evidence_notes: null },
    headers: { 'if-match': '"1"' },
  });
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { index: 75.01, band: 'very_responsive', evidence_notes: null, version: 2 });
  const [event] = await h.rows<{ before: { index: number }; after: { index: number } }>(
    `SELECT before, after FROM audit_events WHERE entity_id = $1 AND action = 'kotan_assessment.updated'`,
    [a.id],
  );
  t.same([event?.before.index, event?.after.index], [50, 75.01]);
  const bad = scores(60);
  (bad.family_resilience as Record<string, number>).parenting_programmes = -1;
  const refused = await h.call('PATCH', url, { token, body: { scores: bad }, headers: { 'if-match': '"2"' } });
  t.same(problem(refused).pointers, ['/scores/family_resilience/parenting_programmes']);
  t.equal(
    (await h.call('PATCH', url, { token, body: { year: 2020 }, headers: { 'if-match': '"2"' } })).statusCode,
    400,
  );
  for (const [username, status] of [
    ['pemprov.ntt', 403],
    ['kanwil.ntt', 403],
    ['pemkot.kupang', 404],
    ['bnnp.ntb', 404],
  ] as const) {
    const res = await h.call('PATCH', url, {
      token: await h.login(username),
      body: { assessor_name: 'Orang Lain' },
      headers: { 'if-match': '"2"' },
    });
    t.equal(res.statusCode, status, username);
  }
  t.same(await h.rows(`SELECT index::text AS index, version FROM kotan_assessments WHERE id = $1`, [a.id]), [
    { index: '75.01', version: 2 },
  ]);
});

t.test('every answer that is one assessment carries its version as ETag, replays too', async (t) => {
  const token = await h.login('bnnp.ntt');
  const post = { token, body: body({ regency: 'Lembata' }), headers: { 'idempotency-key': 'kotan-etag' } };
  const created = await h.call('POST', '/v1/kotan-assessments', post);
  t.equal(created.statusCode, 201);
  t.equal(created.headers.etag, '"1"');
  const replay = await h.call('POST', '/v1/kotan-assessments', post);
  t.equal(replay.statusCode, 201);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.equal(replay.headers.etag, '"1"');
  t.equal(replay.headers.location, created.headers.location);
  const url = `/v1/kotan-assessments/${created.json().id}`;
  t.equal((await h.call('GET', url, { token })).headers.etag, '"1"');
  const patched = await h.call('PATCH', url, {
    token,
    body: { assessor_name: 'Maria Lewa' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(patched.statusCode, 200);
  t.equal(patched.headers.etag, '"2"');
  t.equal((await h.call('GET', url, { token })).headers.etag, '"2"');
  t.equal((await h.call('GET', '/v1/kotan-assessments?limit=1', { token })).headers.etag, undefined, 'a page has none');
});

t.test('a facility role is refused the ranking, after a malformed cursor', async (t) => {
  const token = await h.login('staff.kupang');
  t.equal((await h.call('GET', '/v1/kotan-assessments?cursor=abc', { token })).statusCode, 400);
  t.equal((await h.call('GET', '/v1/kotan-assessments', { token })).statusCode, 403);
});

t.test('who reads what: API clients get results without evidence or names', async (t) => {
  const ntt = await assess({ regency: 'Sumba Timur' });
  const kupangCity = await assess({ regency: 'Kota Kupang', year: 2021, assessed_on: '2021-11-18' });
  const jateng = await assess(
    { province_code: '33', regency: 'Purbalingga', assessor_name: 'Sri Wahyuni' },
    'bnnk.purbalingga',
  );
  const sees = async (username: string, id: string) =>
    (await h.call('GET', `/v1/kotan-assessments/${id}`, { token: await h.login(username) })).statusCode;
  const expected: [string, number, number][] = [
    ['admin', 200, 200],
    ['bnn.ri', 200, 200],
    ['kanwil.ntt', 200, 404],
    ['viewer.bnnp.jateng', 404, 200],
    ['bnnp.ntt', 200, 404],
    ['pemprov.ntt', 200, 404],
    ['pemkot.kupang', 404, 404],
    ['bnnk.purbalingga', 404, 200],
    ['pemkab.banjarnegara', 404, 404],
    ['staff.kupang', 403, 403],
    ['head.banjarnegara', 403, 403],
  ];
  for (const [username, a, b] of expected) {
    t.same([await sees(username, ntt.id), await sees(username, jateng.id)], [a, b], username);
  }
  const client = await clientToken(h);
  const read = await h.call('GET', `/v1/kotan-assessments/${ntt.id}`, { token: client });
  t.equal(read.statusCode, 200);
  t.match(read.json(), { index: 50, band: 'fairly_responsive', evidence_notes: null, assessor: { name: null } });
  const ranking = await h.call('GET', '/v1/kotan-assessments?year=2024&limit=200', { token: client });
  t.ok(ranking.json().data.length >= 2);
  t.ok(
    ranking
      .json()
      .data.every(
        (a: { evidence_notes: unknown; assessor: { name: unknown } }) =>
          a.evidence_notes === null && a.assessor.name === null,
      ),
    'no evidence notes or names in the ranking',
  );
  const staff = await h.call('GET', `/v1/kotan-assessments/${ntt.id}`, { token: await h.login('kanwil.ntt') });
  t.match(staff.json(), { evidence_notes: 'Perwali P4GN No. 12/2023', assessor: { name: 'Yohanes Bria' } });
  // A city government reads its own city, and what it assessed, not the rest of the province.
  const city = await h.call('GET', '/v1/kotan-assessments?province_code=53&limit=200', {
    token: await h.login('pemkot.kupang'),
  });
  t.ok(city.json().data.some((a: { id: string }) => a.id === kupangCity.id));
  t.ok(
    city.json().data.every((a: { regency: string }) => a.regency === 'Kota Kupang'),
    'only Kota Kupang',
  );
  t.equal((await h.call('GET', '/v1/kotan-assessments', { token: await h.login('staff.kupang') })).statusCode, 403);
});

t.test(
  'three assessments of one regency and year at once: one stored, the others refused alike',
  { skip: h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const token = await h.login('bnnp.ntt');
    for (let round = 0; round < 4; round++) {
      const regency = `Malaka ${round}`;
      const answers = await Promise.all(
        ['malaka', 'MALAKA', 'Malaka'].map((spelling) =>
          h.call('POST', '/v1/kotan-assessments', {
            token,
            body: body({ regency: `${spelling}  ${round}`, year: 2023, assessed_on: '2023-11-20' }),
          }),
        ),
      );
      t.same(answers.map((a) => a.statusCode).sort(), [201, 409, 409], `round ${round}`);
      const refused = answers.filter((a) => a.statusCode === 409).map((a) => a.json());
      t.same(
        refused.map((p) => [p.code, p.detail]),
        [
          [refused[0]?.code, refused[0]?.detail],
          [refused[0]?.code, refused[0]?.detail],
        ],
        'one code and one message',
      );
      t.equal(refused[0]?.code, 'conflict', 'the code of the check');
      const stored = await h.rows<{ id: string }>(
        `SELECT id::text AS id FROM kotan_assessments WHERE province_code = '53' AND lower(regency) = lower($1) AND year = 2023`,
        [regency],
      );
      t.equal(stored.length, 1, 'one row');
      t.equal(
        await h.count('audit_events', `action = 'kotan_assessment.created' AND entity_id = '${stored[0]?.id}'`),
        1,
        'one audit event',
      );
      t.equal(
        await h.count(
          'audit_events',
          `action = 'kotan_assessment.created' AND after->>'regency' ILIKE 'malaka%${round}'`,
        ),
        1,
      );
    }
  },
);
