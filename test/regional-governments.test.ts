import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';
import { problem } from './helpers/p4gn.ts';

// Regional governments (pemerintah daerah): a new organisation type for a province or a regency or
// city, their officers' role, and what that role reaches inside the walls (nothing).
const h = await build(t);

t.test('a regional government names its province, and its regency or city when it has one', async (t) => {
  const token = await h.login('admin');
  const post = (body: Record<string, unknown>) =>
    h.call('POST', '/v1/organisations', { token, body: { type: 'regional_government', ...body } });
  const province = await post({ name: 'Pemerintah Provinsi Nusa Tenggara Barat', province_code: '52' });
  t.equal(province.statusCode, 201);
  t.match(province.json(), { type: 'regional_government', bnn_level: null, regency: null, timezone: 'Asia/Makassar' });
  const city = await post({ name: 'Pemerintah Kota Mataram', province_code: '52', regency: 'Kota Mataram' });
  t.equal(city.statusCode, 201);
  const before = await h.count('organisations');
  t.same(problem(await post({ name: 'Pemerintah Entah' })).pointers, ['/province_code']);
  t.same(problem(await post({ name: 'Pemprov NTB Kedua', province_code: '52' })), {
    status: 409,
    type: 'application/problem+json',
    code: 'conflict',
    pointers: [],
  });
  t.equal(
    (await post({ name: 'Pemkot Mataram Kedua', province_code: '52', regency: ' kota mataram' })).statusCode,
    409,
    'one government per city, whatever the case',
  );
  t.equal((await post({ name: 'Pemerintah Salah', province_code: '52', bnn_level: 'district' })).statusCode, 422);
  t.equal(await h.count('organisations'), before);

  // Its officers have their own role; other roles do not belong to it.
  const user = (role: string, organisation_id: string) =>
    h.call('POST', '/v1/users', {
      token,
      body: {
        username: `u${Math.random().toString(36).slice(2, 10)}`,
        display_name: 'Petugas Pemda',
        password: PASSWORD,
        role,
        organisation_id,
      },
    });
  t.equal((await user('regional_government_officer', city.json().id)).statusCode, 201);
  t.same(problem(await user('regional_government_officer', h.world.organisations['bnnp.ntt'] as string)).pointers, [
    '/organisation_id',
  ]);
  t.same(problem(await user('bnn_officer', city.json().id)).pointers, ['/organisation_id']);
  t.same(problem(await user('regional_viewer', city.json().id)).pointers, ['/organisation_id']);

  const res = await h.call('POST', '/v1/users', {
    token,
    body: {
      username: 'pemkot.mataram',
      display_name: 'Petugas Pemkot Mataram',
      password: PASSWORD,
      role: 'regional_government_officer',
      organisation_id: city.json().id,
    },
  });
  t.equal(res.statusCode, 201);
  const officer = await h.login('pemkot.mataram');
  const me = await h.call('GET', '/v1/me', { token: officer });
  t.match(me.json(), { role: 'regional_government_officer', organisation_id: city.json().id });
  t.same(me.json().facility_ids, [], 'no facility of its own');
  const facilities = await h.call('GET', '/v1/facilities', { token: officer });
  t.same(facilities.json().data, [], 'no prison in reach');
  t.equal((await h.call('GET', `/v1/facilities/${h.world.facilities.mataram}`, { token: officer })).statusCode, 404);
  t.equal((await h.call('GET', '/v1/mous', { token: officer })).json().data.length, 0);
});

t.test('one government per area, whatever the spacing, also when asked twice at once', async (t) => {
  const token = await h.login('admin');
  const post = (body: Record<string, unknown>) =>
    h.call('POST', '/v1/organisations', { token, body: { type: 'regional_government', province_code: '53', ...body } });
  const city = await post({ name: 'Pemerintah Kota Kupang', regency: ' Kota   Kupang ' });
  t.equal(city.statusCode, 201);
  t.equal(city.json().regency, 'Kota Kupang', 'stored tidied');
  const before = await h.count('organisations');
  t.same(
    problem(await post({ name: 'Pemkot Kupang Kedua', regency: 'Kota  Kupang' })),
    { status: 409, type: 'application/problem+json', code: 'conflict', pointers: [] },
    'two spaces name the same city',
  );
  t.equal(await h.count('organisations'), before);

  const regency = await post({ name: 'Pemerintah Kabupaten Belu', regency: 'Belu' });
  t.equal(regency.statusCode, 201);
  const moved = await h.call('PATCH', `/v1/organisations/${regency.json().id}`, {
    token,
    body: { regency: 'kota   kupang' },
    headers: { 'if-match': '"1"' },
  });
  t.same(problem(moved), { status: 409, type: 'application/problem+json', code: 'conflict', pointers: [] });
  const tidied = await h.call('PATCH', `/v1/organisations/${regency.json().id}`, {
    token,
    body: { regency: '  Belu  ' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(tidied.json().regency, 'Belu');
});

t.test(
  'two requests for one area at once: one government',
  { skip: h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const token = await h.login('admin');
    for (let round = 0; round < 6; round++) {
      const answers = await Promise.all(
        ['Satu', 'Dua'].map((n) =>
          h.call('POST', '/v1/organisations', {
            token,
            body: {
              type: 'regional_government',
              name: `Pemerintah Kabupaten Serentak ${round} ${n}`,
              province_code: '51',
              regency: round % 2 ? `Serentak ${round}` : `serentak  ${round}`,
            },
          }),
        ),
      );
      t.same(answers.map((a) => a.statusCode).sort(), [201, 409], `round ${round}`);
      t.same(
        answers.filter((a) => a.statusCode === 409).map((a) => a.json().code),
        ['conflict'],
        'the same answer as the check',
      );
      t.equal(
        await h.count('organisations', `type = 'regional_government' AND lower(regency) = 'serentak ${round}'`),
        1,
      );
    }
  },
);
