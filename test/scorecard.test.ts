import { parse } from 'csv-parse/sync';
import t from 'tap';
import { parsePeriod, periodsUpTo, previousPeriod } from '../src/core/calendar/index.ts';
import { scorecardRules } from '../src/modules/compliance/indicators.ts';
import type { Measures } from '../src/modules/compliance/measures.ts';
import { score } from '../src/modules/compliance/service.ts';
import { build, PASSWORD } from './helpers/app.ts';
import { officerBody, trainingBody } from './helpers/reports.ts';

// The Bersinar scorecard: each indicator computed on hand-made records whose right answers are
// worked out below, the caps, the thresholds, period boundaries in WIB and WITA, closing a
// period with revisions, the ranking and its CSV, the printable page, and who sees what.
// The clock moves through the third quarter of 2026 as the records are made, then rests on
// 5 October 2026, 10:00 WIB.
let now = new Date('2026-07-01T00:00:00Z');
const at = (iso: string) => {
  now = new Date(iso);
};
const h = await build(t, {}, { clock: () => now });
const fac = h.world.facilities;
const banjarnegara = fac.banjarnegara as string;
const mataram = fac.mataram as string;
const kupang = fac.kupang as string;
const [mouRow] = await h.rows<{ id: string }>(`SELECT id FROM mous WHERE number = 'PKS/01/XII/2024/BNNK-PBG'`);
const [lead] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'bnnk.purbalingga'`);

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;
async function ok(
  method: string,
  url: string,
  body?: unknown,
  username = 'admin',
  headers: Record<string, string> = {},
) {
  const res = await h.call(method, url, { token: await h.login(username), body, headers });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as Json;
}
let serial = 0;
const admit = async (facility: string, caseType: string) =>
  (
    await ok('POST', `/v1/facilities/${facility}/inmates`, {
      registration_number: `S.${++serial}/2026`,
      name: `Warga Binaan Rapor ${serial}`,
      sex: 'male',
      birth_date: '1990-01-01',
      case_type: caseType,
      admission_date: '2026-01-10',
      status: 'sentenced',
    })
  ).id as string;
const hire = async (facility: string, over: Record<string, unknown> = {}) => {
  serial += 1;
  return (
    await ok('POST', `/v1/facilities/${facility}/officers`, {
      ...officerBody(1000 + serial, `Petugas Rapor ${serial}`),
      ...over,
    })
  ).id as string;
};
const PANEL = ['AMP', 'MET', 'THC'];
const negative = PANEL.map((c) => ({ class: c, result: 'negative' }));
async function round(facility: string, testedOn: string) {
  return (
    await ok('POST', `/v1/facilities/${facility}/urine-test-rounds`, {
      tested_on: testedOn,
      reason: 'random',
      subjects: 'both',
      kit: { brand: 'Rapid 3 Panel', lot: 'L26', expiry: '2027-12-31', panel: PANEL },
    })
  ).id as string;
}
type ClassResult = { class: string; result: string; value_ng_ml?: number };
async function test(
  roundId: string,
  subjectType: string,
  subjectId: string,
  collectedAt: string,
  results: ClassResult[] = negative,
) {
  const res = await ok(
    'POST',
    `/v1/urine-test-rounds/${roundId}/results`,
    {
      subject_type: subjectType,
      subject_id: subjectId,
      specimen_id: `SC-${++serial}`,
      collected_at: collectedAt,
      temperature_c: 34.5,
      results,
    },
    'admin',
    { 'idempotency-key': `sc-${serial}` },
  );
  return res.data[0].id as string;
}
async function inspection(facility: string, startedAt: string, endedAt: string, narcotics: boolean) {
  const report = await ok('POST', `/v1/facilities/${facility}/inspections`, {
    kind: 'surprise',
    team: [{ name: 'Tim gabungan', agency: 'facility', role: 'ketua' }],
    started_at: startedAt,
    ended_at: endedAt,
    areas: [{ kind: 'block', name: 'A' }],
    inmates_searched: 40,
    officers_searched: 5,
    summary: 'Penggeledahan blok A.',
  });
  await ok('POST', `/v1/inspections/${report.id}/findings`, {
    category: narcotics ? 'narcotics' : 'mobile_phone',
    description: narcotics ? 'Sabu dalam bungkus rokok' : 'Telepon genggam',
    quantity: 1,
    unit: narcotics ? 'grams' : 'pieces',
    location: 'Blok A',
  });
  return report.id as string;
}
async function action(inspectionId: string, due: string) {
  return (
    await ok('POST', `/v1/inspections/${inspectionId}/actions`, { description: 'Perbaiki pengawasan', due_date: due })
  ).id as string;
}
async function closeAction(id: string) {
  const current = await h.call('GET', `/v1/corrective-actions/${id}`, { token: await h.login('admin') });
  return ok(
    'PATCH',
    `/v1/corrective-actions/${id}`,
    { status: 'done', closing_comment: 'Selesai dikerjakan' },
    'admin',
    {
      'if-match': String(current.headers.etag),
    },
  );
}

// ---- the third quarter of 2026 at Rutan Banjarnegara (WIB) ----
// Inmates: I1-I5 narcotics users, I6-I8 not; I8 released on 15 August. Held during Q3: 8.
const I = [] as string[];
for (const caseType of [
  'narcotics_user',
  'narcotics_user',
  'narcotics_user',
  'narcotics_user',
  'narcotics_user',
  'non_narcotics',
  'non_narcotics',
  'non_narcotics',
]) {
  I.push(await admit(banjarnegara, caseType));
}
// Officers: O1-O4 in service; O5 left on 30 June (before Q3); O6 joins on 1 September. In service in Q3: 5.
const O = [await hire(banjarnegara), await hire(banjarnegara), await hire(banjarnegara), await hire(banjarnegara)];
const gone = await hire(banjarnegara, { status: 'retired', left_on: '2026-06-30' });

// A test at 00:15 WIB on 1 July (17:15 UTC on 30 June) belongs to Q3 in the facility's calendar.
at('2026-07-01T01:00:00Z');
const julyRound = await round(banjarnegara, '2026-07-01');
await test(julyRound, 'inmate', I[3] as string, '2026-07-01T00:15:00');

// Rehabilitation: I1, I2, I4 enrolled (active); I3 enrolled and later withdrawn.
const programme = await ok('POST', '/v1/rehab-programmes', {
  facility_id: banjarnegara,
  mou_id: mouRow?.id,
  title: 'Program Rapor',
  modality: 'group_counselling',
  curriculum: [{ number: 1, title: 'Sesi 1', duration_minutes: 60 }],
  starts_on: '2026-07-01',
  ends_on: '2026-12-31',
  capacity: 10,
  rooms: ['Aula Rapor'],
  facilitators: [{ user_id: lead?.id, role: 'lead' }],
});
const enrolments: Json[] = [];
for (const inmate of [I[0], I[1], I[2], I[3]]) {
  enrolments.push(await ok('POST', `/v1/rehab-programmes/${programme.id}/enrolments`, { inmate_id: inmate }));
}

// Inspection A (15 July): a phone, an action due 31 July closed on the 20th: on time.
at('2026-07-20T03:00:00Z');
const inspA = await inspection(banjarnegara, '2026-07-15T09:00:00', '2026-07-15T11:00:00', false);
const onTime = await action(inspA, '2026-07-31');
await closeAction(onTime);
await ok('POST', `/v1/inspections/${inspA}/submit`, undefined, 'staff.banjarnegara');

// The random round of 10 August: I1 positive (confirmed), I2 and I3 negative, O1 negative.
at('2026-08-10T05:00:00Z');
const august = await round(banjarnegara, '2026-08-10');
const positiveTest = await test(august, 'inmate', I[0] as string, '2026-08-10T09:05:00', [
  { class: 'AMP', result: 'negative' },
  { class: 'MET', result: 'positive', value_ng_ml: 900 },
  { class: 'THC', result: 'negative' },
]);
await test(august, 'inmate', I[1] as string, '2026-08-10T09:10:00');
await test(august, 'inmate', I[2] as string, '2026-08-10T09:15:00');
await test(august, 'officer', O[0] as string, '2026-08-10T09:20:00');
// O7 is tested too, then suspended (inactive): counted neither among the officers nor the tested.
const O7 = await hire(banjarnegara);
await test(august, 'officer', O7, '2026-08-10T09:25:00');
await ok('PATCH', `/v1/officers/${O7}`, { status: 'inactive' }, 'admin', { 'if-match': '"1"' });
await ok('POST', `/v1/urine-tests/${positiveTest}/confirmation`, {
  class: 'MET',
  method: 'GC-MS',
  lab: 'Lab BNN',
  value_ng_ml: 640,
});
const [assessment] = await h.rows<{ id: string; due: string }>(
  `SELECT id, assessment_due::text AS due FROM follow_up_cases WHERE test_id = $1`,
  [positiveTest],
);

// I8 released on 15 August: held during Q3, not at its end.
at('2026-08-16T03:00:00Z');
await ok('POST', `/v1/inmates/${I[7]}/release`, { released_on: '2026-08-15', reason: 'parole' });

// Inspection B (20 August) found narcotics: its automatic 48-hour hand-over stays open, and an
// action due 15 September is done on the 20th: late.
at('2026-08-21T03:00:00Z');
const inspB = await inspection(banjarnegara, '2026-08-20T09:00:00', '2026-08-20T11:00:00', true);
const late = await action(inspB, '2026-09-15');
await ok('POST', `/v1/inspections/${inspB}/submit`, undefined, 'staff.banjarnegara');
// A draft inspection does not count.
await ok('POST', `/v1/facilities/${banjarnegara}/inspections`, {
  kind: 'surprise',
  team: [{ name: 'Tim', agency: 'facility' }],
  started_at: '2026-08-21T08:00:00',
  ended_at: '2026-08-21T09:00:00',
  areas: [{ kind: 'kitchen' }],
  inmates_searched: 0,
  officers_searched: 0,
  summary: 'Draf.',
});
at('2026-09-01T03:00:00Z');
const O6 = await hire(banjarnegara, { joined_on: '2026-09-01' });
O.push(O6);
at('2026-09-10T03:00:00Z');
const third = enrolments[2] as Json;
await ok(
  'PATCH',
  `/v1/rehab-enrolments/${third.id}`,
  { status: 'withdrawn', note: 'Pindah blok isolasi' },
  'bnnk.purbalingga',
  {
    'if-match': `"${third.version}"`,
  },
);
at('2026-09-20T03:00:00Z');
await closeAction(late);

// Training: O1 and O2 passed a training that ended on 10 March 2026 (within 12 months of 30 September).
at('2026-09-21T03:00:00Z');
const training = await ok('POST', '/v1/trainings', trainingBody(banjarnegara));
const trained = await ok('POST', `/v1/trainings/${training.id}/participants`, { officer_ids: [O[0], O[1]] });
for (const p of trained.data) {
  await ok('PATCH', `/v1/trainings/${training.id}/participants/${p.id}`, { post_test_score: 80 }, 'admin', {
    'if-match': '"1"',
  });
}

// A test at 00:10 WIB on 1 October belongs to Q4, not Q3.
at('2026-10-01T02:00:00Z');
const october = await round(banjarnegara, '2026-10-01');
await test(october, 'inmate', I[4] as string, '2026-10-01T00:10:00');

// ---- Lapas Mataram (WITA): the quarter's edges in its own calendar ----
const M = [await admit(mataram, 'non_narcotics'), await admit(mataram, 'non_narcotics')];
at('2026-10-01T01:00:00Z');
const lastDay = await round(mataram, '2026-09-30');
await test(lastDay, 'inmate', M[0] as string, '2026-09-30T23:30:00'); // 15:30 UTC: Q3 in WITA
const firstDay = await round(mataram, '2026-10-01');
await test(firstDay, 'inmate', M[1] as string, '2026-10-01T00:30:00'); // 16:30 UTC on 30 Sep: Q4 in WITA

// In Q4 so far: an inspection on 2 October whose action falls due today, 5 October: not judged yet.
at('2026-10-05T03:00:00Z');
const inspQ4 = await inspection(banjarnegara, '2026-10-02T09:00:00', '2026-10-02T10:00:00', false);
await action(inspQ4, '2026-10-05');
await ok('POST', `/v1/inspections/${inspQ4}/submit`, undefined, 'staff.banjarnegara');

// Awareness campaigns inside Banjarnegara: one on the quarter's last day counts; one on 1 October is Q4's.
const kanwilJateng = h.world.organisations['kanwil.jateng'] as string;
const campaign = (heldOn: string) =>
  ok('POST', '/v1/campaigns', {
    kind: 'education',
    topic: 'Bahaya narkoba bagi warga binaan',
    held_on: heldOn,
    province_code: '33',
    regency: 'Banjarnegara',
    venue: 'Aula Rutan Banjarnegara',
    facility_id: banjarnegara,
    audience_kind: 'inmates',
    audience_count: 120,
    organiser_ids: [kanwilJateng],
  });
await campaign('2026-09-30');
await campaign('2026-10-01');

const indicator = (card: Json, code: string) => card.indicators.find((i: Json) => i.code === code);

t.test("Banjarnegara's third quarter, indicator by indicator", async (t) => {
  const res = await h.call('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`, {
    token: await h.login('admin'),
  });
  t.equal(res.statusCode, 200);
  const card = res.json();
  t.match(card, { facility_id: banjarnegara, period: '2026-Q3', from: '2026-07-01', to: '2026-09-30', complete: true });
  const expected: [string, number | null, number, number | null, boolean | null][] = [
    // code, value, numerator, denominator, met
    ['inmate_test_coverage', 0.5, 4, 8, true], // I1-I4 tested (I4 at 00:15 WIB on 1 July); I5 only in October
    ['officer_test_coverage', 0.2, 1, 5, false], // O1 of O1-O4 and O6; O5 left before the quarter
    ['inmate_positive_rate', 0.25, 1, 4, false],
    ['officer_positive', 0, 0, null, true],
    ['inspections_per_month', 0.6667, 2, 3, false], // A and B; the draft does not count
    ['inspections_with_narcotics', 1, 1, null, false],
    ['actions_closed_on_time', 0.3333, 1, 3, false], // A's on time; B's hand-over open, the other done late
    ['officers_trained', 0.4, 2, 5, false],
    ['users_in_rehab', 0.6, 3, 5, true], // I1, I2, I4 of I1-I5 (I3 withdrew)
    ['rehab_completion', 0, 0, 1, false], // I3's withdrawal is the one ending
    ['cases_assessed_on_time', 0, 0, 1, false], // I1's assessment, due within the quarter, not done
    ['awareness_campaigns', 0.3333, 1, 3, true], // 30 September's; 1 October's is Q4's
    ['active_mou', 1, 1, null, true],
  ];
  for (const [code, value, numerator, denominator, met] of expected) {
    t.match(indicator(card, code), { value, numerator, denominator, met }, code);
  }
  t.ok(assessment && assessment.due <= '2026-09-30', `the assessment was due on ${assessment?.due}, within Q3`);
  t.equal(card.score, 37, '12 + 10 + 8 + 4 + 3 points of 100');
  t.equal(card.status, 'belum_bersinar');
  t.same(card.capped_by, ['inspections_with_narcotics']);

  const records = (code: string) => indicator(card, code).records.map((r: Json) => r.href);
  t.same(
    [...records('officer_test_coverage')].sort(),
    [O[1], O[2], O[3], O6].map((id) => `/v1/officers/${id}`).sort(),
    'the officers not tested',
  );
  t.notOk(records('officer_test_coverage').includes(`/v1/officers/${gone}`));
  t.same(
    indicator(card, 'inmate_positive_rate').records,
    [
      {
        kind: 'inmate_positive',
        id: I[0],
        href: `/v1/inmates/${I[0]}`,
        outcome: 'confirmed_positive',
        test_id: positiveTest,
      },
    ],
    'each inmate counted positive, with the result that counts them',
  );
  t.same(records('inspections_with_narcotics'), [`/v1/inspections/${inspB}`]);
  t.equal(records('actions_closed_on_time').length, 2);
  t.ok(records('actions_closed_on_time').includes(`/v1/corrective-actions/${late}`));
  t.same(records('cases_assessed_on_time'), [`/v1/follow-up-cases/${assessment?.id}`]);
  t.same(records('rehab_completion'), [`/v1/rehab-enrolments/${third.id}`]);
  t.notOk(indicator(card, 'users_in_rehab').records, 'no records behind an indicator met');

  const august = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-08`);
  t.match(indicator(august, 'inspections_per_month'), { value: 1, numerator: 1, denominator: 1, met: true });
  const q4 = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q4`);
  t.match(q4, { complete: false });
  t.match(
    indicator(q4, 'inspections_per_month'),
    { numerator: 1, denominator: 1, met: true },
    'October alone has begun',
  );
  t.match(
    indicator(q4, 'actions_closed_on_time'),
    { denominator: 0, value: null, met: null },
    'due today is not late yet',
  );
  const bnnView = await ok(
    'GET',
    `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`,
    undefined,
    'bnnk.purbalingga',
  );
  t.notOk(indicator(bnnView, 'officers_trained').records, 'no training in the MoU: no officer records for the unit');
  t.ok(indicator(bnnView, 'officer_test_coverage').records, 'urine testing in the MoU: its records');
  t.match(indicator(q4, 'inmate_test_coverage'), { numerator: 1 }, "I5's October test");
  const current = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard`);
  t.equal(current.period, '2026-Q4', 'the quarter holding today by default');
});

t.test('periods are read in each facility’s own calendar', async (t) => {
  const q3 = await ok('GET', `/v1/facilities/${mataram}/scorecard?period=2026-Q3`);
  const q4 = await ok('GET', `/v1/facilities/${mataram}/scorecard?period=2026-Q4`);
  t.match(indicator(q3, 'inmate_test_coverage'), { numerator: 1 }, '23:30 WITA on 30 September is Q3');
  t.match(
    indicator(q4, 'inmate_test_coverage'),
    { numerator: 1 },
    '00:30 WITA on 1 October (still 30 September in WIB) is Q4',
  );
  const bad: [string, number][] = [
    ['2026-Q5', 400],
    ['2026-13', 400],
    ['26-Q1', 400],
    ['2027-Q1', 400], // not begun
  ];
  for (const [period, status] of bad) {
    const res = await h.call('GET', `/v1/facilities/${mataram}/scorecard?period=${period}`, {
      token: await h.login('admin'),
    });
    t.equal(res.statusCode, status, period);
    t.equal(res.json().errors?.[0]?.pointer, '/period');
  }
});

t.test('a period is complete once its last day has passed in the facility’s calendar', async (t) => {
  const resting = now;
  t.teardown(() => {
    now = resting;
  });
  const complete = async (facility: string) =>
    (await ok('GET', `/v1/facilities/${facility}/scorecard?period=2026-Q3`)).complete as boolean;
  at('2026-09-30T16:59:00Z'); // 23:59 WIB on 30 September, 00:59 WITA on 1 October
  t.same(
    { banjarnegara: await complete(banjarnegara), mataram: await complete(mataram) },
    { banjarnegara: false, mataram: true },
    'the last day itself is still running',
  );
  at('2026-09-30T17:00:00Z'); // midnight WIB
  t.equal(await complete(banjarnegara), true);
});

t.test('thresholds and caps, from the rules', async (t) => {
  const rules = scorecardRules(JSON.stringify({ thresholds: { bersinar: 30, menuju_bersinar: 20 } }));
  const period = parsePeriod('2026-Q3');
  if (!period) throw new Error('no period');
  const facility = { id: 'f', name: 'Rutan Uji', provinceCode: '33', timezone: 'Asia/Jakarta' } as never;
  const all = (numerator: number, denominator: number | null) =>
    Object.fromEntries(rules.indicators.map((i) => [i.code, { numerator, denominator }])) as unknown as Measures;
  const ctx = (r = rules) => ({ rules: r, trainingMonths: 12, now: new Date('2026-10-05T03:00:00Z') });
  const perfect = {
    ...all(1, 1),
    inmate_positive_rate: { numerator: 0, denominator: 1 },
    officer_positive: { numerator: 0, denominator: null },
    inspections_with_narcotics: { numerator: 0, denominator: null },
  };
  const best = score(facility, period, perfect, ctx(scorecardRules(undefined)));
  t.match(best, { score: 100, status: 'bersinar' });
  t.same(best.capped_by, [], 'nothing caps a clean record');
  const withPositive = { ...perfect, officer_positive: { numerator: 1, denominator: null } };
  const capped = score(facility, period, withPositive, ctx(scorecardRules(undefined)));
  t.match(capped, { score: 90, status: 'menuju_bersinar' }, 'an officer positive caps a 90 below bersinar');
  t.same(capped.capped_by, ['officer_positive']);
  const permissive = scorecardRules(JSON.stringify({ indicators: { officer_positive: { target: 1 } } }));
  t.same(
    score(facility, period, withPositive, ctx(permissive)).capped_by,
    ['officer_positive'],
    'a cap is not a target',
  );
  const lenient = scorecardRules(JSON.stringify({ thresholds: { bersinar: 90, menuju_bersinar: 89.9 } }));
  t.match(score(facility, period, withPositive, ctx(lenient)), { status: 'menuju_bersinar' });
  const strict = scorecardRules(JSON.stringify({ thresholds: { bersinar: 95, menuju_bersinar: 90.1 } }));
  t.match(score(facility, period, withPositive, ctx(strict)), { status: 'belum_bersinar' });
  const nothingToJudge = { ...perfect, rehab_completion: { numerator: 0, denominator: 0 } };
  const card = score(facility, period, nothingToJudge, ctx(scorecardRules(undefined)));
  t.match(
    card.indicators.find((i) => i.code === 'rehab_completion'),
    { value: null, met: null, points: null },
  );
  t.equal(card.score, 100, 'an indicator with nothing to judge is left out, not failed');
  const weighted = scorecardRules(
    JSON.stringify({ indicators: { active_mou: { weight: 0 }, inmate_test_coverage: { target: 0.9 } } }),
  );
  t.equal(weighted.indicators.find((i) => i.code === 'inmate_test_coverage')?.target, 0.9);
  t.throws(() => scorecardRules('{"thresholds":{"bersinar":50,"menuju_bersinar":60}}'), /SCORECARD_CONFIG/);
  t.throws(() => scorecardRules('{"indicators":{"unknown":{}}}'), /SCORECARD_CONFIG/);
  const indicators = await ok('GET', '/v1/compliance/indicators', undefined, 'kanwil.ntt');
  t.equal(indicators.indicators.length, 13);
  t.same(indicators.thresholds, { bersinar: 85, menuju_bersinar: 60 });
  t.same(indicators.caps, ['officer_positive', 'inspections_with_narcotics']);
});

t.test('an indicator is met on its exact ratio, not on the value shown', async (t) => {
  const rules = scorecardRules(undefined);
  const period = parsePeriod('2026-Q3');
  if (!period) throw new Error('no period');
  const facility = { id: 'f', name: 'Rutan Uji', provinceCode: '33', timezone: 'Asia/Jakarta' } as never;
  const measures = Object.fromEntries(
    rules.indicators.map((i) => [i.code, { numerator: 1, denominator: 1 }]),
  ) as unknown as Measures;
  // Shown to four places, both read as their target; neither reaches it.
  const card = score(
    facility,
    period,
    {
      ...measures,
      inmate_test_coverage: { numerator: 29_997, denominator: 100_000 },
      inmate_positive_rate: { numerator: 50_001, denominator: 1_000_000 },
      officer_positive: { numerator: 0, denominator: null },
      inspections_with_narcotics: { numerator: 0, denominator: null },
    },
    { rules, trainingMonths: 12, now: new Date('2026-10-05T03:00:00Z') },
  );
  const judged = (code: string) => {
    const i = card.indicators.find((x) => x.code === code);
    return { value: i?.value, target: i?.target, met: i?.met, points: i?.points };
  };
  t.same(judged('inmate_test_coverage'), { value: 0.3, target: 0.3, met: false, points: 0 }, 'at least 0.3');
  t.same(judged('inmate_positive_rate'), { value: 0.05, target: 0.05, met: false, points: 0 }, 'at most 0.05');
});

t.test('periods', async (t) => {
  const q1 = parsePeriod('2026-Q1');
  t.match(q1, { from: '2026-01-01', to: '2026-03-31', months: 3 });
  t.equal(previousPeriod(q1 as never).code, '2025-Q4');
  t.match(parsePeriod('2024-02'), { from: '2024-02-01', to: '2024-02-29' });
  t.equal(previousPeriod(parsePeriod('2026-01') as never).code, '2025-12');
  t.same(
    periodsUpTo(parsePeriod('2026-Q3') as never, 8).map((p) => p.code),
    ['2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'],
  );
});

t.test('closing a period keeps it; a later correction is a revision', async (t) => {
  t.equal(
    (await h.call('POST', '/v1/scorecards/close', { token: await h.login('kanwil.ntt'), body: { period: '2026-Q3' } }))
      .statusCode,
    403,
  );
  const open = await h.call('POST', '/v1/scorecards/close', {
    token: await h.login('admin'),
    body: { period: '2026-Q4' },
  });
  t.equal(open.statusCode, 422, 'a running period is not closed');
  const before = new Date();
  const first = await ok('POST', '/v1/scorecards/close', { period: '2026-Q3' });
  t.same(first, { period: '2026-Q3', closed: 7, revised: 0, unchanged: 0 }, 'every facility');
  const again = await ok('POST', '/v1/scorecards/close', { period: '2026-Q3' });
  t.same(again, { period: '2026-Q3', closed: 0, revised: 0, unchanged: 7 }, 'nothing changed, nothing stored');
  const closed = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`);
  t.match(closed.closed, { revision: 1, score: 37, status: 'belum_bersinar' });
  t.equal(closed.differs_from_closed, false);
  // Just after the first closing was taken (its time is read to the millisecond, the database keeps more).
  const between = new Date(new Date(closed.closed.taken_at).getTime() + 1);

  // A correction: O2's test of 29 September is entered late.
  const lateRound = await round(banjarnegara, '2026-09-29');
  await test(lateRound, 'officer', O[1] as string, '2026-09-29T10:00:00');
  const corrected = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`);
  t.match(indicator(corrected, 'officer_test_coverage'), { numerator: 2, value: 0.4, met: true });
  t.equal(corrected.score, 45);
  t.equal(corrected.differs_from_closed, true, 'the record moved since the closing');
  t.match(corrected.closed, { revision: 1, score: 37 });

  const revised = await ok('POST', '/v1/scorecards/close', { period: '2026-Q3', province_code: '33' });
  t.same(revised, { period: '2026-Q3', closed: 0, revised: 1, unchanged: 1 });
  const latest = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`);
  t.match(latest.closed, { revision: 2, score: 45 });
  const ranked = await ok('GET', '/v1/scorecards?period=2026-Q3&province_code=33');
  t.equal(
    ranked.data.find((r: Json) => r.facility_id === banjarnegara)?.closed_score,
    45,
    'the ranking shows the score as closed (revision 2)',
  );
  const asBefore = await ok(
    'GET',
    `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3&as_of=${between.toISOString()}`,
  );
  t.match(asBefore, { score: 37, closed: { revision: 1 } }, 'as_of shows what was reported then');
  const tooEarly = await h.call(
    'GET',
    `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3&as_of=${new Date(before.getTime() - 60_000).toISOString()}`,
    {
      token: await h.login('admin'),
    },
  );
  t.equal(tooEarly.statusCode, 404, 'nothing was closed then');
  const trail = await h.rows<{ action: string; n: number }>(
    `SELECT action, count(*)::int AS n FROM audit_events WHERE entity_type = 'scorecard' GROUP BY action ORDER BY action`,
  );
  t.same(trail, [
    { action: 'scorecard.closed', n: 7 },
    { action: 'scorecard.revised', n: 1 },
  ]);
  const refusal = await h.rows(`UPDATE scorecard_snapshots SET score = 99`).then(
    () => 'accepted',
    (err: Error & { cause?: Error }) => String(err.cause?.message ?? err.message),
  );
  t.match(refusal, /append-only/, 'the database keeps snapshots as they were');
});

