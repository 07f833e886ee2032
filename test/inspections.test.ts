import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import t from 'tap';
import { build, type Harness, PASSWORD } from './helpers/app.ts';
import { matchExactly } from './helpers/match.ts';
import { multipart, png } from './helpers/multipart.ts';

// Surprise inspections (sidak): drafts, findings, evidence, corrective actions, submit, sign-off,
// frozen after, addenda, overdue by each facility's own calendar, and who reaches what.

const h = await build(t);
const fac = h.world.facilities;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

// A PNG's signature, its image header and the start of its image data: what the type check reads.
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const report = (over: Record<string, unknown> = {}) => ({
  kind: 'surprise',
  team: [
    { name: 'Karutan Banjarnegara', agency: 'facility', role: 'ketua' },
    { name: 'Tim BNNK Purbalingga', agency: 'bnn' },
  ],
  started_at: '2026-03-02T09:00:00',
  ended_at: '2026-03-02T11:30:00',
  areas: [{ kind: 'block', name: 'A' }, { kind: 'kitchen' }],
  inmates_searched: 120,
  officers_searched: 15,
  summary: 'Penggeledahan blok hunian dan dapur.',
  ...over,
});

const finding = (over: Record<string, unknown> = {}) => ({
  category: 'mobile_phone',
  description: 'Satu telepon genggam dalam bantal',
  quantity: 1,
  unit: 'pieces',
  location: 'Blok A kamar 12',
  ...over,
});

async function userId(username: string, on: Harness = h) {
  const [row] = await on.rows<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]);
  return row?.id as string;
}

async function open(
  over: Record<string, unknown> = {},
  facility = fac.banjarnegara,
  username = 'staff.banjarnegara',
  on: Harness = h,
): Promise<Json> {
  const res = await on.call('POST', `/v1/facilities/${facility}/inspections`, {
    token: await on.login(username),
    body: report(over),
  });
  if (res.statusCode !== 201) throw new Error(`open: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function addFinding(
  inspectionId: string,
  over: Record<string, unknown> = {},
  username = 'staff.banjarnegara',
  on: Harness = h,
): Promise<Json> {
  const res = await on.call('POST', `/v1/inspections/${inspectionId}/findings`, {
    token: await on.login(username),
    body: finding(over),
  });
  if (res.statusCode !== 201) throw new Error(`finding: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** The whole report as its facility's staff read it. */
async function reportOf(inspectionId: string, on: Harness = h): Promise<Json> {
  return (
    await on.call('GET', `/v1/inspections/${inspectionId}`, { token: await on.login('staff.banjarnegara') })
  ).json();
}

async function step(inspectionId: string, what: 'submit' | 'sign-off', username: string, on: Harness = h) {
  const res = await on.call('POST', `/v1/inspections/${inspectionId}/${what}`, { token: await on.login(username) });
  if (res.statusCode !== 200) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json() as Json;
}

async function addAction(
  inspectionId: string,
  over: Record<string, unknown> = {},
  username = 'staff.banjarnegara',
  on: Harness = h,
): Promise<Json> {
  const res = await on.call('POST', `/v1/inspections/${inspectionId}/actions`, {
    token: await on.login(username),
    body: { description: 'Pasang kamera CCTV di blok A', due_date: '2099-04-30', ...over },
  });
  if (res.statusCode !== 201) throw new Error(`action: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function upload(
  inspectionId: string,
  findingId: string,
  data: Buffer,
  { kind = 'photo', type = 'image/png', name = 'temuan.png', username = 'staff.banjarnegara', on = h } = {},
) {
  return on.call('POST', `/v1/inspections/${inspectionId}/findings/${findingId}/evidence`, {
    token: await on.login(username),
    ...multipart({ kind, description: 'Foto temuan di lokasi' }, { name, type, data }),
  });
}

/** The SQLSTATE of a statement the database refused (undefined when it was accepted). */
async function refusal(on: Harness, query: string, params: unknown[]): Promise<string | undefined> {
  try {
    await on.rows(query, params);
    return undefined;
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code ?? 'refused';
  }
}

async function clientToken(on: Harness = h) {
  const res = await on.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  return res.json().access_token as string;
}

t.test('the whole workflow: open, edit, find, submit, sign off', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const head = await h.login('head.banjarnegara');
  const created = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: staff,
    body: report(),
  });
  t.equal(created.statusCode, 201);
  const draft = created.json();
  t.match(draft, {
    facility_id: fac.banjarnegara,
    kind: 'surprise',
    status: 'draft',
    result: 'nihil',
    finding_count: 0,
    narcotics_found: false,
    timezone: 'Asia/Jakarta',
    started_at: '2026-03-02T09:00:00+07:00',
    ended_at: '2026-03-02T11:30:00+07:00',
    version: 1,
    created_by: await userId('staff.banjarnegara'),
    submitted_at: null,
    signed_off_at: null,
  });
  t.same([draft.findings, draft.actions, draft.addenda], [[], [], []], 'no findings, actions or addenda yet');
  t.equal(created.headers.etag, '"1"');
  t.equal(created.headers.location, `/v1/inspections/${draft.id}`);
  const [stored] = await h.rows<{ started_at: Date | string }>('SELECT started_at FROM inspections WHERE id = $1', [
    draft.id,
  ]);
  t.equal(
    new Date(stored?.started_at as string).toISOString(),
    '2026-03-02T02:00:00.000Z',
    'a time without offset is WIB wall clock',
  );

  const url = `/v1/inspections/${draft.id}`;
  const noMatch = await h.call('PATCH', url, { token: staff, body: { summary: 'Ringkasan baru' } });
  t.equal(noMatch.statusCode, 428, 'If-Match is required');
  const stale = await h.call('PATCH', url, {
    token: staff,
    body: { summary: 'Ringkasan baru' },
    headers: { 'if-match': '"7"' },
  });
  t.equal(stale.statusCode, 412, 'a stale ETag is refused');
  const edited = await h.call('PATCH', url, {
    token: staff,
    body: { summary: 'Ringkasan diperbarui', inmates_searched: 125 },
    headers: { 'if-match': created.headers.etag as string },
  });
  t.equal(edited.statusCode, 200);
  t.match(edited.json(), { summary: 'Ringkasan diperbarui', inmates_searched: 125, version: 2 });
  t.equal(edited.headers.etag, '"2"');
  const again = await h.call('PATCH', url, {
    token: staff,
    body: { summary: 'Ringkasan lama ditimpa' },
    headers: { 'if-match': created.headers.etag as string },
  });
  t.equal(again.statusCode, 412, 'the first ETag is stale now');
  t.equal((await h.call('GET', url, { token: staff })).json().summary, 'Ringkasan diperbarui', 'nothing overwritten');

  const found = await h.call('POST', `${url}/findings`, {
    token: staff,
    body: finding({ category: 'cash', quantity: 2_500_000, unit: 'rupiah', location: 'Dapur' }),
  });
  t.equal(found.statusCode, 201);
  t.match(found.json(), { category: 'cash', quantity: 2_500_000, unit: 'rupiah', location: 'Dapur' });
  t.same(found.json().evidence, []);
  t.equal(found.headers.location, `/v1/findings/${found.json().id}`);
  const withFinding = await reportOf(created.json().id);
  t.match(withFinding, { result: 'findings', finding_count: 1 });
  t.equal(withFinding.findings[0].id, found.json().id);
  t.equal(withFinding.actions.length, 0, 'cash brings no automatic action');

  const submitted = await h.call('POST', `${url}/submit`, { token: staff });
  t.equal(submitted.statusCode, 200);
  t.match(submitted.json(), { status: 'submitted', submitted_by: await userId('staff.banjarnegara') });
  t.ok(submitted.json().submitted_at);

  const signed = await h.call('POST', `${url}/sign-off`, { token: head });
  t.equal(signed.statusCode, 200);
  t.match(signed.json(), {
    status: 'signed_off',
    signed_off_by: await userId('head.banjarnegara'),
    result: 'findings',
    summary: 'Ringkasan diperbarui',
  });
  t.ok(signed.json().signed_off_at);
  const shown = await h.call('GET', url, { token: staff });
  t.equal(shown.json().status, 'signed_off');
  t.equal(shown.headers.etag, `"${shown.json().version}"`);

  const trail = await h.rows<{ action: string; actor_id: string; facility_id: string }>(
    'SELECT action, actor_id, facility_id FROM audit_events WHERE entity_id = $1 ORDER BY seq',
    [draft.id],
  );
  const staffId = await userId('staff.banjarnegara');
  t.same(trail, [
    { action: 'inspection.opened', actor_id: staffId, facility_id: fac.banjarnegara },
    { action: 'inspection.updated', actor_id: staffId, facility_id: fac.banjarnegara },
    { action: 'inspection.finding_added', actor_id: staffId, facility_id: fac.banjarnegara },
    { action: 'inspection.submitted', actor_id: staffId, facility_id: fac.banjarnegara },
    { action: 'inspection.signed_off', actor_id: await userId('head.banjarnegara'), facility_id: fac.banjarnegara },
  ]);
});

t.test('a nihil inspection is a result too', async (t) => {
  const draft = await open({ kind: 'scheduled' });
  await step(draft.id, 'submit', 'staff.banjarnegara');
  const signed = await step(draft.id, 'sign-off', 'head.banjarnegara');
  t.match(signed, { status: 'signed_off', result: 'nihil', finding_count: 0, narcotics_found: false });
  t.same(signed.findings, []);
  const listed = await h.call('GET', `/v1/facilities/${fac.banjarnegara}/inspections?has_findings=false`, {
    token: await h.login('head.banjarnegara'),
  });
  t.ok(
    listed.json().data.some((i: Json) => i.id === draft.id && i.result === 'nihil'),
    'listed among the reports without findings',
  );
});

t.test('only the head of the inspected facility signs off, once, a submitted report', async (t) => {
  const draft = await open();
  const url = `/v1/inspections/${draft.id}/sign-off`;
  const early = await h.call('POST', url, { token: await h.login('head.banjarnegara') });
  t.equal(early.statusCode, 409, 'a draft is submitted first');
  await step(draft.id, 'submit', 'staff.banjarnegara');
  const cases: [string, number][] = [
    ['staff.banjarnegara', 403],
    ['head.kupang', 404],
    ['admin', 403],
    ['bnnk.purbalingga', 403],
  ];
  for (const [username, status] of cases) {
    const res = await h.call('POST', url, { token: await h.login(username) });
    t.equal(res.statusCode, status, username);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${username}: a problem`);
  }
  const [still] = await h.rows<{ status: string; signed_off_by: string | null }>(
    'SELECT status, signed_off_by FROM inspections WHERE id = $1',
    [draft.id],
  );
  t.same(still, { status: 'submitted', signed_off_by: null }, 'refusals changed nothing');
  t.equal((await h.call('POST', url, { token: await h.login('head.banjarnegara') })).statusCode, 200);
  const twice = await h.call('POST', url, { token: await h.login('head.banjarnegara') });
  t.equal(twice.statusCode, 409, 'signed off once');
  t.equal(
    await h.count('audit_events', `entity_id = '${draft.id}' AND action = 'inspection.signed_off'`),
    1,
    'one sign-off audited',
  );
});

