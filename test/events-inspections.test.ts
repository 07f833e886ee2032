import { sql } from 'drizzle-orm';
import t from 'tap';
import { build } from './helpers/app.ts';
import { feedOf } from './helpers/feed.ts';
import { phoneFinding, surpriseReport } from './helpers/reports.ts';

// The events of surprise inspections and their corrective actions, read from the feed as callers
// would: what each tells, who is told, that the overdue chore tells once, and that a refused write
// tells nothing.

const h = await build(t);
const fac = h.world.facilities;
const banjarnegara = fac.banjarnegara as string;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const CHORE = 'inspection-actions-overdue';

const report = surpriseReport();

const finding = (over: Record<string, unknown> = {}) => ({ ...phoneFinding, ...over });

async function openReport(facility = banjarnegara, username = 'staff.banjarnegara'): Promise<Json> {
  const res = await h.call('POST', `/v1/facilities/${facility}/inspections`, {
    token: await h.login(username),
    body: report,
  });
  if (res.statusCode !== 201) throw new Error(`open: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function addFinding(inspectionId: string, over: Record<string, unknown> = {}): Promise<Json> {
  const res = await h.call('POST', `/v1/inspections/${inspectionId}/findings`, {
    token: await h.login('staff.banjarnegara'),
    body: finding(over),
  });
  if (res.statusCode !== 201) throw new Error(`finding: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function addAction(inspectionId: string, over: Record<string, unknown> = {}): Promise<Json> {
  const res = await h.call('POST', `/v1/inspections/${inspectionId}/actions`, {
    token: await h.login('staff.banjarnegara'),
    body: { description: 'Pasang kamera CCTV di blok A', due_date: '2099-04-30', ...over },
  });
  if (res.statusCode !== 201) throw new Error(`action: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function progress(action: Json, body: Record<string, unknown>): Promise<Json> {
  const res = await h.call('PATCH', `/v1/corrective-actions/${action.id}`, {
    token: await h.login('staff.banjarnegara'),
    body,
    headers: { 'if-match': `"${action.version}"` },
  });
  if (res.statusCode !== 200) throw new Error(`progress: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function step(inspectionId: string, what: 'submit' | 'sign-off', username: string) {
  const res = await h.call('POST', `/v1/inspections/${inspectionId}/${what}`, { token: await h.login(username) });
  if (res.statusCode !== 200) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}

let nip = 0;
async function hire(): Promise<string> {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/officers`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      nip: `19850417201012${String(7000 + nip++).padStart(4, '0')}`,
      name: 'Agus Prasetyo',
      sex: 'male',
      position: 'Kepala Pengamanan Rutan',
      unit: 'KPR',
      joined_on: '2010-12-01',
    },
  });
  if (res.statusCode !== 201) throw new Error(`hire: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

let regNo = 0;
async function admit(): Promise<string> {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      registration_number: `B.I-EI${regNo++}/2026`,
      name: 'Budi Santoso',
      sex: 'male',
      birth_date: '1990-04-17',
      case_type: 'narcotics_user',
      admission_date: '2026-03-02',
      expected_release_date: '2027-03-01',
      block: 'A',
      status: 'sentenced',
    },
  });
  if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

const { readAll, head } = feedOf(h);

/** Events without their id and time, which the tests check apart. */
const bare = (events: Json[]) => events.map(({ id: _id, occurred_at: _at, ...rest }) => rest);

/** The heads of the feed for each caller, and what each has been told since. */
async function watchers() {
  const tokens = {
    admin: await h.login('admin'),
    staffHere: await h.login('staff.banjarnegara'),
    staffKupang: await h.login('staff.kupang'),
    kanwilNtt: await h.login('kanwil.ntt'),
    bnnkPurbalingga: await h.login('bnnk.purbalingga'),
  };
  const from = Object.fromEntries(
    await Promise.all(Object.entries(tokens).map(async ([who, token]) => [who, await head(token)] as const)),
  ) as Record<keyof typeof tokens, string>;
  return {
    admin: tokens.admin,
    from,
    told: async (who: keyof typeof tokens) => (await readAll(tokens[who], '', from[who])).events,
  };
}

async function person(type: 'inmate' | 'officer', id: string) {
  if (type === 'inmate') {
    const [r] = await h.rows<Json>('SELECT pseudonym, name, registration_number FROM inmates WHERE id = $1', [id]);
    return { type, id, pseudonym: r?.pseudonym, name: r?.name, registration_number: r?.registration_number, nip: null };
  }
  const [r] = await h.rows<Json>('SELECT pseudonym, name, nip FROM officers WHERE id = $1', [id]);
  return { type, id, pseudonym: r?.pseudonym, name: r?.name, registration_number: null, nip: r?.nip };
}

t.test('a finding is told with what was found and the people it names, to its facility only', async (t) => {
  const inmate = await admit();
  const officer = await hire();
  const opened = await openReport();
  const w = await watchers();
  const added = await addFinding(opened.id, {
    quantity: 2,
    people: [
      { type: 'inmate', id: inmate },
      { type: 'officer', id: officer },
      { type: 'unknown' },
      { type: 'inmate', id: inmate },
    ],
  });
  const [row] = await h.rows<Json>(
    'SELECT quantity::float8 AS quantity, unit, category FROM inspection_findings WHERE id = $1',
    [added.id],
  );
  t.same(bare(await w.told('admin')), [
    {
      type: 'inspection.finding_recorded.v1',
      subject: { type: 'finding', id: added.id },
      facility_ids: [banjarnegara],
      data: {
        inspection_id: opened.id,
        facility_id: banjarnegara,
        finding_id: added.id,
        quantity: row?.quantity,
        unit: row?.unit,
        category: row?.category,
        narcotics: false,
      },
      people: [await person('inmate', inmate), await person('officer', officer)],
    },
  ]);
  t.same(
    (await w.told('staffHere')).map((e) => [e.type, e.subject.id]),
    [['inspection.finding_recorded.v1', added.id]],
  );
  t.same(
    (await w.told('bnnkPurbalingga')).map((e) => e.subject.id),
    [added.id],
    'the BNN unit whose MoU covers inspections there',
  );
  t.same(await w.told('staffKupang'), [], "Kupang's staff nothing of Banjarnegara");
  t.same(await w.told('kanwilNtt'), [], 'a Kanwil of another province nothing');
});

t.test('narcotics are told again on their own, with the hand-over due date, each finding', async (t) => {
  const opened = await openReport();
  const w = await watchers();
  const first = await addFinding(opened.id, { category: 'narcotics', quantity: 3.5, unit: 'grams' });
  const second = await addFinding(opened.id, { category: 'narcotics', quantity: 1, unit: 'grams' });
  const [handover] = await h.rows<{ id: string; due_date: string }>(
    `SELECT id, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM corrective_actions WHERE inspection_id = $1 AND automatic`,
    [opened.id],
  );
  const [stored] = await h.rows<{ ended_at: Date }>('SELECT ended_at FROM inspections WHERE id = $1', [opened.id]);
  const facts = (id: string, quantity: number) => ({
    inspection_id: opened.id,
    facility_id: banjarnegara,
    finding_id: id,
    quantity,
    unit: 'grams',
    category: 'narcotics',
  });
  const place = (id: string) => ({ subject: { type: 'finding', id }, facility_ids: [banjarnegara], people: [] });
  const narcotics = (id: string, quantity: number) => ({
    type: 'inspection.narcotics_found.v1',
    ...place(id),
    data: {
      ...facts(id, quantity),
      ended_at: new Date(stored?.ended_at as Date).toISOString(),
      handover_due_date: handover?.due_date,
    },
  });
  t.equal(handover?.due_date, '2026-03-04', 'two days after the search, as the hand-over action');
  t.same(bare(await w.told('admin')), [
    { type: 'inspection.finding_recorded.v1', ...place(first.id), data: { ...facts(first.id, 3.5), narcotics: true } },
    narcotics(first.id, 3.5),
    {
      type: 'corrective_action.created.v1',
      subject: { type: 'corrective_action', id: handover?.id },
      facility_ids: [banjarnegara],
      people: [],
      data: {
        action_id: handover?.id,
        inspection_id: opened.id,
        facility_id: banjarnegara,
        finding_id: first.id,
        owner_organisation_id: null,
        due_date: handover?.due_date,
        automatic: true,
      },
    },
    { type: 'inspection.finding_recorded.v1', ...place(second.id), data: { ...facts(second.id, 1), narcotics: true } },
    narcotics(second.id, 1),
  ]);
  const onlyNarcotics = await readAll(w.admin, 'types=inspection.narcotics_found.v1', w.from.admin);
  t.same(
    onlyNarcotics.events.map((e) => e.subject.id),
    [first.id, second.id],
  );
  t.same(
    (await w.told('bnnkPurbalingga'))
      .filter((e) => e.type === 'inspection.narcotics_found.v1')
      .map((e) => e.subject.id),
    [first.id, second.id],
    'BNN is told',
  );
  t.same(await w.told('staffKupang'), []);
});

t.test('an action set, done, reopened, done again and verified is told at each of those moves', async (t) => {
  const officer = await hire();
  const opened = await openReport();
  const w = await watchers();
  const created = await addAction(opened.id, { owner_officer_id: officer });
  const started = await progress(created, { status: 'in_progress' });
  const done = await progress(started, { status: 'done', closing_comment: 'CCTV terpasang' });
  const reopened = await progress(done, { status: 'in_progress' });
  const doneAgain = await progress(reopened, { status: 'done', closing_comment: 'CCTV terpasang ulang' });
  const verified = await progress(doneAgain, { status: 'verified' });
  const place = {
    subject: { type: 'corrective_action', id: created.id },
    facility_ids: [banjarnegara],
    people: [await person('officer', officer)],
  };
  const facts = {
    action_id: created.id,
    inspection_id: opened.id,
    facility_id: banjarnegara,
    finding_id: null,
    owner_organisation_id: null,
    due_date: '2099-04-30',
    automatic: false,
  };
  t.same(bare(await w.told('admin')), [
    { type: 'corrective_action.created.v1', ...place, data: facts },
    { type: 'corrective_action.done.v1', ...place, data: { ...facts, closed_at: done.closed_at, on_time: true } },
    { type: 'corrective_action.reopened.v1', ...place, data: facts },
    { type: 'corrective_action.done.v1', ...place, data: { ...facts, closed_at: doneAgain.closed_at, on_time: true } },
    {
      type: 'corrective_action.verified.v1',
      ...place,
      data: { ...facts, closed_at: doneAgain.closed_at, verified_at: verified.updated_at },
    },
  ]);
  t.same(
    (await w.told('staffHere')).map((e) => e.type),
    [
      'corrective_action.created.v1',
      'corrective_action.done.v1',
      'corrective_action.reopened.v1',
      'corrective_action.done.v1',
      'corrective_action.verified.v1',
    ],
  );
  t.same(await w.told('staffKupang'), [], "Kupang's staff nothing of Banjarnegara");
});

t.test('an action done after its due date is told done late', async (t) => {
  const opened = await openReport();
  const created = await addAction(opened.id, { due_date: '2026-03-10' });
  const w = await watchers();
  await progress(created, { status: 'done', closing_comment: 'Selesai terlambat' });
  const told = await w.told('admin');
  t.same(
    told.map((e) => [e.type, e.data.on_time]),
    [['corrective_action.done.v1', false]],
  );
});

/** The local date `days` after today in Jakarta, as YYYY-MM-DD. */
function jakartaDate(days: number): string {
  const at = new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000);
  return at.toISOString().slice(0, 10);
}

t.test("the overdue chore tells each action once, by its facility's own calendar", async (t) => {
  const officer = await hire();
  const opened = await openReport();
  const due = jakartaDate(2);
  const action = await addAction(opened.id, { due_date: due, owner_officer_id: officer });
  const doneInTime = await addAction(opened.id, { due_date: due });
  await progress(doneInTime, { status: 'done', closing_comment: 'Selesai' });
  const w = await watchers();
  const clock = h.app.now;
  t.teardown(() => {
    h.app.now = clock;
  });
  const again = () => h.app.db.execute(sql`UPDATE chore_runs SET last_run_at = '-infinity' WHERE name = ${CHORE}`);
  const mine = async () =>
    (await readAll(w.admin, 'types=corrective_action.overdue.v1', w.from.admin)).events.filter(
      (e) => e.data.inspection_id === opened.id,
    );

  // The last minutes of the due date in Jakarta.
  h.app.now = () => new Date(`${due}T23:30:00+07:00`);
  await again();
  await h.app.runChores();
  t.same(await mine(), [], 'not overdue on its due date');

  // Half past midnight the next day in Jakarta, still the due date in UTC.
  const past = new Date(`${due}T17:30:00Z`);
  h.app.now = () => past;
  await again();
  const first = await h.app.runChores();
  const told = await mine();
  t.same(bare(told), [
    {
      type: 'corrective_action.overdue.v1',
      subject: { type: 'corrective_action', id: action.id },
      facility_ids: [banjarnegara],
      people: [await person('officer', officer)],
      data: {
        action_id: action.id,
        inspection_id: opened.id,
        facility_id: banjarnegara,
        finding_id: null,
        owner_organisation_id: null,
        due_date: due,
        automatic: false,
        status: 'open',
      },
    },
  ]);
  t.equal(told[0]?.occurred_at, h.app.now().toISOString(), 'told at the chore’s time');
  t.ok((first[CHORE] ?? 0) >= 1, 'the chore counts what it told');

  await again();
  const second = await h.app.runChores();
  t.equal(second[CHORE], 0, 'nothing left to tell');
  t.same(
    (await mine()).map((e) => e.subject.id),
    [action.id],
    'told once only',
  );
  t.same(
    (
      await readAll(await h.login('staff.kupang'), 'types=corrective_action.overdue.v1', w.from.staffKupang)
    ).events.filter((e) => e.facility_ids.includes(banjarnegara)),
    [],
    "Kupang's staff nothing of Banjarnegara",
  );
});

t.test('a signed-off report corrected by an addendum is told so', async (t) => {
  const opened = await openReport();
  const added = await addFinding(opened.id);
  await step(opened.id, 'submit', 'staff.banjarnegara');
  await step(opened.id, 'sign-off', 'head.banjarnegara');
  const w = await watchers();
  const res = await h.call('POST', `/v1/inspections/${opened.id}/addenda`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      corrects_type: 'finding',
      corrects_id: added.id,
      reason: 'Dihitung ulang',
      text: 'Jumlah telepon genggam 2 buah, bukan 1.',
    },
  });
  t.equal(res.statusCode, 201, res.body);
  t.same(bare(await w.told('admin')), [
    {
      type: 'inspection.addendum_added.v1',
      subject: { type: 'inspection', id: opened.id },
      facility_ids: [banjarnegara],
      people: [],
      data: {
        inspection_id: opened.id,
        facility_id: banjarnegara,
        addendum_id: res.json().id,
        corrects_type: 'finding',
        corrects_id: added.id,
      },
    },
  ]);
  t.same(await w.told('staffKupang'), []);
});

