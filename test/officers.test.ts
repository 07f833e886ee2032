import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// The officer (petugas) register: who keeps it, who reads it, and what a caller without the
// personal_data scope sees of it.
const h = await build(t);
const fac = h.world.facilities;
const banjarnegara = fac.banjarnegara as string;
const kupang = fac.kupang as string;
const [staffUser] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'staff.banjarnegara'`);
const staffId = staffUser?.id as string;

let serial = 0;
/** A fresh, valid NIP: 18 digits. */
const nextNip = () => `19850417201012${String(1000 + serial++).padStart(4, '0')}`;
const officer = (over: Record<string, unknown> = {}) => ({
  nip: nextNip(),
  name: 'Agus Prasetyo',
  sex: 'male',
  position: 'Kepala Pengamanan Rutan',
  unit: 'KPR',
  joined_on: '2010-12-01',
  ...over,
});

async function hire(over: Record<string, unknown> = {}, facility = banjarnegara, username = 'staff.banjarnegara') {
  const res = await h.call('POST', `/v1/facilities/${facility}/officers`, {
    token: await h.login(username),
    body: officer(over),
  });
  if (res.statusCode !== 201) throw new Error(`hire: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function clientToken(clientId: string, secret: string) {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
  });
  if (res.statusCode !== 200) throw new Error(`client token: ${res.statusCode} ${res.body}`);
  return res.json().access_token as string;
}

const ids = (res: { json(): { data: { id: string }[] } }) => res.json().data.map((o) => o.id);

t.test('staff add an officer; the register checks what it can', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const url = `/v1/facilities/${banjarnegara}/officers`;
  const body = officer({ nip: '198504172010121002' });
  const created = await h.call('POST', url, { token, body });
  t.equal(created.statusCode, 201);
  const row = created.json();
  t.match(row, {
    nip: '198504172010121002',
    name: 'Agus Prasetyo',
    sex: 'male',
    position: 'Kepala Pengamanan Rutan',
    unit: 'KPR',
    status: 'active',
    joined_on: '2010-12-01',
    left_on: null,
    version: 1,
    facility_id: banjarnegara,
  });
  t.match(row.pseudonym, /^PTG-[0-9A-Z]+$/);
  t.equal(created.headers.location, `/v1/officers/${row.id}`);
  t.equal(created.headers.etag, '"1"');

  const before = await h.count('officers');
  const refused: [string, Record<string, unknown>, number, string?][] = [
    ['NIP of 17 digits', { nip: '19850417201012100' }, 400, '/nip'],
    ['NIP of 19 digits', { nip: '1985041720101210021' }, 400, '/nip'],
    ['NIP with a letter', { nip: '19850417201012100A' }, 400, '/nip'],
    ['an unknown field', { rank: 'III/a' }, 400],
    ['an unknown status', { status: 'fired' }, 400, '/status'],
    ['joined in the future', { joined_on: '2099-01-01' }, 422, '/joined_on'],
    ['retired without left_on', { status: 'retired' }, 422, '/left_on'],
    ['transferred without left_on', { status: 'transferred' }, 422, '/left_on'],
    ['active with a left_on', { left_on: '2020-01-01' }, 422, '/left_on'],
    ['left before joining', { status: 'retired', left_on: '2001-01-01' }, 422, '/left_on'],
  ];
  for (const [what, over, status, pointer] of refused) {
    const res = await h.call('POST', url, { token, body: officer(over) });
    t.equal(res.statusCode, status, what);
    t.match(res.headers['content-type'], /^application\/problem\+json/, what);
    t.equal(res.json().code, status === 400 ? 'validation_failed' : 'rule_violated', what);
    if (pointer)
      t.ok(
        res.json().errors.some((e: { pointer: string }) => e.pointer === pointer),
        `${what}: ${pointer}`,
      );
  }
  const dup = await h.call('POST', url, { token, body: officer({ nip: '198504172010121002', name: 'Orang Lain' }) });
  t.equal(dup.statusCode, 409, 'NIP unique');
  t.equal(dup.json().code, 'already_exists');
  const dupElsewhere = await h.call('POST', `/v1/facilities/${kupang}/officers`, {
    token: await h.login('staff.kupang'),
    body: officer({ nip: '198504172010121002' }),
  });
  t.equal(dupElsewhere.statusCode, 409, 'NIP unique nationally, not per facility');
  const cases: [string, number][] = [
    ['bnnk.purbalingga', 403],
    ['staff.kupang', 404],
    ['kanwil.ntt', 404],
  ];
  for (const [username, status] of cases) {
    const res = await h.call('POST', url, { token: await h.login(username), body: officer() });
    t.equal(res.statusCode, status, `${username} may not add to Banjarnegara`);
  }
  t.equal(await h.count('officers'), before, 'nothing written by refused requests');

  const retired = await h.call('POST', url, {
    token: await h.login('head.banjarnegara'),
    body: officer({ status: 'retired', left_on: '2024-06-30' }),
  });
  t.equal(retired.statusCode, 201, 'the head adds one retired, with left_on');
  t.match(retired.json(), { status: 'retired', left_on: '2024-06-30' });

  const trail = await h.rows(
    `SELECT action, actor_type, actor_id, facility_id, after->>'nip' AS nip, after->>'pseudonym' AS pseudonym
       FROM audit_events WHERE entity_id = $1`,
    [row.id],
  );
  t.same(trail, [
    {
      action: 'officer.created',
      actor_type: 'user',
      actor_id: staffId,
      facility_id: banjarnegara,
      nip: '198504172010121002',
      pseudonym: row.pseudonym,
    },
  ]);
});

