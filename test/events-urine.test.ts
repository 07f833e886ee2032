import { sql } from 'drizzle-orm';
import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';
import { feedOf } from './helpers/feed.ts';

// The events of urine testing told to outside systems: rounds closed, presumptive and confirmed
// positives, refusals, and the follow-up cases they open, decide and let fall overdue; who is told
// of them, and that people are named only for personal_data.
//
// The clock starts at 10:00 WIB on Friday 13 March 2026 (Banjarnegara keeps WIB).
const FRIDAY = new Date('2026-03-13T03:00:00Z');
let now = FRIDAY;
const h = await build(t, { ASSESSMENT_WORKING_DAYS: '14', URINE_CONFIRMATION_DAYS: '14' }, { clock: () => now });
const fac = h.world.facilities;
const org = h.world.organisations;
const banjarnegara = fac.banjarnegara as string;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const URINE_TYPES = [
  'urine_round.closed.v1',
  'urine_test.presumptive_positive.v1',
  'urine_test.confirmed_positive.v1',
  'urine_test.refused.v1',
  'follow_up_case.opened.v1',
  'follow_up_case.decided.v1',
  'follow_up_case.overdue.v1',
];

const feed = feedOf(h);
const URINE_ONLY = `types=${URINE_TYPES.join(',')}`;
/** The urine events from `after` to the end of the feed, as one caller sees them. */
const readAll = (token: string, after?: string) => feed.readAll(token, URINE_ONLY, after);
const head = async (token: string) => (await readAll(token)).cursor;
const told = async (token: string, from: string) =>
  (await readAll(token, from)).events.map(({ id: _id, occurred_at: _at, ...rest }) => rest);

async function clientToken(): Promise<string> {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  return res.json().access_token as string;
}

// A BNN unit that reaches Banjarnegara under an MoU for inspections only: never told of its urine tests.
const jateng = await h.call('POST', '/v1/users', {
  token: await h.login('admin'),
  body: {
    username: 'petugas.bnnp.jateng',
    display_name: 'Petugas BNNP Jawa Tengah',
    role: 'bnn_officer',
    organisation_id: org['bnnp.jateng'],
    password: PASSWORD,
  },
});
if (jateng.statusCode !== 201) throw new Error(`user: ${jateng.statusCode} ${jateng.body}`);
const noUrineMou = await h.call('POST', '/v1/mous', {
  token: await h.login('admin'),
  body: {
    number: 'PKS/EV-URINE/2026',
    title: 'Sidak bersama tanpa tes urine',
    bnn_unit_id: org['bnnp.jateng'],
    facility_ids: [banjarnegara],
    scope: ['inspection'],
    signed_on: '2026-01-05',
    valid_from: '2026-01-05',
    valid_until: '2028-01-04',
  },
});
if (noUrineMou.statusCode !== 201) throw new Error(`mou: ${noUrineMou.statusCode} ${noUrineMou.body}`);
const reached = await h.call('GET', '/v1/me', { token: await h.login('petugas.bnnp.jateng') });
t.ok(reached.json().facility_ids.includes(banjarnegara), 'the unit reaches Banjarnegara, for inspections');

/** Who is told of an event at Banjarnegara, and who is not. */
const READERS = {
  staffHere: 'staff.banjarnegara',
  bnnWithUrine: 'bnnk.purbalingga',
  staffElsewhere: 'staff.kupang',
  bnnWithoutUrine: 'petugas.bnnp.jateng',
} as const;
type Reader = keyof typeof READERS;

/** Every reader's cursor now, and then the subjects each is told of since. */
async function watch() {
  const from = {} as Record<Reader, string>;
  for (const [who, username] of Object.entries(READERS)) from[who as Reader] = await head(await h.login(username));
  return async () => {
    const seen = {} as Record<Reader, string[]>;
    for (const [who, username] of Object.entries(READERS)) {
      seen[who as Reader] = (await readAll(await h.login(username), from[who as Reader])).events.map(
        (e) => `${e.type} ${e.subject.id}`,
      );
    }
    return seen;
  };
}

let serial = 0;
const next = () => ++serial;

async function admit() {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      registration_number: `EV.${next()}/2025`,
      name: `Warga Binaan Peristiwa ${serial}`,
      sex: 'male',
      birth_date: '1991-05-20',
      case_type: 'narcotics_user',
      admission_date: '2025-02-03',
      expected_release_date: '2028-02-01',
      block: 'C',
      status: 'sentenced',
    },
  });
  if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

