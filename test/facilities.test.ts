import t from 'tap';
import { build } from './helpers/app.ts';

const h = await build(t);
const fac = h.world.facilities;
const org = h.world.organisations;

t.test('each role sees the facilities in its reach', async (t) => {
  const cases: [string, string[]][] = [
    ['admin', Object.values(fac)],
    ['staff.banjarnegara', [fac.banjarnegara as string]],
    ['head.banjarnegara', [fac.banjarnegara as string]],
    ['bnnk.purbalingga', [fac.banjarnegara as string]],
    ['kanwil.ntt', [fac.kupang as string, fac['lpp.kupang'] as string]],
    ['bnnp.ntt', [fac.kupang as string, fac['lpp.kupang'] as string]],
  ];
  for (const [username, expected] of cases) {
    const res = await h.call('GET', '/v1/facilities?limit=200', { token: await h.login(username) });
    t.equal(res.statusCode, 200, username);
    t.same(
      res
        .json()
        .data.map((f: { id: string }) => f.id)
        .sort(),
      [...expected].sort(),
      username,
    );
  }
});

t.test('a facility outside reach is a 404, like a missing one', async (t) => {
  const token = await h.login('bnnk.purbalingga');
  const own = await h.call('GET', `/v1/facilities/${fac.banjarnegara}`, { token });
  t.equal(own.statusCode, 200);
  t.equal(own.headers.etag, '"1"');
  const other = await h.call('GET', `/v1/facilities/${fac.kupang}`, { token });
  t.equal(other.statusCode, 404);
  t.match(other.headers['content-type'], /^application\/problem\+json/);
  t.equal(other.json().code, 'not_found');
  const missing = await h.call('GET', '/v1/facilities/01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d', { token });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().detail, other.json().detail);
});

t.test('an administrator creates a facility; the rules of place hold', async (t) => {
  const token = await h.login('admin');
  const body = {
    type: 'lapas_narkotika',
    class: 'IIA',
    name: 'Lapas Narkotika Kelas IIA Kupang',
    province_code: '53',
    regency: 'Kota Kupang',
    capacity: 300,
    timezone: 'Asia/Makassar',
  };
  const wrongZone = await h.call('POST', '/v1/facilities', { token, body: { ...body, timezone: 'Asia/Jakarta' } });
  t.equal(wrongZone.statusCode, 422);
  t.equal(wrongZone.json().errors[0].pointer, '/timezone');
  const notIndonesian = await h.call('POST', '/v1/facilities', {
    token,
    body: { ...body, timezone: 'Asia/Singapore' },
  });
  t.equal(notIndonesian.statusCode, 400);
  const wrongKanwil = await h.call('POST', '/v1/facilities', {
    token,
    body: { ...body, kanwil_id: org['kanwil.jateng'] },
  });
  t.equal(wrongKanwil.statusCode, 422);
  t.equal(await h.count('facilities'), 7, 'nothing written by refused requests');

  const created = await h.call('POST', '/v1/facilities', { token, body });
  t.equal(created.statusCode, 201);
  const facility = created.json();
  t.equal(facility.kanwil_id, org['kanwil.ntt']);
  t.equal(created.headers.location, `/v1/facilities/${facility.id}`);
  const audit = await h.rows<{ action: string; facility_id: string }>(
    `SELECT action, facility_id FROM audit_events WHERE entity_id = $1`,
    [facility.id],
  );
  t.same(audit, [{ action: 'facility.created', facility_id: facility.id }]);

  const dup = await h.call('POST', '/v1/facilities', { token, body });
  t.equal(dup.statusCode, 409);
  t.equal(dup.json().code, 'already_exists');
});

t.test('only administrators create or change facilities', async (t) => {
  for (const username of ['staff.banjarnegara', 'head.banjarnegara', 'bnnk.purbalingga', 'kanwil.ntt']) {
    const token = await h.login(username);
    const res = await h.call('PATCH', `/v1/facilities/${fac.banjarnegara}`, {
      token,
      body: { capacity: 10 },
      headers: { 'if-match': '"1"' },
    });
    t.equal(res.statusCode, 403, username);
  }
});