t.test('who reaches an officer', async (t) => {
  const ours = await hire({ name: 'Bambang Wijaya' });
  const theirs = await hire({ name: 'Yakobus Lado', position: 'Kepala KPLP', unit: 'KPLP' }, kupang, 'staff.kupang');
  const cases: [string, boolean, boolean][] = [
    // username, sees the Banjarnegara officer, sees the Kupang officer
    ['admin', true, true],
    ['staff.banjarnegara', true, false],
    ['head.banjarnegara', true, false],
    ['bnnk.purbalingga', true, false],
    ['staff.kupang', false, true],
    ['head.kupang', false, true],
    ['kanwil.ntt', false, true],
    ['bnnp.ntt', false, true],
  ];
  for (const [username, seesOurs, seesTheirs] of cases) {
    const token = await h.login(username);
    const one = await h.call('GET', `/v1/officers/${ours.id}`, { token });
    t.equal(one.statusCode, seesOurs ? 200 : 404, `${username} GET`);
    if (seesOurs) {
      t.equal(one.json().name, 'Bambang Wijaya', username);
      t.equal(one.headers.etag, '"1"');
    } else t.equal(one.json().code, 'not_found');
    const other = await h.call('GET', `/v1/officers/${theirs.id}`, { token });
    t.equal(other.statusCode, seesTheirs ? 200 : 404, `${username} GET the Kupang officer`);
    const list = await h.call('GET', '/v1/officers?limit=200', { token });
    t.equal(list.statusCode, 200);
    t.equal(ids(list).includes(ours.id), seesOurs, `${username} lists the Banjarnegara officer`);
    t.equal(ids(list).includes(theirs.id), seesTheirs, `${username} lists the Kupang officer`);
  }
  const staff = await h.login('staff.banjarnegara');
  const foreign = await h.call('GET', `/v1/facilities/${kupang}/officers`, { token: staff });
  t.equal(foreign.statusCode, 404, "another facility's register is not found");
  t.notMatch(foreign.body, /Yakobus/);
  const own = await h.call('GET', `/v1/facilities/${banjarnegara}/officers`, { token: staff });
  t.ok(ids(own).includes(ours.id));
  t.ok(own.json().data.every((o: { facility_id: string }) => o.facility_id === banjarnegara));
  const narrowed = await h.call('GET', `/v1/officers?facility_id=${kupang}`, { token: staff });
  t.equal(narrowed.statusCode, 200);
  t.same(narrowed.json().data, [], 'narrowing to a facility out of reach shows nothing');
  const missing = await h.call('GET', '/v1/officers/01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d', { token: staff });
  t.equal(missing.statusCode, 404);
});

