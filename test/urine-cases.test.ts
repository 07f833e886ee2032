import t from 'tap';
import { addWorkingDays, type HolidayCalendar, holidayCalendar } from '../src/core/calendar/holidays.ts';
import { openUnconfirmedCases } from '../src/modules/urine/cases.ts';
import { build, PASSWORD } from './helpers/app.ts';
import { matchExactly } from './helpers/match.ts';

// Urine testing, last part: lab confirmation and the follow-up cases it opens (confirmed positives,
// refusals, presumptive positives left unconfirmed), their due dates in working days, overdue,
// the steps assessment → decision → closure, and who sees which case.
//
// The service's clock starts at 01:30 WIB on Friday 13 March 2026, which is still Thursday the 12th
// in UTC: a case opened now is opened on the Friday only if the facility's calendar is used.
// Holidays are our own (19 and 20 March, in place of the decree's 2026 list), so the due date is
// known by counting.
const HOLIDAYS = ['2026-03-19', '2026-03-20'];
const FRIDAY = new Date('2026-03-12T18:30:00Z');
let now = FRIDAY;
const h = await build(
  t,
  { NATIONAL_HOLIDAYS: HOLIDAYS.join(','), ASSESSMENT_WORKING_DAYS: '14', URINE_CONFIRMATION_DAYS: '14' },
  { clock: () => now },
);
const db = h.test.database.db;
const rules = { workingDays: 14, calendar: holidayCalendar(HOLIDAYS) };
/** No holidays at all, every year known: weekends only. */
const WEEKENDS_ONLY: HolidayCalendar = { isDayOff: () => false, covers: () => true, years: [] };
const due = (from: string, n: number, calendar: HolidayCalendar = rules.calendar) => {
  const result = addWorkingDays(from, n, calendar);
  if (result.provisional) throw new Error(`${from} + ${n} is provisional`);
  return result.date;
};
const fac = h.world.facilities;
const banjarnegara = fac.banjarnegara as string;
const kupang = fac.kupang as string;

/** Fourteen working days after Friday 13 March 2026, counted by hand: weekends and 19-20 March skipped. */
const FRIDAY_DUE_DAYS = [
  '2026-03-16', // Mon 1
  '2026-03-17', // Tue 2
  '2026-03-18', // Wed 3
  // Thu 19, Fri 20: holidays; Sat 21, Sun 22: weekend
  '2026-03-23', // Mon 4
  '2026-03-24', // Tue 5
  '2026-03-25', // Wed 6
  '2026-03-26', // Thu 7
  '2026-03-27', // Fri 8
  '2026-03-30', // Mon 9
  '2026-03-31', // Tue 10
  '2026-04-01', // Wed 11
  '2026-04-02', // Thu 12
  '2026-04-03', // Fri 13
  '2026-04-06', // Mon 14
];
const FRIDAY_DUE = '2026-04-06';

/** Our own count, independent of the service: step day by day, skip Saturdays, Sundays and holidays. */
function countWorkingDays(from: string, n: number, holidays: readonly string[]): string {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  let day = Date.UTC(y, m - 1, d);
  let counted = 0;
  let iso = from;
  while (counted < n) {
    day += 86_400_000;
    const date = new Date(day);
    iso = date.toISOString().slice(0, 10);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6 || holidays.includes(iso)) continue;
    counted++;
  }
  return iso;
}

let serial = 0;
const next = () => ++serial;

