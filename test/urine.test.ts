import pg from 'pg';
import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// Urine testing, first part: rounds (kit and cutoffs), results one or 1,000 at a time with the
// outcome derived by the service, idempotent retries, and who reads what.
// The service's clock stands at 10:00 WIB on 2 June 2025: a result may not be collected later.
const NOW = new Date('2025-06-02T03:00:00Z');
const h = await build(t, {}, { clock: () => NOW });
const fac = h.world.facilities;
const org = h.world.organisations;
const banjarnegara = fac.banjarnegara as string;
const kupang = fac.kupang as string;
const purbalingga = org['bnnk.purbalingga'] as string;
const [staffUser] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'staff.banjarnegara'`);
const staffId = staffUser?.id as string;

const PANEL = ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP'];
const SCREEN: Record<string, number> = { AMP: 500, MET: 500, MDMA: 500, THC: 50, COC: 150, MOP: 2000 };
const CONFIRM: Record<string, number> = { AMP: 250, MET: 250, MDMA: 250, THC: 15, COC: 100, MOP: 2000 };

const kit = (over: Record<string, unknown> = {}) => ({
  brand: 'Rapid 6 Panel',
  lot: 'L2503-07',
  expiry: '2026-06-30',
  panel: PANEL,
  ...over,
});
const roundBody = (over: Record<string, unknown> = {}) => ({
  tested_on: '2025-03-10',
  reason: 'random',
  subjects: 'inmates',
  kit: kit(),
  ...over,
});

let serial = 0;
const next = () => ++serial;

async function admit(facility = banjarnegara, username = 'staff.banjarnegara', over: Record<string, unknown> = {}) {
  const res = await h.call('POST', `/v1/facilities/${facility}/inmates`, {
    token: await h.login(username),
    body: {
      registration_number: `U.${next()}/2024`,
      name: `Warga Binaan Urine ${serial}`,
      sex: 'male',
      birth_date: '1990-04-17',
      case_type: 'narcotics_user',
      admission_date: '2024-03-02',
      expected_release_date: '2027-03-01',
      block: 'A',
      status: 'sentenced',
      ...over,
    },
  });
  if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; name: string; registration_number: string };
}

async function hire(facility = banjarnegara, username = 'staff.banjarnegara') {
  const res = await h.call('POST', `/v1/facilities/${facility}/officers`, {
    token: await h.login(username),
    body: {
      nip: `19850417201012${String(1000 + next()).padStart(4, '0')}`,
      name: 'Agus Prasetyo',
      sex: 'male',
      position: 'Kepala Pengamanan Rutan',
      unit: 'KPR',
      joined_on: '2010-12-01',
    },
  });
  if (res.statusCode !== 201) throw new Error(`hire: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

async function openRound(over: Record<string, unknown> = {}, facility = banjarnegara, username = 'staff.banjarnegara') {
  const res = await h.call('POST', `/v1/facilities/${facility}/urine-test-rounds`, {
    token: await h.login(username),
    body: roundBody(over),
  });
  if (res.statusCode !== 201) throw new Error(`open round: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; tested_on: string };
}

const negatives = (panel = PANEL) => panel.map((c) => ({ class: c, result: 'negative' }));
/** All panel classes negative, but with these classes replaced. */
const panelWith = (...over: { class: string; result: string; value_ng_ml?: number }[]) =>
  negatives().map((r) => over.find((o) => o.class === r.class) ?? r);

const result = (subjectId: string, over: Record<string, unknown> = {}) => ({
  subject_type: 'inmate',
  subject_id: subjectId,
  specimen_id: `BNJ-${next()}`,
  collected_at: '2025-03-10T09:12:00',
  temperature_c: 34.5,
  results: negatives(),
  ...over,
});

let keys = 0;
async function post(roundId: string, body: unknown, options: { username?: string; key?: string | null } = {}) {
  const key = options.key === undefined ? `urine-${++keys}` : options.key;
  return h.call('POST', `/v1/urine-test-rounds/${roundId}/results`, {
    token: await h.login(options.username ?? 'staff.banjarnegara'),
    body,
    headers: key === null ? {} : { 'idempotency-key': key },
  });
}

const pointers = (res: { json(): { errors?: { pointer: string }[] } }) =>
  (res.json().errors ?? []).map((e) => e.pointer);

t.test('rounds: open with the kit and the cutoffs in force', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const url = `/v1/facilities/${banjarnegara}/urine-test-rounds`;
  const res = await h.call('POST', url, { token, body: roundBody({ note: 'Tes acak blok A' }) });
  t.equal(res.statusCode, 201);
  const round = res.json();
  t.match(round, {
    facility_id: banjarnegara,
    tested_on: '2025-03-10',
    reason: 'random',
    run_by_organisation_id: null,
    subjects: 'inmates',
    kit: { brand: 'Rapid 6 Panel', lot: 'L2503-07', expiry: '2026-06-30', panel: PANEL },
    note: 'Tes acak blok A',
    tested: 0,
    created_by: staffId,
    version: 1,
  });
  t.same(
    round.cutoffs,
    Object.fromEntries(PANEL.map((c) => [c, { screen: SCREEN[c], confirm: CONFIRM[c] }])),
    "the defaults, for the kit's panel only",
  );
  t.equal(res.headers.location, `/v1/urine-test-rounds/${round.id}`);
  const read = await h.call('GET', `/v1/urine-test-rounds/${round.id}`, { token });
  t.equal(read.statusCode, 200);
  t.same(read.json().cutoffs, round.cutoffs, 'the snapshot is stored with the round');
  t.same(await h.rows(`SELECT action, facility_id FROM audit_events WHERE entity_id = $1`, [round.id]), [
    { action: 'urine.round_opened', facility_id: banjarnegara },
  ]);

  const k2 = await h.call('POST', url, {
    token,
    body: roundBody({ kit: kit({ brand: 'K2 Strip', panel: ['THC', 'K2'], cutoffs: { K2: 25 } }) }),
  });
  t.equal(k2.statusCode, 201, 'a kit may give its own cutoff for one kit-dependent class');
  if (k2.statusCode === 201) {
    t.same(
      k2.json().cutoffs,
      { THC: { screen: 50, confirm: 15 }, K2: { screen: 25, confirm: null } },
      'K2 from the kit',
    );
  }

  const before = await h.count('urine_test_rounds');
  const repeated = await h.call('POST', url, {
    token,
    body: roundBody({ kit: kit({ panel: ['AMP', 'MET', 'AMP'] }) }),
  });
  t.equal(repeated.statusCode, 400, 'a class repeated on the panel');
  const unknown = await h.call('POST', url, { token, body: roundBody({ kit: kit({ panel: ['AMP', 'LSD'] }) }) });
  t.equal(unknown.statusCode, 400, 'a class the service does not know');
  const empty = await h.call('POST', url, { token, body: roundBody({ kit: kit({ panel: [] }) }) });
  t.equal(empty.statusCode, 400, 'an empty panel');
  const kanwilRuns = await h.call('POST', url, {
    token,
    body: roundBody({ run_by_organisation_id: org['kanwil.jateng'] }),
  });
  t.equal(kanwilRuns.statusCode, 422, 'a Kanwil does not run urine tests');
  t.same(pointers(kanwilRuns), ['/run_by_organisation_id']);
  t.equal(await h.count('urine_test_rounds'), before, 'nothing written');
});

t.test('rounds: a BNN unit without an MoU covering urine testing at the facility is not the runner', async (t) => {
  // Issue 5: "who ran it (facility or a BNN unit whose MoU covers urine_testing)".
  const before = await h.count('urine_test_rounds');
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/urine-test-rounds`, {
    token: await h.login('staff.banjarnegara'),
    body: roundBody({ run_by_organisation_id: org['bnnp.ntt'] }),
  });
  t.equal(res.statusCode, 422, 'BNNP NTT has no MoU over Banjarnegara');
  t.equal(await h.count('urine_test_rounds'), before);
  const partner = await h.call('POST', `/v1/facilities/${banjarnegara}/urine-test-rounds`, {
    token: await h.login('staff.banjarnegara'),
    body: roundBody({ run_by_organisation_id: purbalingga }),
  });
  t.equal(partner.statusCode, 201, 'BNNK Purbalingga, whose MoU covers urine_testing, may be named by the staff');
});