t.test('a refused write tells nothing', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const submitted = await openReport();
  const findingId = (await addFinding(submitted.id)).id as string;
  await step(submitted.id, 'submit', 'staff.banjarnegara');
  const draft = await openReport();
  const action = await addAction(draft.id);
  const kupangOfficer = await h.call('POST', `/v1/facilities/${fac.kupang}/officers`, {
    token: await h.login('staff.kupang'),
    body: {
      nip: '198504172010129999',
      name: 'Yohanes Ndun',
      sex: 'male',
      position: 'Staf Pengamanan',
      unit: 'KPLP',
      joined_on: '2011-01-01',
    },
  });
  t.equal(kupangOfficer.statusCode, 201, kupangOfficer.body);
  const kupangStaff = await h.login('staff.kupang');
  const w = await watchers();
  const before = await h.count('domain_events');
  const attempts: [string, () => Promise<{ statusCode: number }>, number][] = [
    [
      'a narcotics finding on a submitted report',
      () =>
        h.call('POST', `/v1/inspections/${submitted.id}/findings`, {
          token: staff,
          body: finding({ category: 'narcotics', unit: 'grams' }),
        }),
      409,
    ],
    [
      'a finding naming an officer of another facility',
      () =>
        h.call('POST', `/v1/inspections/${draft.id}/findings`, {
          token: staff,
          body: finding({
            category: 'narcotics',
            unit: 'grams',
            people: [{ type: 'officer', id: kupangOfficer.json().id }],
          }),
        }),
      422,
    ],
    [
      "a finding on another facility's report",
      () => h.call('POST', `/v1/inspections/${draft.id}/findings`, { token: kupangStaff, body: finding() }),
      404,
    ],
    [
      'an action due before the inspection',
      () =>
        h.call('POST', `/v1/inspections/${draft.id}/actions`, {
          token: staff,
          body: { description: 'Pasang kamera CCTV di blok A', due_date: '2026-03-01' },
        }),
      422,
    ],
    [
      'done without a closing comment',
      () =>
        h.call('PATCH', `/v1/corrective-actions/${action.id}`, {
          token: staff,
          body: { status: 'done' },
          headers: { 'if-match': `"${action.version}"` },
        }),
      422,
    ],
    [
      'done at a stale version',
      () =>
        h.call('PATCH', `/v1/corrective-actions/${action.id}`, {
          token: staff,
          body: { status: 'done', closing_comment: 'Selesai' },
          headers: { 'if-match': `"${action.version + 1}"` },
        }),
      412,
    ],
    [
      'verified straight from open',
      () =>
        h.call('PATCH', `/v1/corrective-actions/${action.id}`, {
          token: staff,
          body: { status: 'verified', closing_comment: 'Langsung' },
          headers: { 'if-match': `"${action.version}"` },
        }),
      422,
    ],
    [
      'an addendum to a report not signed off',
      () =>
        h.call('POST', `/v1/inspections/${submitted.id}/addenda`, {
          token: staff,
          body: { corrects_type: 'finding', corrects_id: findingId, reason: 'Salah hitung', text: 'Dua, bukan satu.' },
        }),
      409,
    ],
  ];
  for (const [what, call, status] of attempts) t.equal((await call()).statusCode, status, what);
  t.equal(await h.count('domain_events'), before, 'no event written');
  t.same(await w.told('admin'), []);
});