t.test('frozen after sign-off: every write path refused, nothing stored', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const draft = await open();
  const findingId = (await addFinding(draft.id)).id as string;
  const seized = await h.call('POST', `/v1/inspections/${draft.id}/findings/${findingId}/evidence`, {
    token: staff,
    body: { kind: 'seized_item', description: 'Telepon genggam merek X', seal_number: 'SEGEL-BNJ-2026-0001' },
  });
  t.equal(seized.statusCode, 201);
  const evidenceId = seized.json().id as string;
  const action = await addAction(draft.id, { finding_id: findingId });

  // Submitted: the report no longer takes edits or findings, only sign-off.
  await step(draft.id, 'submit', 'staff.banjarnegara');
  const submittedReport = await h.call('GET', `/v1/inspections/${draft.id}`, { token: staff });
  const submittedPatch = await h.call('PATCH', `/v1/inspections/${draft.id}`, {
    token: staff,
    body: { summary: 'Diubah setelah diajukan' },
    headers: { 'if-match': submittedReport.headers.etag as string },
  });
  t.equal(submittedPatch.statusCode, 409, 'no edit once submitted');
  const submittedFinding = await h.call('POST', `/v1/inspections/${draft.id}/findings`, {
    token: staff,
    body: finding(),
  });
  t.equal(submittedFinding.statusCode, 409, 'no finding once submitted');
  const submittedEvidence = await upload(draft.id, findingId, png());
  t.equal(submittedEvidence.statusCode, 409, 'no evidence once submitted');

  await step(draft.id, 'sign-off', 'head.banjarnegara');
  const before = await h.call('GET', `/v1/inspections/${draft.id}`, { token: staff });
  const counts = async () => ({
    findings: await h.count('inspection_findings', `inspection_id = '${draft.id}'`),
    evidence: await h.count('evidence_items', `inspection_id = '${draft.id}'`),
    actions: await h.count('corrective_actions', `inspection_id = '${draft.id}'`),
    addenda: await h.count('inspection_addenda', `inspection_id = '${draft.id}'`),
  });
  const countsBefore = await counts();
  const auditBefore = await h.count('audit_events');

  const attempts: [string, Promise<{ statusCode: number }>][] = [
    [
      'PATCH the inspection',
      h.call('PATCH', `/v1/inspections/${draft.id}`, {
        token: staff,
        body: { summary: 'Diubah diam-diam' },
        headers: { 'if-match': before.headers.etag as string },
      }),
    ],
    ['POST a finding', h.call('POST', `/v1/inspections/${draft.id}/findings`, { token: staff, body: finding() })],
    [
      'POST evidence as JSON',
      h.call('POST', `/v1/inspections/${draft.id}/findings/${findingId}/evidence`, {
        token: staff,
        body: { kind: 'seized_item', description: 'Barang sitaan kedua', seal_number: 'SEGEL-BNJ-2026-0002' },
      }),
    ],
    ['POST evidence as multipart', upload(draft.id, findingId, png())],
    [
      'POST an action',
      h.call('POST', `/v1/inspections/${draft.id}/actions`, {
        token: staff,
        body: { description: 'Tindakan tambahan', due_date: '2026-05-01' },
      }),
    ],
    ['POST submit', h.call('POST', `/v1/inspections/${draft.id}/submit`, { token: staff })],
  ];
  for (const [what, attempt] of attempts) t.equal((await attempt).statusCode, 409, what);
  const headEdit = await h.call('PATCH', `/v1/inspections/${draft.id}`, {
    token: await h.login('head.banjarnegara'),
    body: { summary: 'Diubah oleh kepala' },
    headers: { 'if-match': before.headers.etag as string },
  });
  t.equal(headEdit.statusCode, 409, 'not even the head edits a signed-off report');

  t.same(await counts(), countsBefore, 'no part added');
  t.equal(await h.count('audit_events'), auditBefore, 'nothing audited');
  const after = await h.call('GET', `/v1/inspections/${draft.id}`, { token: staff });
  t.same(after.json(), before.json(), 'the report reads exactly as signed');

  // The database refuses quiet changes too.
  t.equal(
    await refusal(h, 'UPDATE inspections SET summary = $1 WHERE id = $2', ['Diubah lewat SQL', draft.id]),
    '42501',
    'UPDATE of a signed-off inspection refused',
  );
  t.equal(
    await refusal(h, 'UPDATE inspection_findings SET quantity = $1 WHERE id = $2', [9, findingId]),
    '42501',
    'UPDATE of its finding refused',
  );
  t.equal(
    await refusal(h, 'DELETE FROM inspection_findings WHERE id = $1', [findingId]),
    '42501',
    'DELETE of its finding refused',
  );
  t.equal(
    await refusal(h, 'UPDATE evidence_items SET seal_number = $1 WHERE id = $2', ['SEGEL-PALSU', evidenceId]),
    '42501',
    'UPDATE of its evidence refused',
  );
  t.equal(
    await refusal(h, 'UPDATE corrective_actions SET due_date = $1 WHERE id = $2', ['2027-01-01', action.id]),
    '42501',
    'what an action asks does not change',
  );
  const [raw] = await h.rows<{ summary: string; quantity: string }>(
    `SELECT i.summary, (f.quantity::float8)::text AS quantity FROM inspections i JOIN inspection_findings f ON f.inspection_id = i.id WHERE i.id = $1`,
    [draft.id],
  );
  t.same(raw, { summary: 'Penggeledahan blok hunian dan dapur.', quantity: '1' }, 'stored values unchanged');

  // The goods travel on and the actions get done.
  const custody = await h.call('POST', `/v1/evidence/${evidenceId}/custody`, {
    token: staff,
    body: {
      handed_by: 'Kepala KPR Rutan Banjarnegara',
      handed_to: 'Penyidik BNNK Purbalingga',
      handed_at: '2026-03-03T10:00:00',
    },
  });
  t.equal(custody.statusCode, 201, 'custody goes on after sign-off');
  t.equal(custody.json().evidence_id, evidenceId);
  const progressed = await h.call('PATCH', `/v1/corrective-actions/${action.id}`, {
    token: staff,
    body: { status: 'in_progress' },
    headers: { 'if-match': `"${action.version}"` },
  });
  t.equal(progressed.statusCode, 200, 'an action progresses after sign-off');
  t.equal(progressed.json().status, 'in_progress');
  const shown = (await h.call('GET', `/v1/inspections/${draft.id}`, { token: staff })).json();
  t.equal(shown.findings[0].evidence[0].custody[0].handed_to, 'Penyidik BNNK Purbalingga');
  t.equal(shown.actions[0].status, 'in_progress');
});