t.test('rounds: URINE_CUTOFFS overrides the defaults', async (t) => {
  const h2 = await build(t, { URINE_CUTOFFS: '{"BZO":{"screen":200,"confirm":100}}' });
  const res = await h2.call('POST', `/v1/facilities/${h2.world.facilities.banjarnegara}/urine-test-rounds`, {
    token: await h2.login('staff.banjarnegara'),
    body: roundBody({ kit: kit({ panel: ['AMP', 'BZO'] }) }),
  });
  t.equal(res.statusCode, 201);
  t.same(res.json().cutoffs, { AMP: { screen: 500, confirm: 250 }, BZO: { screen: 200, confirm: 100 } });
});

t.test('rounds: who may open one', async (t) => {
  const bnnk = await h.login('bnnk.purbalingga');
  const url = `/v1/facilities/${banjarnegara}/urine-test-rounds`;
  const before = await h.count('urine_test_rounds');
  const unnamed = await h.call('POST', url, { token: bnnk, body: roundBody() });
  t.equal(unnamed.statusCode, 422, 'a BNN officer names the unit that ran it');
  t.same(pointers(unnamed), ['/run_by_organisation_id']);
  const other = await h.call('POST', url, {
    token: bnnk,
    body: roundBody({ run_by_organisation_id: org['bnnp.ntt'] }),
  });
  t.equal(other.statusCode, 422, 'not another unit');
  t.equal(await h.count('urine_test_rounds'), before);
  const own = await h.call('POST', url, {
    token: bnnk,
    body: roundBody({ reason: 'joint_operation', run_by_organisation_id: purbalingga }),
  });
  t.equal(own.statusCode, 201);
  t.match(own.json(), { facility_id: banjarnegara, run_by_organisation_id: purbalingga, reason: 'joint_operation' });
  const outside = await h.call('POST', `/v1/facilities/${kupang}/urine-test-rounds`, {
    token: bnnk,
    body: roundBody({ run_by_organisation_id: purbalingga }),
  });
  t.equal(outside.statusCode, 404, 'Kupang is outside its MoU');

  const kanwil = await h.login('kanwil.ntt');
  const readOnly = await h.call('POST', `/v1/facilities/${kupang}/urine-test-rounds`, {
    token: kanwil,
    body: roundBody(),
  });
  t.equal(readOnly.statusCode, 403, 'a regional viewer reads, never writes');
  t.equal(
    (await h.call('GET', `/v1/facilities/${kupang}/urine-test-rounds`, { token: kanwil })).statusCode,
    200,
    'but reads Kupang rounds',
  );
  const staffKupang = await h.login('staff.kupang');
  t.equal((await h.call('POST', url, { token: staffKupang, body: roundBody() })).statusCode, 404);
  t.equal((await h.call('GET', url, { token: staffKupang })).statusCode, 404);
  t.equal((await h.call('GET', `/v1/urine-test-rounds/${own.json().id}`, { token: staffKupang })).statusCode, 404);
  t.equal(await h.count('urine_test_rounds'), before + 1);
});

