import t from 'tap';
import { build } from './helpers/app.ts';

const h = await build(t);
const fac = h.world.facilities;
const org = h.world.organisations;
const ids = (res: { json(): { data: { id: string }[] } }) =>
  res
    .json()
    .data.map((m) => m.id)
    .sort();

const [banjarnegaraMou] = await h.rows<{ id: string }>(
  `SELECT m.id FROM mous m JOIN mou_facilities f ON f.mou_id = m.id WHERE f.facility_id = $1`,
  [fac.banjarnegara],
);
const mouId = banjarnegaraMou?.id as string;

const draft = (over: Record<string, unknown> = {}) => ({
  number: `PKS/${Math.random().toString(36).slice(2, 8)}/2026`,
  title: 'Tes urine bersama',
  bnn_unit_id: org['bnnk.purbalingga'],
  facility_ids: [fac.purwokerto],
  scope: ['urine_testing'],
  valid_from: '2026-01-05',
  valid_until: '2028-01-04',
  ...over,
});

t.test('the demo MoU of BNNK Purbalingga and Rutan Banjarnegara', async (t) => {
  const res = await h.call('GET', `/v1/mous/${mouId}`, { token: await h.login('bnnk.purbalingga') });
  t.equal(res.statusCode, 200);
  t.match(res.json(), {
    bnn_unit_name: 'BNNK Purbalingga',
    signed_on: '2024-12-13',
    valid_from: '2024-12-13',
    valid_until: '2029-12-12',
    status: 'active',
  });
  t.same(res.json().facility_ids, [fac.banjarnegara]);
});

t.test('who sees which MoU', async (t) => {
  const all = (await h.rows<{ id: string }>('SELECT id FROM mous')).map((r) => r.id);
  const cases: [string, number][] = [
    ['admin', all.length],
    ['staff.banjarnegara', 1],
    ['head.banjarnegara', 1],
    ['bnnk.purbalingga', 1],
    ['kanwil.ntt', 1],
    ['bnnp.ntt', 1],
    ['staff.kupang', 1],
  ];
  for (const [username, n] of cases) {
    const res = await h.call('GET', '/v1/mous', { token: await h.login(username) });
    t.equal(res.statusCode, 200, username);
    t.equal(res.json().data.length, n, username);
  }
  for (const username of ['bnnp.ntt', 'staff.kupang', 'kanwil.ntt']) {
    const res = await h.call('GET', `/v1/mous/${mouId}`, { token: await h.login(username) });
    t.equal(res.statusCode, 404, `${username} may not see the Banjarnegara MoU`);
  }
  const client = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: 'test-password-123' },
  });
  const national = await h.call('GET', '/v1/mous', { token: client.json().access_token });
  t.equal(national.json().data.length, all.length, 'a national API client reads all');
  const filtered = await h.call('GET', `/v1/mous?status=expired`, { token: await h.login('admin') });
  t.same(
    filtered.json().data.map((m: { number: string }) => m.number),
    ['PKS/06/VI/2024/BNNP-KALBAR'],
  );
  const scoped = await h.call('GET', `/v1/mous?scope=rehabilitation&facility_id=${fac.banjarnegara}`, {
    token: await h.login('admin'),
  });
  t.same(ids(scoped), [mouId]);
});