t.test('facilities with the same score share a rank, and the next rank counts them', async (t) => {
  const ranking = await ok('GET', '/v1/scorecards?period=2026-Q3');
  t.same(
    ranking.data.map((r: Json) => [r.rank, r.facility_name]),
    [
      [1, 'Lapas Kelas IIA Mataram'],
      [2, 'Lapas Kelas IIA Kupang'],
      [2, 'Lapas Perempuan Kelas III Kupang'],
      [4, 'Lapas Kelas IIA Abepura'],
      [4, 'Lapas Kelas IIA Pontianak'],
      [4, 'Lapas Kelas IIA Purwokerto'],
      [7, 'Rutan Kelas IIB Banjarnegara'],
    ],
  );
  const scoreOf = (rank: number) => [
    ...new Set(ranking.data.filter((r: Json) => r.rank === rank).map((r: Json) => r.score)),
  ];
  t.same([scoreOf(2), scoreOf(4)], [[65.7], [57.1]], 'a shared rank is a shared score');
});

t.test('a facility name a spreadsheet would read as a formula is quoted as text in the CSV', async (t) => {
  // A database of its own: the facilities made here would change every other count in this file.
  const own = await build(t);
  const token = await own.login('admin');
  const names = ['=HYPERLINK("http://x.test","Lapas")', '+62 Lapas', '-1 Lapas', '@SUM(A1) Lapas'];
  for (const [i, name] of names.entries()) {
    const res = await own.call('POST', '/v1/facilities', {
      token,
      body: {
        type: 'lapas',
        class: 'IIA',
        name,
        province_code: '53',
        regency: `Kabupaten Uji ${i}`,
        capacity: 100,
        timezone: 'Asia/Makassar',
      },
    });
    t.equal(res.statusCode, 201, name);
  }
  const csv = await own.call('GET', '/v1/scorecards?period=2025-Q4&province_code=53', {
    token,
    headers: { accept: 'text/csv' },
  });
  t.equal(csv.statusCode, 200);
  const rows = parse(csv.body, { columns: true }) as { facility_name: string }[];
  t.same(
    rows.map((r) => r.facility_name).sort(),
    [...names.map((n) => `'${n}`), 'Lapas Kelas IIA Kupang', 'Lapas Perempuan Kelas III Kupang'].sort(),
  );
});

