import t from 'tap';
import { build, type Harness } from './helpers/app.ts';
import { officerBody, trainingBody } from './helpers/reports.ts';

// The scorecard's figures are kept per process under each facility's data version, which every
// write to a table the figures read moves in its own transaction. Here: a write of each kind is
// seen by the very next read, a read with nothing written computes nothing, a new day in the
// facility's zone computes afresh, and a second process on the same database sees the first's
// writes at once. The clock rests on 20 August 2026, 10:00 WIB, inside the running 2026-Q3; a few
// writes are made earlier in the quarter by moving it back.

const REST = '2026-08-20T03:00:00Z';
let now = new Date(REST);
const at = (iso: string) => {
  now = new Date(iso);
};
const h = await build(t, {}, { clock: () => now });
const other = await build(t, {}, { sharing: h, clock: () => now });
const fac = h.world.facilities;
const org = h.world.organisations;
const banjarnegara = fac.banjarnegara as string;
const purwokerto = fac.purwokerto as string;
const [mouRow] = await h.rows<{ id: string }>(`SELECT id FROM mous WHERE number = 'PKS/01/XII/2024/BNNK-PBG'`);
const [lead] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'bnnk.purbalingga'`);

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;
async function ok(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  via = h,
  username = 'admin',
) {
  const res = await via.call(method, url, { token: await via.login(username), body, headers });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as Json;
}
const etag = async (url: string) => String((await h.call('GET', url, { token: await h.login('admin') })).headers.etag);

/** Each indicator's [numerator, denominator] on the facility's 2026-Q3 scorecard, through `via`. */
async function figures(facility: string, via: Harness = h): Promise<Record<string, [number, number | null]>> {
  const res = await via.call('GET', `/v1/facilities/${facility}/scorecard?period=2026-Q3`, {
    token: await via.login('admin'),
  });
  if (res.statusCode !== 200) throw new Error(`scorecard: ${res.statusCode} ${res.body}`);
  return Object.fromEntries(res.json().indicators.map((i: Json) => [i.code, [i.numerator, i.denominator]]));
}
/** The statements of a read that compute figures (every count and records query starts from `fp`). */
const computing = <S extends { statement: string }>(statements: S[]) =>
  statements.filter((s) => /WITH fp AS|training_participants/.test(s.statement));

let serial = 0;
const admit = async (facility: string, caseType = 'non_narcotics') =>
  (
    await ok('POST', `/v1/facilities/${facility}/inmates`, {
      registration_number: `C.${++serial}/2026`,
      name: `Warga Binaan Tembolok ${serial}`,
      sex: 'male',
      birth_date: '1990-01-01',
      case_type: caseType,
      admission_date: '2026-01-10',
      status: 'sentenced',
    })
  ).id as string;
const hire = async (facility: string) => {
  serial += 1;
  return (
    await ok('POST', `/v1/facilities/${facility}/officers`, officerBody(2000 + serial, `Petugas Tembolok ${serial}`))
  ).id as string;
};
const PANEL = ['AMP', 'MET', 'THC'];
const negative = PANEL.map((c) => ({ class: c, result: 'negative' }));
const positive = [
  { class: 'AMP', result: 'negative' },
  { class: 'MET', result: 'positive', value_ng_ml: 900 },
  { class: 'THC', result: 'negative' },
];
async function urineTest(facility: string, subjectType: string, subjectId: string, day: string, results = negative) {
  const round = await ok('POST', `/v1/facilities/${facility}/urine-test-rounds`, {
    tested_on: day,
    reason: 'random',
    subjects: 'both',
    kit: { brand: 'Rapid 3 Panel', lot: 'L26', expiry: '2027-12-31', panel: PANEL },
  });
  const res = await ok(
    'POST',
    `/v1/urine-test-rounds/${round.id}/results`,
    {
      subject_type: subjectType,
      subject_id: subjectId,
      specimen_id: `TC-${++serial}`,
      collected_at: `${day}T09:00:00`,
      temperature_c: 34.5,
      results,
    },
    { 'idempotency-key': `tc-${serial}` },
  );
  return res.data[0].id as string;
}
const confirm = (testId: string) =>
  ok('POST', `/v1/urine-tests/${testId}/confirmation`, {
    class: 'MET',
    method: 'GC-MS',
    lab: 'Lab BNN',
    value_ng_ml: 640,
  });
const inspection = (facility: string, day: string) =>
  ok('POST', `/v1/facilities/${facility}/inspections`, {
    kind: 'surprise',
    team: [{ name: 'Tim gabungan', agency: 'facility', role: 'ketua' }],
    started_at: `${day}T09:00:00`,
    ended_at: `${day}T11:00:00`,
    areas: [{ kind: 'block', name: 'A' }],
    inmates_searched: 40,
    officers_searched: 5,
    summary: 'Penggeledahan blok A.',
  });

t.beforeEach(() => at(REST));

t.test('a read with nothing written since computes nothing; one after a write computes afresh', async (t) => {
  const first = await figures(banjarnegara);
  const again = await h.statementsOf(() => figures(banjarnegara));
  t.same(computing(again), [], 'the kept figures and records behind are served');
  t.equal(again.filter((s) => /facility_data_versions/.test(s.statement)).length, 1, 'one look at the versions');
  t.same(await figures(banjarnegara), first);
  await admit(banjarnegara);
  const after = await h.statementsOf(() => figures(banjarnegara));
  t.ok(computing(after).length > 0, 'the write moved the version: computed again');
});

t.test('reads at the same time after a write compute the figures once', async (t) => {
  await figures(banjarnegara);
  await admit(banjarnegara);
  const statements = await h.statementsOf(() => Promise.all([figures(banjarnegara), figures(banjarnegara)]));
  t.equal(statements.filter((s) => /JOIN campaigns c/.test(s.statement)).length, 1);
});

t.test('admitting and testing an inmate: placements, inmates, urine tests', async (t) => {
  const before = await figures(banjarnegara);
  const inmate = await admit(banjarnegara);
  const admitted = await figures(banjarnegara);
  t.same(admitted.inmate_test_coverage, [
    before.inmate_test_coverage?.[0],
    (before.inmate_test_coverage?.[1] as number) + 1,
  ]);
  await urineTest(banjarnegara, 'inmate', inmate, '2026-08-19');
  const tested = await figures(banjarnegara);
  t.same(tested.inmate_test_coverage, [
    (admitted.inmate_test_coverage?.[0] as number) + 1,
    admitted.inmate_test_coverage?.[1],
  ]);
  t.same(tested.inmate_positive_rate, [
    admitted.inmate_positive_rate?.[0],
    (admitted.inmate_positive_rate?.[1] as number) + 1,
  ]);
});

t.test('a confirmation counts the inmate positive; the case type makes a user for rehab', async (t) => {
  const inmate = await admit(banjarnegara);
  const testId = await urineTest(banjarnegara, 'inmate', inmate, '2026-08-19', positive);
  const presumptive = await figures(banjarnegara);
  await confirm(testId);
  const confirmed = await figures(banjarnegara);
  t.same(confirmed.inmate_positive_rate, [
    (presumptive.inmate_positive_rate?.[0] as number) + 1,
    presumptive.inmate_positive_rate?.[1],
  ]);
  t.same(confirmed.users_in_rehab, [presumptive.users_in_rehab?.[0], (presumptive.users_in_rehab?.[1] as number) + 1]);

  const other = await admit(banjarnegara);
  await ok(
    'PATCH',
    `/v1/inmates/${other}`,
    { case_type: 'narcotics_user' },
    { 'if-match': await etag(`/v1/inmates/${other}`) },
  );
  const user = await figures(banjarnegara);
  t.same(user.users_in_rehab, [confirmed.users_in_rehab?.[0], (confirmed.users_in_rehab?.[1] as number) + 1]);
});

t.test('a transfer moves both facilities; a positive elsewhere counts where the inmate is', async (t) => {
  const inmate = await admit(banjarnegara, 'non_narcotics');
  const testId = await urineTest(banjarnegara, 'inmate', inmate, '2026-08-18', positive);
  const from = await figures(banjarnegara);
  const to = await figures(purwokerto);
  await ok('POST', `/v1/inmates/${inmate}/transfer`, { to_facility_id: purwokerto, transferred_on: '2026-08-19' });
  const fromAfter = await figures(banjarnegara);
  const toAfter = await figures(purwokerto);
  t.same(fromAfter.inmate_test_coverage, from.inmate_test_coverage, 'held in the quarter still');
  t.same(toAfter.inmate_test_coverage, [to.inmate_test_coverage?.[0], (to.inmate_test_coverage?.[1] as number) + 1]);
  // Confirmed at Banjarnegara, counted among Purwokerto's users for rehab: the inmate is held there now.
  await confirm(testId);
  const toConfirmed = await figures(purwokerto);
  t.same(toConfirmed.users_in_rehab, [toAfter.users_in_rehab?.[0], (toAfter.users_in_rehab?.[1] as number) + 1]);
});

t.test('officers: hiring, testing, suspending', async (t) => {
  const before = await figures(banjarnegara);
  const officer = await hire(banjarnegara);
  const hired = await figures(banjarnegara);
  t.same(hired.officer_test_coverage, [
    before.officer_test_coverage?.[0],
    (before.officer_test_coverage?.[1] as number) + 1,
  ]);
  await urineTest(banjarnegara, 'officer', officer, '2026-08-19');
  const tested = await figures(banjarnegara);
  t.same(tested.officer_test_coverage, [
    (hired.officer_test_coverage?.[0] as number) + 1,
    hired.officer_test_coverage?.[1],
  ]);
  await ok('PATCH', `/v1/officers/${officer}`, { status: 'inactive' }, { 'if-match': '"1"' });
  t.same((await figures(banjarnegara)).officer_test_coverage, before.officer_test_coverage);
});

t.test('trainings: a pass, then the training moved out of the window', async (t) => {
  const officer = await hire(banjarnegara);
  const before = await figures(banjarnegara);
  const training = await ok('POST', '/v1/trainings', trainingBody(banjarnegara));
  const joined = await ok('POST', `/v1/trainings/${training.id}/participants`, { officer_ids: [officer] });
  t.same((await figures(banjarnegara)).officers_trained, before.officers_trained, 'not passed yet');
  await ok(
    'PATCH',
    `/v1/trainings/${training.id}/participants/${joined.data[0].id}`,
    { post_test_score: 80 },
    { 'if-match': '"1"' },
  );
  const passed = await figures(banjarnegara);
  t.same(passed.officers_trained, [(before.officers_trained?.[0] as number) + 1, before.officers_trained?.[1]]);
  await ok(
    'PATCH',
    `/v1/trainings/${training.id}`,
    { starts_on: '2025-03-09', ends_on: '2025-03-10' },
    { 'if-match': await etag(`/v1/trainings/${training.id}`) },
  );
  t.same((await figures(banjarnegara)).officers_trained, before.officers_trained);
});

t.test('inspections and their actions', async (t) => {
  const before = await figures(banjarnegara);
  at('2026-08-02T03:00:00Z');
  const report = await inspection(banjarnegara, '2026-08-01');
  const action = await ok('POST', `/v1/inspections/${report.id}/actions`, {
    description: 'Perbaiki pengawasan',
    due_date: '2026-08-05',
  });
  at(REST);
  t.same(await figures(banjarnegara), before, 'a draft counts for nothing');
  at('2026-08-02T04:00:00Z');
  await ok('POST', `/v1/inspections/${report.id}/submit`, undefined, {}, h, 'staff.banjarnegara');
  at(REST);
  const submitted = await figures(banjarnegara);
  t.same(submitted.inspections_per_month, [
    (before.inspections_per_month?.[0] as number) + 1,
    before.inspections_per_month?.[1],
  ]);
  t.same(submitted.actions_closed_on_time, [
    before.actions_closed_on_time?.[0],
    (before.actions_closed_on_time?.[1] as number) + 1,
  ]);
  at('2026-08-04T03:00:00Z');
  await ok(
    'PATCH',
    `/v1/corrective-actions/${action.id}`,
    { status: 'done', closing_comment: 'Selesai dikerjakan' },
    { 'if-match': await etag(`/v1/corrective-actions/${action.id}`) },
  );
  at(REST);
  t.same((await figures(banjarnegara)).actions_closed_on_time, [
    (submitted.actions_closed_on_time?.[0] as number) + 1,
    submitted.actions_closed_on_time?.[1],
  ]);
});

t.test('an assessment case, due and then assessed on time', async (t) => {
  const before = await figures(banjarnegara);
  at('2026-07-02T03:00:00Z');
  const inmate = await admit(banjarnegara);
  const testId = await urineTest(banjarnegara, 'inmate', inmate, '2026-07-02', positive);
  await confirm(testId);
  at(REST);
  const due = await figures(banjarnegara);
  t.same(due.cases_assessed_on_time, [
    before.cases_assessed_on_time?.[0],
    (before.cases_assessed_on_time?.[1] as number) + 1,
  ]);
  const [c] = await h.rows<{ id: string }>(`SELECT id::text AS id FROM follow_up_cases WHERE test_id = $1`, [testId]);
  at('2026-07-10T03:00:00Z');
  await ok(
    'PATCH',
    `/v1/follow-up-cases/${c?.id}`,
    { assessment: { assessed_on: '2026-07-10', notes: 'Asesmen TAT: pengguna ringan' } },
    { 'if-match': await etag(`/v1/follow-up-cases/${c?.id}`) },
  );
  at(REST);
  t.same((await figures(banjarnegara)).cases_assessed_on_time, [
    (due.cases_assessed_on_time?.[0] as number) + 1,
    due.cases_assessed_on_time?.[1],
  ]);
});

t.test('rehabilitation: an enrolment, then its withdrawal', async (t) => {
  const inmate = await admit(banjarnegara, 'narcotics_user');
  const before = await figures(banjarnegara);
  const programme = await ok('POST', '/v1/rehab-programmes', {
    facility_id: banjarnegara,
    mou_id: mouRow?.id,
    title: 'Program Tembolok',
    modality: 'group_counselling',
    curriculum: [{ number: 1, title: 'Sesi 1', duration_minutes: 60 }],
    starts_on: '2026-08-20',
    ends_on: '2026-12-31',
    capacity: 10,
    rooms: ['Aula Tembolok'],
    facilitators: [{ user_id: lead?.id, role: 'lead' }],
  });
  const enrolment = await ok('POST', `/v1/rehab-programmes/${programme.id}/enrolments`, { inmate_id: inmate });
  const enrolled = await figures(banjarnegara);
  t.same(enrolled.users_in_rehab, [(before.users_in_rehab?.[0] as number) + 1, before.users_in_rehab?.[1]]);
  await ok(
    'PATCH',
    `/v1/rehab-enrolments/${enrolment.id}`,
    { status: 'withdrawn', note: 'Pindah blok isolasi' },
    { 'if-match': `"${enrolment.version}"` },
  );
  const withdrawn = await figures(banjarnegara);
  t.same(withdrawn.rehab_completion, [before.rehab_completion?.[0], (before.rehab_completion?.[1] as number) + 1]);
  t.same(withdrawn.users_in_rehab, before.users_in_rehab);
});

t.test('a campaign held inside the facility', async (t) => {
  const before = await figures(banjarnegara);
  await ok('POST', '/v1/campaigns', {
    kind: 'education',
    topic: 'Bahaya narkoba bagi warga binaan',
    held_on: '2026-08-19',
    province_code: '33',
    regency: 'Banjarnegara',
    venue: 'Aula Rutan Banjarnegara',
    facility_id: banjarnegara,
    audience_kind: 'inmates',
    audience_count: 120,
    organiser_ids: [org['kanwil.jateng']],
  });
  t.same((await figures(banjarnegara)).awareness_campaigns, [
    (before.awareness_campaigns?.[0] as number) + 1,
    before.awareness_campaigns?.[1],
  ]);
});

t.test('MoUs: one signed for two facilities, then terminated', async (t) => {
  t.same((await figures(purwokerto)).active_mou, [0, null]);
  const mou = await ok('POST', '/v1/mous', {
    number: 'PKS/TEMBOLOK/1/2026',
    title: 'Tes urine bersama',
    bnn_unit_id: org['bnnk.purbalingga'],
    facility_ids: [banjarnegara, purwokerto],
    scope: ['urine_testing'],
    signed_on: '2026-01-05',
    valid_from: '2026-01-05',
    valid_until: '2028-01-04',
  });
  t.same((await figures(purwokerto)).active_mou, [1, null]);
  await ok('POST', `/v1/mous/${mou.id}/terminate`, { reason: 'Diganti perjanjian baru' });
  t.same((await figures(purwokerto)).active_mou, [0, null]);
});

t.test("a new day in the facility's zone computes afresh", async (t) => {
  // 23:30 WIB on 31 August: two months of the quarter begun; an hour later, three.
  at('2026-08-31T16:30:00Z');
  t.equal((await figures(banjarnegara)).inspections_per_month?.[1], 2);
  at('2026-08-31T17:30:00Z');
  t.equal((await figures(banjarnegara)).inspections_per_month?.[1], 3);
});

t.test('another process on the same database sees a write at once', async (t) => {
  const before = await figures(banjarnegara, other);
  t.same(await figures(banjarnegara, other), before, 'kept there');
  const officer = await hire(banjarnegara);
  t.same((await figures(banjarnegara, other)).officer_test_coverage, [
    before.officer_test_coverage?.[0],
    (before.officer_test_coverage?.[1] as number) + 1,
  ]);
  const mine = await figures(banjarnegara);
  await ok('PATCH', `/v1/officers/${officer}`, { status: 'inactive' }, { 'if-match': '"1"' }, other);
  t.same((await figures(banjarnegara)).officer_test_coverage, [
    mine.officer_test_coverage?.[0],
    (mine.officer_test_coverage?.[1] as number) - 1,
  ]);
});

t.test('the ranking keeps each facility and computes only those written to', async (t) => {
  const rank = () => ok('GET', '/v1/scorecards?period=2026-Q3');
  await rank();
  t.same(computing(await h.statementsOf(rank)), [], 'nothing written: nothing computed');
  const officer = await hire(banjarnegara);
  const statements = await h.statementsOf(rank);
  const asked = computing(statements)
    .filter((s) => /WITH fp AS/.test(s.statement))
    .map((s) => s.params.find(Array.isArray));
  t.ok(asked.length > 0);
  t.same(new Set(asked.map((ids) => JSON.stringify(ids))), new Set([JSON.stringify([banjarnegara])]), 'only it');
  const row = (await rank()).data.find((r: Json) => r.facility_id === banjarnegara);
  const card = await h.call('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`, {
    token: await h.login('admin'),
  });
  t.equal(row.score, card.json().score);
  t.ok(officer);
});

t.test('a TRUNCATE, which names no facility, moves every one', async (t) => {
  await ok('POST', '/v1/campaigns', {
    kind: 'education',
    topic: 'Bahaya narkoba bagi warga binaan',
    held_on: '2026-08-18',
    province_code: '33',
    regency: 'Banjarnegara',
    venue: 'Aula Rutan Banjarnegara',
    facility_id: banjarnegara,
    audience_kind: 'inmates',
    audience_count: 80,
    organiser_ids: [org['kanwil.jateng']],
  });
  t.not((await figures(banjarnegara)).awareness_campaigns?.[0], 0);
  await h.rows('TRUNCATE campaigns CASCADE');
  t.equal((await figures(banjarnegara)).awareness_campaigns?.[0], 0);
});