t.test('every derived outcome, through the API', async (t) => {
  const round = await openRound();
  const cases: { name: string; over: Record<string, unknown>; outcome: string }[] = [
    { name: 'all negative', over: {}, outcome: 'negative' },
    {
      name: 'a positive class',
      over: { results: panelWith({ class: 'MET', result: 'positive', value_ng_ml: 900 }) },
      outcome: 'presumptive_positive',
    },
    {
      name: 'under-reported: negative at the cutoff',
      over: { results: panelWith({ class: 'MET', result: 'negative', value_ng_ml: 500 }) },
      outcome: 'presumptive_positive',
    },
    {
      name: 'under-reported: negative well over the cutoff',
      over: { results: panelWith({ class: 'THC', result: 'negative', value_ng_ml: 120 }) },
      outcome: 'presumptive_positive',
    },
    {
      name: 'just under the cutoff stays negative',
      over: { results: panelWith({ class: 'MET', result: 'negative', value_ng_ml: 499.9 }) },
      outcome: 'negative',
    },
    { name: 'temperature out of 32-38 C', over: { temperature_c: 30 }, outcome: 'invalid' },
    {
      name: 'read only as out of range',
      over: { temperature_c: undefined, temperature_in_range: false },
      outcome: 'invalid',
    },
    { name: 'an invalid class', over: { results: panelWith({ class: 'COC', result: 'invalid' }) }, outcome: 'invalid' },
    { name: 'dilute', over: { creatinine_mg_dl: 15, specific_gravity: 1.002 }, outcome: 'dilute' },
    {
      name: 'low creatinine but gravity 1.003 is not dilute',
      over: { creatinine_mg_dl: 15, specific_gravity: 1.003 },
      outcome: 'negative',
    },
    { name: 'nitrite 600', over: { nitrite_ug_ml: 600 }, outcome: 'adulterated' },
    { name: 'pH 3.5', over: { ph: 3.5 }, outcome: 'adulterated' },
    { name: 'pH 11', over: { ph: 11 }, outcome: 'adulterated' },
    {
      name: 'substituted: creatinine 1.5',
      over: { creatinine_mg_dl: 1.5, specific_gravity: 1.001 },
      outcome: 'adulterated',
    },
    { name: 'refused', over: { refused: true, results: [], temperature_c: undefined }, outcome: 'refused' },
    {
      name: 'positive and dilute: the positive counts',
      over: {
        creatinine_mg_dl: 15,
        specific_gravity: 1.002,
        results: panelWith({ class: 'AMP', result: 'positive', value_ng_ml: 800 }),
      },
      outcome: 'presumptive_positive',
    },
    {
      name: 'adulterated beats positive',
      over: { nitrite_ug_ml: 800, results: panelWith({ class: 'MET', result: 'positive', value_ng_ml: 2000 }) },
      outcome: 'adulterated',
    },
  ];
  const recorded: Record<string, { id: string; outcome: string; classes: unknown[] }> = {};
  for (const c of cases) {
    const inmate = await admit();
    const res = await post(round.id, result(inmate.id, c.over));
    t.equal(res.statusCode, 201, `${c.name}: recorded`);
    const [test] = res.json().data;
    t.equal(test.outcome, c.outcome, c.name);
    t.match(test, { round_id: round.id, facility_id: banjarnegara, subject_type: 'inmate', subject_id: inmate.id });
    recorded[c.name] = test;
  }

  const negative = recorded['all negative'];
  t.same(
    negative?.classes,
    PANEL.map((c) => ({
      class: c,
      reported: 'negative',
      value_ng_ml: null,
      screen_cutoff: SCREEN[c],
      result: 'negative',
    })),
    'each class with its cutoff',
  );
  t.match(negative, {
    temperature_c: 34.5,
    temperature_in_range: true,
    refused: false,
    collected_at: '2025-03-10T09:12:00+07:00',
  });

  const classOf = (name: string, drug: string) =>
    (recorded[name]?.classes as { class: string }[] | undefined)?.find((c) => c.class === drug);
  const under = recorded['under-reported: negative at the cutoff'];
  const met = { class: 'MET', reported: 'negative', value_ng_ml: 500, screen_cutoff: 500, result: 'positive' };
  t.same(
    classOf('under-reported: negative at the cutoff', 'MET'),
    met,
    'what the reader said and what the service found, both',
  );
  const [stored] = await h.rows<{ classes: { class: string }[]; outcome: string }>(
    'SELECT classes, outcome::text FROM urine_tests WHERE id = $1',
    [under?.id],
  );
  t.same(
    stored?.classes.find((c) => c.class === 'MET'),
    met,
    'the stored record keeps both',
  );
  t.equal(stored?.outcome, 'presumptive_positive');
  t.match(classOf('under-reported: negative well over the cutoff', 'THC'), {
    reported: 'negative',
    value_ng_ml: 120,
    screen_cutoff: 50,
    result: 'positive',
  });
  t.match(classOf('just under the cutoff stays negative', 'MET'), {
    reported: 'negative',
    value_ng_ml: 499.9,
    result: 'negative',
  });
  t.match(recorded['temperature out of 32-38 C'], { temperature_c: 30, temperature_in_range: false });
  t.match(recorded.dilute, { creatinine_mg_dl: 15, specific_gravity: 1.002 });
  t.match(recorded.refused, { refused: true, temperature_c: null });
  t.same(recorded.refused?.classes, [], 'a refusal has no class results');

  const before = await h.count('urine_tests');
  const inmate = await admit();
  const refusedWithResults = await post(round.id, result(inmate.id, { refused: true }));
  t.equal(refusedWithResults.statusCode, 422, 'a refusal carries no panel results');
  t.same(pointers(refusedWithResults), ['/results']);
  t.equal(await h.count('urine_tests'), before);
  const read = await h.call('GET', `/v1/urine-test-rounds/${round.id}`, { token: await h.login('head.banjarnegara') });
  t.equal(read.json().tested, cases.length, 'the round counts its results');
});