t.test('a BNNK records an MoU for its own province only', async (t) => {
  const token = await h.login('bnnk.purbalingga');
  const before = await h.count('mous');
  const far = await h.call('POST', '/v1/mous', { token, body: draft({ facility_ids: [fac.kupang] }) });
  t.equal(far.statusCode, 422);
  t.match(far.json().detail, /own regency or province/);
  t.equal(far.json().errors[0].pointer, '/facility_ids');
  const farId = await h.call('POST', '/v1/mous', {
    token,
    body: draft({ facility_ids: [fac.kupang] }),
    headers: { 'accept-language': 'id-ID,id;q=0.9,en;q=0.5' },
  });
  t.match(farId.json().detail, /kabupaten\/kota atau provinsinya sendiri/);
  const dates = await h.call('POST', '/v1/mous', { token, body: draft({ valid_until: '2026-01-05' }) });
  t.equal(dates.statusCode, 422);
  t.equal(dates.json().errors[0].pointer, '/valid_until');
  const otherUnit = await h.call('POST', '/v1/mous', { token, body: draft({ bnn_unit_id: org['bnnp.ntt'] }) });
  t.equal(otherUnit.statusCode, 422);
  const notBnn = await h.call('POST', '/v1/mous', {
    token: await h.login('admin'),
    body: draft({ bnn_unit_id: org['kanwil.jateng'] }),
  });
  t.equal(notBnn.statusCode, 422);
  const badScope = await h.call('POST', '/v1/mous', { token, body: draft({ scope: ['parties'] }) });
  t.equal(badScope.statusCode, 400);
  const staff = await h.call('POST', '/v1/mous', { token: await h.login('staff.banjarnegara'), body: draft() });
  t.equal(staff.statusCode, 403);
  t.equal(await h.count('mous'), before, 'nothing written');

  const selfSigned = await h.call('POST', '/v1/mous', { token, body: draft({ signed_on: '2026-01-05' }) });
  t.equal(selfSigned.statusCode, 422, 'a unit cannot bring its own MoU into force');
  t.equal(selfSigned.json().errors[0].pointer, '/signed_on');

  const ok = await h.call('POST', '/v1/mous', { token, body: draft() });
  t.equal(ok.statusCode, 201);
  t.equal(ok.json().status, 'draft');
  const url = `/v1/mous/${ok.json().id}`;
  const me = async () => (await h.call('GET', '/v1/me', { token })).json().facility_ids as string[];
  t.notOk((await me()).includes(fac.purwokerto as string), 'a draft gives no reach');
  const signItself = await h.call('PATCH', url, {
    token,
    body: { signed_on: '2026-01-05' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(signItself.statusCode, 422);
  const signed = await h.call('PATCH', url, {
    token: await h.login('admin'),
    body: { signed_on: '2026-01-05' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(signed.statusCode, 200);
  t.equal(signed.json().status, 'active');
  t.ok((await me()).includes(fac.purwokerto as string), 'the signed MoU widens the BNNK reach');
  const widen = await h.call('PATCH', url, {
    token,
    body: { facility_ids: [fac.purwokerto, fac.banjarnegara] },
    headers: { 'if-match': '"2"' },
  });
  t.equal(widen.statusCode, 422, "a signed MoU's terms change only by an administrator");
  const events = await h.count('audit_events', `action = 'mou.created' AND entity_id = '${ok.json().id}'`);
  t.equal(events, 1);
});

t.test('a BNN RI agreement may cover any province', async (t) => {
  const res = await h.call('POST', '/v1/mous', {
    token: await h.login('admin'),
    body: draft({ bnn_unit_id: org.bnn, facility_ids: [fac.kupang, fac.abepura, fac.banjarnegara] }),
  });
  t.equal(res.statusCode, 201);
  t.equal(res.json().facility_ids.length, 3);
});

t.test('status follows the dates and the signature', async (t) => {
  const token = await h.login('admin');
  const unsigned = await h.call('POST', '/v1/mous', { token, body: draft({ signed_on: undefined }) });
  t.equal(unsigned.json().status, 'draft');
  const future = await h.call('POST', '/v1/mous', {
    token,
    body: draft({ signed_on: '2026-01-05', valid_from: '2099-01-01', valid_until: '2100-01-01' }),
  });
  t.equal(future.json().status, 'draft', 'signed but not yet in force');
  const past = await h.call('POST', '/v1/mous', {
    token,
    body: draft({ signed_on: '2019-12-01', valid_from: '2020-01-01', valid_until: '2021-01-01' }),
  });
  t.equal(past.json().status, 'expired');
  // None of the three widens the unit's reach: it is what its MoUs in force cover, whatever ran before.
  const bnnk = await h.login('bnnk.purbalingga');
  const inForce = await h.call('GET', '/v1/mous?status=active&limit=200', { token: bnnk });
  const covered = new Set<string>(inForce.json().data.flatMap((m: { facility_ids: string[] }) => m.facility_ids));
  const bnnkReach = await h.call('GET', '/v1/me', { token: bnnk });
  t.same([...bnnkReach.json().facility_ids].sort(), [...covered].sort());
});

t.test('update with If-Match; terminate with a reason', async (t) => {
  const admin = await h.login('admin');
  const created = await h.call('POST', '/v1/mous', {
    token: admin,
    body: draft({ facility_ids: [fac.kupang], bnn_unit_id: org['bnnp.ntt'] }),
  });
  const id = created.json().id;
  const url = `/v1/mous/${id}`;
  const noMatch = await h.call('PATCH', url, { token: admin, body: { title: 'Baru' } });
  t.equal(noMatch.statusCode, 428);
  const patched = await h.call('PATCH', url, {
    token: admin,
    body: { scope: ['training', 'inspection'] },
    headers: { 'if-match': '"1"' },
  });
  t.equal(patched.statusCode, 200);
  t.same(patched.json().scope, ['training', 'inspection']);
  t.equal(patched.headers.etag, '"2"');

  const otherBnn = await h.call('POST', `${url}/terminate`, {
    token: await h.login('bnnk.purbalingga'),
    body: { reason: 'bukan milik kami' },
  });
  t.equal(otherBnn.statusCode, 404, 'another unit does not see it');
  const staff = await h.call('POST', `${url}/terminate`, {
    token: await h.login('staff.kupang'),
    body: { reason: 'staf tidak berwenang' },
  });
  t.equal(staff.statusCode, 403);
  const shortReason = await h.call('POST', `${url}/terminate`, {
    token: await h.login('head.kupang'),
    body: { reason: 'x' },
  });
  t.equal(shortReason.statusCode, 400);
  const head = await h.call('POST', `${url}/terminate`, {
    token: await h.login('head.kupang'),
    body: { reason: 'Digantikan PKS baru' },
  });
  t.equal(head.statusCode, 200);
  t.equal(head.json().status, 'terminated');
  t.equal(head.json().termination_reason, 'Digantikan PKS baru');
  const again = await h.call('POST', `${url}/terminate`, { token: admin, body: { reason: 'sekali lagi' } });
  t.equal(again.statusCode, 409);
  const edit = await h.call('PATCH', url, { token: admin, body: { title: 'Ubah' }, headers: { 'if-match': '"3"' } });
  t.equal(edit.statusCode, 409, 'a terminated MoU is not edited');
  const trail = await h.rows<{ action: string }>(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY seq`, [
    id,
  ]);
  t.same(
    trail.map((r) => r.action),
    ['mou.created', 'mou.updated', 'mou.terminated'],
  );
});

t.test('terminating the only MoU ends a BNNK reach', async (t) => {
  const token = await h.login('bnnk.purbalingga');
  const mine = await h.call('GET', '/v1/mous?status=active', { token });
  for (const m of mine.json().data) {
    const res = await h.call('POST', `/v1/mous/${m.id}/terminate`, { token, body: { reason: 'Berakhir lebih awal' } });
    t.equal(res.statusCode, 200);
  }
  const facility = await h.call('GET', `/v1/facilities/${fac.banjarnegara}`, { token });
  t.equal(facility.statusCode, 404);
  const stillMine = await h.call('GET', `/v1/mous/${mouId}`, { token });
  t.equal(stillMine.statusCode, 200, 'its own terminated MoU stays visible to the unit');
  t.equal(stillMine.json().status, 'terminated');
});

t.test("an MoU's status and the reach it gives follow the service clock in the unit's zone", async (t) => {
  // The demo MoU runs from 13 December 2024 to 12 December 2029, in BNNK Purbalingga's WIB.
  let now = new Date('2029-12-12T16:59:59Z');
  const c = await build(t, {}, { clock: () => now });
  const [mou] = await c.rows<{ id: string }>(
    `SELECT m.id FROM mous m JOIN mou_facilities f ON f.mou_id = m.id WHERE f.facility_id = $1`,
    [c.world.facilities.banjarnegara],
  );
  const token = await c.login('bnnk.purbalingga');
  const seen = async () => ({
    status: (await c.call('GET', `/v1/mous/${mou?.id}`, { token })).json().status,
    listed: (await c.call('GET', '/v1/mous?status=active', { token })).json().data.length,
    facility: (await c.call('GET', `/v1/facilities/${c.world.facilities.banjarnegara}`, { token })).statusCode,
  });
  t.same(await seen(), { status: 'active', listed: 1, facility: 200 }, '23:59:59 WIB on its last day');
  now = new Date('2029-12-12T17:00:00Z');
  t.same(await seen(), { status: 'expired', listed: 0, facility: 404 }, 'midnight WIB: it has ended');
  now = new Date('2024-12-12T16:59:59Z');
  t.same(await seen(), { status: 'draft', listed: 0, facility: 404 }, 'the evening before it began');
});

t.test('a refused role is a 403 before If-Match or a lookup is judged', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const missing = '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d';
  for (const id of [mouId, missing]) {
    for (const headers of [{}, { 'if-match': 'banana' }, { 'if-match': '"99"' }] as Record<string, string>[]) {
      const res = await h.call('PATCH', `/v1/mous/${id}`, { token: staff, body: { title: 'Judul baru' }, headers });
      t.equal(
        res.statusCode,
        403,
        `PATCH ${id === missing ? 'a missing' : 'an'} MoU, If-Match ${JSON.stringify(headers)}`,
      );
    }
  }
  const post = await h.call('POST', '/v1/mous', {
    token: staff,
    body: draft(),
    headers: { 'idempotency-key': 'order-1' },
  });
  t.equal(post.statusCode, 403, 'POST with an Idempotency-Key');
  const end = await h.call('POST', `/v1/mous/${missing}/terminate`, {
    token: await h.login('kanwil.ntt'),
    body: { reason: 'Tidak berlaku lagi' },
    headers: { 'idempotency-key': 'order-2' },
  });
  t.equal(end.statusCode, 403, 'terminate by a role that may not, even of a missing MoU');
  // A role that may edit some MoU: If-Match first, then the lookup (404 outside its unit).
  const officer = await h.login('bnnp.ntt');
  const none = await h.call('PATCH', `/v1/mous/${mouId}`, { token: officer, body: { title: 'Judul baru' } });
  t.equal(none.statusCode, 428);
  const bad = await h.call('PATCH', `/v1/mous/${mouId}`, {
    token: officer,
    body: { title: 'Judul baru' },
    headers: { 'if-match': 'banana' },
  });
  t.equal(bad.statusCode, 412);
  const other = await h.call('PATCH', `/v1/mous/${mouId}`, {
    token: officer,
    body: { title: 'Judul baru' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(other.statusCode, 404, "another unit's MoU is out of reach");
});

t.test('each write answers the MoU as a read of it then shows it, and as its audit event records it', async (t) => {
  const officer = await h.login('bnnk.purbalingga');
  const created = await h.call('POST', '/v1/mous', { token: officer, body: draft() });
  t.equal(created.statusCode, 201);
  const id = created.json().id;
  t.equal(created.headers.location, `/v1/mous/${id}`);
  const read = async () => (await h.call('GET', `/v1/mous/${id}`, { token: officer })).json();
  const recorded = async (action: string) => {
    const [row] = await h.rows<{ after: unknown }>(
      'SELECT after FROM audit_events WHERE entity_id = $1 AND action = $2 ORDER BY seq DESC LIMIT 1',
      [id, action],
    );
    return row?.after;
  };
  t.same(created.json(), await read(), 'created');
  t.same(created.json(), await recorded('mou.created'));
  const patched = await h.call('PATCH', `/v1/mous/${id}`, {
    token: officer,
    body: { title: 'Tes urine dan rehabilitasi', facility_ids: [fac.purwokerto, fac.banjarnegara] },
    headers: { 'if-match': '"1"' },
  });
  t.equal(patched.statusCode, 200);
  t.same(patched.json(), await read(), 'updated');
  t.same(patched.json(), await recorded('mou.updated'));
  t.same(patched.json().facility_ids, [fac.purwokerto, fac.banjarnegara].sort());
  const ended = await h.call('POST', `/v1/mous/${id}/terminate`, {
    token: officer,
    body: { reason: 'Tidak dilanjutkan' },
  });
  t.equal(ended.statusCode, 200);
  t.same(ended.json(), await read(), 'terminated');
  t.same(ended.json(), await recorded('mou.terminated'));
});