t.test('the database keeps every part of a signed-off report where it is', async (t) => {
  // The triggers judge a part by the report it belongs to: moving it to a draft is a change to the signed one.
  const signed = await open();
  const findingId = (await addFinding(signed.id)).id as string;
  const action = await addAction(signed.id, { finding_id: findingId });
  await step(signed.id, 'submit', 'staff.banjarnegara');
  await step(signed.id, 'sign-off', 'head.banjarnegara');
  const draft = await open();
  const before = (await h.call('GET', `/v1/inspections/${signed.id}`, { token: await h.login('admin') })).json();

  t.equal(
    await refusal(h, 'UPDATE inspection_findings SET inspection_id = $1, quantity = 99 WHERE id = $2', [
      draft.id,
      findingId,
    ]),
    '42501',
    'a finding may not be moved off a signed-off report',
  );
  t.equal(
    await refusal(h, 'UPDATE corrective_actions SET inspection_id = $1, description = $2 WHERE id = $3', [
      draft.id,
      'Tidak perlu',
      action.id,
    ]),
    '42501',
    'an action may not be moved off a signed-off report',
  );
  t.equal(
    await refusal(h, 'UPDATE corrective_actions SET facility_id = $1, automatic = true WHERE id = $2', [
      fac.kupang,
      action.id,
    ]),
    '42501',
    'an action of a signed-off report keeps its facility and origin',
  );
  const after = (await h.call('GET', `/v1/inspections/${signed.id}`, { token: await h.login('admin') })).json();
  t.same(after, before, 'the signed report reads as signed');
});

t.test('addenda correct a signed-off report', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const draft = await open();
  const findingId = (await addFinding(draft.id)).id as string;
  const body = {
    corrects_type: 'finding',
    corrects_id: findingId,
    reason: 'Dihitung ulang di gudang barang bukti',
    text: 'Jumlah telepon genggam 2 buah, bukan 1.',
  };
  const onDraft = await h.call('POST', `/v1/inspections/${draft.id}/addenda`, { token: staff, body });
  t.equal(onDraft.statusCode, 409, 'a draft is edited directly');
  await step(draft.id, 'submit', 'staff.banjarnegara');
  const onSubmitted = await h.call('POST', `/v1/inspections/${draft.id}/addenda`, { token: staff, body });
  t.equal(onSubmitted.statusCode, 409, 'a submitted report is signed off first');
  await step(draft.id, 'sign-off', 'head.banjarnegara');

  const added = await h.call('POST', `/v1/inspections/${draft.id}/addenda`, { token: staff, body });
  t.equal(added.statusCode, 201);
  const shown = (
    await h.call('GET', `/v1/inspections/${draft.id}`, { token: await h.login('head.banjarnegara') })
  ).json();
  matchExactly(t, shown.addenda, [
    {
      corrects_type: 'finding',
      corrects_id: findingId,
      reason: 'Dihitung ulang di gudang barang bukti',
      text: 'Jumlah telepon genggam 2 buah, bukan 1.',
      author_id: await userId('staff.banjarnegara'),
      author_role: 'facility_staff',
    },
  ]);
  t.equal(shown.findings[0].quantity, 1, 'the finding itself stays as signed');
  t.equal(shown.status, 'signed_off');

  const other = await open();
  const otherFinding = (await addFinding(other.id)).id as string;
  const foreign = await h.call('POST', `/v1/inspections/${draft.id}/addenda`, {
    token: staff,
    body: { ...body, corrects_id: otherFinding },
  });
  t.equal(foreign.statusCode, 422, 'a finding of another report');
  t.equal(foreign.json().errors[0].pointer, '/corrects_id');
  const wrongInspection = await h.call('POST', `/v1/inspections/${draft.id}/addenda`, {
    token: staff,
    body: { ...body, corrects_type: 'inspection', corrects_id: other.id },
  });
  t.equal(wrongInspection.statusCode, 422, 'another inspection');
  t.equal(await h.count('inspection_addenda', `inspection_id = '${draft.id}'`), 1, 'only the valid addendum stored');
  t.equal(
    await h.count('audit_events', `entity_id = '${draft.id}' AND action = 'inspection.addendum_added'`),
    1,
    'audited once',
  );
  t.equal(
    await refusal(h, 'DELETE FROM inspection_addenda WHERE inspection_id = $1', [draft.id]),
    '42501',
    'addenda are append-only',
  );
});

t.test('narcotics flag the report and bring the 48-hour hand-over action once', async (t) => {
  // Ends 05:00 WIB on 3 March (22:00 UTC on 2 March): 48 hours later is 5 March locally, 4 March in UTC.
  const draft = await open({ started_at: '2026-03-02T22:00:00', ended_at: '2026-03-03T05:00:00' });
  const first = await addFinding(draft.id, {
    category: 'narcotics',
    description: 'Satu paket kristal bening diduga sabu',
    quantity: 0.8,
    unit: 'grams',
  });
  const afterFirst = await reportOf(draft.id);
  t.equal(afterFirst.narcotics_found, true, 'notify-worthy');
  t.equal(afterFirst.actions.length, 1);
  t.match(afterFirst.actions[0], {
    automatic: true,
    due_date: '2026-03-05',
    finding_id: first.id,
    // Judged by the real clock: that hand-over was due long ago.
    status: 'overdue',
    overdue: true,
    facility_id: fac.banjarnegara,
    inspection_id: draft.id,
  });
  t.match(afterFirst.actions[0].description, /48/);
  const second = await addFinding(draft.id, {
    category: 'narcotics',
    description: 'Lima butir pil ekstasi',
    quantity: 5,
    unit: 'pieces',
  });
  const afterSecond = await reportOf(draft.id);
  t.same(
    afterSecond.findings.map((f: Json) => f.id),
    [first.id, second.id],
  );
  t.equal(afterSecond.actions.length, 1, 'no second automatic action');
  t.equal(await h.count('corrective_actions', `inspection_id = '${draft.id}' AND automatic`), 1);
  t.equal(
    await h.count('audit_events', `action = 'corrective_action.created' AND entity_id = '${afterFirst.actions[0].id}'`),
    1,
    'the automatic action is audited',
  );
  const listed = await h.call('GET', `/v1/inspections?category=narcotics&facility_id=${fac.banjarnegara}`, {
    token: await h.login('head.banjarnegara'),
  });
  t.ok(listed.json().data.some((i: Json) => i.id === draft.id && i.narcotics_found));

  const phones = await open();
  await addFinding(phones.id, { category: 'mobile_phone' });
  const phone = await reportOf(phones.id);
  t.equal(phone.narcotics_found, false);
  t.same(phone.actions, [], 'a phone alone brings no action');
  t.equal(await h.count('corrective_actions', `inspection_id = '${phones.id}'`), 0);
});

