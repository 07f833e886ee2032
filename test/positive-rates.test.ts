import t from 'tap';
import { build } from './helpers/app.ts';

// The positive rates of the scorecard, recomputed from hand-made records of every outcome. Per
// person in the period: a confirmed positive, a refusal, an adulterated or a substituted specimen
// counts as positive; a dilute specimen by its drug result; an invalid one is not counted unless
// the person has another, valid test (a person with only invalid tests is left out); of several
// tests, any one that counts as positive makes the person positive. A presumptive positive counts
// once confirmed (pending, confirmed negative or medically explained: not positive).
//
// Each month below is its own world at Rutan Banjarnegara (WIB). Every row of a table is chosen so
// that treating it by any other rule moves the numerator or the denominator, both asserted exactly.
// The clock rests on 1 June 2026, 10:00 WIB: every month tested has ended.
const now = new Date('2026-06-01T03:00:00Z');
const h = await build(t, {}, { clock: () => now });
const banjarnegara = h.world.facilities.banjarnegara as string;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;
async function ok(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await h.call(method, url, { token: await h.login('admin'), body, headers });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as Json;
}

let serial = 0;
const admit = async () =>
  (
    await ok('POST', `/v1/facilities/${banjarnegara}/inmates`, {
      registration_number: `PR.${++serial}/2025`,
      name: `Warga Binaan Tingkat ${serial}`,
      sex: 'male',
      birth_date: '1990-01-01',
      case_type: 'non_narcotics',
      admission_date: '2025-12-01',
      status: 'sentenced',
    })
  ).id as string;
const hire = async () =>
  (
    await ok('POST', `/v1/facilities/${banjarnegara}/officers`, {
      nip: `19850101201001${String(1000 + ++serial).padStart(4, '0')}`,
      name: `Petugas Tingkat ${serial}`,
      sex: 'female',
      position: 'Penjaga',
      unit: 'KPR',
      joined_on: '2010-01-04',
    })
  ).id as string;

const PANEL = ['AMP', 'MET', 'THC'];
const round = async (testedOn: string) =>
  (
    await ok('POST', `/v1/facilities/${banjarnegara}/urine-test-rounds`, {
      tested_on: testedOn,
      reason: 'random',
      subjects: 'both',
      kit: { brand: 'Rapid 3 Panel', lot: 'L26', expiry: '2027-12-31', panel: PANEL },
    })
  ).id as string;

type ClassResult = { class: string; result: string; value_ng_ml?: number };
const panel = (...over: ClassResult[]) =>
  PANEL.map((c) => over.find((o) => o.class === c) ?? { class: c, result: 'negative' });
const MET = { class: 'MET', result: 'positive', value_ng_ml: 900 };

/** How a specimen is recorded, and (for a presumptive positive) what the lab then says. */
interface Specimen {
  fields: Record<string, unknown>;
  outcome: string;
  lab?: { value_ng_ml: number; prescription_reference?: string };
}
const S = {
  negative: { fields: {}, outcome: 'negative' },
  confirmedPositive: { fields: { results: panel(MET) }, outcome: 'presumptive_positive', lab: { value_ng_ml: 640 } },
  pending: { fields: { results: panel(MET) }, outcome: 'presumptive_positive' },
  confirmedNegative: { fields: { results: panel(MET) }, outcome: 'presumptive_positive', lab: { value_ng_ml: 120 } },
  medicallyExplained: {
    fields: { results: panel(MET) },
    outcome: 'presumptive_positive',
    lab: { value_ng_ml: 640, prescription_reference: 'RESEP/2026/014' },
  },
  refused: { fields: { refused: true, results: [], temperature_c: undefined }, outcome: 'refused' },
  adulterated: { fields: { nitrite_ug_ml: 600 }, outcome: 'adulterated' },
  adulteratedPh: { fields: { ph: 11.5 }, outcome: 'adulterated' },
  substituted: { fields: { creatinine_mg_dl: 1.5, specific_gravity: 1.001 }, outcome: 'adulterated' },
  dilute: { fields: { creatinine_mg_dl: 15, specific_gravity: 1.002 }, outcome: 'dilute' },
  // Dilute, but a class is positive: a presumptive positive, judged by its drug result (the lab).
  dilutePositive: {
    fields: { creatinine_mg_dl: 15, specific_gravity: 1.002, results: panel(MET) },
    outcome: 'presumptive_positive',
    lab: { value_ng_ml: 640 },
  },
  invalidTemperature: { fields: { temperature_c: 30.1 }, outcome: 'invalid' },
  invalidClass: { fields: { results: panel({ class: 'THC', result: 'invalid' }) }, outcome: 'invalid' },
  // Out of range at 30.1 C with a positive class: still invalid, re-collection due, not a positive.
  invalidWithPositive: { fields: { temperature_c: 30.1, results: panel(MET) }, outcome: 'invalid' },
} satisfies Record<string, Specimen>;

