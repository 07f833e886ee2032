import t from 'tap';
import { build } from './helpers/app.ts';
import { feedOf } from './helpers/feed.ts';
import { clientToken, p4gnWorld } from './helpers/p4gn.ts';

// Events of work beyond the walls: campaigns recorded and corrected, rakor action items created,
// done and gone overdue (the hourly chore, once per item), KOTAN assessments; who is told of each
// by area, taking part and facility; and refused writes tell nothing.
let now = new Date('2025-06-02T03:00:00Z');
const h = await build(t, {}, { clock: () => now });
const { org } = await p4gnWorld(h);
const fac = h.world.facilities;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const { readAll } = feedOf(h);

/** A check's message: the answer's body only when it was refused. */
const answered = (res: { statusCode: number; body: string }) => (res.statusCode < 300 ? 'accepted' : res.body);

const tokenOf = async (who: string) => (who === 'client' ? clientToken(h) : h.login(who));

/** Each caller's position now, then what each was told since, by type and subject. */
async function watch(who: string[]) {
  const from = new Map<string, { token: string; cursor: string }>();
  for (const w of who) {
    const token = await tokenOf(w);
    from.set(w, { token, cursor: (await readAll(token)).cursor });
  }
  return {
    events: async (w = 'admin') => {
      const f = from.get(w);
      if (!f) throw new Error(`not watched: ${w}`);
      return (await readAll(f.token, '', f.cursor)).events.map(({ id: _id, occurred_at: _at, ...rest }) => rest);
    },
    told: async (w: string) => {
      const f = from.get(w);
      if (!f) throw new Error(`not watched: ${w}`);
      return (await readAll(f.token, '', f.cursor)).events.map((e) => `${e.type} ${e.subject.id}`);
    },
  };
}

const campaignBody = (over: Record<string, unknown> = {}) => ({
  kind: 'socialization',
  topic: 'Bahaya narkoba bagi pelajar',
  held_on: '2025-05-20',
  province_code: '33',
  regency: 'Banjarnegara',
  venue: 'SMA Negeri 1 Banjarnegara',
  audience_kind: 'students',
  audience_count: 180,
  organiser_ids: [org['pemkab.banjarnegara']],
  ...over,
});

t.test('a campaign recorded is told to its area and organisers, not to another regency', async (t) => {
  const who = [
    'admin',
    'pemkab.banjarnegara',
    'viewer.bnnp.jateng',
    'pemkab.purbalingga',
    'bnnk.purbalingga',
    'pemkot.mataram',
    'staff.banjarnegara',
  ];
  const w = await watch(who);
  const res = await h.call('POST', '/v1/campaigns', {
    token: await h.login('pemkab.banjarnegara'),
    body: campaignBody({ organiser_ids: [org['pemkab.banjarnegara'], org['bnnk.purbalingga']] }),
  });
  t.equal(res.statusCode, 422, 'a co-organiser of another regency is refused');
  const ok = await h.call('POST', '/v1/campaigns', {
    token: await h.login('pemkab.banjarnegara'),
    body: campaignBody(),
  });
  t.equal(ok.statusCode, 201, answered(ok));
  const c = ok.json();
  t.same(await w.events(), [
    {
      type: 'campaign.recorded.v1',
      subject: { type: 'campaign', id: c.id },
      facility_ids: [],
      data: {
        campaign_id: c.id,
        kind: 'socialization',
        held_on: '2025-05-20',
        province_code: '33',
        regency: 'Banjarnegara',
        facility_id: null,
        audience_kind: 'students',
        audience_count: 180,
        organiser_ids: [org['pemkab.banjarnegara']],
        version: 1,
      },
      people: [],
    },
  ]);
  const told = [`campaign.recorded.v1 ${c.id}`];
  t.same(await w.told('pemkab.banjarnegara'), told, 'the organiser');
  t.same(await w.told('viewer.bnnp.jateng'), told, 'a viewer of the province');
  t.same(await w.told('pemkab.purbalingga'), [], 'not a government of another regency');
  t.same(await w.told('bnnk.purbalingga'), [], 'not a BNNK of another regency');
  t.same(await w.told('pemkot.mataram'), [], 'not another province');
  t.same(await w.told('staff.banjarnegara'), [], 'not facility staff: it was not held inside');
});

const kupangBody = (over: Record<string, unknown> = {}) =>
  campaignBody({
    kind: 'joint_campaign',
    province_code: '53',
    regency: 'Kota Kupang',
    venue: 'Aula Lapas Kelas IIA Kupang',
    facility_id: fac.kupang,
    audience_kind: 'inmates',
    audience_count: 250,
    organiser_ids: [org['bnnp.ntt'], org['kanwil.ntt']],
    ...over,
  });