t.test('evidence: upload with its hash, retries, types, sizes, custody', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const draft = await open();
  const findingId = (await addFinding(draft.id)).id as string;
  const evidenceUrl = `/v1/inspections/${draft.id}/findings/${findingId}/evidence`;
  const countEvidence = () => h.count('evidence_items', `finding_id = '${findingId}'`);

  const bytes = png(1500);
  const uploaded = await upload(draft.id, findingId, bytes);
  t.equal(uploaded.statusCode, 201);
  const evidence = uploaded.json();
  t.match(evidence, {
    finding_id: findingId,
    kind: 'photo',
    seal_number: null,
    file: { sha256: sha256(bytes), size: bytes.length, media_type: 'image/png', name: 'temuan.png' },
    created_by: await userId('staff.banjarnegara'),
  });
  t.same(evidence.custody, [], 'no custody step yet');
  t.equal(evidence.file.url, `/v1/evidence/${evidence.id}/file`);
  const file = await h.call('GET', evidence.file.url, { token: await h.login('head.banjarnegara') });
  t.equal(file.statusCode, 200);
  t.equal(file.headers['content-type'], 'image/png');
  t.ok(file.rawPayload.equals(bytes), 'the same bytes back');
  t.equal(file.headers['repr-digest'], `sha-256=:${Buffer.from(sha256(bytes), 'hex').toString('base64')}:`);

  const retry = await upload(draft.id, findingId, bytes);
  t.equal(retry.statusCode, 200, 'the same file again is the same evidence');
  t.equal(retry.json().id, evidence.id);
  t.equal(await countEvidence(), 1, 'no second row');

  const lying = await upload(draft.id, findingId, Buffer.from('just some text, not an image at all'), {
    name: 'catatan.png',
  });
  t.equal(lying.statusCode, 415, 'text claimed as PNG');
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200)]);
  const pdfAsPhoto = await upload(draft.id, findingId, pdf, { type: 'application/pdf', name: 'berita-acara.pdf' });
  t.equal(pdfAsPhoto.statusCode, 415, 'a PDF is not a photo');
  const pngAsJpeg = await upload(draft.id, findingId, png(), { type: 'image/jpeg', name: 'foto.jpg' });
  t.equal(pngAsJpeg.statusCode, 415, 'the declared type must be the content');
  const pdfDocument = await upload(draft.id, findingId, pdf, {
    kind: 'document',
    type: 'application/pdf',
    name: 'berita-acara.pdf',
  });
  t.equal(pdfDocument.statusCode, 201, 'a PDF is a document');

  const noSeal = await h.call('POST', evidenceUrl, {
    token: staff,
    body: { kind: 'seized_item', description: 'Telepon genggam disita' },
  });
  t.equal(noSeal.statusCode, 422, 'a seized item needs its seal number');
  t.equal(noSeal.json().errors[0].pointer, '/seal_number');
  const noFile = await h.call('POST', evidenceUrl, {
    token: staff,
    body: { kind: 'photo', description: 'Foto tanpa berkas' },
  });
  t.equal(noFile.statusCode, 422, 'a photo needs its file');
  t.same(noFile.json().errors, [{ in: 'body', pointer: '/file', detail: 'A photo needs its file (multipart).' }]);
  t.equal(await countEvidence(), 2, 'only the PNG and the PDF document stored');

  const seized = await h.call('POST', evidenceUrl, {
    token: staff,
    body: { kind: 'seized_item', description: 'Telepon genggam disita', seal_number: 'SEGEL-BNJ-2026-0042' },
  });
  t.equal(seized.statusCode, 201);
  t.match(seized.json(), { kind: 'seized_item', seal_number: 'SEGEL-BNJ-2026-0042', file: null });
  const noFileToGet = await h.call('GET', `/v1/evidence/${seized.json().id}/file`, { token: staff });
  t.equal(noFileToGet.statusCode, 404, 'a seized item without a photo has no file');

  // Custody: between the start of the inspection and now.
  const custodyUrl = `/v1/evidence/${seized.json().id}/custody`;
  const entry = (handed_at: string) => ({
    handed_by: 'Kepala KPR Rutan Banjarnegara',
    handed_to: 'Penyidik BNNK Purbalingga',
    handed_at,
  });
  const beforeInspection = await h.call('POST', custodyUrl, { token: staff, body: entry('2026-03-02T08:59:00') });
  t.equal(beforeInspection.statusCode, 422, 'handed over before the inspection began');
  t.equal(beforeInspection.json().errors[0].pointer, '/handed_at');
  const future = await h.call('POST', custodyUrl, {
    token: staff,
    body: entry(new Date(Date.now() + 86_400_000).toISOString()),
  });
  t.equal(future.statusCode, 422, 'handed over in the future');
  t.equal(await h.count('custody_entries', `evidence_id = '${seized.json().id}'`), 0, 'nothing recorded');
  const handed = await h.call('POST', custodyUrl, {
    token: staff,
    body: { ...entry('2026-03-02T14:00:00'), note: 'Segel utuh' },
  });
  t.equal(handed.statusCode, 201);
  t.match(handed.json(), {
    evidence_id: seized.json().id,
    handed_by: 'Kepala KPR Rutan Banjarnegara',
    handed_to: 'Penyidik BNNK Purbalingga',
    handed_at: '2026-03-02T07:00:00.000Z',
    note: 'Segel utuh',
    recorded_by: await userId('staff.banjarnegara'),
  });
  const shown = (await h.call('GET', `/v1/inspections/${draft.id}`, { token: staff })).json();
  const shownSeized = shown.findings[0].evidence.find((e: Json) => e.id === seized.json().id);
  t.equal(shownSeized.custody.length, 1, 'the handover shows in the report');
  t.equal(shownSeized.custody[0].handed_to, 'Penyidik BNNK Purbalingga');
  t.equal(shown.findings[0].evidence.length, 3);

  // A refused upload leaves nothing behind: the store holds only the files of recorded evidence.
  const onDisk = (readdirSync(h.app.config.EVIDENCE_DIR as string, { recursive: true }) as string[])
    .map((f) => f.replaceAll('\\', '/'))
    .filter((f) => /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f))
    .sort();
  const recorded = (
    await h.rows<{ storage_key: string }>(
      'SELECT DISTINCT storage_key FROM evidence_items WHERE storage_key IS NOT NULL ORDER BY storage_key',
    )
  ).map((r) => r.storage_key);
  t.same(onDisk, recorded, 'no file of a refused upload kept on disk');
});

t.test('an evidence file over EVIDENCE_MAX_BYTES is refused', async (t) => {
  const small = await build(t, { EVIDENCE_MAX_BYTES: '2048' });
  const draft = await open({}, small.world.facilities.banjarnegara, 'staff.banjarnegara', small);
  const findingId = (await addFinding(draft.id, {}, 'staff.banjarnegara', small)).id as string;
  const tooLarge = await upload(draft.id, findingId, png(3000), { on: small });
  t.equal(tooLarge.statusCode, 413);
  t.equal(tooLarge.json().code, 'body_too_large');
  t.equal(await small.count('evidence_items'), 0, 'nothing stored');
  const leftovers = (readdirSync(small.app.config.EVIDENCE_DIR as string, { recursive: true }) as string[]).filter(
    (f) => /[0-9a-f]{64}$|incoming[\\/].+/.test(f),
  );
  t.same(leftovers, [], 'not even a part of the file on disk');
  const fits = await upload(draft.id, findingId, png(1800), { on: small });
  t.equal(fits.statusCode, 201, 'a file under the limit is taken');
});

t.test('bad input is refused with nothing stored', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const inspectionsBefore = await h.count('inspections');
  const backwards = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: staff,
    body: report({ started_at: '2026-03-02T11:00:00', ended_at: '2026-03-02T09:00:00' }),
  });
  t.equal(backwards.statusCode, 422, 'ended before started');
  t.equal(backwards.json().errors[0].pointer, '/ended_at');
  const future = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: staff,
    body: report({ started_at: '2099-03-02T09:00:00', ended_at: '2099-03-02T11:00:00' }),
  });
  t.equal(future.statusCode, 422, 'an inspection that has not happened');
  t.equal(await h.count('inspections'), inspectionsBefore);

  const draft = await open();
  const backwardsEdit = await h.call('PATCH', `/v1/inspections/${draft.id}`, {
    token: staff,
    body: { ended_at: '2026-03-02T08:00:00' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(backwardsEdit.statusCode, 422, 'an edit that ends before the start');
  t.equal((await h.call('GET', `/v1/inspections/${draft.id}`, { token: staff })).json().version, 1);

  const admitted = await h.call('POST', `/v1/facilities/${fac.kupang}/inmates`, {
    token: await h.login('staff.kupang'),
    body: {
      registration_number: `B.I-${randomUUID().slice(0, 6)}/2026`,
      name: 'Yohanes Bria',
      sex: 'male',
      birth_date: '1988-07-01',
      case_type: 'narcotics_user',
      admission_date: '2025-01-10',
      expected_release_date: '2028-01-09',
      block: 'B',
      cell: 'B-3',
      status: 'sentenced',
    },
  });
  t.equal(admitted.statusCode, 201);
  const foreigner = await h.call('POST', `/v1/inspections/${draft.id}/findings`, {
    token: staff,
    body: finding({ people: [{ type: 'inmate', id: admitted.json().id }] }),
  });
  t.equal(foreigner.statusCode, 422, 'an inmate of another facility');
  t.equal(foreigner.json().errors[0].pointer, '/people/0/id');
  const unknownWithId = await h.call('POST', `/v1/inspections/${draft.id}/findings`, {
    token: staff,
    body: finding({ people: [{ type: 'unknown', id: admitted.json().id }] }),
  });
  t.equal(unknownWithId.statusCode, 422, 'an unknown person has no id');
  const narcoticsOfForeigner = await h.call('POST', `/v1/inspections/${draft.id}/findings`, {
    token: staff,
    body: finding({ category: 'narcotics', people: [{ type: 'inmate', id: admitted.json().id }] }),
  });
  t.equal(narcoticsOfForeigner.statusCode, 422);
  t.equal(await h.count('inspection_findings', `inspection_id = '${draft.id}'`), 0, 'no finding stored');
  const [flag] = await h.rows<{ narcotics_found: boolean }>('SELECT narcotics_found FROM inspections WHERE id = $1', [
    draft.id,
  ]);
  t.equal(flag?.narcotics_found, false, 'a refused narcotics finding flags nothing');
  t.equal(await h.count('corrective_actions', `inspection_id = '${draft.id}'`), 0, 'and brings no action');

  const early = await h.call('POST', `/v1/inspections/${draft.id}/actions`, {
    token: staff,
    body: { description: 'Pasang kamera CCTV', due_date: '2026-03-01' },
  });
  t.equal(early.statusCode, 422, 'due before the inspection');
  t.equal(early.json().errors[0].pointer, '/due_date');
  const sameDay = await h.call('POST', `/v1/inspections/${draft.id}/actions`, {
    token: staff,
    body: { description: 'Geledah ulang blok A', due_date: '2026-03-02' },
  });
  t.equal(sameDay.statusCode, 201, 'due on the day of the inspection is fine');
  const otherFindingAction = await h.call('POST', `/v1/inspections/${draft.id}/actions`, {
    token: staff,
    body: { description: 'Tindak lanjut', due_date: '2026-04-01', finding_id: randomUUID() },
  });
  t.equal(otherFindingAction.statusCode, 422, 'a finding of no such report');
  t.equal(await h.count('corrective_actions', `inspection_id = '${draft.id}'`), 1, 'only the valid action stored');

  const unknownField = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: staff,
    body: report({ status: 'signed_off' }),
  });
  t.equal(unknownField.statusCode, 400, 'status is not set by the client');
});

