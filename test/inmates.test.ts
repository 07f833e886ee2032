import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

const h = await build(t);
const fac = h.world.facilities;

const person = (over: Record<string, unknown> = {}) => ({
  registration_number: `B.I-${Math.random().toString(36).slice(2, 8)}/2024`,
  name: 'Budi Santoso',
  sex: 'male',
  birth_date: '1990-04-17',
  case_type: 'narcotics_user',
  admission_date: '2024-03-02',
  expected_release_date: '2027-03-01',
  block: 'A',
  cell: 'A-12',
  status: 'sentenced',
  ...over,
});

async function admit(over: Record<string, unknown> = {}, facility = fac.banjarnegara, username = 'staff.banjarnegara') {
  const res = await h.call('POST', `/v1/facilities/${facility}/inmates`, {
    token: await h.login(username),
    body: person(over),
  });
  if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function clientToken(scopes: string[]) {
  const admin = await h.login('admin');
  const clientId = `research.${scopes.join('-').replace('_', '')}`;
  const created = await h.call('POST', '/v1/api-clients', {
    token: admin,
    body: { client_id: clientId, name: 'Peneliti', scopes },
  });
  const token = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: clientId, client_secret: created.json().client_secret },
  });
  return token.json().access_token as string;
}

t.test('staff admit an inmate; the register checks what it can', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const url = `/v1/facilities/${fac.banjarnegara}/inmates`;
  const created = await h.call('POST', url, { token, body: person({ registration_number: 'B.I-001/2024' }) });
  t.equal(created.statusCode, 201);
  const inmate = created.json();
  t.match(inmate, {
    name: 'Budi Santoso',
    registration_number: 'B.I-001/2024',
    status: 'sentenced',
    facility_id: fac.banjarnegara,
  });
  t.match(inmate.pseudonym, /^WBP-[0-9A-Z]{10}$/);
  t.equal(created.headers.location, `/v1/inmates/${inmate.id}`);

  const before = await h.count('inmates');
  const dup = await h.call('POST', url, { token, body: person({ registration_number: 'B.I-001/2024' }) });
  t.equal(dup.statusCode, 409, 'registration number unique in the facility');
  const future = await h.call('POST', url, { token, body: person({ birth_date: '2099-01-01' }) });
  t.equal(future.statusCode, 422);
  t.equal(future.json().errors[0].pointer, '/birth_date');
  const early = await h.call('POST', url, { token, body: person({ admission_date: '1980-01-01' }) });
  t.equal(early.statusCode, 422, 'admitted before birth');
  const badCase = await h.call('POST', url, { token, body: person({ case_type: 'smuggling' }) });
  t.equal(badCase.statusCode, 400);
  const released = await h.call('POST', url, { token, body: person({ status: 'released' }) });
  t.equal(released.statusCode, 400, 'release has its own endpoint');
  t.equal(await h.count('inmates'), before, 'nothing written');

  const sameNumberElsewhere = await admit({ registration_number: 'B.I-001/2024' }, fac.kupang, 'staff.kupang');
  t.ok(sameNumberElsewhere.id, 'the same number at another facility is another person');
  const trail = await h.rows<{ action: string; facility_id: string }>(
    'SELECT action, facility_id FROM audit_events WHERE entity_id = $1',
    [inmate.id],
  );
  t.same(trail, [{ action: 'inmate.created', facility_id: fac.banjarnegara }]);
});

