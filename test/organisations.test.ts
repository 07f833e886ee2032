import t from 'tap';
import { build } from './helpers/app.ts';

const h = await build(t);
const org = h.world.organisations;

t.test('every signed-in caller reads organisations; filters work', async (t) => {
  for (const username of ['admin', 'staff.banjarnegara', 'bnnk.purbalingga', 'kanwil.ntt']) {
    const res = await h.call('GET', '/v1/organisations?limit=200', { token: await h.login(username) });
    t.equal(res.statusCode, 200, username);
    t.equal(res.json().data.length, await h.count('organisations'), username);
  }
  const token = await h.login('staff.banjarnegara');
  const districts = await h.call('GET', '/v1/organisations?type=bnn&bnn_level=district&province_code=33', { token });
  t.same(
    districts.json().data.map((o: { name: string }) => o.name),
    ['BNNK Purbalingga'],
  );
  const one = await h.call('GET', `/v1/organisations/${org['kanwil.ntt']}`, { token });
  t.match(one.json(), {
    type: 'kanwil',
    province_code: '53',
    province_name: 'Nusa Tenggara Timur',
    timezone: 'Asia/Makassar',
  });
  const anonymous = await h.call('GET', '/v1/organisations');
  t.equal(anonymous.statusCode, 401);
});

t.test('creating organisations: shape rules and one Kanwil per province', async (t) => {
  const token = await h.login('admin');
  const before = await h.count('organisations');
  const noLevel = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'bnn', name: 'BNNK Tanpa Level', province_code: '33' },
  });
  t.equal(noLevel.statusCode, 422);
  t.equal(noLevel.json().errors[0].pointer, '/bnn_level');
  const noRegency = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'bnn', bnn_level: 'district', name: 'BNNK Cilacap', province_code: '33' },
  });
  t.equal(noRegency.statusCode, 422);
  const kanwilNoProvince = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'kanwil', name: 'Kanwil Entah' },
  });
  t.equal(kanwilNoProvince.statusCode, 422);
  const secondKanwil = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'kanwil', name: 'Kanwil Kedua NTT', province_code: '53' },
  });
  t.equal(secondKanwil.statusCode, 409);
  const unknownField = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'kanwil', name: 'Kanwil Bali', province_code: '51', colour: 'red' },
  });
  t.equal(unknownField.statusCode, 400);
  const badProvince = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'kanwil', name: 'Kanwil X', province_code: '99' },
  });
  t.equal(badProvince.statusCode, 400);
  t.equal(await h.count('organisations'), before, 'nothing written');

  const bali = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'kanwil', name: 'Kanwil Ditjenpas Bali', province_code: '51' },
  });
  t.equal(bali.statusCode, 201);
  t.equal(bali.json().timezone, 'Asia/Makassar', 'time zone from the province');
  const cilacap = await h.call('POST', '/v1/organisations', {
    token,
    body: {
      type: 'bnn',
      bnn_level: 'district',
      name: 'BNNK Cilacap',
      province_code: '33',
      regency: 'Cilacap',
      parent_id: org['bnnp.jateng'],
    },
  });
  t.equal(cilacap.statusCode, 201);
  const forbidden = await h.call('POST', '/v1/organisations', {
    token: await h.login('kanwil.ntt'),
    body: { type: 'kanwil', name: 'Kanwil Ditjenpas Maluku', province_code: '81' },
  });
  t.equal(forbidden.statusCode, 403);
});

t.test('renaming an organisation needs its current ETag', async (t) => {
  const token = await h.login('admin');
  const url = `/v1/organisations/${org['bnnk.kupang']}`;
  const read = await h.call('GET', url, { token });
  const renamed = await h.call('PATCH', url, {
    token,
    body: { name: 'BNN Kota Kupang (BNNK)' },
    headers: { 'if-match': read.headers.etag as string },
  });
  t.equal(renamed.statusCode, 200);
  t.equal(renamed.json().name, 'BNN Kota Kupang (BNNK)');
  const stale = await h.call('PATCH', url, {
    token,
    body: { name: 'Lagi' },
    headers: { 'if-match': read.headers.etag as string },
  });
  t.equal(stale.statusCode, 412);
  const dropRegency = await h.call('PATCH', url, {
    token,
    body: { regency: null },
    headers: { 'if-match': renamed.headers.etag as string },
  });
  t.equal(dropRegency.statusCode, 422, 'a BNNK keeps its regency');
  const [event] = await h.rows<{ before: { name: string }; after: { name: string } }>(
    `SELECT before, after FROM audit_events WHERE action = 'organisation.updated' AND entity_id = $1`,
    [org['bnnk.kupang']],
  );
  t.equal(event?.before.name, 'BNN Kota Kupang');
  t.equal(event?.after.name, 'BNN Kota Kupang (BNNK)');
});

t.test('a refused role is a 403 before If-Match or a lookup is judged', async (t) => {
  const token = await h.login('kanwil.ntt');
  const missing = '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d';
  for (const id of [h.world.organisations['kanwil.ntt'] as string, missing]) {
    for (const headers of [{}, { 'if-match': 'banana' }, { 'if-match': '"99"' }] as Record<string, string>[]) {
      const res = await h.call('PATCH', `/v1/organisations/${id}`, { token, body: { name: 'Nama baru' }, headers });
      t.equal(
        res.statusCode,
        403,
        `PATCH ${id === missing ? 'a missing' : 'an'} organisation, ${JSON.stringify(headers)}`,
      );
    }
  }
  const post = await h.call('POST', '/v1/organisations', {
    token,
    body: { type: 'ministry', name: 'Kementerian Uji' },
    headers: { 'idempotency-key': 'order-1' },
  });
  t.equal(post.statusCode, 403, 'POST with an Idempotency-Key');
  const admin = await h.login('admin');
  const none = await h.call('PATCH', `/v1/organisations/${missing}`, { token: admin, body: { name: 'Nama baru' } });
  t.equal(none.statusCode, 428, 'If-Match before the lookup');
  const gone = await h.call('PATCH', `/v1/organisations/${missing}`, {
    token: admin,
    body: { name: 'Nama baru' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(gone.statusCode, 404);
});
