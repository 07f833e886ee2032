import t, { type Test } from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// GET /v1/colleagues: staff find the ids of the people they work with (issue 16).
const h = await build(t, { AUTH_RATE_LIMIT_MAX: '1000' });
const org = h.world.organisations;
const fac = h.world.facilities;

type Colleague = { id: string; display_name: string; role: string };

async function idOf(username: string): Promise<string> {
  const [row] = await h.rows<{ id: string }>('SELECT id::text AS id FROM users WHERE username = $1', [username]);
  return row?.id as string;
}

/** A user made by the administrator through the API. */
async function createUser(t: Test, body: Record<string, unknown>): Promise<Colleague & { version: number }> {
  const res = await h.call('POST', '/v1/users', {
    token: await h.login('admin'),
    body: { password: 'kata-sandi-yang-panjang', ...body },
  });
  t.equal(res.statusCode, 201, `created ${body.username}`);
  return res.json();
}

const colleague = (u: Colleague) => ({ id: u.id, display_name: u.display_name, role: u.role });

async function list(username: string, query = '') {
  return h.call('GET', `/v1/colleagues${query}`, { token: await h.login(username) });
}

t.test('a BNN officer lists the active users of their own unit only, unaudited', async (t) => {
  const active = await createUser(t, {
    username: 'fasilitator.purbalingga',
    display_name: 'Dewi Fasilitator',
    role: 'bnn_officer',
    organisation_id: org['bnnk.purbalingga'],
  });
  const disabled = await createUser(t, {
    username: 'lama.purbalingga',
    display_name: 'Agus Pensiun',
    role: 'bnn_officer',
    organisation_id: org['bnnk.purbalingga'],
  });
  const off = await h.call('PATCH', `/v1/users/${disabled.id}`, {
    token: await h.login('admin'),
    headers: { 'if-match': `"${disabled.version}"` },
    body: { active: false },
  });
  t.equal(off.statusCode, 200, 'disabled');
  await createUser(t, {
    username: 'petugas2.bnnp.ntt',
    display_name: 'Benny Petugas NTT',
    role: 'bnn_officer',
    organisation_id: org['bnnp.ntt'],
  });

  const auditBefore = await h.count('audit_events');
  const res = await list('bnnk.purbalingga');
  t.equal(res.statusCode, 200);
  t.strictSame(res.json(), {
    data: [
      colleague(active),
      { id: await idOf('bnnk.purbalingga'), display_name: 'Petugas BNNK Purbalingga', role: 'bnn_officer' },
    ],
    next_cursor: null,
  });
  t.equal(await h.count('audit_events'), auditBefore, 'listing colleagues writes no audit event');
});

t.test('facility staff and heads list the users of their own facility', async (t) => {
  const banjarnegara = {
    data: [
      { id: await idOf('head.banjarnegara'), display_name: 'Karutan Banjarnegara', role: 'facility_head' },
      { id: await idOf('staff.banjarnegara'), display_name: 'Staf Rutan Banjarnegara', role: 'facility_staff' },
    ],
    next_cursor: null,
  };
  const staff = await list('staff.banjarnegara');
  t.equal(staff.statusCode, 200);
  t.strictSame(staff.json(), banjarnegara, "Banjarnegara's staff and head, not Kupang's");
  t.strictSame((await list('head.banjarnegara')).json(), banjarnegara);
  t.strictSame((await list('staff.kupang')).json(), {
    data: [
      { id: await idOf('head.kupang'), display_name: 'Kalapas Kupang', role: 'facility_head' },
      { id: await idOf('staff.kupang'), display_name: 'Staf Lapas Kupang', role: 'facility_staff' },
    ],
    next_cursor: null,
  });
});

t.test('a colleague is shown with id, display name and role only', async (t) => {
  const res = await list('staff.banjarnegara');
  const body = res.json() as { data: Record<string, unknown>[] };
  t.equal(body.data.length, 2);
  for (const item of body.data) t.strictSame(Object.keys(item).sort(), ['display_name', 'id', 'role']);
  t.notOk(res.body.includes('staff.banjarnegara'), 'no username');
  t.notOk(res.body.includes(fac.banjarnegara as string), 'no facility id');
});

t.test('the role and name filters narrow the list', async (t) => {
  const head = { id: await idOf('head.banjarnegara'), display_name: 'Karutan Banjarnegara', role: 'facility_head' };
  t.strictSame((await list('staff.banjarnegara', '?role=facility_head')).json(), { data: [head], next_cursor: null });
  t.strictSame((await list('staff.banjarnegara', '?q=KARUTAN')).json(), { data: [head], next_cursor: null });
  t.strictSame((await list('staff.banjarnegara', '?q=%25')).json(), { data: [], next_cursor: null }, '% is a letter');
  const bad = await list('staff.banjarnegara', '?role=chief');
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'validation_failed');
});