t.test('lists filter by name prefix, status, NIP, unit and facility, and page', async (t) => {
  const sutrisno = await hire({ name: 'Sutrisno Hadi', unit: 'Pengamanan' });
  const sutarmi = await hire({ name: 'Sutarmi', sex: 'female', status: 'retired', left_on: '2023-03-31' });
  const idle = await hire({ name: 'Bagus 100%', status: 'inactive', unit: 'Pengamanan' });
  const kupangOne = await hire({ name: 'Sutomo Bria' }, kupang, 'staff.kupang');
  const token = await h.login('head.banjarnegara');
  const names = async (query: string, username?: string) => {
    const res = await h.call('GET', `/v1/officers?limit=200&${query}`, {
      token: username ? await h.login(username) : token,
    });
    t.equal(res.statusCode, 200, query);
    return res
      .json()
      .data.map((o: { name: string }) => o.name)
      .sort();
  };
  t.same(await names('name=sut'), ['Sutarmi', 'Sutrisno Hadi'], 'a case-blind prefix, in reach only');
  t.same(await names('name=SUTR'), ['Sutrisno Hadi']);
  t.same(await names('name=hadi'), [], 'a prefix, not a substring');
  t.same(await names('name=Bagus 100%25'), ['Bagus 100%']);
  t.same(await names('name=Bagus 1%25'), [], '% is a character, not a wildcard');
  t.same(await names('name=sut&status=retired'), ['Sutarmi']);
  t.same(await names('status=inactive'), ['Bagus 100%']);
  t.same(await names('unit=Pengamanan'), ['Bagus 100%', 'Sutrisno Hadi']);
  t.same(await names(`nip=${sutrisno.nip}`), ['Sutrisno Hadi']);
  t.same(await names(`nip=${kupangOne.nip}`), [], 'a NIP out of reach finds nothing');
  t.same(await names(`name=sut&facility_id=${kupang}`, 'admin'), ['Sutomo Bria']);
  t.same(await names(`name=sut&facility_id=${banjarnegara}`, 'admin'), ['Sutarmi', 'Sutrisno Hadi']);
  const facilityList = await h.call('GET', `/v1/facilities/${banjarnegara}/officers?status=retired&name=sut`, {
    token,
  });
  t.same(ids(facilityList), [sutarmi.id]);
  t.equal((await h.call('GET', '/v1/officers?status=fired', { token })).statusCode, 400);
  t.equal((await h.call('GET', '/v1/officers?nip=1234567890123456789', { token })).statusCode, 400);

  const all = ids(await h.call('GET', '/v1/officers?limit=200', { token }));
  t.ok(all.includes(idle.id));
  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.call('GET', `/v1/officers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
    t.ok(res.json().data.length <= 2);
    paged.push(...ids(res));
    cursor = res.json().next_cursor;
  } while (cursor);
  t.same(paged, all, 'pages of 2 give the same list, in the same order');
});

t.test('personal data: API clients without the scope see pseudonyms only', async (t) => {
  const rahasia = await hire({ nip: '197703032003121004', name: 'Rahasiawati', sex: 'female', position: 'Wali WBP' });
  const [demoClient] = await h.rows<{ id: string }>(`SELECT id FROM api_clients WHERE client_id = 'dashboard.demo'`);
  const demo = await clientToken('dashboard.demo', PASSWORD);
  const viewed = () => h.count('audit_events', `action = 'officer.viewed'`);
  const viewedBefore = await viewed();

  const one = await h.call('GET', `/v1/officers/${rahasia.id}`, { token: demo });
  t.equal(one.statusCode, 200);
  t.match(one.json(), {
    id: rahasia.id,
    pseudonym: rahasia.pseudonym,
    nip: null,
    name: null,
    sex: 'female',
    position: 'Wali WBP',
    unit: 'KPR',
    facility_id: banjarnegara,
  });
  t.notMatch(one.body, /Rahasiawati|197703032003121004/);
  const listed = await h.call('GET', '/v1/officers?limit=200', { token: demo });
  t.equal(listed.statusCode, 200);
  t.ok(ids(listed).includes(rahasia.id), 'a national client reads every facility');
  t.ok(listed.json().data.every((o: { nip: null; name: null }) => o.nip === null && o.name === null));
  t.notMatch(listed.body, /Rahasiawati|197703032003121004/);
  const facilityList = await h.call('GET', `/v1/facilities/${banjarnegara}/officers`, { token: demo });
  t.notMatch(facilityList.body, /Rahasiawati/);
  for (const query of ['name=Rah', 'nip=197703032003121004']) {
    const res = await h.call('GET', `/v1/officers?${query}`, { token: demo });
    t.equal(res.statusCode, 403, `no searching by ${query}`);
    t.equal(res.json().code, 'forbidden');
    const inFacility = await h.call('GET', `/v1/facilities/${banjarnegara}/officers?${query}`, { token: demo });
    t.equal(inFacility.statusCode, 403);
  }
  t.equal(await viewed(), viewedBefore, 'pseudonymous reads are not audited');
  t.equal(await h.count('audit_events', `actor_id = '${demoClient?.id}'`), 0, 'nothing on the demo client at all');

  const admin = await h.login('admin');
  const created = await h.call('POST', '/v1/api-clients', {
    token: admin,
    body: { client_id: 'riset.petugas', name: 'Riset Petugas', scopes: ['read', 'personal_data'] },
  });
  t.equal(created.statusCode, 201);
  const named = await clientToken('riset.petugas', created.json().client_secret);
  const [mark] = await h.rows<{ seq: number }>('SELECT max(seq)::int AS seq FROM audit_events');
  const seen = await h.call('GET', `/v1/officers/${rahasia.id}`, { token: named });
  t.equal(seen.statusCode, 200);
  t.match(seen.json(), { nip: '197703032003121004', name: 'Rahasiawati', pseudonym: rahasia.pseudonym });
  const events = await h.rows(
    `SELECT actor_type, actor_id, entity_type, entity_id, facility_id, after->'ids_b64' AS ids
       FROM audit_events WHERE action = 'officer.viewed' AND seq > $1 ORDER BY seq`,
    [mark?.seq],
  );
  t.same(
    events,
    [
      {
        actor_type: 'api_client',
        actor_id: created.json().id,
        entity_type: 'officer',
        entity_id: rahasia.id,
        facility_id: banjarnegara,
        ids: [Buffer.from(rahasia.id.replaceAll('-', ''), 'hex').toString('base64url')],
      },
    ],
    'the named read is audited, with who read it (the id stored compact)',
  );
  const search = await h.call('GET', '/v1/officers?name=Rahasia', { token: named });
  t.same(ids(search), [rahasia.id], 'with the scope, a name search works');
  t.equal(await viewed(), viewedBefore + 2, 'and is audited');
});

t.test('updates need If-Match; read-only roles may not update', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const row = await hire({ name: 'Dedi Kurniawan' });
  const url = `/v1/officers/${row.id}`;
  const noMatch = await h.call('PATCH', url, { token, body: { position: 'Kepala KPR' } });
  t.equal(noMatch.statusCode, 428);
  t.equal(noMatch.json().code, 'precondition_required');
  const stale = await h.call('PATCH', url, { token, body: { position: 'Kepala KPR' }, headers: { 'if-match': '"7"' } });
  t.equal(stale.statusCode, 412);
  t.equal(stale.json().code, 'precondition_failed');
  t.same(await h.rows('SELECT position, version FROM officers WHERE id = $1', [row.id]), [
    { position: 'Kepala Pengamanan Rutan', version: 1 },
  ]);

  const moved = await h.call('PATCH', url, {
    token,
    body: { position: 'Kepala KPR', unit: 'KPLP' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(moved.statusCode, 200);
  t.match(moved.json(), { position: 'Kepala KPR', unit: 'KPLP', name: 'Dedi Kurniawan', version: 2 });
  t.equal(moved.headers.etag, '"2"');
  const again = await h.call('PATCH', url, { token, body: { unit: 'KPR' }, headers: { 'if-match': '"1"' } });
  t.equal(again.statusCode, 412, 'the old version is stale now');

  const cases: [string, number][] = [
    ['bnnk.purbalingga', 403],
    ['staff.kupang', 404],
    ['kanwil.ntt', 404],
  ];
  for (const [username, status] of cases) {
    const res = await h.call('PATCH', url, {
      token: await h.login(username),
      body: { position: 'Staf' },
      headers: { 'if-match': '"2"' },
    });
    t.equal(res.statusCode, status, username);
  }
  const nip = await h.call('PATCH', url, {
    token,
    body: { nip: '199001012015032001' },
    headers: { 'if-match': '"2"' },
  });
  t.equal(nip.statusCode, 400, 'the NIP is not edited');
  const noLeft = await h.call('PATCH', url, { token, body: { status: 'retired' }, headers: { 'if-match': '"2"' } });
  t.equal(noLeft.statusCode, 422);
  t.equal(noLeft.json().errors[0].pointer, '/left_on');
  const retire = await h.call('PATCH', url, {
    token: await h.login('head.banjarnegara'),
    body: { status: 'retired', left_on: '2025-12-31' },
    headers: { 'if-match': '"2"' },
  });
  t.equal(retire.statusCode, 200);
  t.match(retire.json(), { status: 'retired', left_on: '2025-12-31', version: 3 });
  const read = await h.call('GET', url, { token });
  t.equal(read.headers.etag, '"3"');

  const trail = await h.rows<{
    action: string;
    actor_id: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  }>('SELECT action, actor_id, before, after FROM audit_events WHERE entity_id = $1 ORDER BY seq', [row.id]);
  t.same(
    trail.map((e) => e.action),
    ['officer.created', 'officer.updated', 'officer.updated', 'officer.viewed'],
    'the changes, then the named read by staff',
  );
  t.equal(trail[1]?.actor_id, staffId);
  t.match(trail[1]?.before, { position: 'Kepala Pengamanan Rutan', unit: 'KPR', version: 1 });
  t.match(trail[1]?.after, { position: 'Kepala KPR', unit: 'KPLP', version: 2 });
  t.match(trail[2]?.before, { status: 'active', left_on: null, version: 2 });
  t.match(trail[2]?.after, { status: 'retired', left_on: '2025-12-31', version: 3 });
});

t.test('refusals come in their order: If-Match and Idempotency-Key, then reach, then role', async (t) => {
  const kept = await hire();
  const url = `/v1/officers/${kept.id}`;
  const badKey = { 'idempotency-key': 'not a key' };
  const call = async (method: 'POST' | 'PATCH', path: string, username: string, body: unknown, headers = {}) =>
    (await h.call(method, path, { token: await h.login(username), body, headers })).json().code;
  // An update reads If-Match before it looks for the officer.
  t.equal(await call('PATCH', url, 'staff.kupang', { unit: 'KPR' }), 'precondition_required');
  t.equal(await call('PATCH', url, 'bnnk.purbalingga', { unit: 'KPR' }), 'precondition_required');
  t.equal(await call('PATCH', url, 'staff.kupang', { unit: 'KPR' }, { 'if-match': '"1"' }), 'not_found');
  t.equal(await call('PATCH', url, 'bnnk.purbalingga', { unit: 'KPR' }, { 'if-match': '"1"' }), 'forbidden');
  // A malformed Idempotency-Key is refused before the register's reach and role are judged.
  const here = `/v1/facilities/${banjarnegara}/officers`;
  const cases: [string, unknown][] = [
    [here, officer()],
    [`${here}/import`, []],
  ];
  for (const [path, body] of cases) {
    for (const username of ['staff.kupang', 'bnnk.purbalingga', 'staff.banjarnegara']) {
      t.equal(await call('POST', path, username, body, badKey), 'idempotency_key_invalid', `${path} ${username}`);
    }
    t.equal(await call('POST', path, 'staff.kupang', body), 'not_found', `${path} out of reach`);
    t.equal(await call('POST', path, 'bnnk.purbalingga', body), 'forbidden', `${path} by a reader`);
  }
});