let minute = 0;
/** Records one specimen for a person in a round (on its day), then its lab result if any; the test. */
async function record(roundId: string, day: string, type: 'inmate' | 'officer', subject: string, s: Specimen) {
  const at = `${day}T09:${String(minute++ % 60).padStart(2, '0')}:00`;
  const res = await ok(
    'POST',
    `/v1/urine-test-rounds/${roundId}/results`,
    {
      subject_type: type,
      subject_id: subject,
      specimen_id: `PR-${++serial}`,
      collected_at: at,
      temperature_c: 34.5,
      results: panel(),
      ...s.fields,
    },
    { 'idempotency-key': `pr-${serial}` },
  );
  const test = res.data[0] as Json;
  if (test.outcome !== s.outcome) throw new Error(`expected ${s.outcome}, the service derived ${test.outcome}`);
  if (s.lab) {
    await ok('POST', `/v1/urine-tests/${test.id}/confirmation`, {
      class: 'MET',
      method: 'GC-MS',
      lab: 'Lab BNN',
      ...s.lab,
    });
  }
  return test.id as string;
}

type CountsAs = 'positive' | 'negative' | 'left out';
/** One person of a hand-made table: their specimens in the month's two rounds, and how they count. */
interface Row {
  who: string;
  first: Specimen | null;
  second?: Specimen;
  countsAs: CountsAs;
  /** For a positive: the result that counts them (their first such in the month). */
  as?: 'confirmed_positive' | 'refused' | 'adulterated';
}

/** The month's records for a table of people: two rounds, on the 5th and the 19th. */
async function enter(month: string, type: 'inmate' | 'officer', rows: Row[]) {
  const days = [`${month}-05`, `${month}-19`];
  const rounds = [await round(days[0] as string), await round(days[1] as string)];
  const people: { row: Row; id: string; tests: string[] }[] = [];
  for (const row of rows) {
    const id = type === 'inmate' ? await admit() : await hire();
    const tests: string[] = [];
    const specimens = [row.first, row.second ?? null];
    for (const [i, s] of specimens.entries()) {
      if (s) tests.push(await record(rounds[i] as string, days[i] as string, type, id, s));
    }
    people.push({ row, id, tests });
  }
  return people;
}