t.test('who reaches an inmate', async (t) => {
  const inmate = await admit();
  const cases: [string, number][] = [
    ['admin', 200],
    ['staff.banjarnegara', 200],
    ['head.banjarnegara', 200],
    ['bnnk.purbalingga', 200],
    ['staff.kupang', 404],
    ['kanwil.ntt', 404],
    ['bnnp.ntt', 404],
  ];
  for (const [username, status] of cases) {
    const token = await h.login(username);
    t.equal((await h.call('GET', `/v1/inmates/${inmate.id}`, { token })).statusCode, status, username);
    const list = await h.call('GET', '/v1/inmates?limit=200', { token });
    t.equal(
      list.json().data.some((i: { id: string }) => i.id === inmate.id),
      status === 200,
      `${username} in the list`,
    );
    const facilityList = await h.call('GET', `/v1/facilities/${fac.banjarnegara}/inmates`, { token });
    t.equal(facilityList.statusCode, status, `${username} facility list`);
  }
  const bnnk = await h.login('bnnk.purbalingga');
  const write = await h.call('PATCH', `/v1/inmates/${inmate.id}`, {
    token: bnnk,
    body: { block: 'C' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(write.statusCode, 403, 'a BNN officer reads but does not keep the register');
  const admitElsewhere = await h.call('POST', `/v1/facilities/${fac.kupang}/inmates`, {
    token: await h.login('staff.banjarnegara'),
    body: person(),
  });
  t.equal(admitElsewhere.statusCode, 404);
});

t.test('lists filter by name prefix, number, status, case type and block', async (t) => {
  const token = await h.login('head.banjarnegara');
  await admit({ name: 'Sariyem', case_type: 'narcotics_dealer', block: 'Z', registration_number: 'Z-1' });
  await admit({ name: 'Sarinah', case_type: 'non_narcotics', block: 'Z', status: 'detained' });
  const base = `/v1/facilities/${fac.banjarnegara}/inmates`;
  const names = async (q: string) =>
    (await h.call('GET', `${base}?${q}`, { token }))
      .json()
      .data.map((i: { name: string }) => i.name)
      .sort();
  t.same(await names('name=sari'), ['Sarinah', 'Sariyem']);
  t.same(await names('name=sari&case_type=narcotics_dealer'), ['Sariyem']);
  t.same(await names('block=Z&status=detained'), ['Sarinah']);
  t.same(await names('registration_number=Z-1'), ['Sariyem']);
});

t.test('personal data: API clients without the scope see pseudonyms only', async (t) => {
  const inmate = await admit({ name: 'Rahasia', registration_number: 'R-77' });
  const plain = await clientToken(['read']);
  const one = await h.call('GET', `/v1/inmates/${inmate.id}`, { token: plain });
  t.equal(one.statusCode, 200);
  t.match(one.json(), {
    id: inmate.id,
    pseudonym: inmate.pseudonym,
    name: null,
    registration_number: null,
    birth_date: null,
  });
  t.equal(one.json().placements[0].registration_number, null);
  t.notMatch(one.body, /Rahasia|R-77|1990-04-17/);
  const listed = await h.call('GET', `/v1/inmates?facility_id=${fac.banjarnegara}&limit=200`, { token: plain });
  t.notMatch(listed.body, /Rahasia|R-77/);
  t.ok(listed.json().data.every((i: { name: null }) => i.name === null));
  t.equal((await h.call('GET', '/v1/inmates?name=Rah', { token: plain })).statusCode, 403, 'no searching by name');
  t.equal((await h.call('GET', '/v1/inmates?registration_number=R-77', { token: plain })).statusCode, 403);

  const auditedBefore = await h.count('audit_events', `action = 'inmate.viewed'`);
  const named = await clientToken(['read', 'personal_data']);
  const seen = await h.call('GET', `/v1/inmates/${inmate.id}`, { token: named });
  t.match(seen.json(), { name: 'Rahasia', registration_number: 'R-77', birth_date: '1990-04-17' });
  const [event] = await h.rows<{ actor_type: string; entity_id: string; facility_id: string }>(
    `SELECT actor_type, entity_id, facility_id FROM audit_events WHERE action = 'inmate.viewed' ORDER BY seq DESC LIMIT 1`,
  );
  t.same(event, { actor_type: 'api_client', entity_id: inmate.id, facility_id: fac.banjarnegara });
  t.equal(
    await h.count('audit_events', `action = 'inmate.viewed'`),
    auditedBefore + 1,
    'the pseudonymous reads were not audited; this one is',
  );
  const staff = await h.login('staff.banjarnegara');
  const facilityList = await h.statementsOf(() =>
    h.call('GET', `/v1/facilities/${fac.banjarnegara}/inmates`, { token: staff }),
  );
  t.equal(
    await h.count('audit_events', `action = 'inmate.viewed'`),
    auditedBefore + 2,
    'a staff list read is audited once',
  );
  t.equal(facilityList.length, 2, 'the facility (404 when out of reach), then the list with its audit event');
  t.match(facilityList[1]?.statement, /INSERT INTO audit_events/);
  const list = await h.statementsOf(() =>
    h.call('GET', `/v1/inmates?facility_id=${fac.banjarnegara}`, { token: staff }),
  );
  t.equal(list.length, 1, 'a list in reach and its audit event: one statement');
  t.equal(await h.count('audit_events', `action = 'inmate.viewed'`), auditedBefore + 3);
  const [listEvent] = await h.rows<{ actor_type: string; entity_id: string | null; after: { url: string } }>(
    `SELECT actor_type, entity_id, after FROM audit_events WHERE action = 'inmate.viewed' ORDER BY seq DESC LIMIT 1`,
  );
  t.match(listEvent, {
    actor_type: 'user',
    entity_id: null,
    after: { url: `/v1/inmates?facility_id=${fac.banjarnegara}` },
  });

  const demo = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  const demoRead = await h.call('GET', `/v1/inmates/${inmate.id}`, { token: demo.json().access_token });
  t.equal(demoRead.json().name, null);
});

t.test('corrections need If-Match; closed records stay closed', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const inmate = await admit();
  const url = `/v1/inmates/${inmate.id}`;
  t.equal((await h.call('PATCH', url, { token, body: { block: 'B' } })).statusCode, 428);
  t.equal(
    (await h.call('PATCH', url, { token, body: { block: 'B' }, headers: { 'if-match': '"9"' } })).statusCode,
    412,
  );
  const moved = await h.call('PATCH', url, {
    token,
    body: { block: 'B', cell: 'B-1' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(moved.statusCode, 200);
  t.match(moved.json(), { block: 'B', cell: 'B-1', version: 2 });
  const wrongDate = await h.call('PATCH', url, {
    token,
    body: { birth_date: '2099-01-01' },
    headers: { 'if-match': '"2"' },
  });
  t.equal(wrongDate.statusCode, 422);
  const released = await h.call('POST', `${url}/release`, {
    token,
    body: { released_on: '2026-01-15', reason: 'parole' },
  });
  t.equal(released.statusCode, 200);
  t.match(released.json(), { status: 'released', released_on: '2026-01-15' });
  const late = await h.call('PATCH', url, { token, body: { block: 'C' }, headers: { 'if-match': '"3"' } });
  t.equal(late.statusCode, 409);
  const again = await h.call('POST', `${url}/release`, { token, body: { released_on: '2026-01-16' } });
  t.equal(again.statusCode, 409);
});

t.test('release: dates checked, stay closed, history kept', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const inmate = await admit();
  const url = `/v1/inmates/${inmate.id}`;
  const early = await h.call('POST', `${url}/release`, { token, body: { released_on: '2020-01-01' } });
  t.equal(early.statusCode, 422, 'before admission');
  const future = await h.call('POST', `${url}/release`, { token, body: { released_on: '2099-01-01' } });
  t.equal(future.statusCode, 422, 'in the future');
  const ok = await h.call('POST', `${url}/release`, {
    token,
    body: { released_on: '2025-06-30', reason: 'end_of_sentence' },
  });
  t.equal(ok.statusCode, 200);
  const read = await h.call('GET', url, { token });
  t.same(read.json().placements, [
    {
      facility_id: fac.banjarnegara,
      registration_number: inmate.registration_number,
      from_date: '2024-03-02',
      until_date: '2025-06-30',
      end_reason: 'end_of_sentence',
    },
  ]);
  t.equal(await h.count('audit_events', `action = 'inmate.released' AND entity_id = '${inmate.id}'`), 1);
});

t.test('transfer: the receiving facility holds the person; both stays are kept', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const inmate = await admit({ registration_number: 'TR-1' });
  const url = `/v1/inmates/${inmate.id}/transfer`;
  const same = await h.call('POST', url, {
    token: staff,
    body: { to_facility_id: fac.banjarnegara, transferred_on: '2026-02-01' },
  });
  t.equal(same.statusCode, 422);
  const far = await h.call('POST', url, {
    token: staff,
    body: { to_facility_id: fac.kupang, transferred_on: '2026-02-01' },
  });
  t.equal(far.statusCode, 422, 'another province is beyond facility staff');
  const missing = await h.call('POST', url, {
    token: staff,
    body: { to_facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d', transferred_on: '2026-02-01' },
  });
  t.equal(missing.statusCode, 422);
  const beforeStay = await h.call('POST', url, {
    token: staff,
    body: { to_facility_id: fac.purwokerto, transferred_on: '2020-01-01' },
  });
  t.equal(beforeStay.statusCode, 422, 'not before the current stay began');
  t.equal(await h.count('inmate_placements', `inmate_id = '${inmate.id}'`), 1, 'nothing half-written');

  const neighbour = await h.call('POST', url, {
    token: staff,
    body: { to_facility_id: fac.purwokerto, transferred_on: '2026-02-01' },
  });
  t.equal(neighbour.statusCode, 422, 'a facility outside the reach of the caller, even in the province');
  const admin = await h.login('admin');
  const moved = await h.call('POST', url, {
    token: admin,
    body: { to_facility_id: fac.purwokerto, transferred_on: '2026-02-01', registration_number: 'PWT-9/2026' },
  });
  t.equal(moved.statusCode, 200);
  t.match(moved.json(), {
    facility_id: fac.purwokerto,
    registration_number: 'PWT-9/2026',
    status: 'sentenced',
    block: null,
  });

  t.equal(
    (await h.call('GET', `/v1/inmates/${inmate.id}`, { token: staff })).statusCode,
    404,
    'the old facility no longer reaches them',
  );
  const history = await h.call('GET', `/v1/inmates/${inmate.id}`, { token: admin });
  t.same(
    history
      .json()
      .placements.map((p: Record<string, unknown>) => [
        p.facility_id,
        p.registration_number,
        p.from_date,
        p.until_date,
      ]),
    [
      [fac.banjarnegara, 'TR-1', '2024-03-02', '2026-02-01'],
      [fac.purwokerto, 'PWT-9/2026', '2026-02-01', null],
    ],
  );
  const events = await h.rows<{ facility_id: string }>(
    `SELECT facility_id FROM audit_events WHERE action = 'inmate.transferred' AND entity_id = $1 ORDER BY facility_id`,
    [inmate.id],
  );
  t.same(events.map((e) => e.facility_id).sort(), [fac.banjarnegara, fac.purwokerto].sort());

  const adminFar = await h.call('POST', `/v1/inmates/${inmate.id}/transfer`, {
    token: admin,
    body: { to_facility_id: fac.kupang, transferred_on: '2026-03-01' },
  });
  t.equal(adminFar.statusCode, 200, 'administrators transfer across provinces');
});

t.test('refusals come in their order: If-Match and Idempotency-Key, then reach, then role', async (t) => {
  const inmate = await admit();
  const url = `/v1/inmates/${inmate.id}`;
  const badKey = { 'idempotency-key': 'not a key' };
  const call = async (method: 'POST' | 'PATCH', path: string, username: string, body: unknown, headers = {}) =>
    (await h.call(method, path, { token: await h.login(username), body, headers })).json().code;
  // A correction reads If-Match before it looks for the person.
  t.equal(await call('PATCH', url, 'staff.kupang', { block: 'C' }), 'precondition_required');
  t.equal(await call('PATCH', url, 'bnnk.purbalingga', { block: 'C' }), 'precondition_required');
  t.equal(await call('PATCH', url, 'staff.kupang', { block: 'C' }, { 'if-match': '"1"' }), 'not_found');
  t.equal(await call('PATCH', url, 'bnnk.purbalingga', { block: 'C' }, { 'if-match': '"1"' }), 'forbidden');
  // A malformed Idempotency-Key is refused before the register's reach and role are judged.
  const here = `/v1/facilities/${fac.banjarnegara}/inmates`;
  const cases: [string, unknown][] = [
    [here, person()],
    [`${url}/release`, { released_on: '2026-11-20' }],
    [`${url}/transfer`, { to_facility_id: fac.kupang, transferred_on: '2026-11-20' }],
    [`${here}/import`, []],
  ];
  for (const [path, body] of cases) {
    for (const username of ['staff.kupang', 'bnnk.purbalingga', 'staff.banjarnegara']) {
      t.equal(await call('POST', path, username, body, badKey), 'idempotency_key_invalid', `${path} ${username}`);
    }
    t.equal(await call('POST', path, 'staff.kupang', body), 'not_found', `${path} out of reach`);
    t.equal(await call('POST', path, 'bnnk.purbalingga', body), 'forbidden', `${path} by a reader`);
  }
  t.equal((await h.call('GET', url, { token: await h.login('admin') })).json().status, 'sentenced', 'nothing moved');
});
