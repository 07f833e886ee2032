import t, { type Test } from 'tap';
import { build } from './helpers/app.ts';

// What outside systems are told of officers' training: a certificate issued to a participant who
// passed, the officer named by id; who may read it; and that a refused issue tells nothing.
// The clock stands at 10:00 WIB on 2 June 2025, after the trainings below.
const h = await build(t, {}, { clock: () => new Date('2025-06-02T03:00:00Z') });
const fac = h.world.facilities;
const org = h.world.organisations;
const kupang = fac.kupang as string;
const lppKupang = fac['lpp.kupang'] as string;
const banjarnegara = fac.banjarnegara as string;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const TYPES = 'training.certificate_issued.v1';

async function ok(method: string, url: string, username: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await h.call(method, url, { token: await h.login(username), body, headers });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

let serial = 0;
async function hire(facility: string) {
  serial++;
  return (await ok('POST', `/v1/facilities/${facility}/officers`, 'admin', {
    nip: `19850417201012${String(2000 + serial).padStart(4, '0')}`,
    name: `Petugas Sertifikat ${serial}`,
    sex: 'male',
    position: 'Penjaga',
    unit: 'KPR',
    joined_on: '2010-12-01',
  })) as { id: string };
}

async function training(over: Record<string, unknown>, username: string) {
  return (await ok('POST', '/v1/trainings', username, {
    title: 'Deteksi dini peredaran narkoba',
    topic: 'early_detection',
    starts_on: '2025-02-10',
    ends_on: '2025-02-12',
    hours: 24,
    venue: 'Aula',
    mode: 'in_person',
    trainers: ['dr. Maria Nenobais'],
    capacity: 40,
    pass_mark: 75,
    ...over,
  })) as { id: string };
}

/** Adds officers to a training with a post-test score each; answers the participants in that order. */
async function participants(trainingId: string, scores: [string, number][], username: string) {
  const added = (await ok('POST', `/v1/trainings/${trainingId}/participants`, username, {
    officer_ids: scores.map(([id]) => id),
  })) as { data: { id: string; version: number; officer: { id: string } }[] };
  const out: { id: string; officerId: string }[] = [];
  for (const [officerId, score] of scores) {
    const p = added.data.find((x) => x.officer.id === officerId) as { id: string; version: number };
    await ok(
      'PATCH',
      `/v1/trainings/${trainingId}/participants/${p.id}`,
      username,
      { post_test_score: score },
      { 'if-match': `"${p.version}"` },
    );
    out.push({ id: p.id, officerId });
  }
  return out;
}

async function feed(username: string, after?: string): Promise<{ events: Json[]; cursor: string }> {
  const token = await h.login(username);
  const events: Json[] = [];
  let cursor = after;
  for (;;) {
    const res = await h.call('GET', `/v1/events?types=${TYPES}${cursor ? `&after=${cursor}` : ''}`, { token });
    if (res.statusCode !== 200) throw new Error(`feed: ${res.statusCode} ${res.body}`);
    const page = res.json();
    events.push(...page.data);
    cursor = page.next_cursor;
    if (!page.has_more) return { events, cursor: cursor as string };
  }
}

const told = async (username: string, after: string) =>
  (await feed(username, after)).events.map(({ id: _id, occurred_at: _at, ...rest }) => rest);

const USERS = [
  'admin',
  'staff.kupang',
  'head.kupang',
  'kanwil.ntt',
  'bnnp.ntt',
  'staff.banjarnegara',
  'bnnk.purbalingga',
  'pemkab.purbalingga',
];

async function marks(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const username of USERS) out[username] = (await feed(username)).cursor;
  return out;
}

/** Who is told of which participants' certificates, by subject. */
async function reach(t: Test, from: Record<string, string>, expected: Record<string, string[]>) {
  for (const username of USERS) {
    t.same(
      (await told(username, from[username] as string)).map((e) => e.subject.id),
      expected[username] ?? [],
      username,
    );
  }
}

async function officer(id: string) {
  const [row] = await h.rows<{ pseudonym: string; name: string; nip: string }>(
    'SELECT pseudonym, name, nip FROM officers WHERE id = $1',
    [id],
  );
  return { type: 'officer', id, pseudonym: row?.pseudonym, name: row?.name, registration_number: null, nip: row?.nip };
}

const certify = async (trainingId: string, participantId: string, username: string) =>
  h.call('POST', `/v1/trainings/${trainingId}/participants/${participantId}/certificate`, {
    token: await h.login(username),
  });