async function hire() {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/officers`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      nip: `19870512201102${String(1000 + next()).padStart(4, '0')}`,
      name: 'Siti Rahayu',
      sex: 'female',
      position: 'Petugas Pengamanan',
      unit: 'KPR',
      joined_on: '2011-01-03',
    },
  });
  if (res.statusCode !== 201) throw new Error(`hire: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

const PANEL = ['AMP', 'MET', 'THC'];

async function openRound(subjects = 'both') {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/urine-test-rounds`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      tested_on: '2026-03-13',
      reason: 'random',
      subjects,
      kit: { brand: 'Rapid 3 Panel', lot: 'L2603-01', expiry: '2027-02-28', panel: PANEL },
    },
  });
  if (res.statusCode !== 201) throw new Error(`open round: ${res.statusCode} ${res.body}`);
  return res.json() as Json;
}

type ClassResult = { class: string; result: string; value_ng_ml?: number };
const panelWith = (...over: ClassResult[]) =>
  PANEL.map((c) => over.find((o) => o.class === c) ?? { class: c, result: 'negative' });
const metPositive = { class: 'MET', result: 'positive', value_ng_ml: 900 };
const thcPositive = { class: 'THC', result: 'positive', value_ng_ml: 80 };

let keys = 0;
/** One result (08:00 WIB on the round's day), recorded by the facility's staff. */
async function record(roundId: string, subjectId: string, over: Record<string, unknown> = {}): Promise<Json> {
  const res = await h.call('POST', `/v1/urine-test-rounds/${roundId}/results`, {
    token: await h.login('staff.banjarnegara'),
    headers: { 'idempotency-key': `events-urine-${++keys}` },
    body: {
      subject_type: 'inmate',
      subject_id: subjectId,
      specimen_id: `EV-SPC-${next()}`,
      collected_at: '2026-03-13T08:00:00',
      temperature_c: 34.5,
      results: panelWith(),
      ...over,
    },
  });
  if (res.statusCode !== 201) throw new Error(`record: ${res.statusCode} ${res.body}`);
  return res.json().data[0] as Json;
}

async function confirmTest(testId: string, body: Record<string, unknown>) {
  return h.call('POST', `/v1/urine-tests/${testId}/confirmation`, {
    token: await h.login('staff.banjarnegara'),
    body: { method: 'GC-MS', lab: 'Laboratorium Uji Narkoba BNN', ...body },
  });
}

/** A test as stored: its collection instant in UTC, as events tell it. */
async function storedTest(id: string) {
  const [row] = await h.rows<{ collected_at: string; round_id: string }>(
    'SELECT collected_at, round_id FROM urine_tests WHERE id = $1',
    [id],
  );
  return { collected_at: new Date(row?.collected_at as string).toISOString(), round_id: row?.round_id as string };
}

async function storedCase(testId: string) {
  const [row] = await h.rows<{ id: string; opened_on: string; assessment_due: string; provisional: boolean }>(
    `SELECT id, to_char(opened_on, 'YYYY-MM-DD') AS opened_on, to_char(assessment_due, 'YYYY-MM-DD') AS assessment_due,
            assessment_due_provisional AS provisional
       FROM follow_up_cases WHERE test_id = $1`,
    [testId],
  );
  if (!row) throw new Error(`no case for ${testId}`);
  return row;
}

async function inmatePerson(id: string) {
  const [row] = await h.rows<{ pseudonym: string; name: string; registration_number: string }>(
    'SELECT pseudonym, name, registration_number FROM inmates WHERE id = $1',
    [id],
  );
  return {
    type: 'inmate',
    id,
    pseudonym: row?.pseudonym,
    name: row?.name,
    registration_number: row?.registration_number,
    nip: null,
  };
}

async function officerPerson(id: string) {
  const [row] = await h.rows<{ pseudonym: string; name: string; nip: string }>(
    'SELECT pseudonym, name, nip FROM officers WHERE id = $1',
    [id],
  );
  return { type: 'officer', id, pseudonym: row?.pseudonym, name: row?.name, registration_number: null, nip: row?.nip };
}

/** A person as a client without personal_data is told of them: the pseudonym, nothing else. */
const pseudonymous = (person: Json) => ({ ...person, name: null, registration_number: null, nip: null });

const place = (type: string, id: string, people: Json[]) => ({
  subject: { type, id },
  facility_ids: [banjarnegara],
  people,
});

t.test('a presumptive positive is told with its positive classes, to those who reach the facility', async (t) => {
  const admin = await h.login('admin');
  const client = await clientToken();
  const round = await openRound();
  const inmate = await admit();
  const fromAdmin = await head(admin);
  const fromClient = await head(client);
  const seen = await watch();

  const test = await record(round.id, inmate, { results: panelWith(metPositive, thcPositive) });
  t.equal(test.outcome, 'presumptive_positive');
  const stored = await storedTest(test.id);
  const person = await inmatePerson(inmate);
  const data = {
    test_id: test.id,
    round_id: round.id,
    facility_id: banjarnegara,
    subject_type: 'inmate',
    collected_at: stored.collected_at,
    classes: ['MET', 'THC'],
  };
  t.same(await told(admin, fromAdmin), [
    { type: 'urine_test.presumptive_positive.v1', ...place('urine_test', test.id, [person]), data },
  ]);
  t.same(
    await told(client, fromClient),
    [{ type: 'urine_test.presumptive_positive.v1', ...place('urine_test', test.id, [pseudonymous(person)]), data }],
    'a client without personal_data gets the pseudonym',
  );
  const key = `urine_test.presumptive_positive.v1 ${test.id}`;
  t.same(await seen(), { staffHere: [key], bnnWithUrine: [key], staffElsewhere: [], bnnWithoutUrine: [] });

  // A batch refused for one bad row writes nothing, so tells nothing.
  const from = await head(admin);
  const refused = await h.call('POST', `/v1/urine-test-rounds/${round.id}/results`, {
    token: await h.login('staff.banjarnegara'),
    headers: { 'idempotency-key': `events-urine-${++keys}` },
    body: {
      results: [
        {
          subject_type: 'inmate',
          subject_id: await admit(),
          specimen_id: `EV-SPC-${next()}`,
          collected_at: '2026-03-13T08:00:00',
          temperature_c: 34.5,
          results: panelWith(metPositive),
        },
        {
          subject_type: 'inmate',
          subject_id: await admit(),
          specimen_id: `EV-SPC-${next()}`,
          collected_at: '2026-03-13T08:00:00',
          results: [{ class: 'MET', result: 'positive' }],
        },
      ],
    },
  });
  t.equal(refused.statusCode, 422, refused.body);
  t.same(await told(admin, from), [], 'a refused batch tells nothing');
});

t.test('a lab confirmation that confirms a positive is told, then the case it opens', async (t) => {
  const admin = await h.login('admin');
  const client = await clientToken();
  const round = await openRound();
  const officer = await hire();
  const test = await record(round.id, officer, {
    subject_type: 'officer',
    results: panelWith(metPositive, thcPositive),
  });
  const fromAdmin = await head(admin);
  const fromClient = await head(client);
  const seen = await watch();

  const confirmed = await confirmTest(test.id, { class: 'MET', method: 'LC-MS', value_ng_ml: 640 });
  t.equal(confirmed.statusCode, 201, confirmed.body);
  t.equal(confirmed.json().confirmation, 'confirmed_positive');
  const stored = await storedTest(test.id);
  const kase = await storedCase(test.id);
  const person = await officerPerson(officer);
  const testData = {
    test_id: test.id,
    round_id: round.id,
    facility_id: banjarnegara,
    subject_type: 'officer',
    collected_at: stored.collected_at,
  };
  const caseData = {
    case_id: kase.id,
    test_id: test.id,
    facility_id: banjarnegara,
    subject_type: 'officer',
    kind: 'kanwil_referral',
    trigger: 'confirmed_positive',
    opened_on: kase.opened_on,
    assessment_due: kase.assessment_due,
    assessment_due_provisional: kase.provisional,
  };
  t.equal(kase.opened_on, '2026-03-13');
  t.same(await told(admin, fromAdmin), [
    {
      type: 'urine_test.confirmed_positive.v1',
      ...place('urine_test', test.id, [person]),
      data: { ...testData, classes: ['MET'], confirmed_at: now.toISOString() },
    },
    { type: 'follow_up_case.opened.v1', ...place('follow_up_case', kase.id, [person]), data: caseData },
  ]);
  t.same(
    (await told(client, fromClient)).map((e) => e.people),
    [[pseudonymous(person)], [pseudonymous(person)]],
    'a client without personal_data gets the pseudonym',
  );
  const expected = [`urine_test.confirmed_positive.v1 ${test.id}`, `follow_up_case.opened.v1 ${kase.id}`];
  t.same(await seen(), { staffHere: expected, bnnWithUrine: expected, staffElsewhere: [], bnnWithoutUrine: [] });

  // Another class confirmed on a test already confirmed positive: recorded, not told again.
  const from = await head(admin);
  const again = await confirmTest(test.id, { class: 'THC', value_ng_ml: 40 });
  t.equal(again.statusCode, 201, again.body);
  t.equal(again.json().confirmation, 'confirmed_positive');
  t.same(await told(admin, from), [], 'told once, when it becomes confirmed');
  // A refused confirmation (that class is confirmed already) tells nothing.
  const twice = await confirmTest(test.id, { class: 'MET', value_ng_ml: 700 });
  t.equal(twice.statusCode, 409);
  t.same(await told(admin, from), []);

  // Confirmed below the cutoff: a confirmed negative, which is no positive and opens no case.
  const negative = await record(round.id, await admit(), { results: panelWith(metPositive) });
  const fromNegative = await head(admin);
  const below = await confirmTest(negative.id, { class: 'MET', value_ng_ml: 90 });
  t.equal(below.json().confirmation, 'confirmed_negative');
  t.same(await told(admin, fromNegative), [], 'a confirmed negative is not told as a positive');
});

t.test('a refusal is told, with the case it opens', async (t) => {
  const admin = await h.login('admin');
  const client = await clientToken();
  const round = await openRound();
  const inmate = await admit();
  const fromAdmin = await head(admin);
  const fromClient = await head(client);
  const seen = await watch();

  const test = await record(round.id, inmate, { refused: true, results: [], temperature_c: undefined });
  t.equal(test.outcome, 'refused');
  const stored = await storedTest(test.id);
  const kase = await storedCase(test.id);
  const person = await inmatePerson(inmate);
  t.same(await told(admin, fromAdmin), [
    {
      type: 'urine_test.refused.v1',
      ...place('urine_test', test.id, [person]),
      data: {
        test_id: test.id,
        round_id: round.id,
        facility_id: banjarnegara,
        subject_type: 'inmate',
        collected_at: stored.collected_at,
      },
    },
    {
      type: 'follow_up_case.opened.v1',
      ...place('follow_up_case', kase.id, [person]),
      data: {
        case_id: kase.id,
        test_id: test.id,
        facility_id: banjarnegara,
        subject_type: 'inmate',
        kind: 'assessment',
        trigger: 'refused',
        opened_on: kase.opened_on,
        assessment_due: kase.assessment_due,
        assessment_due_provisional: kase.provisional,
      },
    },
  ]);
  t.same(
    (await told(client, fromClient)).map((e) => e.people),
    [[pseudonymous(person)], [pseudonymous(person)]],
    'a client without personal_data gets the pseudonym',
  );
  const expected = [`urine_test.refused.v1 ${test.id}`, `follow_up_case.opened.v1 ${kase.id}`];
  t.same(await seen(), { staffHere: expected, bnnWithUrine: expected, staffElsewhere: [], bnnWithoutUrine: [] });

  // A second refusal of the same person in the round is refused and tells nothing.
  const from = await head(admin);
  const again = await h.call('POST', `/v1/urine-test-rounds/${round.id}/results`, {
    token: await h.login('staff.banjarnegara'),
    headers: { 'idempotency-key': `events-urine-${++keys}` },
    body: {
      subject_type: 'inmate',
      subject_id: inmate,
      specimen_id: `EV-SPC-${next()}`,
      collected_at: '2026-03-13T08:00:00',
      refused: true,
      results: [],
    },
  });
  t.equal(again.statusCode, 422, again.body);
  t.same(await told(admin, from), []);
});

/** Runs the chores as if an hour had passed since each last ran. */
async function runChoresNow() {
  await h.app.db.execute(sql`UPDATE chore_runs SET last_run_at = '-infinity'`);
  return h.app.runChores();
}

t.test('the sweep opens the case of a presumptive positive left unconfirmed, told once', async (t) => {
  t.teardown(() => {
    now = FRIDAY;
  });
  const admin = await h.login('admin');
  const round = await openRound();
  const inmate = await admit();
  const test = await record(round.id, inmate, { results: panelWith(metPositive) });
  const from = await head(admin);
  const seen = await watch();

  // Collected 08:00 WIB on 13 March; fifteen days later it is still unconfirmed.
  now = new Date('2026-03-28T03:00:00Z');
  const done = await runChoresNow();
  t.ok((done['urine-unconfirmed-cases'] ?? 0) >= 1, 'the sweep opened it');
  const kase = await storedCase(test.id);
  t.equal(kase.opened_on, '2026-03-28');
  const mine = (await told(admin, from)).filter((e) => e.subject.id === kase.id);
  t.same(mine, [
    {
      type: 'follow_up_case.opened.v1',
      ...place('follow_up_case', kase.id, [await inmatePerson(inmate)]),
      data: {
        case_id: kase.id,
        test_id: test.id,
        facility_id: banjarnegara,
        subject_type: 'inmate',
        kind: 'assessment',
        trigger: 'unconfirmed_presumptive',
        opened_on: '2026-03-28',
        assessment_due: kase.assessment_due,
        assessment_due_provisional: kase.provisional,
      },
    },
  ]);
  const key = `follow_up_case.opened.v1 ${kase.id}`;
  const reads = await seen();
  t.same(
    {
      staffHere: reads.staffHere.filter((k) => k === key),
      bnnWithUrine: reads.bnnWithUrine.filter((k) => k === key),
      staffElsewhere: reads.staffElsewhere,
      bnnWithoutUrine: reads.bnnWithoutUrine,
    },
    { staffHere: [key], bnnWithUrine: [key], staffElsewhere: [], bnnWithoutUrine: [] },
  );

  const after = await head(admin);
  await runChoresNow();
  t.same(
    (await told(admin, after)).filter((e) => e.type === 'follow_up_case.opened.v1'),
    [],
    'run again: no case opened, nothing told',
  );
});

t.test('a case decided is told with its decision; the other steps are not', async (t) => {
  const admin = await h.login('admin');
  const staff = await h.login('staff.banjarnegara');
  const round = await openRound();
  const inmate = await admit();
  const test = await record(round.id, inmate, { refused: true, results: [], temperature_c: undefined });
  const kase = await storedCase(test.id);
  const step = (body: unknown, version: number) =>
    h.call('PATCH', `/v1/follow-up-cases/${kase.id}`, { token: staff, body, headers: { 'if-match': `"${version}"` } });
  const from = await head(admin);
  const seen = await watch();

  const assessed = await step({ assessment: { assessed_on: '2026-03-13', notes: 'Asesmen TAT: pengguna ringan' } }, 1);
  t.equal(assessed.statusCode, 200, assessed.body);
  t.same(await told(admin, from), [], 'an assessment is not a decision');
  const early = await step({ closure: { closed_on: '2026-03-13', note: 'Ditutup' } }, 2);
  t.equal(early.statusCode, 409, 'a refused step');
  const stale = await step({ decision: { decision: 'rehabilitation', decided_on: '2026-03-13' } }, 1);
  t.equal(stale.statusCode, 412, 'a stale version');
  t.same(await told(admin, from), [], 'refused steps tell nothing');

  const decided = await step({ decision: { decision: 'rehabilitation', decided_on: '2026-03-13' } }, 2);
  t.equal(decided.statusCode, 200, decided.body);
  const person = await inmatePerson(inmate);
  t.same(await told(admin, from), [
    {
      type: 'follow_up_case.decided.v1',
      ...place('follow_up_case', kase.id, [person]),
      data: {
        case_id: kase.id,
        test_id: test.id,
        facility_id: banjarnegara,
        subject_type: 'inmate',
        kind: 'assessment',
        decision: 'rehabilitation',
        decided_on: decided.json().decided_on,
      },
    },
  ]);
  t.equal(decided.json().decided_on, '2026-03-13');
  const client = await clientToken();
  const fromStart = (await readAll(client)).events.filter(
    (e) => e.type === 'follow_up_case.decided.v1' && e.subject.id === kase.id,
  );
  t.same(
    fromStart.map((e) => e.people),
    [[pseudonymous(person)]],
    'a client without personal_data gets the pseudonym',
  );
  const key = `follow_up_case.decided.v1 ${kase.id}`;
  t.same(await seen(), { staffHere: [key], bnnWithUrine: [key], staffElsewhere: [], bnnWithoutUrine: [] });

  const closed = await step({ closure: { closed_on: '2026-03-13', note: 'Dirujuk ke rehabilitasi' } }, 3);
  t.equal(closed.statusCode, 200, closed.body);
  t.same(
    (await told(admin, from)).map((e) => e.type),
    ['follow_up_case.decided.v1'],
    'a closure is not told as a decision',
  );
});

t.test("an overdue case is told once, on the facility's calendar, by the hourly chore", async (t) => {
  t.teardown(() => {
    now = FRIDAY;
  });
  const admin = await h.login('admin');
  const round = await openRound();
  const inmate = await admit();
  const late = await record(round.id, inmate, { refused: true, results: [], temperature_c: undefined });
  const inTime = await record(round.id, await admit(), { refused: true, results: [], temperature_c: undefined });
  const kase = await storedCase(late.id);
  const assessedCase = await storedCase(inTime.id);
  const assessed = await h.call('PATCH', `/v1/follow-up-cases/${assessedCase.id}`, {
    token: await h.login('staff.banjarnegara'),
    body: { assessment: { assessed_on: '2026-03-13', notes: 'Asesmen TAT tepat waktu' } },
    headers: { 'if-match': '"1"' },
  });
  t.equal(assessed.statusCode, 200, assessed.body);
  t.equal(kase.assessment_due, assessedCase.assessment_due, 'both due the same day');
  const from = await head(admin);
  const seen = await watch();
  const overdueOf = async (after: string) =>
    (await told(admin, after)).filter(
      (e) => e.type === 'follow_up_case.overdue.v1' && [kase.id, assessedCase.id].includes(e.subject.id),
    );

  // 23:30 WIB on the due day: due today, not overdue.
  const dueStart = new Date(`${kase.assessment_due}T00:00:00+07:00`);
  now = new Date(dueStart.getTime() + 23.5 * 3_600_000);
  await runChoresNow();
  t.same(await overdueOf(from), [], 'due today is not overdue');

  // 00:30 WIB the next day, still the due day in UTC: overdue on the facility's calendar.
  now = new Date(dueStart.getTime() + 24.5 * 3_600_000);
  t.equal(now.toISOString().slice(0, 10), kase.assessment_due, 'still the due day in UTC');
  const done = await runChoresNow();
  t.ok((done['urine-overdue-cases'] ?? 0) >= 1, 'the chore reports what it told');
  const person = await inmatePerson(inmate);
  t.same(await overdueOf(from), [
    {
      type: 'follow_up_case.overdue.v1',
      ...place('follow_up_case', kase.id, [person]),
      data: {
        case_id: kase.id,
        test_id: late.id,
        facility_id: banjarnegara,
        subject_type: 'inmate',
        kind: 'assessment',
        assessment_due: kase.assessment_due,
      },
    },
  ]);
  const [event] = await overdueOf(from);
  t.same(event?.people, [person]);
  const client = await clientToken();
  const clientSaw = (await readAll(client)).events.filter(
    (e) => e.type === 'follow_up_case.overdue.v1' && e.subject.id === kase.id,
  );
  t.same(
    clientSaw.map((e) => e.people),
    [[pseudonymous(person)]],
    'a client without personal_data gets the pseudonym',
  );
  const key = `follow_up_case.overdue.v1 ${kase.id}`;
  const reads = await seen();
  t.same(
    {
      staffHere: reads.staffHere.filter((k) => k === key),
      bnnWithUrine: reads.bnnWithUrine.filter((k) => k === key),
      staffElsewhere: reads.staffElsewhere,
      bnnWithoutUrine: reads.bnnWithoutUrine,
    },
    { staffHere: [key], bnnWithUrine: [key], staffElsewhere: [], bnnWithoutUrine: [] },
  );

  // The chore again, an hour and a week on: the case is still overdue, and is not told again.
  const again = await head(admin);
  now = new Date(now.getTime() + 3_600_000);
  await runChoresNow();
  now = new Date(now.getTime() + 7 * 86_400_000);
  await runChoresNow();
  t.same(await overdueOf(again), [], 'told once only');
  t.same(
    (await h.call('GET', `/v1/follow-up-cases/${kase.id}`, { token: admin })).json().overdue,
    true,
    'still overdue',
  );
});

t.test('a round is told closed once nobody drawn is still waiting to be tested', async (t) => {
  const admin = await h.login('admin');
  const staff = await h.login('staff.banjarnegara');
  for (let i = 0; i < 4; i++) await admit();
  const round = await openRound('inmates');
  const from = await head(admin);
  const seen = await watch();
  const drawn = await h.call('POST', `/v1/urine-test-rounds/${round.id}/draw`, {
    token: staff,
    body: { subject_type: 'inmate', size: 2, reserve_size: 1, seed: 'peristiwa' },
  });
  t.equal(drawn.statusCode, 201, drawn.body);
  const entries = drawn.json().data[0].entries as Json[];
  const [first, second] = entries.filter((e) => e.list === 'main');
  const [reserve] = entries.filter((e) => e.list === 'reserve');
  const closedOf = async () =>
    (await told(admin, from)).filter((e) => e.type === 'urine_round.closed.v1' && e.subject.id === round.id);
  const notTested = (body: Json) =>
    h.call('POST', `/v1/urine-test-rounds/${round.id}/not-tested`, { token: staff, body });

  const court = await notTested({ subject_type: 'inmate', subject_id: first?.subject_id, reason: 'court' });
  t.equal(court.statusCode, 200, court.body);
  await record(round.id, second?.subject_id);
  t.same(await closedOf(), [], 'the reserve stepped in and waits');
  const twice = await notTested({ subject_type: 'inmate', subject_id: first?.subject_id, reason: 'sick' });
  t.equal(twice.statusCode, 409, 'a refused write');
  t.same(await closedOf(), [], 'tells nothing');

  const refusal = await notTested({
    subject_type: 'inmate',
    subject_id: reserve?.subject_id,
    reason: 'refused',
    at: '2026-03-13T09:00:00',
  });
  t.equal(refusal.statusCode, 200, refusal.body);
  t.same(await closedOf(), [
    {
      type: 'urine_round.closed.v1',
      subject: { type: 'urine_round', id: round.id },
      facility_ids: [banjarnegara],
      people: [],
      data: {
        round_id: round.id,
        facility_id: banjarnegara,
        tested_on: '2026-03-13',
        reason: 'random',
        tested: 2,
        not_tested: 2,
        outcomes: { negative: 1, presumptive_positive: 0, invalid: 0, dilute: 0, adulterated: 0, refused: 1 },
      },
    },
  ]);
  const got = await h.call('GET', `/v1/urine-test-rounds/${round.id}`, { token: staff });
  t.equal(got.json().tested, 2, 'as many results as the round answers');
  const key = `urine_round.closed.v1 ${round.id}`;
  const reads = await seen();
  t.same(
    {
      staffHere: reads.staffHere.filter((k) => k === key),
      bnnWithUrine: reads.bnnWithUrine.filter((k) => k === key),
      staffElsewhere: reads.staffElsewhere,
      bnnWithoutUrine: reads.bnnWithoutUrine,
    },
    { staffHere: [key], bnnWithUrine: [key], staffElsewhere: [], bnnWithoutUrine: [] },
  );

  // A result added to the complete round afterwards: the round is not told closed again.
  await record(round.id, await admit());
  t.equal((await closedOf()).length, 1, 'told once only');
});

t.test('a round tested without a draw, or drawn for one kind of person only, is not told closed', async (t) => {
  const admin = await h.login('admin');
  const staff = await h.login('staff.banjarnegara');
  await admit();
  const from = await head(admin);
  const undrawn = await openRound('inmates');
  await record(undrawn.id, await admit());
  const both = await openRound('both');
  const drawn = await h.call('POST', `/v1/urine-test-rounds/${both.id}/draw`, {
    token: staff,
    body: { subject_type: 'inmate', size: 1, reserve_size: 0 },
  });
  t.equal(drawn.statusCode, 201, drawn.body);
  await record(both.id, drawn.json().data[0].entries[0].subject_id);
  t.same(
    (await told(admin, from)).filter((e) => e.type === 'urine_round.closed.v1'),
    [],
    'the officers of a round for both were never drawn',
  );
});