t.test('a campaign inside a facility is told to the facility; a correction is told as changed', async (t) => {
  const w = await watch(['admin', 'staff.kupang', 'staff.banjarnegara', 'pemkot.kupang', 'pemkot.mataram']);
  const ok = await h.call('POST', '/v1/campaigns', { token: await h.login('bnnp.ntt'), body: kupangBody() });
  t.equal(ok.statusCode, 201, answered(ok));
  const c = ok.json();
  const stale = await h.call('PATCH', `/v1/campaigns/${c.id}`, {
    token: await h.login('bnnp.ntt'),
    body: { audience_count: 300 },
    headers: { 'if-match': '"7"' },
  });
  t.equal(stale.statusCode, 412, 'a stale correction is refused');
  const fixed = await h.call('PATCH', `/v1/campaigns/${c.id}`, {
    token: await h.login('bnnp.ntt'),
    body: { audience_count: 300, organiser_ids: [org['bnnp.ntt']] },
    headers: { 'if-match': '"1"' },
  });
  t.equal(fixed.statusCode, 200, answered(fixed));
  const base = {
    subject: { type: 'campaign', id: c.id },
    facility_ids: [fac.kupang],
    people: [],
  };
  const data = {
    campaign_id: c.id,
    kind: 'joint_campaign',
    held_on: '2025-05-20',
    province_code: '53',
    regency: 'Kota Kupang',
    facility_id: fac.kupang,
    audience_kind: 'inmates',
  };
  t.same(await w.events(), [
    {
      type: 'campaign.recorded.v1',
      ...base,
      data: { ...data, audience_count: 250, organiser_ids: c.organiser_ids, version: 1 },
    },
    {
      type: 'campaign.changed.v1',
      ...base,
      data: { ...data, audience_count: 300, organiser_ids: [org['bnnp.ntt']], version: 2 },
    },
  ]);
  const told = [`campaign.recorded.v1 ${c.id}`, `campaign.changed.v1 ${c.id}`];
  t.same(await w.told('staff.kupang'), told, "the facility's staff");
  t.same(await w.told('pemkot.kupang'), told, 'the city where it was held');
  t.same(await w.told('staff.banjarnegara'), [], 'not the staff of another facility');
  t.same(await w.told('pemkot.mataram'), [], 'not another province');
});

t.test('a BNN unit is not told of a campaign in a facility under its MoU but outside its area', async (t) => {
  // BNNK Purbalingga's MoU covers Rutan Banjarnegara, in another regency: the campaign is not its to read.
  const [facility] = await h.rows<{ kanwil_id: string }>('SELECT kanwil_id FROM facilities WHERE id = $1', [
    fac.banjarnegara,
  ]);
  const w = await watch(['bnnk.purbalingga', 'staff.banjarnegara']);
  const ok = await h.call('POST', '/v1/campaigns', {
    token: await h.login('admin'),
    body: campaignBody({
      venue: 'Aula Rutan Banjarnegara',
      facility_id: fac.banjarnegara,
      audience_kind: 'inmates',
      audience_count: 50,
      organiser_ids: [facility?.kanwil_id],
    }),
  });
  t.equal(ok.statusCode, 201, answered(ok));
  const id = ok.json().id as string;
  const read = await h.call('GET', `/v1/campaigns/${id}`, { token: await h.login('bnnk.purbalingga') });
  t.equal(read.statusCode, 404, 'the record itself is out of its reach');
  t.same(await w.told('bnnk.purbalingga'), [], 'and so is its event');
  t.same(await w.told('staff.banjarnegara'), [`campaign.recorded.v1 ${id}`], "the facility's staff are told");
});

const meetingBody = {
  organiser_id: org['bnnk.kupang'],
  title: 'Rakor P4GN Kota Kupang',
  held_on: '2025-05-22',
  province_code: '53',
  regency: 'Kota Kupang',
  venue: 'Kantor BNN Kota Kupang',
  agenda: 'Rencana aksi per instansi',
  participant_ids: [org['pemkot.kupang'], org['bnnp.ntb']],
};