t.test('the ranking, its CSV, and the page', async (t) => {
  const ranking = await ok('GET', '/v1/scorecards?period=2026-Q3&province_code=33');
  t.equal(ranking.previous_period, '2026-Q2');
  t.same(ranking.data.map((r: Json) => r.facility_id).sort(), [banjarnegara, fac.purwokerto].sort());
  const row = ranking.data.find((r: Json) => r.facility_id === banjarnegara);
  // The quarter as the scorecard shows it now: the closing subtest may have corrected and closed it.
  const q3 = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`);
  const q2 = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q2`);
  t.same(
    [row.closed_score, row.score, row.status, row.previous_score, row.change],
    [q3.closed?.score ?? null, q3.score, 'belum_bersinar', q2.score, Math.round((q3.score - q2.score) * 10) / 10],
  );
  t.ok(
    ranking.data.every((r: Json, i: number) => i === 0 || ranking.data[i - 1].score >= r.score),
    'best first',
  );
  t.equal(ranking.data[0].rank, 1);

  // Once Q2 is closed, the change is measured against what was reported, not against later corrections.
  await ok('POST', '/v1/scorecards/close', { period: '2026-Q2', province_code: '33' });
  const juneRound = await round(banjarnegara, '2026-06-15');
  for (const officer of O.slice(0, 4)) await test(juneRound, 'officer', officer as string, '2026-06-15T10:00:00');
  const q2Now = await ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q2`);
  t.not(q2Now.score, q2.score, 'a late correction moved the live Q2 score');
  const asReported = await ok('GET', '/v1/scorecards?period=2026-Q3&province_code=33');
  t.match(
    asReported.data.find((r: Json) => r.facility_id === banjarnegara),
    { previous_score: q2.score },
    'the ranking compares with Q2 as closed',
  );

  const csv = await h.call('GET', '/v1/scorecards?period=2026-Q3&province_code=33', {
    token: await h.login('admin'),
    headers: { accept: 'text/csv' },
  });
  t.equal(csv.statusCode, 200);
  t.match(csv.headers['content-type'], /^text\/csv/);
  const lines = csv.body.trim().split('\n');
  t.equal(
    lines[0],
    'period,rank,facility_id,facility_name,province_code,score,status,capped_by,closed_score,previous_score,previous_status,change',
  );
  t.equal(lines.length, 3, 'a header and a row a facility');
  t.ok(
    lines.some(
      (l) =>
        l.includes(banjarnegara) &&
        l.includes(`,${q3.score},belum_bersinar,inspections_with_narcotics,${q3.closed?.score ?? ''},`),
    ),
  );

  // An Accept that names the charset asks for the same.
  const withCharset = await h.call('GET', '/v1/scorecards?period=2026-Q3&province_code=33', {
    token: await h.login('admin'),
    headers: { accept: 'text/csv; charset=utf-8' },
  });
  t.equal(withCharset.headers['content-type'], csv.headers['content-type'], 'text/csv; charset=utf-8: the CSV');
  t.equal(withCharset.body, csv.body);

  const page = await h.call('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`, {
    token: await h.login('head.banjarnegara'),
    headers: { accept: 'text/html; charset=utf-8' },
  });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  t.match(page.body, /<meta name="viewport"/);
  t.match(page.body, /Rutan Kelas IIB Banjarnegara/);
  t.match(page.body, `data-score="${q3.score}"`);
  t.match(page.body, /Belum Bersinar/);
  t.match(page.body, /<svg[^>]*aria-label="Skor delapan periode terakhir"/);
  t.equal((page.body.match(/<rect /g) ?? []).length, 8, 'eight periods in the chart');
  t.match(page.body, /@media print/);

  const cases: [string, boolean, string[] | null][] = [
    // username, reaches Banjarnegara's scorecard, the facilities in its national ranking
    ['admin', true, null],
    ['head.banjarnegara', true, [banjarnegara]],
    ['bnnk.purbalingga', true, [banjarnegara]],
    ['staff.kupang', false, [kupang]],
    ['kanwil.ntt', false, [kupang, fac['lpp.kupang'] as string]],
  ];
  for (const [username, sees, ranked] of cases) {
    const res = await h.call('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`, {
      token: await h.login(username),
    });
    t.equal(res.statusCode, sees ? 200 : 404, `${username} GET the scorecard`);
    const list = await ok('GET', '/v1/scorecards?period=2026-Q3', undefined, username);
    if (ranked) t.same(list.data.map((r: Json) => r.facility_id).sort(), [...ranked].sort(), `${username} ranking`);
    else t.equal(list.data.length, 7);
  }
  const client = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  const national = await h.call('GET', '/v1/scorecards?period=2026-Q3', { token: client.json().access_token });
  t.equal(national.json().data.length, 7, 'an API client reads the aggregates');
});