/** The expected figure and the records behind it, from the table's own "counts as" column. */
function expected(people: Awaited<ReturnType<typeof enter>>, type: 'inmate' | 'officer') {
  const positives = people.filter((p) => p.row.countsAs === 'positive');
  return {
    numerator: positives.length,
    denominator: people.filter((p) => p.row.countsAs !== 'left out').length,
    tested: people.length,
    records: positives
      .map((p) => {
        // The first test that counts them: a refusal in the second round after a negative first.
        const first = p.row.first && p.row.first.outcome !== 'negative' && p.row.first.outcome !== 'invalid';
        return {
          kind: `${type}_positive`,
          id: p.id,
          href: `/v1/${type}s/${p.id}`,
          outcome: p.row.as,
          test_id: first ? p.tests[0] : p.tests.at(-1),
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

const indicator = (card: Json, code: string) => card.indicators.find((i: Json) => i.code === code) as Json;
const byId = (records: Json[] | undefined) => [...(records ?? [])].sort((a, b) => a.id.localeCompare(b.id));
const scorecard = (period: string) => ok('GET', `/v1/facilities/${banjarnegara}/scorecard?period=${period}`);

t.test("the issue's example: one positive, two refusals and one negative are 3 of 4", async (t) => {
  const people = await enter('2026-01', 'inmate', [
    { who: 'confirmed positive', first: S.confirmedPositive, countsAs: 'positive', as: 'confirmed_positive' },
    { who: 'refused', first: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'refused too', first: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'negative', first: S.negative, countsAs: 'negative' },
  ]);
  const card = await scorecard('2026-01');
  t.match(indicator(card, 'inmate_positive_rate'), { value: 0.75, numerator: 3, denominator: 4, met: false });
  t.match(indicator(card, 'inmate_test_coverage'), { numerator: 4 }, 'a refusal still counts as tested');
  t.same(byId(indicator(card, 'inmate_positive_rate').records), expected(people, 'inmate').records);
});

t.test('inmates, every outcome by hand', async (t) => {
  const rows: Row[] = [
    { who: 'confirmed positive', first: S.confirmedPositive, countsAs: 'positive', as: 'confirmed_positive' },
    { who: 'refused', first: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'adulterated (nitrite)', first: S.adulterated, countsAs: 'positive', as: 'adulterated' },
    { who: 'substituted (creatinine)', first: S.substituted, countsAs: 'positive', as: 'adulterated' },
    { who: 'dilute, drug-negative', first: S.dilute, countsAs: 'negative' },
    { who: 'dilute, confirmed positive', first: S.dilutePositive, countsAs: 'positive', as: 'confirmed_positive' },
    { who: 'invalid temperature only', first: S.invalidTemperature, countsAs: 'left out' },
    { who: 'invalid class only', first: S.invalidClass, countsAs: 'left out' },
    { who: 'invalid with a positive class only', first: S.invalidWithPositive, countsAs: 'left out' },
    { who: 'invalid, then negative', first: S.invalidTemperature, second: S.negative, countsAs: 'negative' },
    { who: 'invalid, then refused', first: S.invalidClass, second: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'negative, then refused', first: S.negative, second: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'presumptive, pending', first: S.pending, countsAs: 'negative' },
    { who: 'presumptive, confirmed negative', first: S.confirmedNegative, countsAs: 'negative' },
    { who: 'presumptive, medically explained', first: S.medicallyExplained, countsAs: 'negative' },
    { who: 'negative', first: S.negative, countsAs: 'negative' },
  ];
  const people = await enter('2026-02', 'inmate', rows);
  const want = expected(people, 'inmate');
  t.same([want.numerator, want.denominator, want.tested], [7, 13, 16], 'the table, counted by hand');
  const card = await scorecard('2026-02');
  t.match(indicator(card, 'inmate_positive_rate'), {
    value: 0.5385,
    numerator: 7,
    denominator: 13,
    met: false,
  });
  t.match(indicator(card, 'inmate_test_coverage'), { numerator: 16 }, 'an invalid or refused test counts as tested');
  t.same(
    byId(indicator(card, 'inmate_positive_rate').records),
    want.records,
    'each inmate counted positive, once, with the result that counts them',
  );
});

t.test('officers, by the same rule: and a refusal alone caps the status', async (t) => {
  const rows: Row[] = [
    { who: 'confirmed positive', first: S.confirmedPositive, countsAs: 'positive', as: 'confirmed_positive' },
    { who: 'refused', first: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'adulterated (pH)', first: S.adulteratedPh, countsAs: 'positive', as: 'adulterated' },
    { who: 'substituted', first: S.substituted, countsAs: 'positive', as: 'adulterated' },
    { who: 'negative, then refused', first: S.negative, second: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'dilute', first: S.dilute, countsAs: 'negative' },
    { who: 'invalid only', first: S.invalidWithPositive, countsAs: 'left out' },
    { who: 'invalid, then negative', first: S.invalidTemperature, second: S.negative, countsAs: 'negative' },
    { who: 'presumptive, pending', first: S.pending, countsAs: 'negative' },
  ];
  const people = await enter('2026-03', 'officer', rows);
  const want = expected(people, 'officer');
  t.equal(want.numerator, 5, 'the table, counted by hand');
  const march = await scorecard('2026-03');
  t.match(indicator(march, 'officer_positive'), { value: 5, numerator: 5, denominator: null, met: false });
  t.same(byId(indicator(march, 'officer_positive').records), want.records);
  t.ok(march.capped_by.includes('officer_positive'));

  // April: one officer refuses, another is negative; nothing else is tested.
  await enter('2026-04', 'officer', [
    { who: 'refused', first: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'negative', first: S.negative, countsAs: 'negative' },
  ]);
  const april = await scorecard('2026-04');
  t.match(indicator(april, 'officer_positive'), { value: 1, numerator: 1, met: false });
  t.same(april.capped_by, ['officer_positive'], 'a refusal caps the status as a positive would');
  t.match(indicator(april, 'officer_test_coverage'), { numerator: 2 });
});

t.test('the ranking, its CSV and a closed period count by the same rule', async (t) => {
  // May: refused, adulterated, invalid only and two negatives among inmates: 2 of 4, the invalid
  // one left out (the old rule: 0 of 5, the target met). One officer refuses: the status is capped.
  await enter('2026-05', 'inmate', [
    { who: 'refused', first: S.refused, countsAs: 'positive', as: 'refused' },
    { who: 'adulterated', first: S.adulterated, countsAs: 'positive', as: 'adulterated' },
    { who: 'invalid only', first: S.invalidTemperature, countsAs: 'left out' },
    { who: 'negative', first: S.negative, countsAs: 'negative' },
    { who: 'dilute', first: S.dilute, countsAs: 'negative' },
  ]);
  await enter('2026-05', 'officer', [{ who: 'refused', first: S.refused, countsAs: 'positive', as: 'refused' }]);
  const card = await scorecard('2026-05');
  t.match(indicator(card, 'inmate_positive_rate'), { value: 0.5, numerator: 2, denominator: 4, met: false });
  t.match(indicator(card, 'officer_positive'), { numerator: 1, met: false });

  const ranking = await ok('GET', '/v1/scorecards?period=2026-05&province_code=33');
  const row = ranking.data.find((r: Json) => r.facility_id === banjarnegara);
  t.same(
    [row.score, row.status, row.capped_by],
    [card.score, card.status, ['officer_positive']],
    'the ranking: the same score, capped by the refusal',
  );
  const csv = await h.call('GET', '/v1/scorecards?period=2026-05&province_code=33', {
    token: await h.login('admin'),
    headers: { accept: 'text/csv' },
  });
  t.ok(
    csv.body
      .split('\n')
      .some((l) => l.includes(banjarnegara) && l.includes(`,${card.score},${card.status},officer_positive,`)),
    'the CSV row: the same score, capped by the refusal',
  );

  t.same(await ok('POST', '/v1/scorecards/close', { period: '2026-05', province_code: '33' }), {
    period: '2026-05',
    closed: 2,
    revised: 0,
    unchanged: 0,
  });
  const closed = await h.rows<{ code: string; numerator: number; denominator: number | null }>(
    `SELECT i->>'code' AS code, (i->>'numerator')::int AS numerator, (i->>'denominator')::int AS denominator
       FROM scorecard_snapshots s, jsonb_array_elements(s.body->'indicators') i
      WHERE s.facility_id = $1 AND s.period = '2026-05' AND i->>'code' IN ('inmate_positive_rate', 'officer_positive')
      ORDER BY 1`,
    [banjarnegara],
  );
  t.same(
    closed,
    [
      { code: 'inmate_positive_rate', numerator: 2, denominator: 4 },
      { code: 'officer_positive', numerator: 1, denominator: null },
    ],
    'the closed figures',
  );
});

t.test('the indicators say what they count', async (t) => {
  const list = await ok('GET', '/v1/compliance/indicators');
  const rate = list.indicators.find((i: Json) => i.code === 'inmate_positive_rate');
  const officers = list.indicators.find((i: Json) => i.code === 'officer_positive');
  for (const ind of [rate, officers]) {
    t.match(ind.definition, /refusal/, `${ind.code}: a refusal`);
    t.match(ind.definition, /adulterated or substituted/, `${ind.code}: a tampered specimen`);
    t.match(ind.definition, /dilute specimen counts by its drug result|dilute one by its drug result/);
    t.match(ind.definition, /invalid/);
  }
  t.equal(rate.denominator, 'inmates with a test in the period other than an invalid one');
});