async function meeting(): Promise<string> {
  const res = await h.call('POST', '/v1/coordination-meetings', {
    token: await h.login('bnnk.kupang'),
    body: meetingBody,
  });
  if (res.statusCode !== 201) throw new Error(`meeting: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

async function addItem(meetingId: string, dueOn: string, username = 'bnnk.kupang') {
  return h.call('POST', `/v1/coordination-meetings/${meetingId}/action-items`, {
    token: await h.login(username),
    body: { owner_id: org['pemkot.kupang'], description: 'Menerbitkan perwali P4GN', due_on: dueOn },
  });
}

const itemPlace = (id: string) => ({ subject: { type: 'action_item', id }, facility_ids: [], people: [] });

t.test(
  'an action item created and done is told to those taking part, never to facilities or API clients',
  async (t) => {
    const who = ['admin', 'pemkot.kupang', 'bnnp.ntb', 'pemprov.ntt', 'pemkot.mataram', 'staff.kupang', 'client'];
    const w = await watch(who);
    const meetingId = await meeting();
    const refused = await addItem(meetingId, '2025-08-31', 'pemkot.kupang');
    t.equal(refused.statusCode, 403, 'only the organiser adds items');
    const early = await addItem(meetingId, '2025-05-01');
    t.equal(early.statusCode, 422, 'not due before the meeting');
    const res = await addItem(meetingId, '2025-08-31');
    t.equal(res.statusCode, 201, answered(res));
    const item = res.json();
    const done = await h.call('PATCH', `/v1/action-items/${item.id}`, {
      token: await h.login('pemkot.kupang'),
      body: { status: 'done', note: { text: 'Perwali terbit' } },
      headers: { 'if-match': '"1"' },
    });
    t.equal(done.statusCode, 200, answered(done));
    const again = await h.call('PATCH', `/v1/action-items/${item.id}`, {
      token: await h.login('pemkot.kupang'),
      body: { note: { text: 'Disosialisasikan' } },
      headers: { 'if-match': '"2"' },
    });
    t.equal(again.statusCode, 200, 'a note on a done item is no second done');
    const [row] = await h.rows<{ closed_on: string }>(
      `SELECT to_char(closed_on, 'YYYY-MM-DD') AS closed_on FROM action_items WHERE id = $1`,
      [item.id],
    );
    const data = {
      action_item_id: item.id,
      meeting_id: meetingId,
      owner_id: org['pemkot.kupang'],
      due_on: '2025-08-31',
    };
    t.same(await w.events(), [
      { type: 'rakor_action_item.created.v1', ...itemPlace(item.id), data: { ...data, status: 'planned' } },
      { type: 'rakor_action_item.done.v1', ...itemPlace(item.id), data: { ...data, closed_on: row?.closed_on } },
    ]);
    t.equal(row?.closed_on, '2025-06-02', "closed on the owner's date");
    const told = [`rakor_action_item.created.v1 ${item.id}`, `rakor_action_item.done.v1 ${item.id}`];
    t.same(await w.told('pemkot.kupang'), told, 'the owner');
    t.same(await w.told('bnnp.ntb'), told, 'a participant of another province');
    t.same(await w.told('pemprov.ntt'), told, 'the province where it was held');
    t.same(await w.told('pemkot.mataram'), [], 'not another province');
    t.same(await w.told('staff.kupang'), [], 'not facility staff');
    t.same(await w.told('client'), [], 'not an API client');
  },
);

t.test('an item past due is told once, by the hourly chore, in its owner time zone', async (t) => {
  const started = now;
  t.teardown(() => {
    now = started;
  });
  const meetingId = await meeting();
  const item = (await addItem(meetingId, '2025-06-10')).json();
  const closed = (await addItem(meetingId, '2025-06-10')).json();
  const shut = await h.call('PATCH', `/v1/action-items/${closed.id}`, {
    token: await h.login('pemkot.kupang'),
    body: { status: 'done' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(shut.statusCode, 200, answered(shut));
  const w = await watch(['admin', 'pemkot.kupang', 'staff.kupang', 'client']);
  const sweep = async () => {
    await h.rows(`UPDATE chore_runs SET last_run_at = '-infinity' WHERE name = 'rakor-action-items-overdue'`);
    await h.app.runChores();
  };
  // 23:30 WIB on 10 June is still the due day in Kupang (WITA, 00:30 on the 11th is past it).
  now = new Date('2025-06-10T15:59:00Z');
  await sweep();
  t.same(await w.events(), [], 'not on its due day in WITA');
  now = new Date('2025-06-10T16:00:00Z');
  await sweep();
  await sweep();
  t.same(await w.events(), [
    {
      type: 'rakor_action_item.overdue.v1',
      ...itemPlace(item.id),
      data: {
        action_item_id: item.id,
        meeting_id: meetingId,
        owner_id: org['pemkot.kupang'],
        due_on: '2025-06-10',
        status: 'planned',
      },
    },
  ]);
  t.same(await w.told('pemkot.kupang'), [`rakor_action_item.overdue.v1 ${item.id}`], 'the owner');
  t.same(await w.told('staff.kupang'), [], 'not facility staff');
  t.same(await w.told('client'), [], 'not an API client');
  now = new Date('2025-06-20T03:00:00Z');
  await sweep();
  t.equal((await w.events()).length, 1, 'once only, however late it gets');
});

t.test('an item given a later due date and missing it again is told again', async (t) => {
  const started = now;
  t.teardown(() => {
    now = started;
  });
  const meetingId = await meeting();
  const item = (await addItem(meetingId, '2025-06-10')).json();
  const w = await watch(['admin']);
  const sweep = async () => {
    await h.rows(`UPDATE chore_runs SET last_run_at = '-infinity' WHERE name = 'rakor-action-items-overdue'`);
    await h.app.runChores();
  };
  now = new Date('2025-06-12T03:00:00Z');
  await sweep();
  const moved = await h.call('PATCH', `/v1/action-items/${item.id}`, {
    token: await h.login('bnnk.kupang'),
    body: { due_on: '2025-07-01' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(moved.statusCode, 200, answered(moved));
  await sweep();
  now = new Date('2025-07-05T03:00:00Z');
  await sweep();
  await sweep();
  t.same(
    (await w.events()).filter((e) => e.subject.id === item.id).map((e) => [e.type, e.data.due_on]),
    [
      ['rakor_action_item.overdue.v1', '2025-06-10'],
      ['rakor_action_item.overdue.v1', '2025-07-01'],
    ],
  );
});

const kotanScores = (value: number) => ({
  family_resilience: { family_drug_awareness: value, parenting_programmes: value, family_early_detection: value },
  community_resilience: {
    anti_drug_volunteers: value,
    community_prevention_activities: value,
    drug_free_villages: value,
  },
  territory: { vulnerable_areas_mapped: value, vulnerable_areas_intervened: value, prevalence_trend: value },
  institutions: { p4gn_regulation: value, p4gn_budget: value, p4gn_team: value, rehabilitation_services: value },
  law: { case_handling: value, integrated_assessment: value, enforcement_cooperation: value },
});

t.test('a KOTAN assessment recorded is told to its area and assessor, without a name', async (t) => {
  const who = ['admin', 'pemkab.banjarnegara', 'viewer.bnnp.jateng', 'pemkab.purbalingga', 'pemkot.mataram'];
  const w = await watch([...who, 'staff.banjarnegara']);
  const body = {
    province_code: '33',
    regency: 'Banjarnegara',
    year: 2024,
    assessor_name: 'Siti Rahayu',
    assessed_on: '2024-11-18',
    scores: kotanScores(60),
    // Assessed by the province's BNNP: the regency's government is told by its area alone.
    assessor_organisation_id: org['bnnp.jateng'],
  };
  const res = await h.call('POST', '/v1/kotan-assessments', { token: await h.login('admin'), body });
  t.equal(res.statusCode, 201, answered(res));
  const a = res.json();
  const { assessor_organisation_id: _assessor, ...own } = body;
  const twice = await h.call('POST', '/v1/kotan-assessments', {
    token: await h.login('pemkab.banjarnegara'),
    body: own,
  });
  t.equal(twice.statusCode, 409, 'a second assessment of the year is refused');
  const [row] = await h.rows<{ index: string; band: string }>(
    'SELECT index::text AS index, band::text AS band FROM kotan_assessments WHERE id = $1',
    [a.id],
  );
  t.same(await w.events(), [
    {
      type: 'kotan_assessment.recorded.v1',
      subject: { type: 'kotan_assessment', id: a.id },
      facility_ids: [],
      data: {
        kotan_assessment_id: a.id,
        province_code: '33',
        regency: 'Banjarnegara',
        year: 2024,
        assessed_on: '2024-11-18',
        assessor_organisation_id: org['bnnp.jateng'],
        index: Number(row?.index),
        band: row?.band,
      },
      people: [],
    },
  ]);
  const told = [`kotan_assessment.recorded.v1 ${a.id}`];
  t.same(await w.told('pemkab.banjarnegara'), told, 'the regency assessed');
  t.same(await w.told('viewer.bnnp.jateng'), told, "the assessor's viewer");
  t.same(await w.told('pemkab.purbalingga'), [], 'not another regency');
  t.same(await w.told('pemkot.mataram'), [], 'not another province');
  t.same(await w.told('staff.banjarnegara'), [], 'not facility staff');
});