async function admit(facility = banjarnegara, username = 'staff.banjarnegara') {
  const res = await h.call('POST', `/v1/facilities/${facility}/inmates`, {
    token: await h.login(username),
    body: {
      registration_number: `K.${next()}/2025`,
      name: `Warga Binaan Kasus ${serial}`,
      sex: 'male',
      birth_date: '1991-05-20',
      case_type: 'narcotics_user',
      admission_date: '2025-02-03',
      expected_release_date: '2028-02-01',
      block: 'B',
      status: 'sentenced',
    },
  });
  if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

async function hire(facility = banjarnegara, username = 'staff.banjarnegara') {
  const res = await h.call('POST', `/v1/facilities/${facility}/officers`, {
    token: await h.login(username),
    body: {
      nip: `19870512201101${String(1000 + next()).padStart(4, '0')}`,
      name: 'Budi Santoso',
      sex: 'male',
      position: 'Petugas Pengamanan',
      unit: 'KPR',
      joined_on: '2011-01-03',
    },
  });
  if (res.statusCode !== 201) throw new Error(`hire: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

const PANEL = ['AMP', 'MET', 'THC'];

async function openRound(facility = banjarnegara, username = 'staff.banjarnegara') {
  const res = await h.call('POST', `/v1/facilities/${facility}/urine-test-rounds`, {
    token: await h.login(username),
    body: {
      tested_on: '2026-03-13',
      reason: 'random',
      subjects: 'both',
      kit: { brand: 'Rapid 3 Panel', lot: 'L2602-11', expiry: '2027-02-28', panel: PANEL },
    },
  });
  if (res.statusCode !== 201) throw new Error(`open round: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

type ClassResult = { class: string; result: string; value_ng_ml?: number };
const panelWith = (...over: ClassResult[]) =>
  PANEL.map((c) => over.find((o) => o.class === c) ?? { class: c, result: 'negative' });

interface Test {
  id: string;
  outcome: string;
  confirmation: string | null;
}

let keys = 0;
/** One result; collected 00:15 WIB on the round's day (before the clock's 01:30). */
async function record(
  roundId: string,
  subjectId: string,
  over: Record<string, unknown> = {},
  username = 'staff.banjarnegara',
): Promise<Test> {
  const res = await h.call('POST', `/v1/urine-test-rounds/${roundId}/results`, {
    token: await h.login(username),
    headers: { 'idempotency-key': `cases-${++keys}` },
    body: {
      subject_type: 'inmate',
      subject_id: subjectId,
      specimen_id: `SPC-${next()}`,
      collected_at: '2026-03-13T00:15:00',
      temperature_c: 34.2,
      results: panelWith(),
      ...over,
    },
  });
  if (res.statusCode !== 201) throw new Error(`record: ${res.statusCode} ${res.body}`);
  return res.json().data[0] as Test;
}

const metPositive = { class: 'MET', result: 'positive', value_ng_ml: 900 };

async function confirmTest(testId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return h.call('POST', `/v1/urine-tests/${testId}/confirmation`, {
    token: await h.login('staff.banjarnegara'),
    body: { method: 'GC-MS', lab: 'Laboratorium Uji Narkoba BNN', ...body },
    headers,
  });
}

interface Case {
  id: string;
  facility_id: string;
  test_id: string;
  subject_type: string;
  subject_id: string;
  kind: string;
  trigger: string;
  status: string;
  overdue: boolean;
  opened_on: string;
  assessment_due: string;
  version: number;
}

/** The cases of a test, straight from the table (the API is checked separately). */
const casesOf = (testId: string) =>
  h.rows<{ id: string; trigger: string; kind: string }>(
    'SELECT id, trigger::text, kind::text FROM follow_up_cases WHERE test_id = $1',
    [testId],
  );

async function list(query: string, token: string): Promise<Case[]> {
  const res = await h.call('GET', `/v1/follow-up-cases?limit=200${query}`, { token });
  if (res.statusCode !== 200) throw new Error(`list: ${res.statusCode} ${res.body}`);
  return res.json().data as Case[];
}
const ids = (cases: Case[]) => cases.map((c) => c.id);

async function getCase(id: string, username = 'staff.banjarnegara') {
  return h.call('GET', `/v1/follow-up-cases/${id}`, { token: await h.login(username) });
}

async function patch(id: string, body: unknown, ifMatch?: string, token?: string) {
  return h.call('PATCH', `/v1/follow-up-cases/${id}`, {
    token: token ?? (await h.login('staff.banjarnegara')),
    body,
    headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
  });
}

// The shared world: one Banjarnegara round of the three-class kit, for inmates and officers.
const round = await openRound();
/** Cases the later parts use: those the first parts opened, else (a part run alone) opened by sharedCase. */
const shared: { inmateCase?: Case; officerCase?: Case; refusalCase?: Case; sweepCase?: Case } = {};

/** A case the first parts open, opened here the same way on the Friday when they have not run. */
async function sharedCase(name: keyof typeof shared): Promise<Case> {
  const opened = shared[name];
  if (opened) return opened;
  const resting = now;
  now = FRIDAY;
  try {
    let test: Test;
    if (name === 'refusalCase') {
      test = await record(round, await admit(), { refused: true, results: [], temperature_c: undefined });
    } else if (name === 'officerCase') {
      test = await record(round, await hire(), { subject_type: 'officer', results: panelWith(metPositive) });
      await confirmTest(test.id, { class: 'MET', method: 'LC-MS', value_ng_ml: 640 });
    } else {
      test = await record(round, await admit(), { results: panelWith(metPositive) });
      if (name === 'inmateCase') await confirmTest(test.id, { class: 'MET', value_ng_ml: 640 });
      else await openUnconfirmedCases(db, new Date('2026-03-26T17:16:00Z'), 14, rules);
    }
    const [found] = await casesOf(test.id);
    const made = (await getCase(found?.id as string)).json() as Case;
    shared[name] = made;
    return made;
  } finally {
    now = resting;
  }
}

t.test('confirmation: a confirmed positive opens its case; a negative or an explained one does not', async (t) => {
  const inmate = await admit();
  const test = await record(round, inmate, { results: panelWith(metPositive) });
  t.match(test, { outcome: 'presumptive_positive', confirmation: 'pending' });

  // Anything but a class positive on the screen is refused, and nothing is written.
  const before = await h.count('urine_confirmations');
  const notScreened = await confirmTest(test.id, { class: 'THC', value_ng_ml: 80 });
  t.equal(notScreened.statusCode, 422, 'THC was negative on the screen');
  const negativeInmate = await admit();
  const negative = await record(round, negativeInmate);
  t.equal(negative.outcome, 'negative');
  const ofNegative = await confirmTest(negative.id, { class: 'MET', value_ng_ml: 640 });
  t.equal(ofNegative.statusCode, 422, 'a negative test is not confirmed');
  const refusedInmate = await admit();
  const refused = await record(round, refusedInmate, { refused: true, results: [], temperature_c: undefined });
  t.equal((await confirmTest(refused.id, { class: 'MET', value_ng_ml: 640 })).statusCode, 422, 'nor a refusal');
  t.equal(await h.count('urine_confirmations'), before, 'nothing written');
  t.equal(await h.count('follow_up_cases', `test_id = '${negative.id}'`), 0, 'no case for a negative');

  // MET 640 by GC-MS, over the MET confirmation cutoff of 250.
  const key = 'confirm-met-640';
  const res = await confirmTest(test.id, { class: 'MET', value_ng_ml: 640 }, { 'idempotency-key': key });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { id: test.id, outcome: 'presumptive_positive', confirmation: 'confirmed_positive' });
  const [stored] = await h.rows<{ value: string; cutoff: string; positive: boolean; method: string }>(
    `SELECT value_ng_ml::float8::text AS value, cutoff_ng_ml::float8::text AS cutoff, positive, method
       FROM urine_confirmations WHERE test_id = $1 AND drug_class = 'MET'`,
    [test.id],
  );
  t.same(stored, { value: '640', cutoff: '250', positive: true, method: 'GC-MS' }, "the round's MET cutoff");
  const replay = await confirmTest(test.id, { class: 'MET', value_ng_ml: 640 }, { 'idempotency-key': key });
  t.equal(replay.statusCode, 201, 'a retry with the same key gets the first answer');
  t.equal(replay.headers['idempotent-replayed'], 'true');
  const twice = await confirmTest(test.id, { class: 'MET', value_ng_ml: 700 });
  t.equal(twice.statusCode, 409, 'the same class twice');
  t.equal(await h.count('urine_confirmations', `test_id = '${test.id}'`), 1, 'one confirmation row');

  const read = await h.call('GET', `/v1/urine-tests/${test.id}`, { token: await h.login('staff.banjarnegara') });
  t.equal(read.json().confirmation, 'confirmed_positive');

  const cases = await casesOf(test.id);
  t.equal(cases.length, 1, 'one case for the test');
  const opened = await getCase(cases[0]?.id as string);
  t.equal(opened.statusCode, 200);
  t.equal(opened.headers.etag, '"1"');
  t.match(opened.json(), {
    facility_id: banjarnegara,
    test_id: test.id,
    subject_type: 'inmate',
    subject_id: inmate,
    kind: 'assessment',
    trigger: 'confirmed_positive',
    status: 'awaiting_assessment',
    overdue: false,
    opened_on: '2026-03-13',
    assessment_due: FRIDAY_DUE,
    assessed_on: null,
    decision: null,
    closed_on: null,
    version: 1,
  });
  shared.inmateCase = opened.json();

  const events = await h.rows<{ action: string; facility_id: string; status: string | null }>(
    `SELECT action, facility_id, after->>'status' AS status FROM audit_events
      WHERE entity_id = $1 AND action = 'urine.confirmed' ORDER BY seq`,
    [test.id],
  );
  t.same(events, [{ action: 'urine.confirmed', facility_id: banjarnegara, status: 'confirmed_positive' }]);
  t.equal(
    await h.count('audit_events', `action = 'follow_up.opened' AND entity_id = '${cases[0]?.id}'`),
    1,
    'the opening is audited',
  );

  t.test("an officer's confirmed positive is referred to the Kanwil", async (t) => {
    const officer = await hire();
    const officerTest = await record(round, officer, { subject_type: 'officer', results: panelWith(metPositive) });
    const res = await confirmTest(officerTest.id, { class: 'MET', method: 'LC-MS', value_ng_ml: 640 });
    t.equal(res.statusCode, 201);
    t.equal(res.json().confirmation, 'confirmed_positive');
    const [found] = await casesOf(officerTest.id);
    const opened = await getCase(found?.id as string);
    t.match(opened.json(), {
      subject_type: 'officer',
      subject_id: officer,
      kind: 'kanwil_referral',
      trigger: 'confirmed_positive',
      status: 'awaiting_assessment',
      opened_on: '2026-03-13',
    });
    shared.officerCase = opened.json();
  });

  t.test('confirmed below the cutoff: confirmed_negative, no case', async (t) => {
    const other = await admit();
    const low = await record(round, other, { results: panelWith(metPositive) });
    const res = await confirmTest(low.id, { class: 'MET', value_ng_ml: 100 });
    t.equal(res.statusCode, 201);
    t.equal(res.json().confirmation, 'confirmed_negative');
    t.same(await casesOf(low.id), []);
    const [row] = await h.rows<{ positive: boolean }>('SELECT positive FROM urine_confirmations WHERE test_id = $1', [
      low.id,
    ]);
    t.equal(row?.positive, false);
  });

  t.test('confirmed_negative only once every screened-positive class is confirmed negative', async (t) => {
    const other = await admit();
    const two = await record(round, other, {
      results: panelWith(metPositive, { class: 'AMP', result: 'positive', value_ng_ml: 800 }),
    });
    const met = await confirmTest(two.id, { class: 'MET', value_ng_ml: 100 });
    t.equal(met.statusCode, 201);
    t.equal(met.json().confirmation, 'pending', 'AMP is still to be confirmed');
    const amp = await confirmTest(two.id, { class: 'AMP', value_ng_ml: 120 });
    t.equal(amp.statusCode, 201);
    t.equal(amp.json().confirmation, 'confirmed_negative');
    t.same(await casesOf(two.id), []);
  });

  t.test('a screen the reader under-reported is confirmable', async (t) => {
    const other = await admit();
    const under = await record(round, other, {
      results: panelWith({ class: 'THC', result: 'negative', value_ng_ml: 120 }),
    });
    t.equal(under.outcome, 'presumptive_positive', 'THC 120 is over the screen cutoff of 50');
    const res = await confirmTest(under.id, { class: 'THC', value_ng_ml: 10 });
    t.equal(res.statusCode, 201);
    t.equal(res.json().confirmation, 'confirmed_negative', 'THC confirm cutoff 15');
  });

  t.test('with a prescription on record: medically_explained, no case', async (t) => {
    const other = await admit();
    const explained = await record(round, other, { results: panelWith(metPositive) });
    const res = await confirmTest(explained.id, {
      class: 'MET',
      value_ng_ml: 640,
      prescription_reference: 'Resep dr. Sari Wulandari No. 112/RSUD-BNA/III/2026',
    });
    t.equal(res.statusCode, 201);
    t.equal(res.json().confirmation, 'medically_explained');
    t.same(await casesOf(explained.id), []);
  });
});

t.test('a refusal opens a case straight away', async (t) => {
  const inmate = await admit();
  const refused = await record(round, inmate, { refused: true, results: [], temperature_c: undefined });
  t.equal(refused.outcome, 'refused');
  t.equal(refused.confirmation, null);
  const cases = await casesOf(refused.id);
  t.equal(cases.length, 1);
  const opened = await getCase(cases[0]?.id as string);
  t.match(opened.json(), {
    test_id: refused.id,
    subject_type: 'inmate',
    subject_id: inmate,
    kind: 'assessment',
    trigger: 'refused',
    status: 'awaiting_assessment',
    opened_on: '2026-03-13',
    assessment_due: FRIDAY_DUE,
  });
  shared.refusalCase = opened.json();

  const officer = await hire();
  const officerRefused = await record(round, officer, {
    subject_type: 'officer',
    refused: true,
    results: [],
    temperature_c: undefined,
  });
  matchExactly(t, await casesOf(officerRefused.id), [{ trigger: 'refused', kind: 'kanwil_referral' }]);
});

t.test('an adulterated or substituted specimen opens a case straight away, as a refusal does', async (t) => {
  // Nitrite at 600 ug/mL (adulterated) for an inmate: an assessment, as a refusal would.
  const inmate = await admit();
  const adulterated = await record(round, inmate, { nitrite_ug_ml: 600, creatinine_mg_dl: 80, specific_gravity: 1.02 });
  t.equal(adulterated.outcome, 'adulterated');
  t.equal(adulterated.confirmation, null);
  const cases = await casesOf(adulterated.id);
  t.equal(cases.length, 1);
  const opened = await getCase(cases[0]?.id as string);
  t.match(opened.json(), {
    test_id: adulterated.id,
    subject_type: 'inmate',
    subject_id: inmate,
    kind: 'assessment',
    trigger: 'adulterated',
    status: 'awaiting_assessment',
    opened_on: '2026-03-13',
    assessment_due: FRIDAY_DUE,
  });
  const [audit] = await h.rows<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = 'follow_up.opened' AND entity_id = $1`,
    [cases[0]?.id],
  );
  t.equal(audit?.n, 1, 'its opening is audited');

  // Creatinine at 1.5 mg/dL (substituted; stored as adulterated) for an officer: a Kanwil referral.
  const officer = await hire();
  const substituted = await record(round, officer, {
    subject_type: 'officer',
    creatinine_mg_dl: 1.5,
    specific_gravity: 1.001,
  });
  t.equal(substituted.outcome, 'adulterated');
  const kinds = async (testId: string) => (await casesOf(testId)).map(({ trigger, kind }) => ({ trigger, kind }));
  t.same(await kinds(substituted.id), [{ trigger: 'adulterated', kind: 'kanwil_referral' }]);

  // pH 3.5 (adulterated): a case too.
  const acid = await record(round, await admit(), { ph: 3.5 });
  t.equal(acid.outcome, 'adulterated');
  t.same(await kinds(acid.id), [{ trigger: 'adulterated', kind: 'assessment' }]);

  // A dilute negative and an invalid specimen open none: the first counts by its drug result, the
  // second calls for a re-collection.
  const dilute = await record(round, await admit(), { creatinine_mg_dl: 15, specific_gravity: 1.002 });
  t.equal(dilute.outcome, 'dilute');
  t.same(await casesOf(dilute.id), []);
  const invalid = await record(round, await admit(), { temperature_c: 30.1 });
  t.equal(invalid.outcome, 'invalid');
  t.same(await casesOf(invalid.id), []);
});

t.test('a presumptive positive left unconfirmed opens its case through the sweep, once', async (t) => {
  const late = await record(round, await admit(), { results: panelWith(metPositive) });
  const inTime = await record(round, await admit(), { results: panelWith(metPositive) });
  const positiveInTime = await record(round, await admit(), { results: panelWith(metPositive) });
  t.equal((await confirmTest(inTime.id, { class: 'MET', value_ng_ml: 90 })).json().confirmation, 'confirmed_negative');
  t.equal(
    (await confirmTest(positiveInTime.id, { class: 'MET', value_ng_ml: 1200 })).json().confirmation,
    'confirmed_positive',
  );
  t.equal(await h.count('follow_up_cases', `test_id = '${late.id}'`), 0, 'nothing yet');

  // Collected at 00:15 WIB on 13 March = 2026-03-12T17:15Z; exactly 14 days later is not yet past.
  const fourteenDays = new Date('2026-03-26T17:15:00Z');
  await openUnconfirmedCases(db, new Date(fourteenDays.getTime() - 3_600_000), 14, rules);
  t.equal(await h.count('follow_up_cases', `test_id = '${late.id}'`), 0, 'an hour before 14 days: nothing');
  await openUnconfirmedCases(db, fourteenDays, 14, rules);
  t.equal(await h.count('follow_up_cases', `test_id = '${late.id}'`), 0, 'at exactly 14 days: not more than 14');

  // 00:16 WIB on Friday 27 March (still the 26th in UTC).
  const sweepAt = new Date('2026-03-26T17:16:00Z');
  const opened = await openUnconfirmedCases(db, sweepAt, 14, rules);
  t.ok(opened >= 1, 'the sweep reports what it opened');
  const cases = await casesOf(late.id);
  t.equal(cases.length, 1);
  const sweepDue = countWorkingDays('2026-03-27', 14, HOLIDAYS);
  t.equal(sweepDue, '2026-04-16', 'by hand: Mon 30 March is the first, Thu 16 April the 14th');
  const res = await getCase(cases[0]?.id as string);
  t.match(res.json(), {
    test_id: late.id,
    kind: 'assessment',
    trigger: 'unconfirmed_presumptive',
    status: 'awaiting_assessment',
    opened_on: '2026-03-27',
    assessment_due: sweepDue,
  });
  shared.sweepCase = res.json();
  const [audit] = await h.rows<{ actor_type: string }>(
    `SELECT actor_type FROM audit_events WHERE action = 'follow_up.opened' AND entity_id = $1`,
    [cases[0]?.id],
  );
  t.equal(audit?.actor_type, 'system', 'opened by the system, audited');

  const total = await h.count('follow_up_cases');
  t.equal(await openUnconfirmedCases(db, sweepAt, 14, rules), 0, 'run again: nothing to open');
  t.equal(await openUnconfirmedCases(db, new Date('2026-04-20T00:00:00Z'), 14, rules), 0, 'nor later');
  t.equal(await h.count('follow_up_cases'), total, 'no duplicate');
  t.same(await casesOf(inTime.id), [], 'confirmed negative in time: none from the sweep');
  matchExactly(
    t,
    await casesOf(positiveInTime.id),
    [{ trigger: 'confirmed_positive' }],
    'confirmed positive: its own case only',
  );

  // A late confirmation still records the confirmation and keeps the single case.
  const lateConfirm = await confirmTest(late.id, { class: 'MET', value_ng_ml: 700 });
  t.equal(lateConfirm.statusCode, 201);
  t.equal(lateConfirm.json().confirmation, 'confirmed_positive');
  t.equal((await casesOf(late.id)).length, 1, 'still one case');
});

t.test('due dates count working days: weekends and configured holidays excluded', async (t) => {
  t.equal(FRIDAY_DUE_DAYS.length, 14);
  for (const day of FRIDAY_DUE_DAYS) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    t.ok(weekday >= 1 && weekday <= 5 && !HOLIDAYS.includes(day), `${day} is a working day`);
  }
  t.equal(FRIDAY_DUE_DAYS.at(-1), FRIDAY_DUE);
  t.equal(countWorkingDays('2026-03-13', 14, HOLIDAYS), FRIDAY_DUE, 'our loop agrees with the hand count');
  t.equal(due('2026-03-13', 14), FRIDAY_DUE, 'addWorkingDays over two weekends and two holidays');

  // Over one weekend.
  t.equal(due('2026-03-13', 1, WEEKENDS_ONLY), '2026-03-16', 'Friday + 1 is Monday');
  t.equal(due('2026-03-12', 2, WEEKENDS_ONLY), '2026-03-16', 'Thursday + 2 is Monday');
  t.equal(due('2026-03-14', 1, WEEKENDS_ONLY), '2026-03-16', 'Saturday + 1 is Monday');
  t.equal(due('2026-03-15', 1, WEEKENDS_ONLY), '2026-03-16', 'Sunday + 1 is Monday');
  t.equal(due('2026-03-13', 5, WEEKENDS_ONLY), '2026-03-20', 'a working week');
  t.equal(due('2026-03-13', 5), '2026-03-24', 'the same week with the holidays');
  t.equal(due('2026-03-18', 1), '2026-03-23', 'holidays then a weekend');
  t.equal(due('2026-02-27', 2, WEEKENDS_ONLY), '2026-03-03', 'over a month end');
  t.equal(due('2026-12-31', 1, holidayCalendar(['2027-01-01'])), '2027-01-04', 'over a year end and a holiday');
  for (const from of ['2026-03-09', '2026-03-13', '2026-03-21', '2026-04-30']) {
    for (const n of [1, 3, 10, 14]) {
      t.equal(due(from, n), countWorkingDays(from, n, HOLIDAYS), `${from} + ${n}`);
    }
  }

  // Every case opened through the API on the Friday (01:30 WIB, Thursday in UTC) carries it.
  for (const c of [await sharedCase('inmateCase'), await sharedCase('officerCase'), await sharedCase('refusalCase')]) {
    t.match(c, { opened_on: '2026-03-13', assessment_due: FRIDAY_DUE });
  }

  t.test('ASSESSMENT_WORKING_DAYS is configuration', async (t) => {
    const h2 = await build(
      t,
      { NATIONAL_HOLIDAYS: HOLIDAYS.join(','), ASSESSMENT_WORKING_DAYS: '5' },
      { clock: () => FRIDAY },
    );
    const staff = await h2.login('staff.banjarnegara');
    const fac2 = h2.world.facilities.banjarnegara as string;
    const inmateRes = await h2.call('POST', `/v1/facilities/${fac2}/inmates`, {
      token: staff,
      body: {
        registration_number: 'CFG.1/2025',
        name: 'Warga Binaan Konfigurasi',
        sex: 'male',
        birth_date: '1991-05-20',
        case_type: 'narcotics_user',
        admission_date: '2025-02-03',
        block: 'B',
        status: 'sentenced',
      },
    });
    const roundRes = await h2.call('POST', `/v1/facilities/${fac2}/urine-test-rounds`, {
      token: staff,
      body: {
        tested_on: '2026-03-13',
        reason: 'random',
        subjects: 'inmates',
        kit: { brand: 'Rapid', lot: 'L1', expiry: '2027-02-28', panel: PANEL },
      },
    });
    const refusal = await h2.call('POST', `/v1/urine-test-rounds/${roundRes.json().id}/results`, {
      token: staff,
      headers: { 'idempotency-key': 'cfg-1' },
      body: {
        subject_type: 'inmate',
        subject_id: inmateRes.json().id,
        specimen_id: 'CFG-1',
        collected_at: '2026-03-13T00:15:00',
        refused: true,
        results: [],
      },
    });
    t.equal(refusal.statusCode, 201);
    const cases = await h2.call('GET', '/v1/follow-up-cases', { token: staff });
    matchExactly(t, cases.json().data, [{ opened_on: '2026-03-13', assessment_due: '2026-03-24' }], '5 working days');
  });
});

t.test('overdue: by the facility calendar, until the assessment is recorded', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const inmateCase = await sharedCase('inmateCase');
  const sweepCase = await sharedCase('sweepCase');
  const refusalCase = await sharedCase('refusalCase');
  t.teardown(() => {
    now = FRIDAY;
  });

  // 23:30 WIB on Monday 6 April: due today, not overdue.
  now = new Date('2026-04-06T16:30:00Z');
  t.notOk(ids(await list('&overdue=true', staff)).includes(inmateCase.id), 'due today is not overdue');
  t.equal((await getCase(inmateCase.id)).json().overdue, false);

  // 00:30 WIB on Tuesday 7 April (still the 6th in UTC): overdue.
  now = new Date('2026-04-06T17:30:00Z');
  const overdue = await list('&overdue=true', staff);
  const found = overdue.find((c) => c.id === inmateCase.id);
  t.match(found, { id: inmateCase.id, overdue: true, status: 'awaiting_assessment', assessment_due: FRIDAY_DUE });
  t.ok(
    overdue.every((c) => c.overdue === true && c.status === 'awaiting_assessment'),
    'only overdue cases',
  );
  t.ok(ids(overdue).includes(refusalCase.id), 'the refusal case too');
  t.notOk(ids(overdue).includes(sweepCase.id), 'the sweep case is due 16 April');
  const notOverdue = await list('&overdue=false', staff);
  t.ok(ids(notOverdue).includes(sweepCase.id));
  t.notOk(ids(notOverdue).includes(inmateCase.id));
  t.ok(
    notOverdue.every((c) => c.overdue === false),
    'overdue=false lists no overdue case',
  );
  const read = await getCase(inmateCase.id);
  t.equal(read.json().overdue, true);

  const assessed = await patch(
    inmateCase.id,
    { assessment: { assessed_on: '2026-04-07', notes: 'Asesmen TAT: pengguna ringan, rekomendasi konseling' } },
    read.headers.etag as string,
  );
  t.equal(assessed.statusCode, 200);
  t.match(assessed.json(), { status: 'assessed', overdue: false, assessed_on: '2026-04-07', version: 2 });
  t.notOk(ids(await list('&overdue=true', staff)).includes(inmateCase.id), 'no longer overdue');
  t.ok(ids(await list('&overdue=false', staff)).includes(inmateCase.id));
  t.equal((await getCase(inmateCase.id)).json().overdue, false);
  const future = await patch(inmateCase.id, { decision: { decision: 'counselling', decided_on: '2026-04-08' } }, '"2"');
  t.equal(future.statusCode, 422, 'a step is not dated after the facility calendar today');
});

t.test('case steps: assessment → decision → closure, one at a time, in date order', async (t) => {
  const c = await sharedCase('refusalCase');
  // Steps may not be dated after the service's today: the clock stands well after them.
  now = new Date('2026-04-10T03:00:00Z');
  t.teardown(() => {
    now = FRIDAY;
  });
  const version = async () =>
    (await h.rows<{ version: number }>('SELECT version FROM follow_up_cases WHERE id = $1', [c.id]))[0]?.version;

  const assessment = { assessment: { assessed_on: '2026-03-20', notes: 'Asesmen TAT: menolak tes, pengguna aktif' } };
  const noIfMatch = await patch(c.id, assessment);
  t.equal(noIfMatch.statusCode, 428, 'If-Match is required');
  const early = await patch(c.id, { decision: { decision: 'rehabilitation', decided_on: '2026-03-20' } }, '"1"');
  t.equal(early.statusCode, 409, 'no decision before the assessment');
  const both = await patch(
    c.id,
    { ...assessment, decision: { decision: 'rehabilitation', decided_on: '2026-03-20' } },
    '"1"',
  );
  t.equal(both.statusCode, 422, 'two steps at once');
  const none = await patch(c.id, {}, '"1"');
  t.equal(none.statusCode, 422, 'no step at all');
  const beforeOpening = await patch(
    c.id,
    { assessment: { assessed_on: '2026-03-12', notes: 'Asesmen sebelum kasus dibuka' } },
    '"1"',
  );
  t.equal(beforeOpening.statusCode, 422, 'an assessment before the case opened');
  t.equal(await version(), 1, 'nothing written');

  const assessed = await patch(c.id, assessment, '"1"');
  t.equal(assessed.statusCode, 200);
  t.equal(assessed.headers.etag, '"2"');
  t.match(assessed.json(), {
    status: 'assessed',
    assessed_on: '2026-03-20',
    assessment_notes: 'Asesmen TAT: menolak tes, pengguna aktif',
    version: 2,
  });
  const stale = await patch(c.id, { decision: { decision: 'rehabilitation', decided_on: '2026-03-23' } }, '"1"');
  t.equal(stale.statusCode, 412, 'a stale If-Match');
  const again = await patch(c.id, assessment, '"2"');
  t.equal(again.statusCode, 409, 'assessed once');
  const decidedEarly = await patch(c.id, { decision: { decision: 'rehabilitation', decided_on: '2026-03-19' } }, '"2"');
  t.equal(decidedEarly.statusCode, 422, 'a decision before the assessment date');
  const closedEarly = await patch(c.id, { closure: { closed_on: '2026-03-23', note: 'Selesai' } }, '"2"');
  t.equal(closedEarly.statusCode, 409, 'no closure before the decision');
  t.equal(await version(), 2);

  const decided = await patch(c.id, { decision: { decision: 'rehabilitation', decided_on: '2026-03-20' } }, '"2"');
  t.equal(decided.statusCode, 200, 'the same day as the assessment is not earlier');
  t.equal(decided.headers.etag, '"3"');
  t.match(decided.json(), { status: 'decided', decision: 'rehabilitation', decided_on: '2026-03-20', version: 3 });

  const closedBefore = await patch(c.id, { closure: { closed_on: '2026-03-19', note: 'Selesai' } }, '"3"');
  t.equal(closedBefore.statusCode, 422, 'a closure before the decision date');
  const closed = await patch(
    c.id,
    { closure: { closed_on: '2026-04-02', note: 'Dirujuk ke rehabilitasi sosial BNNK Purbalingga' } },
    '"3"',
  );
  t.equal(closed.statusCode, 200);
  t.equal(closed.headers.etag, '"4"');
  t.match(closed.json(), {
    status: 'closed',
    closed_on: '2026-04-02',
    closing_note: 'Dirujuk ke rehabilitasi sosial BNNK Purbalingga',
    assessed_on: '2026-03-20',
    decision: 'rehabilitation',
    overdue: false,
    version: 4,
  });

  for (const step of [
    assessment,
    { decision: { decision: 'counselling', decided_on: '2026-04-03' } },
    { closure: { closed_on: '2026-04-03', note: 'Ditutup lagi' } },
  ]) {
    const res = await patch(c.id, step, '"4"');
    t.equal(res.statusCode, 409, `after closure: ${Object.keys(step)[0]}`);
  }
  t.equal(await version(), 4);
  const read = await getCase(c.id);
  t.equal(read.headers.etag, '"4"');
  t.equal(read.json().status, 'closed');

  const events = await h.rows<{ action: string; facility_id: string; before: string | null; after: string }>(
    `SELECT action, facility_id, before->>'status' AS before, after->>'status' AS after
       FROM audit_events WHERE entity_type = 'follow_up_case' AND entity_id = $1 ORDER BY seq`,
    [c.id],
  );
  t.same(events, [
    { action: 'follow_up.opened', facility_id: banjarnegara, before: null, after: 'awaiting_assessment' },
    { action: 'follow_up.assessed', facility_id: banjarnegara, before: 'awaiting_assessment', after: 'assessed' },
    { action: 'follow_up.decided', facility_id: banjarnegara, before: 'assessed', after: 'decided' },
    { action: 'follow_up.closed', facility_id: banjarnegara, before: 'decided', after: 'closed' },
  ]);

  const byStatus = await list('&status=closed', await h.login('staff.banjarnegara'));
  t.ok(ids(byStatus).includes(c.id), 'listed by status');
  t.ok(
    byStatus.every((x) => x.status === 'closed'),
    'closed ones only',
  );
});

t.test('reach: who sees a Banjarnegara case, and who may act on it', async (t) => {
  const c = await sharedCase('inmateCase');
  const officerCase = await sharedCase('officerCase');
  // A Kupang case too, so that an empty answer is not mistaken for a correct one.
  const kupangRound = await openRound(kupang, 'staff.kupang');
  const kupangInmate = await admit(kupang, 'staff.kupang');
  // 02:30 WITA on the Friday: collected at 02:00 WITA.
  const kupangTest = await record(
    kupangRound,
    kupangInmate,
    { refused: true, results: [], temperature_c: undefined, collected_at: '2026-03-13T02:00:00' },
    'staff.kupang',
  );
  const [kupangCase] = await casesOf(kupangTest.id);
  t.ok(kupangCase, 'the Kupang refusal opened a case');
  const kupangId = kupangCase?.id as string;
  const version = async () =>
    (await h.rows<{ version: number }>('SELECT version FROM follow_up_cases WHERE id = $1', [c.id]))[0]?.version;
  const startVersion = await version();

  const staffKupang = await h.login('staff.kupang');
  t.equal((await getCase(c.id, 'staff.kupang')).statusCode, 404, 'staff.kupang: 404');
  const kupangList = await list('', staffKupang);
  t.notOk(ids(kupangList).includes(c.id), 'not in their list');
  t.ok(ids(kupangList).includes(kupangId), 'their own case is');
  t.ok(
    kupangList.every((x) => x.facility_id === kupang),
    'Kupang only',
  );
  const kupangPatch = await patch(
    c.id,
    { decision: { decision: 'counselling', decided_on: '2026-04-08' } },
    `"${startVersion}"`,
    staffKupang,
  );
  t.equal(kupangPatch.statusCode, 404, 'nor act on it');
  t.equal(
    (await list(`&facility_id=${banjarnegara}`, staffKupang)).length,
    0,
    'a facility filter does not widen the reach',
  );

  const kanwil = await h.login('kanwil.ntt');
  t.equal((await getCase(c.id, 'kanwil.ntt')).statusCode, 404, 'kanwil.ntt: 404');
  const kanwilList = await list('', kanwil);
  t.notOk(ids(kanwilList).includes(c.id), 'not in the NTT list');
  t.ok(ids(kanwilList).includes(kupangId), 'which has the Kupang case');

  const bnnk = await h.login('bnnk.purbalingga');
  const bnnkRead = await getCase(c.id, 'bnnk.purbalingga');
  t.equal(bnnkRead.statusCode, 200, 'BNNK Purbalingga, under its MoU with urine_testing');
  t.equal(bnnkRead.json().id, c.id);
  const bnnkList = await list('', bnnk);
  t.ok(ids(bnnkList).includes(c.id));
  t.notOk(ids(bnnkList).includes(kupangId), 'not Kupang');
  t.equal((await getCase(kupangId, 'bnnk.purbalingga')).statusCode, 404);

  const admin = await h.login('admin');
  const onlyKupang = await list(`&facility_id=${kupang}`, admin);
  t.ok(ids(onlyKupang).includes(kupangId));
  t.ok(
    onlyKupang.every((x) => x.facility_id === kupang),
    'facility_id narrows',
  );
  const officers = await list('&subject_type=officer', admin);
  t.ok(ids(officers).includes(officerCase.id));
  t.ok(
    officers.every((x) => x.subject_type === 'officer' && x.kind === 'kanwil_referral'),
    'subject_type narrows',
  );

  const token = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  t.equal(token.statusCode, 200);
  const client = token.json().access_token as string;
  const clientRead = await h.call('GET', `/v1/follow-up-cases/${c.id}`, { token: client });
  t.equal(clientRead.statusCode, 200, 'the demo client reads');
  t.ok(ids(await list('', client)).includes(c.id), 'and lists');
  const clientPatch = await patch(
    c.id,
    { decision: { decision: 'counselling', decided_on: '2026-04-08' } },
    clientRead.headers.etag as string,
    client,
  );
  t.equal(clientPatch.statusCode, 403, 'but a read scope never writes');
  t.equal(await version(), startVersion, 'nothing written');
});

t.test("concurrent confirmations of one test's classes decide the test on all of them", async (t) => {
  // A lab sends the AMP and MET results of the same specimens at once. Each confirmation must see
  // the other: AMP and MET both below the cutoff is confirmed_negative, never left pending (the
  // sweep would then open an unconfirmed_presumptive case for a test the lab cleared); a positive
  // without a prescription is confirmed_positive with its case, never medically_explained.
  const PAIRS = 12;
  const twoPositive = () => panelWith(metPositive, { class: 'AMP', result: 'positive', value_ng_ml: 800 });
  const negatives: string[] = [];
  const mixed: string[] = [];
  for (let i = 0; i < PAIRS; i++) {
    negatives.push((await record(round, await admit(), { results: twoPositive() })).id);
    mixed.push((await record(round, await admit(), { results: twoPositive() })).id);
  }
  const answers = await Promise.all([
    ...negatives.flatMap((id) => ['AMP', 'MET'].map((c) => confirmTest(id, { class: c, value_ng_ml: 50 }))),
    ...mixed.flatMap((id) => [
      confirmTest(id, { class: 'AMP', value_ng_ml: 640, prescription_reference: 'Resep dr. Sari No. 7/III/2026' }),
      confirmTest(id, { class: 'MET', value_ng_ml: 640 }),
    ]),
  ]);
  t.same(
    answers.map((a) => a.statusCode),
    answers.map(() => 201),
    'every confirmation recorded',
  );
  const state = async (testIds: string[]) =>
    (
      await h.rows<{ id: string; confirmation: string; cases: number }>(
        `SELECT u.id, u.confirmation::text AS confirmation,
                (SELECT count(*)::int FROM follow_up_cases f WHERE f.test_id = u.id) AS cases
           FROM urine_tests u WHERE u.id = ANY($1::uuid[])`,
        [`{${testIds.join(',')}}`],
      )
    ).map((r) => `${r.confirmation}, ${r.cases} case(s)`);
  t.same(
    await state(negatives),
    negatives.map(() => 'confirmed_negative, 0 case(s)'),
    'AMP 50 and MET 50: confirmed_negative',
  );
  t.same(
    await state(mixed),
    mixed.map(() => 'confirmed_positive, 1 case(s)'),
    'MET 640 without a prescription: confirmed_positive, with its case',
  );
});

t.test("round_id: the cases a round's tests opened, paged by id, in the caller's reach", async (t) => {
  const resting = now;
  now = FRIDAY;
  t.teardown(() => {
    now = resting;
  });
  const refusal = { refused: true, results: [], temperature_c: undefined };
  // Round A: two inmates and an officer refuse (three cases), a fourth tests negative (none).
  const roundA = await openRound();
  const openedA: string[] = [];
  for (const over of [refusal, refusal, { ...refusal, subject_type: 'officer' }]) {
    const subject = over === refusal ? await admit() : await hire();
    const test = await record(roundA, subject, over);
    const [c] = await casesOf(test.id);
    openedA.push(c?.id as string);
  }
  const negative = await record(roundA, await admit());
  t.equal((await casesOf(negative.id)).length, 0, 'a negative opens no case');
  // Round B at the same facility and a Kupang round: a case each, which round A must not list.
  const roundB = await openRound();
  const [caseB] = await casesOf((await record(roundB, await admit(), refusal)).id);
  const kupangRound = await openRound(kupang, 'staff.kupang');
  const kupangTest = await record(
    kupangRound,
    await admit(kupang, 'staff.kupang'),
    { ...refusal, collected_at: '2026-03-13T02:00:00' },
    'staff.kupang',
  );
  const [kupangCase] = await casesOf(kupangTest.id);

  const staff = await h.login('staff.banjarnegara');
  const expectedA = [];
  for (const id of [...openedA].sort()) expectedA.push((await getCase(id)).json());
  const listed = await h.call('GET', `/v1/follow-up-cases?round_id=${roundA}`, { token: staff });
  t.equal(listed.statusCode, 200);
  t.same(listed.json(), { data: expectedA, next_cursor: null }, "round A's three cases, as each reads, by id");
  t.same(ids(await list(`&round_id=${roundB}`, staff)), [caseB?.id], "round B's case alone");
  matchExactly(
    t,
    await list(`&round_id=${roundA}&subject_type=officer`, staff),
    [{ subject_type: 'officer', kind: 'kanwil_referral', trigger: 'refused' }],
    'with the other filters',
  );

  // The list's paging: the same order, a page at a time.
  const first = await h.call('GET', `/v1/follow-up-cases?round_id=${roundA}&limit=2`, { token: staff });
  t.equal(first.statusCode, 200);
  t.same(ids(first.json().data), ids(expectedA).slice(0, 2), 'the first page');
  t.type(first.json().next_cursor, 'string', 'and a cursor');
  const rest = await h.call(
    'GET',
    `/v1/follow-up-cases?round_id=${roundA}&limit=2&cursor=${first.json().next_cursor}`,
    { token: staff },
  );
  t.same(rest.json(), { data: expectedA.slice(2), next_cursor: null }, 'the rest');

  // Reach: a round out of reach lists nothing, as a facility_id out of reach does.
  for (const username of ['staff.kupang', 'kanwil.ntt', 'bnnp.ntt']) {
    t.same(await list(`&round_id=${roundA}`, await h.login(username)), [], `${username}: round A lists nothing`);
  }
  t.same(
    ids(await list(`&round_id=${roundA}`, await h.login('bnnk.purbalingga'))),
    ids(expectedA),
    'BNNK Purbalingga, under its MoU: round A',
  );
  t.same(await list(`&round_id=${kupangRound}`, staff), [], 'staff.banjarnegara: the Kupang round lists nothing');
  t.same(
    ids(await list(`&round_id=${kupangRound}`, await h.login('kanwil.ntt'))),
    [kupangCase?.id],
    'kanwil.ntt: the Kupang case',
  );
  t.same(
    ids(await list(`&round_id=${kupangRound}`, await h.login('admin'))),
    [kupangCase?.id],
    'admin: the Kupang round, its case alone',
  );
  t.same(await list('&round_id=01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e', staff), [], 'no such round: nothing');

  const bad = await h.call('GET', '/v1/follow-up-cases?round_id=round-a', { token: staff });
  t.equal(bad.statusCode, 400);
  t.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
  matchExactly(t, bad.json(), {
    code: 'validation_failed',
    errors: [{ in: 'querystring', pointer: '/round_id', detail: 'Invalid UUID' }],
  });
});