t.test('updates need If-Match and a current version', async (t) => {
  const token = await h.login('admin');
  const url = `/v1/facilities/${fac.purwokerto}`;
  const none = await h.call('PATCH', url, { token, body: { capacity: 400 } });
  t.equal(none.statusCode, 428);
  const stale = await h.call('PATCH', url, { token, body: { capacity: 400 }, headers: { 'if-match': '"7"' } });
  t.equal(stale.statusCode, 412);
  t.equal(stale.json().code, 'precondition_failed');
  t.equal(
    stale.json().detail,
    'The record has changed since you read it (now version 1); read it again.',
    'names the version to read again',
  );
  const ok = await h.call('PATCH', url, { token, body: { capacity: 400 }, headers: { 'if-match': '"1"' } });
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().capacity, 400);
  t.equal(ok.headers.etag, '"2"');
  const again = await h.call('PATCH', url, { token, body: { capacity: 410 }, headers: { 'if-match': '"1"' } });
  t.equal(again.statusCode, 412, 'the old ETag no longer matches');
  const [row] = await h.rows<{ capacity: number; version: number }>(
    'SELECT capacity, version FROM facilities WHERE id = $1',
    [fac.purwokerto],
  );
  t.same(row, { capacity: 400, version: 2 });
});

t.test('lists filter and page with a cursor', async (t) => {
  const token = await h.login('admin');
  const first = await h.call('GET', '/v1/facilities?limit=3', { token });
  t.equal(first.json().data.length, 3);
  const seen = first.json().data.map((f: { id: string }) => f.id);
  let cursor = first.json().next_cursor;
  while (cursor) {
    const next = await h.call('GET', `/v1/facilities?limit=3&cursor=${cursor}`, { token });
    seen.push(...next.json().data.map((f: { id: string }) => f.id));
    cursor = next.json().next_cursor;
  }
  t.equal(new Set(seen).size, await h.count('facilities'));
  const ntt = await h.call('GET', '/v1/facilities?province_code=53&name=lapas%20kelas', { token });
  t.same(
    ntt.json().data.map((f: { name: string }) => f.name),
    ['Lapas Kelas IIA Kupang'],
  );
  const bad = await h.call('GET', '/v1/facilities?cursor=nonsense', { token });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'invalid_cursor');
});

t.test('a refused role is a 403 before If-Match or a lookup is judged', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const missing = '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d';
  const patches: [string, Record<string, string>][] = [
    ['without If-Match', {}],
    ['with a malformed If-Match', { 'if-match': 'banana' }],
    ['with a stale If-Match', { 'if-match': '"7"' }],
  ];
  for (const [what, headers] of patches) {
    for (const id of [fac.banjarnegara, fac.kupang, missing]) {
      const res = await h.call('PATCH', `/v1/facilities/${id}`, { token, body: { capacity: 10 }, headers });
      t.equal(
        res.statusCode,
        403,
        `PATCH ${what}, ${id === missing ? 'missing' : id === fac.kupang ? 'out-of-reach' : 'own'} facility`,
      );
    }
  }
  const body = {
    type: 'rutan',
    class: 'IIB',
    name: 'Rutan Uji Urutan',
    province_code: '33',
    regency: 'Kab. Banjarnegara',
    capacity: 10,
    timezone: 'Asia/Jakarta',
  };
  const post = await h.call('POST', '/v1/facilities', { token, body, headers: { 'idempotency-key': 'order-1' } });
  t.equal(post.statusCode, 403, 'POST with an Idempotency-Key');
  // The key's form is judged by the replay hook, before any route runs: a 400 even for a refused role.
  const malformed = await h.call('POST', '/v1/facilities', {
    token,
    body,
    headers: { 'idempotency-key': 'not a key' },
  });
  t.equal(malformed.statusCode, 400, 'POST with a malformed Idempotency-Key');
  const [made] = await h.rows<{ n: number }>(
    "SELECT count(*)::int AS n FROM facilities WHERE name = 'Rutan Uji Urutan'",
  );
  t.equal(made?.n, 0, 'nothing was created');
  const admin = await h.login('admin');
  const badKey = await h.call('POST', '/v1/facilities', {
    token: admin,
    body,
    headers: { 'idempotency-key': 'not a key' },
  });
  t.equal(badKey.statusCode, 400, 'the key is judged once the role passes');
  t.equal(badKey.json().code, 'idempotency_key_invalid');
  const none = await h.call('PATCH', `/v1/facilities/${missing}`, { token: admin, body: { capacity: 10 } });
  t.equal(none.statusCode, 428, 'If-Match is judged before the lookup');
  const bad = await h.call('PATCH', `/v1/facilities/${missing}`, {
    token: admin,
    body: { capacity: 10 },
    headers: { 'if-match': 'banana' },
  });
  t.equal(bad.statusCode, 412);
});