t.test('lists filter by kind, status, period, findings and category', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const joint = await open({ kind: 'joint', started_at: '2025-07-14T09:00:00', ended_at: '2025-07-14T10:00:00' });
  await addFinding(joint.id, { category: 'sharp_object', unit: 'pieces' });
  const late = await open({
    kind: 'scheduled',
    started_at: '2025-07-15T23:30:00',
    ended_at: '2025-07-16T01:00:00',
  });
  const ids = async (query: string) =>
    (await h.call('GET', `/v1/facilities/${fac.banjarnegara}/inspections?limit=200&${query}`, { token }))
      .json()
      .data.map((i: Json) => i.id);
  t.same(await ids('from=2025-07-14&to=2025-07-15'), [joint.id, late.id], 'period by local date');
  t.same(await ids('from=2025-07-15&to=2025-07-15'), [late.id], '23:30 WIB is still the 15th');
  t.same(await ids('from=2025-07-14&to=2025-07-15&kind=joint'), [joint.id]);
  t.same(await ids('from=2025-07-14&to=2025-07-15&has_findings=true'), [joint.id]);
  t.same(await ids('from=2025-07-14&to=2025-07-15&has_findings=false'), [late.id]);
  for (const flag of ['yes', '1', 'on', 'TRUE']) {
    const refused = await h.call('GET', `/v1/facilities/${fac.banjarnegara}/inspections?has_findings=${flag}`, {
      token,
    });
    t.equal(refused.statusCode, 400, `has_findings=${flag} is refused: only true or false`);
  }
  t.same(await ids('category=sharp_object'), [joint.id]);
  await step(late.id, 'submit', 'staff.banjarnegara');
  t.same(await ids('from=2025-07-14&to=2025-07-15&status=submitted'), [late.id]);
  const top = await h.call(
    'GET',
    `/v1/inspections?facility_id=${fac.banjarnegara}&kind=joint&from=2025-07-14&to=2025-07-14`,
    {
      token,
    },
  );
  t.same(
    top.json().data.map((i: Json) => i.id),
    [joint.id],
  );
  const bad = await h.call('GET', '/v1/inspections?category=weapons', { token });
  t.equal(bad.statusCode, 400);
});