t.test('bad input: a clear answer and nothing written', async (t) => {
  const round = await openRound({ tested_on: '2025-03-11' });
  const at = '2025-03-11T09:00:00';
  const inmate = await admit();
  const theirs = await admit(kupang, 'staff.kupang');
  const gone = await admit();
  const released = await h.call('POST', `/v1/inmates/${gone.id}/release`, {
    token: await h.login('staff.banjarnegara'),
    body: { released_on: '2025-01-15', reason: 'parole' },
  });
  t.equal(released.statusCode, 200);
  const officer = await hire();
  const before = await h.count('urine_tests');

  const cases: { name: string; body: unknown; status: number; pointer?: string }[] = [
    {
      name: "a class not on the kit's panel",
      body: result(inmate.id, { collected_at: at, results: [...negatives(), { class: 'BZO', result: 'negative' }] }),
      status: 422,
      pointer: '/results/6/class',
    },
    {
      name: 'a panel class missing',
      body: result(inmate.id, { collected_at: at, results: negatives(PANEL.slice(0, 5)) }),
      status: 422,
      pointer: '/results',
    },
    {
      name: 'a class given twice',
      body: result(inmate.id, { collected_at: at, results: [...negatives(), { class: 'MET', result: 'positive' }] }),
      status: 422,
      pointer: '/results',
    },
    {
      name: 'an inmate of Kupang',
      body: result(theirs.id, { collected_at: at }),
      status: 422,
      pointer: '/subject_id',
    },
    { name: 'a released inmate', body: result(gone.id, { collected_at: at }), status: 422, pointer: '/subject_id' },
    {
      name: 'nobody at all',
      body: result('01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c99', { collected_at: at }),
      status: 422,
      pointer: '/subject_id',
    },
    {
      name: 'an officer in an inmates round',
      body: result(officer.id, { subject_type: 'officer', collected_at: at }),
      status: 422,
      pointer: '/subject_type',
    },
    {
      name: '00:30 the next day, local time',
      body: result(inmate.id, { collected_at: '2025-03-12T00:30:00' }),
      status: 422,
      pointer: '/collected_at',
    },
    {
      name: '00:30 the next day WIB, written in UTC',
      body: result(inmate.id, { collected_at: '2025-03-11T17:30:00Z' }),
      status: 422,
      pointer: '/collected_at',
    },
    {
      name: 'the day before',
      body: result(inmate.id, { collected_at: '2025-03-10T23:59:00+07:00' }),
      status: 422,
      pointer: '/collected_at',
    },
    { name: 'a temperature of 80 C', body: result(inmate.id, { collected_at: at, temperature_c: 80 }), status: 400 },
    {
      name: 'a class result that is not one',
      body: result(inmate.id, { collected_at: at, results: panelWith({ class: 'MET', result: 'maybe' }) }),
      status: 400,
    },
    { name: 'a subject type that is not one', body: result(inmate.id, { subject_type: 'visitor' }), status: 400 },
  ];
  for (const c of cases) {
    const res = await post(round.id, c.body);
    t.equal(res.statusCode, c.status, c.name);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    if (c.pointer) t.same(pointers(res), [c.pointer], `${c.name}: the pointer`);
  }
  t.equal(await h.count('urine_tests'), before, 'nothing written');

  const late = await post(round.id, result(inmate.id, { collected_at: '2025-03-11T23:30:00' }));
  t.equal(late.statusCode, 201, "23:30 local on the round's day is on the day");
  t.equal(late.json().data[0].collected_at, '2025-03-11T23:30:00+07:00');
  const again = await post(round.id, result(inmate.id, { collected_at: at }));
  t.equal(again.statusCode, 422, 'the same person twice in a round');
  t.same(pointers(again), ['/subject_id']);
  t.match(again.json().errors[0].detail, /already tested/);
  const other = await admit();
  const sameSpecimen = await post(
    round.id,
    result(other.id, { collected_at: at, specimen_id: late.json().data[0].specimen_id }),
  );
  t.equal(sameSpecimen.statusCode, 422, 'a specimen id is used once in a round');
  t.same(pointers(sameSpecimen), ['/specimen_id']);
  t.equal(await h.count('urine_tests'), before + 1);
  t.equal((await post('01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c98', result(other.id))).statusCode, 404, 'no such round');
});

t.test("the round's day is the facility's day", async (t) => {
  // Kupang keeps WITA (UTC+8): 16:30 UTC is already the next day there, still the same day in Banjarnegara.
  const round = await openRound({ tested_on: '2025-03-11' }, kupang, 'staff.kupang');
  const a = await admit(kupang, 'staff.kupang');
  const next = await post(round.id, result(a.id, { collected_at: '2025-03-11T16:30:00Z' }), {
    username: 'staff.kupang',
  });
  t.equal(next.statusCode, 422);
  t.same(pointers(next), ['/collected_at']);
  const onDay = await post(round.id, result(a.id, { collected_at: '2025-03-11T15:30:00Z' }), {
    username: 'staff.kupang',
  });
  t.equal(onDay.statusCode, 201, '23:30 WITA');
  t.equal(onDay.json().data[0].collected_at, '2025-03-11T23:30:00+08:00', 'answered in the facility time');

  const today = await openRound({ tested_on: '2025-06-02' });
  const b = await admit();
  const future = await post(today.id, result(b.id, { collected_at: '2025-06-02T11:00:00' }));
  t.equal(future.statusCode, 422, 'not collected yet: the clock says 10:00 WIB');
  t.same(pointers(future), ['/collected_at']);
  t.equal((await post(today.id, result(b.id, { collected_at: '2025-06-02T09:00:00' }))).statusCode, 201);
});

t.test('officers are tested in officer rounds', async (t) => {
  const round = await openRound({ subjects: 'officers', tested_on: '2025-03-12' });
  const officer = await hire();
  const inmate = await admit();
  const ok = await post(round.id, result(officer.id, { subject_type: 'officer', collected_at: '2025-03-12T08:00:00' }));
  t.equal(ok.statusCode, 201);
  t.match(ok.json().data[0], { subject_type: 'officer', subject_id: officer.id, outcome: 'negative' });
  const wrong = await post(round.id, result(inmate.id, { collected_at: '2025-03-12T08:00:00' }));
  t.equal(wrong.statusCode, 422);
  t.same(pointers(wrong), ['/subject_type']);
  const kupangOfficer = await hire(kupang, 'staff.kupang');
  const foreign = await post(
    round.id,
    result(kupangOfficer.id, { subject_type: 'officer', collected_at: '2025-03-12T08:00:00' }),
  );
  t.equal(foreign.statusCode, 422, "not on this facility's register");
  t.same(pointers(foreign), ['/subject_id']);
});