t.test('Kanwil viewers and regional government officers list their own organisation', async (t) => {
  await createUser(t, {
    username: 'viewer.bnnp.ntt',
    display_name: 'Peninjau BNNP NTT',
    role: 'regional_viewer',
    organisation_id: org['bnnp.ntt'],
  });
  t.strictSame((await list('kanwil.ntt')).json(), {
    data: [{ id: await idOf('kanwil.ntt'), display_name: 'Peninjau Kanwil NTT', role: 'regional_viewer' }],
    next_cursor: null,
  });
  const pemkab = await list('pemkab.purbalingga', '?role=regional_government_officer&q=petugas%20pemkab');
  t.strictSame(pemkab.json(), {
    data: [
      {
        id: await idOf('pemkab.purbalingga'),
        display_name: 'Petugas Pemkab Purbalingga',
        role: 'regional_government_officer',
      },
    ],
    next_cursor: null,
  });
});

t.test('pages follow the name, then the id, across pages', async (t) => {
  const body = { role: 'regional_government_officer', organisation_id: org['pemkab.purbalingga'] };
  // A "|" in the name, and two people of one name: the cursor holds both name and id.
  const ani = await createUser(t, { ...body, username: 'ani.pemkab', display_name: 'Ani | Bappeda' });
  const budi1 = await createUser(t, { ...body, username: 'budi1.pemkab', display_name: 'Budi Santoso' });
  const budi2 = await createUser(t, { ...body, username: 'budi2.pemkab', display_name: 'Budi Santoso' });
  const [first, second] = budi1.id < budi2.id ? [budi1, budi2] : [budi2, budi1];
  const own = { id: await idOf('pemkab.purbalingga'), display_name: 'Petugas Pemkab Purbalingga', role: body.role };

  const one = await list('pemkab.purbalingga', '?limit=2');
  t.equal(one.statusCode, 200);
  const page1 = one.json();
  t.strictSame(page1.data, [colleague(ani), colleague(first)]);
  t.type(page1.next_cursor, 'string');
  const two = await list('pemkab.purbalingga', `?limit=2&cursor=${page1.next_cursor}`);
  t.strictSame(two.json(), { data: [colleague(second), own], next_cursor: null });

  for (const after of ['not a cursor', `Budi|${'-'.repeat(36)}`, 'Budi\u0000|01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12']) {
    const forged = Buffer.from(JSON.stringify({ after })).toString('base64url');
    const bad = await list('pemkab.purbalingga', `?cursor=${forged}`);
    t.equal(bad.statusCode, 400, `cursor ${JSON.stringify(after)}`);
    t.equal(bad.json().code, 'invalid_cursor');
  }
});

t.test('API clients have no colleagues', async (t) => {
  const token = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  t.equal(token.statusCode, 200);
  const res = await h.call('GET', '/v1/colleagues', { token: token.json().access_token });
  t.equal(res.statusCode, 403);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/);
  t.equal(res.json().code, 'forbidden');
  t.equal((await h.call('GET', '/v1/colleagues')).statusCode, 401, 'nor does anyone unauthenticated');
});

t.test('administrators list every active user; GET /v1/users stays theirs alone, in full', async (t) => {
  const expected = await h.rows<Colleague>(
    `SELECT id::text AS id, display_name, role::text AS role FROM users WHERE active ORDER BY display_name, id`,
  );
  const all = await h.call('GET', '/v1/colleagues?limit=200', { token: await h.login('admin') });
  t.strictSame(all.json(), { data: expected, next_cursor: null });

  const users = await h.call('GET', '/v1/users?limit=200', { token: await h.login('admin') });
  t.equal(users.statusCode, 200);
  const data = users.json().data as Record<string, unknown>[];
  t.equal(data.length, await h.count('users'), 'disabled users too');
  const staff = data.find((u) => u.username === 'staff.banjarnegara');
  t.strictSame(Object.keys(staff ?? {}).sort(), [
    'active',
    'created_at',
    'display_name',
    'facility_id',
    'id',
    'organisation_id',
    'role',
    'updated_at',
    'username',
    'version',
  ]);
  t.equal(staff?.facility_id, fac.banjarnegara);
  for (const who of ['bnnk.purbalingga', 'staff.banjarnegara']) {
    const refused = await h.call('GET', '/v1/users', { token: await h.login(who) });
    t.equal(refused.statusCode, 403, `${who} may not list users`);
    t.equal(refused.json().code, 'forbidden');
  }
});