t.test('overdue actions follow each facility’s calendar', async (t) => {
  let now = new Date('2026-03-10T16:30:00Z'); // 23:30 WIB on 10 March, 00:30 WITA on 11 March
  const c = await build(t, {}, { clock: () => now });
  const wib = await open(
    { started_at: '2026-03-09T09:00:00', ended_at: '2026-03-09T11:00:00' },
    c.world.facilities.banjarnegara,
    'staff.banjarnegara',
    c,
  );
  const wita = await open(
    { started_at: '2026-03-09T09:00:00', ended_at: '2026-03-09T11:00:00' },
    c.world.facilities.kupang,
    'staff.kupang',
    c,
  );
  t.equal(wita.started_at, '2026-03-09T09:00:00+08:00', 'Kupang keeps WITA');
  const atBanjarnegara = await addAction(wib.id, { due_date: '2026-03-10' }, 'staff.banjarnegara', c);
  const atKupang = await addAction(wita.id, { due_date: '2026-03-10' }, 'staff.kupang', c);
  t.match(atKupang, { status: 'overdue', overdue: true }, 'already the 11th in Kupang');
  t.match(atBanjarnegara, { status: 'open', overdue: false }, 'still the 10th in Banjarnegara');

  const admin = await c.login('admin');
  const overdueIds = async () =>
    (await c.call('GET', '/v1/corrective-actions?overdue=true&limit=200', { token: admin }))
      .json()
      .data.map((a: Json) => a.id);
  t.same(await overdueIds(), [atKupang.id], 'only the WITA action is overdue at 23:30 WIB');
  const notOverdue = (await c.call('GET', '/v1/corrective-actions?overdue=false&limit=200', { token: admin })).json()
    .data;
  t.same(
    notOverdue.map((a: Json) => a.id),
    [atBanjarnegara.id],
  );
  const one = await c.call('GET', `/v1/corrective-actions/${atKupang.id}`, { token: await c.login('staff.kupang') });
  t.match(one.json(), { status: 'overdue', overdue: true, due_date: '2026-03-10' });
  t.equal(one.headers.etag, '"1"');
  const inReport = await c.call('GET', `/v1/inspections/${wib.id}`, { token: await c.login('staff.banjarnegara') });
  t.equal(inReport.json().actions[0].overdue, false, 'the report judges by the same clock');

  now = new Date('2026-03-10T17:30:00Z'); // the 11th in Banjarnegara too
  t.same((await overdueIds()).sort(), [atBanjarnegara.id, atKupang.id].sort(), 'an hour later both are overdue');
  const inKupangScope = await c.call('GET', '/v1/corrective-actions?overdue=true', {
    token: await c.login('staff.kupang'),
  });
  t.same(
    inKupangScope.json().data.map((a: Json) => a.id),
    [atKupang.id],
    'staff see their own facility only',
  );

  // Progress: a closing comment is needed to close; a done action is no longer overdue.
  const staff = await c.login('staff.kupang');
  const actionUrl = `/v1/corrective-actions/${atKupang.id}`;
  const noIfMatch = await c.call('PATCH', actionUrl, { token: staff, body: { status: 'in_progress' } });
  t.equal(noIfMatch.statusCode, 428);
  const noComment = await c.call('PATCH', actionUrl, {
    token: staff,
    body: { status: 'done' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(noComment.statusCode, 422, 'done needs a closing comment');
  t.equal(noComment.json().errors[0].pointer, '/closing_comment');
  const skip = await c.call('PATCH', actionUrl, {
    token: staff,
    body: { status: 'verified', closing_comment: 'Langsung diverifikasi' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(skip.statusCode, 422, 'open cannot jump to verified');
  const viewer = await c.call('PATCH', actionUrl, {
    token: await c.login('kanwil.ntt'),
    body: { status: 'in_progress' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(viewer.statusCode, 403, 'a regional viewer only reads');
  const done = await c.call('PATCH', actionUrl, {
    token: staff,
    body: { status: 'done', closing_comment: 'CCTV terpasang 11 Maret 2026' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(done.statusCode, 200);
  t.match(done.json(), { status: 'done', overdue: false, closing_comment: 'CCTV terpasang 11 Maret 2026', version: 2 });
  t.equal(done.headers.etag, '"2"');
  t.same(await overdueIds(), [atBanjarnegara.id], 'a done action is no longer overdue');
  const verified = await c.call('PATCH', actionUrl, {
    token: await c.login('head.kupang'),
    body: { status: 'verified' },
    headers: { 'if-match': '"2"' },
  });
  t.equal(verified.statusCode, 200);
  t.match(verified.json(), { status: 'verified', overdue: false, closing_comment: 'CCTV terpasang 11 Maret 2026' });
  const stale = await c.call('PATCH', actionUrl, {
    token: staff,
    body: { status: 'in_progress' },
    headers: { 'if-match': '"2"' },
  });
  t.equal(stale.statusCode, 412);
  const trail = await c.rows<{ action: string }>('SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY seq', [
    atKupang.id,
  ]);
  t.same(
    trail.map((e) => e.action),
    ['corrective_action.created', 'corrective_action.updated', 'corrective_action.updated'],
  );
});

t.test('who reaches which inspection', async (t) => {
  const bnnk = await h.login('bnnk.purbalingga');
  const byBnn = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: bnnk,
    body: report({ kind: 'joint', lead_organisation_id: h.world.organisations['bnnk.purbalingga'] }),
  });
  t.equal(byBnn.statusCode, 201, 'a BNNK under an MoU with inspection in scope opens one');
  t.equal(byBnn.json().lead_organisation_id, h.world.organisations['bnnk.purbalingga']);
  t.equal((await h.call('GET', `/v1/inspections/${byBnn.json().id}`, { token: bnnk })).statusCode, 200);

  const banjarnegara = await open();
  const bFinding = (await addFinding(banjarnegara.id, { category: 'narcotics', unit: 'grams', quantity: 1.2 }))
    .id as string;
  const bEvidence = (await upload(banjarnegara.id, bFinding, png())).json().id as string;
  const bAction = (await h.call('GET', `/v1/inspections/${banjarnegara.id}`, { token: bnnk })).json().actions[0]
    .id as string;
  const kupang = await open({}, fac.kupang, 'staff.kupang');
  t.equal(kupang.started_at, '2026-03-02T09:00:00+08:00');

  t.equal(
    (await h.call('POST', `/v1/facilities/${fac.kupang}/inspections`, { token: bnnk, body: report() })).statusCode,
    404,
    'BNNK Purbalingga has no MoU over Kupang',
  );
  t.equal((await h.call('GET', `/v1/inspections/${kupang.id}`, { token: bnnk })).statusCode, 404);
  const bnnp = await h.call('POST', `/v1/facilities/${fac.kupang}/inspections`, {
    token: await h.login('bnnp.ntt'),
    body: report(),
  });
  t.equal(bnnp.statusCode, 201, 'BNNP NTT opens one at Kupang');

  const kanwil = await h.login('kanwil.ntt');
  t.equal((await h.call('GET', `/v1/inspections/${kupang.id}`, { token: kanwil })).statusCode, 200);
  t.equal((await h.call('GET', `/v1/inspections/${banjarnegara.id}`, { token: kanwil })).statusCode, 404);
  const kanwilWrites: [string, Promise<{ statusCode: number }>][] = [
    ['open', h.call('POST', `/v1/facilities/${fac.kupang}/inspections`, { token: kanwil, body: report() })],
    [
      'edit',
      h.call('PATCH', `/v1/inspections/${kupang.id}`, {
        token: kanwil,
        body: { summary: 'Diubah oleh Kanwil' },
        headers: { 'if-match': '"1"' },
      }),
    ],
    ['find', h.call('POST', `/v1/inspections/${kupang.id}/findings`, { token: kanwil, body: finding() })],
    ['submit', h.call('POST', `/v1/inspections/${kupang.id}/submit`, { token: kanwil })],
  ];
  for (const [what, attempt] of kanwilWrites) t.equal((await attempt).statusCode, 403, `kanwil may not ${what}`);
  t.equal((await h.call('GET', `/v1/inspections/${kupang.id}`, { token: kanwil })).json().status, 'draft');

  const kupangStaff = await h.login('staff.kupang');
  const outOfReach: [string, string][] = [
    ['inspection', `/v1/inspections/${banjarnegara.id}`],
    ['facility list', `/v1/facilities/${fac.banjarnegara}/inspections`],
    ['action', `/v1/corrective-actions/${bAction}`],
    ['evidence file', `/v1/evidence/${bEvidence}/file`],
  ];
  for (const [what, url] of outOfReach) {
    t.equal((await h.call('GET', url, { token: kupangStaff })).statusCode, 404, `staff.kupang: ${what}`);
  }
  const foreignWrites: [string, Promise<{ statusCode: number }>][] = [
    [
      'edit',
      h.call('PATCH', `/v1/inspections/${banjarnegara.id}`, {
        token: kupangStaff,
        body: { summary: 'Dari Kupang' },
        headers: { 'if-match': '"1"' },
      }),
    ],
    ['find', h.call('POST', `/v1/inspections/${banjarnegara.id}/findings`, { token: kupangStaff, body: finding() })],
    [
      'action',
      h.call('PATCH', `/v1/corrective-actions/${bAction}`, {
        token: kupangStaff,
        body: { status: 'in_progress' },
        headers: { 'if-match': '"1"' },
      }),
    ],
    [
      'custody',
      h.call('POST', `/v1/evidence/${bEvidence}/custody`, {
        token: kupangStaff,
        body: { handed_by: 'Petugas Kupang', handed_to: 'Orang lain', handed_at: '2026-03-02T12:00:00+07:00' },
      }),
    ],
  ];
  for (const [what, attempt] of foreignWrites) t.equal((await attempt).statusCode, 404, `staff.kupang ${what}`);

  const listFacilities = async (username: string, path: string) =>
    new Set(
      (await h.call('GET', path, { token: await h.login(username) })).json().data.map((x: Json) => x.facility_id),
    );
  t.same([...(await listFacilities('staff.kupang', '/v1/inspections?limit=200'))], [fac.kupang]);
  t.same([...(await listFacilities('staff.banjarnegara', '/v1/inspections?limit=200'))], [fac.banjarnegara]);
  t.same([...(await listFacilities('kanwil.ntt', '/v1/inspections?limit=200'))], [fac.kupang]);
  t.same([...(await listFacilities('bnnk.purbalingga', '/v1/inspections?limit=200'))], [fac.banjarnegara]);
  t.same([...(await listFacilities('staff.banjarnegara', '/v1/corrective-actions?limit=200'))], [fac.banjarnegara]);
  t.notOk(
    (await listFacilities('staff.kupang', '/v1/corrective-actions?limit=200')).has(fac.banjarnegara),
    'no Banjarnegara action in Kupang’s list',
  );
  const filtered = await h.call('GET', `/v1/inspections?facility_id=${fac.banjarnegara}`, { token: kupangStaff });
  t.same(filtered.json().data, [], 'naming a facility out of reach shows nothing');

  const client = await clientToken();
  const read = await h.call('GET', `/v1/inspections/${banjarnegara.id}`, { token: client });
  t.equal(read.statusCode, 200, 'the demo API client reads');
  t.equal(read.json().team, null, 'without personal_data no team names');
  t.equal(read.json().findings.length, 1);
  const listed = await h.call('GET', '/v1/inspections?limit=200', { token: client });
  t.ok(listed.json().data.every((i: Json) => i.team === null));
  t.ok(listed.json().data.some((i: Json) => i.id === kupang.id));
  const staffRead = await h.call('GET', `/v1/inspections/${banjarnegara.id}`, {
    token: await h.login('staff.banjarnegara'),
  });
  t.equal(staffRead.json().team[0].name, 'Karutan Banjarnegara', 'staff see the names');
  const clientWrite = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: client,
    body: report(),
  });
  t.equal(clientWrite.statusCode, 403, 'a read-only client writes nothing');
});

t.test("an inspection's findings and actions read as lists of their own", async (t) => {
  const inspection = await open();
  await addFinding(inspection.id, { category: 'narcotics' });
  await addFinding(inspection.id, { category: 'mobile_phone' });
  const planned = await addAction(inspection.id);
  const token = await h.login('head.banjarnegara');
  const findings = await h.call('GET', `/v1/inspections/${inspection.id}/findings`, { token });
  t.equal(findings.statusCode, 200);
  t.same(
    findings.json().data.map((f: { category: string }) => f.category),
    ['narcotics', 'mobile_phone'],
  );
  const actions = await h.call('GET', `/v1/inspections/${inspection.id}/actions`, { token });
  t.equal(actions.statusCode, 200);
  t.equal(actions.json().data.length, 2, 'the automatic hand-over and the planned one');
  t.ok(actions.json().data.some((a: { id: string }) => a.id === planned.id));
  const listed = await h.call('GET', `/v1/inspections?facility_id=${fac.banjarnegara}&limit=200`, { token });
  t.match(
    listed.json().data.find((i: { id: string }) => i.id === inspection.id),
    { finding_count: 2, result: 'findings', narcotics_found: true },
    'the list counts the findings of each report',
  );
  const outsider = await h.login('staff.kupang');
  t.equal((await h.call('GET', `/v1/inspections/${inspection.id}/findings`, { token: outsider })).statusCode, 404);
  t.equal((await h.call('GET', `/v1/inspections/${inspection.id}/actions`, { token: outsider })).statusCode, 404);
});

t.test(
  'after the review: who submits, final actions, custodians named only with the scope, a moved hand-over',
  async (t) => {
    const inspection = await open();
    const bnnk = await h.login('bnnk.purbalingga');
    const submitByBnn = await h.call('POST', `/v1/inspections/${inspection.id}/submit`, { token: bnnk });
    t.equal(submitByBnn.statusCode, 403, 'the facility puts its own report forward');

    await addFinding(inspection.id, { category: 'narcotics', quantity: 0.3, unit: 'grams' });
    const withDrugs = await reportOf(inspection.id);
    const handover = withDrugs.actions.find((a: { automatic: boolean }) => a.automatic);
    t.equal(handover.due_date, '2026-03-04', '48 hours after 11:30 WIB on 2 March');
    const moved = await h.call('PATCH', `/v1/inspections/${inspection.id}`, {
      token: await h.login('staff.banjarnegara'),
      body: { started_at: '2026-03-06T09:00:00', ended_at: '2026-03-06T10:00:00' },
      headers: { 'if-match': `"${withDrugs.version}"` },
    });
    t.equal(moved.statusCode, 200);
    t.equal(
      moved.json().actions.find((a: { automatic: boolean }) => a.automatic).due_date,
      '2026-03-08',
      'the hand-over moves with the end of the search',
    );

    const photo = await upload(inspection.id, withDrugs.findings[0].id, png());
    t.equal(photo.statusCode, 201);
    const custody = await h.call('POST', `/v1/evidence/${photo.json().id}/custody`, {
      token: await h.login('staff.banjarnegara'),
      body: { handed_by: 'Budi Santoso', handed_to: 'Siti Aminah', handed_at: '2026-03-06T12:00:00' },
    });
    t.equal(custody.statusCode, 201);
    t.equal(custody.json().handed_to, 'Siti Aminah');
    const seen = await h.call('GET', `/v1/inspections/${inspection.id}`, { token: await clientToken() });
    t.same(
      seen
        .json()
        .findings[0].evidence[0].custody.map((c: { handed_by: null; handed_to: null }) => [c.handed_by, c.handed_to]),
      [[null, null]],
    );
    t.notMatch(seen.body, /Budi Santoso|Siti Aminah/);

    const staff = await h.login('staff.banjarnegara');
    const url = `/v1/corrective-actions/${handover.id}`;
    const read = await h.call('GET', url, { token: staff });
    const done = await h.call('PATCH', url, {
      token: staff,
      body: { status: 'done', closing_comment: 'Diserahkan ke BNNK Purbalingga' },
      headers: { 'if-match': read.headers.etag as string },
    });
    t.equal(done.statusCode, 200);
    const verified = await h.call('PATCH', url, {
      token: await h.login('head.banjarnegara'),
      body: { status: 'verified' },
      headers: { 'if-match': done.headers.etag as string },
    });
    t.equal(verified.statusCode, 200);
    const rewrite = await h.call('PATCH', url, {
      token: staff,
      body: { closing_comment: 'Tidak pernah diserahkan' },
      headers: { 'if-match': verified.headers.etag as string },
    });
    t.equal(rewrite.statusCode, 409, 'a verified action is final');
  },
);

t.test('a finding, an addendum and a custody entry answer themselves, read alone in the report’s reach', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const staffId = await userId('staff.banjarnegara');
  const draft = await open();
  const keyed = (key: string) => ({ 'idempotency-key': `${key}-${draft.id}` });

  // The finding: 201 with itself and where it lives; a retry with the key is the same answer.
  const findingBody = finding({ category: 'narcotics', quantity: 0.5, unit: 'grams' });
  const found = await h.call('POST', `/v1/inspections/${draft.id}/findings`, {
    token: staff,
    body: findingBody,
    headers: keyed('finding'),
  });
  t.equal(found.statusCode, 201);
  const findingId = found.json().id as string;
  const [stored] = await h.rows<{ created_at: string }>(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at FROM inspection_findings WHERE id = $1`,
    [findingId],
  );
  t.same(found.json(), {
    id: findingId,
    inspection_id: draft.id,
    category: 'narcotics',
    description: 'Satu telepon genggam dalam bantal',
    quantity: 0.5,
    unit: 'grams',
    location: 'Blok A kamar 12',
    people: [],
    evidence: [],
    created_by: staffId,
    created_at: stored?.created_at,
  });
  t.equal(found.headers.location, `/v1/findings/${findingId}`);
  t.equal(found.headers.etag, undefined, 'a finding has no version of its own');
  const foundAgain = await h.call('POST', `/v1/inspections/${draft.id}/findings`, {
    token: staff,
    body: findingBody,
    headers: keyed('finding'),
  });
  t.equal(foundAgain.statusCode, 201);
  t.same(foundAgain.json(), found.json(), 'the replay answers the same finding');
  t.equal(foundAgain.headers.location, found.headers.location);
  t.equal(foundAgain.headers['idempotent-replayed'], 'true');
  t.equal(await h.count('inspection_findings', `inspection_id = '${draft.id}'`), 1, 'recorded once');
  const readFinding = await h.call('GET', `/v1/findings/${findingId}`, { token: staff });
  t.equal(readFinding.statusCode, 200);
  t.same(readFinding.json(), found.json(), 'the GET reads what the POST answered');

  // The custody entry of a seized item.
  const seized = await h.call('POST', `/v1/inspections/${draft.id}/findings/${findingId}/evidence`, {
    token: staff,
    body: { kind: 'seized_item', description: 'Paket sabu 0,5 g', seal_number: 'SEGEL-BNJ-2026-0077' },
  });
  t.equal(seized.statusCode, 201);
  const evidenceId = seized.json().id as string;
  const custodyBody = { handed_by: 'Budi Santoso', handed_to: 'Siti Aminah', handed_at: '2026-03-02T12:00:00' };
  const handed = await h.call('POST', `/v1/evidence/${evidenceId}/custody`, {
    token: staff,
    body: custodyBody,
    headers: keyed('custody'),
  });
  t.equal(handed.statusCode, 201);
  const entryId = handed.json().id as string;
  const entry = {
    id: entryId,
    handed_by: 'Budi Santoso',
    handed_to: 'Siti Aminah',
    handed_at: '2026-03-02T05:00:00.000Z',
    note: null,
    recorded_by: staffId,
    created_at: handed.json().created_at,
    evidence_id: evidenceId,
  };
  t.same(handed.json(), entry);
  t.equal(handed.headers.location, `/v1/custody-entries/${entryId}`);
  const handedAgain = await h.call('POST', `/v1/evidence/${evidenceId}/custody`, {
    token: staff,
    body: custodyBody,
    headers: keyed('custody'),
  });
  t.equal(handedAgain.statusCode, 201);
  t.same(handedAgain.json(), entry, 'the replay answers the same entry');
  t.equal(handedAgain.headers.location, handed.headers.location);
  t.equal(handedAgain.headers['idempotent-replayed'], 'true');
  t.equal(await h.count('custody_entries', `evidence_id = '${evidenceId}'`), 1, 'recorded once');
  t.same((await h.call('GET', `/v1/custody-entries/${entryId}`, { token: staff })).json(), entry);

  // The finding read again carries its evidence and their custody, as in the report.
  const { evidence_id: _, ...embedded } = entry;
  const withEvidence = await h.call('GET', `/v1/findings/${findingId}`, { token: staff });
  t.same(withEvidence.json(), { ...found.json(), evidence: [{ ...seized.json(), custody: [embedded] }] });
  t.same(
    withEvidence.json().evidence,
    (await reportOf(draft.id)).findings[0].evidence,
    'the same evidence as the report shows',
  );

  // The addendum, once signed off.
  await step(draft.id, 'submit', 'staff.banjarnegara');
  await step(draft.id, 'sign-off', 'head.banjarnegara');
  const addendumBody = {
    corrects_type: 'finding',
    corrects_id: findingId,
    reason: 'Ditimbang ulang di laboratorium',
    text: 'Berat bersih 0,48 gram, bukan 0,5 gram.',
  };
  const added = await h.call('POST', `/v1/inspections/${draft.id}/addenda`, {
    token: staff,
    body: addendumBody,
    headers: keyed('addendum'),
  });
  t.equal(added.statusCode, 201);
  const addendumId = added.json().id as string;
  const addendum = {
    id: addendumId,
    inspection_id: draft.id,
    ...addendumBody,
    author_id: staffId,
    author_role: 'facility_staff',
    created_at: added.json().created_at,
  };
  t.same(added.json(), addendum);
  t.equal(added.headers.location, `/v1/addenda/${addendumId}`);
  const addedAgain = await h.call('POST', `/v1/inspections/${draft.id}/addenda`, {
    token: staff,
    body: addendumBody,
    headers: keyed('addendum'),
  });
  t.equal(addedAgain.statusCode, 201);
  t.same(addedAgain.json(), addendum, 'the replay answers the same addendum');
  t.equal(addedAgain.headers.location, added.headers.location);
  t.equal(addedAgain.headers['idempotent-replayed'], 'true');
  t.equal(await h.count('inspection_addenda', `inspection_id = '${draft.id}'`), 1, 'recorded once');
  t.same((await h.call('GET', `/v1/addenda/${addendumId}`, { token: staff })).json(), addendum);

  // Reach: as the report's.
  const urls = [`/v1/findings/${findingId}`, `/v1/addenda/${addendumId}`, `/v1/custody-entries/${entryId}`];
  const reportUrl = `/v1/inspections/${draft.id}`;
  for (const username of ['head.banjarnegara', 'admin', 'bnnk.purbalingga']) {
    const token = await h.login(username);
    t.equal((await h.call('GET', reportUrl, { token })).statusCode, 200, `${username} reads the report`);
    for (const url of urls) t.equal((await h.call('GET', url, { token })).statusCode, 200, `${username}: ${url}`);
  }
  for (const username of ['staff.kupang', 'bnnp.ntt', 'kanwil.ntt']) {
    const token = await h.login(username);
    t.equal((await h.call('GET', reportUrl, { token })).statusCode, 404, `${username} does not reach the report`);
    for (const url of urls) {
      const res = await h.call('GET', url, { token });
      t.equal(res.statusCode, 404, `${username}: ${url}`);
      t.equal(res.json().code, 'not_found');
    }
  }
  const unknown = await h.call('GET', `/v1/findings/${randomUUID()}`, { token: staff });
  t.equal(unknown.statusCode, 404, 'no such finding');

  // Without personal_data the custodians are not named, here as in the report.
  const client = await clientToken();
  const hidden = { ...entry, handed_by: null, handed_to: null };
  t.same((await h.call('GET', `/v1/custody-entries/${entryId}`, { token: client })).json(), hidden);
  const { evidence_id: __, ...hiddenEmbedded } = hidden;
  t.same((await h.call('GET', `/v1/findings/${findingId}`, { token: client })).json().evidence[0].custody, [
    hiddenEmbedded,
  ]);
  t.same((await h.call('GET', `/v1/addenda/${addendumId}`, { token: client })).json(), addendum);
});

t.test('what each write checks on the report it loads, and answers as a read would', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  let nip = 0;
  const hire = async (facility: string, username: string) => {
    const res = await h.call('POST', `/v1/facilities/${facility}/officers`, {
      token: await h.login(username),
      body: {
        nip: `19850417201012${String(5000 + nip++).padStart(4, '0')}`,
        name: 'Agus Prasetyo',
        sex: 'male',
        position: 'Kepala Pengamanan Rutan',
        unit: 'KPR',
        joined_on: '2010-12-01',
      },
    });
    if (res.statusCode !== 201) throw new Error(`hire: ${res.statusCode} ${res.body}`);
    return res.json().id as string;
  };
  const admit = async (facility: string, username: string) => {
    const res = await h.call('POST', `/v1/facilities/${facility}/inmates`, {
      token: await h.login(username),
      body: {
        registration_number: `B.I-${randomUUID().slice(0, 6)}/2026`,
        name: 'Warga Binaan',
        sex: 'male',
        birth_date: '1988-07-01',
        case_type: 'narcotics_user',
        admission_date: '2025-01-10',
        block: 'B',
        status: 'sentenced',
      },
    });
    if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
    return res.json().id as string;
  };
  const ownOfficer = await hire(fac.banjarnegara as string, 'staff.banjarnegara');
  const ownInmate = await admit(fac.banjarnegara as string, 'staff.banjarnegara');
  const kupangOfficer = await hire(fac.kupang as string, 'staff.kupang');

  const created = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: staff,
    body: report(),
  });
  t.equal(created.statusCode, 201);
  t.same(created.json(), await reportOf(created.json().id), 'a new report answers as it then reads');
  const draft = created.json();

  // People: each must be of the named kind in the inspected facility's registers; the first wrong one is told.
  const refused = async (people: unknown[]) => {
    const res = await h.call('POST', `/v1/inspections/${draft.id}/findings`, {
      token: staff,
      body: finding({ category: 'narcotics', people }),
    });
    t.equal(res.statusCode, 422);
    t.equal(res.json().code, 'rule_violated');
    return res.json().errors;
  };
  const at = (pointer: string, detail: string) => [{ in: 'body', pointer, detail }];
  t.same(
    await refused([{ type: 'officer', id: kupangOfficer }]),
    at('/people/0/id', 'people/0 is not an officer of the inspected facility.'),
  );
  t.same(
    await refused([
      { type: 'inmate', id: ownInmate },
      { type: 'inmate', id: ownOfficer },
    ]),
    at('/people/1/id', 'people/1 is not an inmate of the inspected facility.'),
    'an officer named as an inmate',
  );
  t.same(
    await refused([
      { type: 'officer', id: kupangOfficer },
      { type: 'unknown', id: ownInmate },
    ]),
    at('/people/0/id', 'people/0 is not an officer of the inspected facility.'),
    'the first wrong person is told',
  );
  t.same(
    await refused([{ type: 'officer', id: ownOfficer }, { type: 'inmate' }]),
    at('/people/1/id', 'An inmate needs an id.'),
  );
  t.same(await refused([{ type: 'officer' }]), at('/people/0/id', 'An officer needs an id.'));
  t.equal(await h.count('inspection_findings', `inspection_id = '${draft.id}'`), 0, 'no finding stored');
  t.equal(await h.count('corrective_actions', `inspection_id = '${draft.id}'`), 0, 'no hand-over either');
  t.equal((await reportOf(draft.id)).version, 1, 'the report did not move on');

  const people = [
    { type: 'inmate', id: ownInmate },
    { type: 'officer', id: ownOfficer },
    { type: 'unknown', id: null },
  ];
  const named = await h.call('POST', `/v1/inspections/${draft.id}/findings`, {
    token: staff,
    body: finding({ category: 'narcotics', people: people.map((p) => (p.id ? p : { type: p.type })) }),
  });
  t.equal(named.statusCode, 201, 'an inmate and an officer of the facility, and someone unknown');
  t.same(named.json().people, people);
  const afterFinding = await reportOf(draft.id);
  t.same(named.json(), {
    ...afterFinding.findings[0],
    inspection_id: draft.id,
  });
  t.same(
    afterFinding.actions.map((a: Json) => [a.automatic, a.finding_id]),
    [[true, named.json().id]],
  );

  // Owners of actions: an officer of this facility, never of another nor an inmate.
  const owned = async (owner: string) =>
    h.call('POST', `/v1/inspections/${draft.id}/actions`, {
      token: staff,
      body: { description: 'Periksa ulang kamar', due_date: '2099-04-30', owner_officer_id: owner },
    });
  const ownerAction = await owned(ownOfficer);
  t.equal(ownerAction.statusCode, 201);
  t.equal(ownerAction.json().owner_officer_id, ownOfficer);
  for (const [what, owner] of [
    ['an officer of Kupang', kupangOfficer],
    ['an inmate', ownInmate],
  ] as const) {
    const res = await owned(owner);
    t.equal(res.statusCode, 422, what);
    t.same(res.json().errors, at('/owner_officer_id', 'owner_officer_id is not an officer of this facility.'), what);
  }
  t.equal(await h.count('corrective_actions', `inspection_id = '${draft.id}'`), 2, 'the hand-over and one owned');

  // Evidence goes on a finding of this very report; the chain of custody reads in the order of the handovers.
  const other = await open();
  const otherFinding = (await addFinding(other.id)).id as string;
  const elsewhere = await upload(draft.id, otherFinding, png());
  t.equal(elsewhere.statusCode, 404, 'a finding of another report');
  t.equal(elsewhere.json().code, 'not_found');
  t.equal(await h.count('evidence_items', `finding_id = '${otherFinding}'`), 0);
  const seal = (n: number) => ({ kind: 'seized_item', description: 'Paket sabu', seal_number: `SEGEL-${n}` });
  const evidence = [];
  for (const n of [1, 2]) {
    const res = await h.call('POST', `/v1/inspections/${draft.id}/findings/${named.json().id}/evidence`, {
      token: staff,
      body: seal(n),
    });
    t.equal(res.statusCode, 201);
    evidence.push(res.json().id as string);
  }
  for (const at of ['2026-03-02T15:00:00', '2026-03-02T13:00:00']) {
    const res = await h.call('POST', `/v1/evidence/${evidence[1]}/custody`, {
      token: staff,
      body: { handed_by: 'Kepala KPR', handed_to: 'Penyidik BNNK', handed_at: at },
    });
    t.equal(res.statusCode, 201);
  }
  const withCustody = await reportOf(draft.id);
  t.same(
    withCustody.findings[0].evidence.map((e: Json) => [e.id, e.custody.map((c: Json) => c.handed_at)]),
    [
      [evidence[0], []],
      [evidence[1], ['2026-03-02T06:00:00.000Z', '2026-03-02T08:00:00.000Z']],
    ],
  );
  const alone = await h.call('GET', `/v1/findings/${named.json().id}`, { token: staff });
  t.same(alone.json(), { ...withCustody.findings[0], inspection_id: draft.id }, 'the finding alone reads the same');
  const listed = await h.call('GET', `/v1/inspections/${draft.id}/findings`, { token: staff });
  t.same(listed.json(), { data: withCustody.findings, next_cursor: null });

  // Workflow steps answer the whole report as it then reads.
  const submitted = await h.call('POST', `/v1/inspections/${draft.id}/submit`, { token: staff });
  t.equal(submitted.statusCode, 200);
  t.same(submitted.json(), await reportOf(draft.id));
  const signed = await h.call('POST', `/v1/inspections/${draft.id}/sign-off`, {
    token: await h.login('head.banjarnegara'),
  });
  t.equal(signed.statusCode, 200);
  t.same(signed.json(), await reportOf(draft.id));

  // An addendum corrects a part of this report, whichever kind.
  const correct = (corrects_type: string, corrects_id: string) =>
    h.call('POST', `/v1/inspections/${draft.id}/addenda`, {
      token: staff,
      body: { corrects_type, corrects_id, reason: 'Ditimbang ulang', text: 'Berat 0,76 gram' },
    });
  for (const [type, id] of [
    ['evidence', evidence[0]],
    ['action', ownerAction.json().id],
    ['inspection', draft.id],
  ] as const) {
    t.equal((await correct(type, id as string)).statusCode, 201, `corrects ${type}`);
  }
  const again = await correct('evidence', evidence[0] as string);
  t.equal(again.statusCode, 201, 'the same part may be corrected twice');
  const otherAction = await addAction(other.id);
  for (const [type, id] of [
    ['action', otherAction.id],
    ['finding', otherFinding],
    ['evidence', named.json().id],
  ] as const) {
    const res = await correct(type, id);
    t.equal(res.statusCode, 422, `not this report's ${type}`);
    t.same(res.json().errors, at('/corrects_id', 'corrects_id is not part of this report.'));
  }
  t.equal(await h.count('inspection_addenda', `inspection_id = '${draft.id}'`), 4);
});