t.test('batches: all or nothing', async (t) => {
  const round = await openRound({ tested_on: '2025-03-13', subjects: 'both' });
  const at = '2025-03-13T10:00:00';
  const people = [await admit(), await admit(), await admit()];
  const officer = await hire();
  const theirs = await admit(kupang, 'staff.kupang');
  const before = await h.count('urine_tests');

  const bad = await post(round.id, {
    results: [
      result(people[0]?.id as string, { collected_at: at }),
      result(theirs.id, { collected_at: at }),
      result(people[1]?.id as string, { collected_at: at, results: negatives(PANEL.slice(1)) }),
    ],
  });
  t.equal(bad.statusCode, 422);
  t.same(pointers(bad).sort(), ['/results/1/subject_id', '/results/2/results'], 'each bad row named, by index');
  t.match(bad.json().detail, /nothing was recorded/);
  const twice = await post(round.id, {
    results: [
      result(people[0]?.id as string, { collected_at: at }),
      result(people[0]?.id as string, { collected_at: at }),
    ],
  });
  t.equal(twice.statusCode, 422, 'one person twice in a batch');
  t.same(pointers(twice), ['/results/1/subject_id']);
  t.equal(await h.count('urine_tests'), before, 'nothing written');

  const good = await post(round.id, {
    results: [
      result(people[0]?.id as string, { collected_at: at }),
      result(people[1]?.id as string, {
        collected_at: at,
        results: panelWith({ class: 'MOP', result: 'positive', value_ng_ml: 2500 }),
      }),
      result(officer.id, { subject_type: 'officer', collected_at: at, refused: true, results: [] }),
    ],
  });
  t.equal(good.statusCode, 201);
  t.same(
    good.json().data.map((r: { subject_id: string; outcome: string }) => [r.subject_id, r.outcome]),
    [
      [people[0]?.id, 'negative'],
      [people[1]?.id, 'presumptive_positive'],
      [officer.id, 'refused'],
    ],
  );
  t.equal(await h.count('urine_tests'), before + 3);
  const [event] = await h.rows<{ after: { count: number; outcomes: Record<string, number> } }>(
    `SELECT after FROM audit_events WHERE action = 'urine.results_recorded' AND entity_id = $1`,
    [round.id],
  );
  t.match(event?.after, { count: 3, outcomes: { negative: 1, presumptive_positive: 1, refused: 1 } });
});