t.test('a certificate issued is told once, to those who reach the officer’s facility for training', async (t) => {
  const tr = await training(
    { organiser_type: 'bnn_unit', organiser_id: org['bnnp.ntt'], facility_ids: [kupang, lppKupang] },
    'bnnp.ntt',
  );
  const [passer, failer, other] = await participants(
    tr.id,
    [
      [(await hire(kupang)).id, 80],
      [(await hire(kupang)).id, 74.99],
      [(await hire(lppKupang)).id, 90],
    ],
    'bnnp.ntt',
  );
  if (!passer || !failer || !other) throw new Error('participants');
  const from = await marks();
  t.equal((await certify(tr.id, failer.id, 'bnnp.ntt')).statusCode, 422, 'below the pass mark');
  t.equal((await certify(tr.id, passer.id, 'kanwil.ntt')).statusCode, 403, 'a viewer only reads');
  t.equal((await certify(tr.id, passer.id, 'staff.banjarnegara')).statusCode, 404, 'out of reach');
  t.same(await told('admin', from.admin as string), [], 'nothing is told of a refused issue');

  const issued = await certify(tr.id, passer.id, 'bnnp.ntt');
  t.equal(issued.statusCode, 201, issued.body);
  t.equal((await certify(tr.id, passer.id, 'bnnp.ntt')).statusCode, 409, 'issued once');
  t.equal((await certify(tr.id, other.id, 'bnnp.ntt')).statusCode, 201);

  const [a, b] = await h.rows<{ id: string; certificate_issued_at: Date }>(
    'SELECT id, certificate_issued_at FROM training_participants WHERE id IN ($1, $2) ORDER BY certificate_issued_at, id',
    [passer.id, other.id],
  );
  const event = async (p: { id: string; officerId: string }, facility: string, at: Date) => ({
    type: 'training.certificate_issued.v1',
    subject: { type: 'training_participant', id: p.id },
    facility_ids: [facility],
    data: {
      training_id: tr.id,
      participant_id: p.id,
      facility_id: facility,
      issued_at: new Date(at).toISOString(),
    },
    people: [await officer(p.officerId)],
  });
  t.equal(a?.id, passer.id);
  t.equal(b?.id, other.id);
  t.same(await told('admin', from.admin as string), [
    await event(passer, kupang, a?.certificate_issued_at as Date),
    await event(other, lppKupang, b?.certificate_issued_at as Date),
  ]);
  t.equal(issued.json().certificate_issued_at, new Date(a?.certificate_issued_at as Date).toISOString());
  await reach(t, from, {
    admin: [passer.id, other.id],
    'staff.kupang': [passer.id],
    'head.kupang': [passer.id],
    'kanwil.ntt': [passer.id, other.id],
    'bnnp.ntt': [passer.id, other.id],
  });
});

t.test('a BNN unit whose MoU leaves training out is not told of the facility’s certificates', async (t) => {
  // BNNK Purbalingga's MoU with Banjarnegara covers rehabilitation, urine tests and inspections only.
  const tr = await training(
    { organiser_type: 'facility', organiser_id: banjarnegara, facility_ids: [banjarnegara], venue: 'Aula Rutan' },
    'staff.banjarnegara',
  );
  const [passer] = await participants(tr.id, [[(await hire(banjarnegara)).id, 100]], 'staff.banjarnegara');
  if (!passer) throw new Error('participant');
  const from = await marks();
  t.equal((await certify(tr.id, passer.id, 'bnnk.purbalingga')).statusCode, 404, 'nor may it issue one');
  const issued = await certify(tr.id, passer.id, 'staff.banjarnegara');
  t.equal(issued.statusCode, 201, issued.body);
  const [row] = await h.rows<{ certificate_issued_at: Date }>(
    'SELECT certificate_issued_at FROM training_participants WHERE id = $1',
    [passer.id],
  );
  t.same(await told('staff.banjarnegara', from['staff.banjarnegara'] as string), [
    {
      type: 'training.certificate_issued.v1',
      subject: { type: 'training_participant', id: passer.id },
      facility_ids: [banjarnegara],
      data: {
        training_id: tr.id,
        participant_id: passer.id,
        facility_id: banjarnegara,
        issued_at: new Date(row?.certificate_issued_at as Date).toISOString(),
      },
      people: [await officer(passer.officerId)],
    },
  ]);
  await reach(t, from, { admin: [passer.id], 'staff.banjarnegara': [passer.id] });
});