t.test('a batch of 1,000 in one request', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const imported = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates/import`, {
    token,
    body: Array.from({ length: 1000 }, (_, i) => ({
      registration_number: `K.${i}/2025`,
      name: `Warga Binaan ${i}`,
      sex: 'male',
      birth_date: '1988-01-01',
      case_type: 'narcotics_user',
      admission_date: '2025-01-02',
      block: 'K',
      status: 'detained',
    })),
  });
  t.equal(imported.statusCode, 200);
  t.same(imported.json(), { dry_run: false, total: 1000, created: 1000, updated: 0, unchanged: 0, rejected: [] });
  const ids = (
    await h.rows<{ id: string }>(`SELECT id FROM inmates WHERE registration_number LIKE 'K.%/2025' ORDER BY id`)
  ).map((r) => r.id);
  t.equal(ids.length, 1000);

  const round = await openRound({ tested_on: '2025-03-14', reason: 'joint_operation' });
  const before = await h.count('urine_tests');
  const results = ids.map((id, i) =>
    result(id, {
      specimen_id: `K-${String(i).padStart(4, '0')}`,
      collected_at: `2025-03-14T${String(8 + Math.floor(i / 100)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`,
      creatinine_mg_dl: 80,
      specific_gravity: 1.015,
      ph: 6.5,
      results: i % 50 === 0 ? panelWith({ class: 'THC', result: 'negative', value_ng_ml: 75 }) : negatives(),
    }),
  );
  const started = performance.now();
  const res = await post(round.id, { results });
  const elapsed = performance.now() - started;
  t.comment(`a batch of 1,000 results: ${Math.round(elapsed)} ms`);
  t.equal(res.statusCode, 201);
  t.equal(res.json().data.length, 1000);
  t.equal(await h.count('urine_tests'), before + 1000);
  t.equal(await h.count('urine_tests', `round_id = '${round.id}' AND outcome = 'presumptive_positive'`), 20);
  const events = await h.rows<{ after: { count: number; outcomes: Record<string, number> } }>(
    `SELECT after FROM audit_events WHERE action = 'urine.results_recorded' AND entity_id = $1`,
    [round.id],
  );
  t.equal(events.length, 1, 'one audit event for the batch');
  t.match(events[0]?.after, { count: 1000, outcomes: { negative: 980, presumptive_positive: 20 } });
  const read = await h.call('GET', `/v1/urine-test-rounds/${round.id}`, { token });
  t.equal(read.json().tested, 1000);
});

t.test('idempotency: required, and a retry writes nothing twice', async (t) => {
  const round = await openRound({ tested_on: '2025-03-17' });
  const inmate = await admit();
  const body = result(inmate.id, { collected_at: '2025-03-17T09:00:00', specimen_id: 'IDEM-1' });
  const before = await h.count('urine_tests');

  const keyless = await post(round.id, body, { key: null });
  t.equal(keyless.statusCode, 400);
  t.equal(keyless.json().code, 'idempotency_key_required');
  t.equal(await h.count('urine_tests'), before);

  const first = await post(round.id, body, { key: 'device-7-0001' });
  t.equal(first.statusCode, 201);
  t.notOk(first.headers['idempotent-replayed']);
  const retry = await post(round.id, body, { key: 'device-7-0001' });
  t.equal(retry.statusCode, 201);
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.same(retry.json(), first.json(), 'the first answer again');
  t.equal(await h.count('urine_tests'), before + 1, 'written once');
  t.equal(
    await h.count('audit_events', `action = 'urine.results_recorded' AND entity_id = '${round.id}'`),
    1,
    'audited once',
  );

  const other = await admit();
  const reused = await post(
    round.id,
    result(other.id, { collected_at: '2025-03-17T09:00:00', specimen_id: 'IDEM-2' }),
    { key: 'device-7-0001' },
  );
  t.equal(reused.statusCode, 422);
  t.equal(reused.json().code, 'idempotency_key_reused');
  t.equal(await h.count('urine_tests'), before + 1);
  const fresh = await post(round.id, body, { key: 'device-7-0002' });
  t.equal(fresh.statusCode, 422, 'a new key for the same person is a second test, refused');
  t.same(pointers(fresh), ['/subject_id', '/specimen_id']);
});

t.test('reach and role are judged before the Idempotency-Key and the body', async (t) => {
  const round = await openRound({ tested_on: '2025-03-20' }, kupang, 'staff.kupang');
  const inmate = await admit(kupang, 'staff.kupang');
  const body = result(inmate.id, { collected_at: '2025-03-20T09:00:00', specimen_id: 'ORDER-1' });
  const before = await h.count('urine_tests');

  const outside = await post(round.id, body, { key: null, username: 'staff.banjarnegara' });
  t.equal(outside.statusCode, 404, 'a round out of reach is a 404, even without a key');
  const viewer = await post(round.id, body, { key: null, username: 'kanwil.ntt' });
  t.equal(viewer.statusCode, 403, 'a reader in reach is a 403, even without a key');
  const refusal = await h.call('POST', `/v1/urine-test-rounds/${round.id}/not-tested`, {
    token: await h.login('kanwil.ntt'),
    body: { subject_type: 'inmate', subject_id: inmate.id, reason: 'refused' },
  });
  t.equal(refusal.statusCode, 403, 'the role before a refusal without its time');
  const keyless = await post(round.id, body, { key: null, username: 'staff.kupang' });
  t.equal(keyless.statusCode, 400, 'then the missing key');
  t.equal(keyless.json().code, 'idempotency_key_required');
  t.equal(await h.count('urine_tests'), before, 'nothing written');

  const patch = await h.call('PATCH', '/v1/follow-up-cases/01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c97', {
    token: await h.login('staff.kupang'),
    body: { closure: { closed_on: '2025-03-20', note: 'tidak ada' } },
  });
  t.equal(patch.statusCode, 428, 'a case step without If-Match is a 428 before the case is looked for');
});

t.test('retries and doubles at the same moment write one result', { skip: h.test.kind !== 'server' }, async (t) => {
  const round = await openRound({ tested_on: '2025-03-18' });
  const one = await admit();
  const two = await admit();
  const before = await h.count('urine_tests');
  const body = result(one.id, { collected_at: '2025-03-18T09:00:00', specimen_id: 'RACE-1' });
  const sameKey = await Promise.all([1, 2, 3].map(() => post(round.id, body, { key: 'race-same-key' })));
  const statuses = sameKey.map((r) => r.statusCode).sort();
  t.ok(statuses.includes(201), `one answer is 201 (${statuses})`);
  t.ok(
    statuses.every((s) => s === 201 || s === 409),
    'the others are the replay or "still in flight"',
  );
  t.equal(await h.count('urine_tests'), before + 1, 'one write for one key');

  const doubles = await Promise.all(
    ['race-a', 'race-b'].map((key, i) =>
      post(round.id, result(two.id, { collected_at: '2025-03-18T09:05:00', specimen_id: `RACE-2${i}` }), { key }),
    ),
  );
  t.same(
    doubles.map((r) => r.statusCode).sort(),
    [201, doubles.find((r) => r.statusCode !== 201)?.statusCode === 409 ? 409 : 422],
    'the same person from two devices: one 201, the other 409 or 422, never 500',
  );
  t.equal(await h.count('urine_tests'), before + 2);
});

t.test('a retry after the caller lost its reach still gets the first answer', async (t) => {
  // The retry is answered before the route looks at the world again: here the MoU that let
  // the BNN unit test at Purwokerto ends between the first request and the retry.
  const bnnk = await h.login('bnnk.purbalingga');
  const purwokerto = fac.purwokerto as string;
  const mou = await h.call('POST', '/v1/mous', {
    token: await h.login('admin'),
    body: {
      number: 'PKS/URINE/PWT/2025',
      title: 'Tes urine bersama Lapas Purwokerto',
      bnn_unit_id: purbalingga,
      facility_ids: [purwokerto],
      scope: ['urine_testing'],
      signed_on: '2025-01-02',
      valid_from: '2025-01-02',
      valid_until: '2026-12-31',
    },
  });
  t.equal(mou.statusCode, 201);
  const round = await openRound(
    { tested_on: '2025-05-20', run_by_organisation_id: purbalingga },
    purwokerto,
    'bnnk.purbalingga',
  );
  const inmate = await admit(purwokerto, 'admin');
  const body = result(inmate.id, { collected_at: '2025-05-20T09:00:00', specimen_id: 'PWT-REACH-1' });
  const first = await post(round.id, body, { username: 'bnnk.purbalingga', key: 'bnnk-pwt-0001' });
  t.equal(first.statusCode, 201);
  const ended = await h.call('POST', `/v1/mous/${mou.json().id}/terminate`, {
    token: bnnk,
    body: { reason: 'Berakhir lebih awal' },
  });
  t.equal(ended.statusCode, 200);
  t.equal(
    (await h.call('GET', `/v1/urine-test-rounds/${round.id}`, { token: bnnk })).statusCode,
    404,
    'the unit no longer reaches the round',
  );
  const before = await h.count('urine_tests');
  const retry = await post(round.id, body, { username: 'bnnk.purbalingga', key: 'bnnk-pwt-0001' });
  t.equal(retry.statusCode, 201, 'the first answer, not a 404');
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.same(retry.json(), first.json());
  t.equal(await h.count('urine_tests'), before, 'nothing written again');
});

t.test(
  'a retry that passed the replay check while the first was still writing gets the first answer',
  { skip: h.test.kind !== 'server' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    // The first request is held inside its transaction (inserting into urine_tests), the retry
    // between the replay check and its transaction (reading mous for the unit's reach). Then the
    // first commits, and only after that the retry takes the key's lock: it must find the answer.
    const round = await openRound({ tested_on: '2025-03-19' });
    const inmate = await admit();
    const body = result(inmate.id, { collected_at: '2025-03-19T09:00:00', specimen_id: 'LATE-1' });
    const send = () => post(round.id, body, { username: 'bnnk.purbalingga', key: 'bnnk-late-0001' });
    const holdWrites = new pg.Client({ connectionString: h.test.url });
    const holdReach = new pg.Client({ connectionString: h.test.url });
    await holdWrites.connect();
    await holdReach.connect();
    t.teardown(async () => {
      await holdWrites.end();
      await holdReach.end();
    });
    const before = await h.count('urine_tests');

    await holdWrites.query('BEGIN');
    await holdWrites.query('LOCK TABLE urine_tests IN SHARE MODE');
    const first = send();
    await waitingOn('urine_tests');
    await holdReach.query('BEGIN');
    await holdReach.query('LOCK TABLE mous IN ACCESS EXCLUSIVE MODE');
    const retry = send();
    await waitingOn('mous');
    await holdWrites.query('COMMIT');
    const firstAnswer = await first;
    t.equal(firstAnswer.statusCode, 201);
    await holdReach.query('COMMIT');
    const retryAnswer = await retry;
    t.equal(retryAnswer.statusCode, 201, 'the first answer');
    t.equal(retryAnswer.headers['idempotent-replayed'], 'true');
    t.same(retryAnswer.json(), firstAnswer.json());
    t.equal(await h.count('urine_tests'), before + 1, 'written once');
  },
);

/** Resolves once some request waits for a lock on `table` (it polls the server's lock table, no timer). */
async function waitingOn(table: string): Promise<void> {
  for (;;) {
    const waiting = await h.count('pg_locks', `NOT granted AND relation = '${table}'::regclass`);
    if (waiting > 0) return;
  }
}

t.test('reads: lists, history, reach, personal-data audit', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const first = await openRound({ tested_on: '2025-04-01', reason: 'targeted' });
  const second = await openRound({ tested_on: '2025-04-15', reason: 'follow_up' });
  const andi = await admit();
  const budi = await admit();
  const [andiFirst, budiFirst] = (
    await post(first.id, {
      results: [
        result(andi.id, {
          collected_at: '2025-04-01T08:00:00',
          results: panelWith({ class: 'MET', result: 'positive', value_ng_ml: 1200 }),
        }),
        result(budi.id, {
          collected_at: '2025-04-01T08:10:00',
          results: panelWith({ class: 'AMP', result: 'positive' }),
        }),
      ],
    })
  ).json().data;
  const [andiSecond] = (await post(second.id, result(andi.id, { collected_at: '2025-04-15T23:30:00' }))).json().data;
  const kupangRound = await openRound({ tested_on: '2025-04-01' }, kupang, 'staff.kupang');
  const theirs = await admit(kupang, 'staff.kupang');
  const [kupangTest] = (
    await post(kupangRound.id, result(theirs.id, { collected_at: '2025-04-01T08:00:00' }), { username: 'staff.kupang' })
  ).json().data;

  const ids = async (query: string, username = 'staff.banjarnegara') => {
    const res = await h.call('GET', `/v1/urine-tests?${query}`, { token: await h.login(username) });
    t.equal(res.statusCode, 200, query);
    return res.json().data.map((r: { id: string }) => r.id);
  };
  t.same(await ids(`round_id=${first.id}`), [andiFirst.id, budiFirst.id], 'by round');
  t.same(await ids(`round_id=${first.id}&outcome=presumptive_positive`), [andiFirst.id, budiFirst.id]);
  t.same(await ids(`round_id=${second.id}&outcome=presumptive_positive`), []);
  t.same(await ids('from=2025-04-01&to=2025-04-30&class=MET'), [andiFirst.id], 'positive for MET only');
  t.same(await ids('from=2025-04-01&to=2025-04-30&class=AMP'), [budiFirst.id]);
  t.same(await ids(`subject_id=${andi.id}`), [andiFirst.id, andiSecond.id], "a person's history across rounds");
  t.same(await ids(`subject_id=${andi.id}&subject_type=officer`), []);
  t.same(await ids('from=2025-04-15&to=2025-04-15'), [andiSecond.id], '23:30 local is still the 15th');
  t.same(await ids('from=2025-04-16&to=2025-04-30'), []);
  t.same(await ids('from=2025-04-01&to=2025-04-30&outcome=negative'), [andiSecond.id]);
  // A date filter orders by collection time: 08:00 in Kupang (UTC+8) comes before 08:00 in Banjarnegara (UTC+7).
  t.same(await ids('from=2025-04-01&to=2025-04-30', 'admin'), [
    kupangTest.id,
    andiFirst.id,
    budiFirst.id,
    andiSecond.id,
  ]);
  t.same(await ids(`facility_id=${kupang}&from=2025-04-01&to=2025-04-30`, 'admin'), [kupangTest.id]);

  const one = await h.call('GET', `/v1/urine-tests/${andiFirst.id}`, { token: staff });
  t.equal(one.statusCode, 200);
  t.match(one.json(), { id: andiFirst.id, outcome: 'presumptive_positive', collected_at: '2025-04-01T08:00:00+07:00' });

  // Reach: staff of another facility, and the province of Kupang.
  const kupangSees = await h.call('GET', '/v1/urine-tests?limit=200', { token: await h.login('staff.kupang') });
  t.ok(kupangSees.json().data.length > 0);
  t.ok(
    kupangSees.json().data.every((r: { facility_id: string }) => r.facility_id === kupang),
    'staff.kupang sees only Kupang',
  );
  t.same(await ids(`facility_id=${banjarnegara}`, 'staff.kupang'), []);
  t.same(await ids(`subject_id=${andi.id}`, 'staff.kupang'), []);
  t.equal(
    (await h.call('GET', `/v1/urine-tests/${andiFirst.id}`, { token: await h.login('staff.kupang') })).statusCode,
    404,
  );
  t.same(await ids('from=2025-04-01&to=2025-04-30', 'kanwil.ntt'), [kupangTest.id]);
  t.same(await ids('from=2025-04-01&to=2025-04-30', 'bnnp.ntt'), [kupangTest.id]);
  t.same(await ids('from=2025-04-01&to=2025-04-30', 'bnnk.purbalingga'), [andiFirst.id, budiFirst.id, andiSecond.id]);

  const rounds = async (url: string, username = 'staff.banjarnegara') => {
    const res = await h.call('GET', url, { token: await h.login(username) });
    return { status: res.statusCode, data: res.statusCode === 200 ? res.json().data : [] };
  };
  const april = await rounds(`/v1/facilities/${banjarnegara}/urine-test-rounds?from=2025-04-01&to=2025-04-30`);
  t.same(
    april.data.map((r: { id: string; tested: number }) => [r.id, r.tested]),
    [
      [first.id, 2],
      [second.id, 1],
    ],
  );
  const followUp = await rounds('/v1/urine-test-rounds?reason=follow_up&from=2025-04-01', 'admin');
  t.same(
    followUp.data.map((r: { id: string }) => r.id),
    [second.id],
  );
  const theirRounds = await rounds('/v1/urine-test-rounds?from=2025-04-01&to=2025-04-30', 'staff.kupang');
  t.same(
    theirRounds.data.map((r: { id: string }) => r.id),
    [kupangRound.id],
  );
  t.equal((await rounds(`/v1/facilities/${banjarnegara}/urine-test-rounds`, 'staff.kupang')).status, 404);

  // The demo API client: pseudonymous, read-only, unaudited.
  const viewed = () => h.count('audit_events', `action = 'urine_test.viewed'`);
  const demo = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  const client = demo.json().access_token as string;
  const auditedBefore = await viewed();
  const listed = await h.call('GET', `/v1/urine-tests?round_id=${first.id}`, { token: client });
  t.equal(listed.statusCode, 200);
  t.same(
    listed.json().data.map((r: { subject_id: string; outcome: string }) => [r.subject_id, r.outcome]),
    [
      [andi.id, 'presumptive_positive'],
      [budi.id, 'presumptive_positive'],
    ],
  );
  t.notMatch(listed.body, new RegExp(`${andi.name}|${budi.name}|${andi.registration_number.replace('.', '\\.')}`));
  const single = await h.call('GET', `/v1/urine-tests/${andiFirst.id}`, { token: client });
  t.equal(single.statusCode, 200);
  t.notMatch(single.body, new RegExp(andi.name));
  t.equal(await viewed(), auditedBefore, 'pseudonymous reads are not audited');
  const write = await h.call('POST', `/v1/urine-test-rounds/${second.id}/results`, {
    token: client,
    body: result(budi.id, { collected_at: '2025-04-15T09:00:00' }),
    headers: { 'idempotency-key': 'demo-1' },
  });
  t.equal(write.statusCode, 403, 'the read-only client writes nothing');

  // Staff reads are audited: one event per facility for a list, one per test for a single read.
  // A list and its event are one statement, one round trip.
  const sent = await h.statementsOf(async () => {
    const res = await h.call('GET', `/v1/urine-tests?round_id=${first.id}`, { token: staff });
    t.equal(res.statusCode, 200);
  });
  t.equal(sent.length, 1, 'the list and its audit event in one statement');
  t.match(sent[0]?.statement, /INSERT INTO audit_events/);
  t.equal(await viewed(), auditedBefore + 1);
  const [listEvent] = await h.rows<{ actor_type: string; facility_id: string; after: Record<string, unknown> }>(
    `SELECT actor_type, facility_id, after FROM audit_events WHERE action = 'urine_test.viewed' ORDER BY seq DESC LIMIT 1`,
  );
  t.match(listEvent, { actor_type: 'user', facility_id: banjarnegara });
  const compact = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex').toString('base64url');
  t.same(
    listEvent?.after,
    { ids_b64: [compact(andiFirst.id), compact(budiFirst.id)], url: `/v1/urine-tests?round_id=${first.id}` },
    'the ids read, all of them, stored compact',
  );
  const trail = await h.call('GET', `/v1/audit-events?action=urine_test.viewed&limit=1`, {
    token: await h.login('admin'),
  });
  t.same(
    trail.json().data[0].after,
    { ids: [andiFirst.id, budiFirst.id], url: `/v1/urine-tests?round_id=${first.id}` },
    'the trail answers them as UUIDs',
  );
  // A page names the rows it shows: not the one more that was read to tell whether a next page follows.
  const firstOfTwo = await h.call('GET', `/v1/urine-tests?round_id=${first.id}&limit=1`, { token: staff });
  t.ok(firstOfTwo.json().next_cursor, 'another page follows');
  const [pageEvent] = await h.rows<{ entity_id: string; after: Record<string, unknown> }>(
    `SELECT entity_id, after FROM audit_events WHERE action = 'urine_test.viewed' ORDER BY seq DESC LIMIT 1`,
  );
  t.same(
    pageEvent,
    {
      entity_id: andiFirst.id,
      after: { ids_b64: [compact(andiFirst.id)], url: `/v1/urine-tests?round_id=${first.id}&limit=1` },
    },
    'one row shown, one named',
  );
  const oneRead = await h.statementsOf(() => h.call('GET', `/v1/urine-tests/${andiSecond.id}`, { token: staff }));
  t.equal(oneRead.length, 1, 'a single read and its event: one statement too');
  t.equal(await viewed(), auditedBefore + 3);
  const elsewhere = await h.call('GET', `/v1/urine-tests/${andiSecond.id}`, { token: await h.login('staff.kupang') });
  t.equal(elsewhere.statusCode, 404, 'out of reach');
  t.equal(await viewed(), auditedBefore + 3, 'a read refused leaves no record of a read');
  const [oneEvent] = await h.rows<{ entity_id: string; entity_type: string }>(
    `SELECT entity_id, entity_type FROM audit_events WHERE action = 'urine_test.viewed' ORDER BY seq DESC LIMIT 1`,
  );
  t.same(oneEvent, { entity_id: andiSecond.id, entity_type: 'urine_test' });
  await h.call('GET', `/v1/urine-tests?round_id=${second.id}&outcome=refused`, { token: staff });
  t.equal(await viewed(), auditedBefore + 3, 'an empty answer shows nobody');
});
