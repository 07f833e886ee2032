import t from 'tap';
import { build } from './helpers/app.ts';

// GET /v1/mous?expiring_within_days=N: the MoUs in force today that end within N days, soonest
// first. The clock stands at 23:30 WIB on 3 December 2026, which is already 00:30 WITA on the 4th:
// BNNK Purbalingga (Central Java, WIB) and BNNP NTT (Kupang, WITA) read "today" differently.
let now = new Date('2026-12-03T16:30:00Z');
const h = await build(t, {}, { clock: () => now });
const fac = h.world.facilities;
const org = h.world.organisations;
const admin = await h.login('admin');

let serial = 0;
async function mou(over: Record<string, unknown>): Promise<string> {
  serial += 1;
  const res = await h.call('POST', '/v1/mous', {
    token: admin,
    body: {
      number: `PKS/EXP/${serial}/2026`,
      title: 'Tes urine bersama',
      bnn_unit_id: org['bnnk.purbalingga'],
      facility_ids: [fac.purwokerto],
      scope: ['urine_testing'],
      signed_on: '2026-01-05',
      valid_from: '2026-01-05',
      ...over,
    },
  });
  if (res.statusCode !== 201) throw new Error(`MoU not created: ${res.body}`);
  return res.json().id;
}

// Created out of end-date order, so that the list's order is not the ids' (time-ordered) one.
// BNNP NTT, WITA: today is already 2026-12-04.
const in30Wita = await mou({ bnn_unit_id: org['bnnp.ntt'], facility_ids: [fac.kupang], valid_until: '2027-01-03' });
const endedInWita = await mou({ bnn_unit_id: org['bnnp.ntt'], facility_ids: [fac.kupang], valid_until: '2026-12-03' });
// BNNK Purbalingga, WIB: today is 2026-12-03.
const in31 = await mou({ valid_until: '2027-01-03' });
const in30 = await mou({ valid_until: '2027-01-02', facility_ids: [fac.purwokerto, fac.banjarnegara] });
const lastDay = await mou({ valid_until: '2026-12-03' });
const in30too = await mou({ valid_until: '2027-01-02' });
const ended = await mou({ valid_until: '2026-12-02' });
const unsigned = await mou({ valid_until: '2026-12-10', signed_on: undefined });
const notStarted = await mou({ valid_from: '2026-12-05', valid_until: '2026-12-20' });
const terminated = await mou({ valid_until: '2026-12-10' });
const end = await h.call('POST', `/v1/mous/${terminated}/terminate`, {
  token: admin,
  body: { reason: 'Diakhiri lebih awal' },
});
if (end.statusCode !== 200) throw new Error('not terminated');

const sameDay = [in30, in30too].sort();
const numbers = new Map<string, string>();
for (const row of await h.rows<{ id: string; number: string }>('SELECT id, number FROM mous')) {
  numbers.set(row.id, row.number);
}
const expiring = async (token: string, query: string) => {
  const res = await h.call('GET', `/v1/mous?${query}`, { token });
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body}`);
  return res.json() as { data: { id: string; valid_until: string; status: string }[]; next_cursor: string | null };
};
const idsOf = (page: { data: { id: string }[] }) => page.data.map((m) => numbers.get(m.id) ?? m.id);
const named = (...ids: string[]) => ids.map((id) => numbers.get(id) ?? id);

t.test('in force today and ending within N days, soonest end first, then by id', async (t) => {
  const page = await expiring(admin, 'expiring_within_days=30');
  t.same(idsOf(page), named(lastDay, ...sameDay, in30Wita));
  t.equal(page.next_cursor, null);
  const first = page.data[0];
  t.match(first, { id: lastDay, valid_until: '2026-12-03', status: 'active', bnn_unit_name: 'BNNK Purbalingga' });
  t.same(
    page.data.map((m) => m.valid_until),
    ['2026-12-03', '2027-01-02', '2027-01-02', '2027-01-03'],
  );
  const read = await h.call('GET', `/v1/mous/${in30}`, { token: admin });
  t.same(page.data[sameDay.indexOf(in30) + 1], read.json(), 'each item is the MoU as read alone');
});

t.test('the last day of the window counts; the day after does not', async (t) => {
  t.same(idsOf(await expiring(admin, 'expiring_within_days=29')), named(lastDay));
  t.same(idsOf(await expiring(admin, 'expiring_within_days=1')), named(lastDay));
  const wider = await expiring(admin, 'expiring_within_days=31');
  t.same(idsOf(wider), named(lastDay, ...sameDay, in30Wita, in31));
  t.notOk(idsOf(wider).includes(named(ended)[0] as string), 'an MoU that ended yesterday is not expiring');
});

t.test('drafts, MoUs not yet started, terminated and expired ones are left out', async (t) => {
  const all = idsOf(await expiring(admin, 'expiring_within_days=366&limit=200'));
  for (const id of [ended, unsigned, notStarted, terminated, endedInWita]) {
    t.notOk(all.includes(numbers.get(id) as string), numbers.get(id) as string);
  }
  // The seeded agreements in force that end within a year, and not Purbalingga's (2029) or Kalbar's (expired).
  t.same(all, named(lastDay, ...sameDay, in30Wita, in31).concat(['PKS/05/V/2024/BNNP-NTB', 'PKS/07/X/2024/BNNP-NTT']));
});

t.test("today is the BNN unit's own date: the clock's midnight in WIB and WITA", async (t) => {
  // 00:30 WITA on the 4th: NTT's MoU ending on the 3rd has ended, the one ending 2027-01-03 is 30 days off.
  const ntt = await h.login('bnnp.ntt');
  t.same(idsOf(await expiring(ntt, 'expiring_within_days=30')), named(in30Wita));
  t.same(idsOf(await expiring(ntt, 'expiring_within_days=29')), []);
  // Half an hour later it is midnight in WIB too: Purbalingga's MoU ending on the 3rd drops out.
  const before = now;
  now = new Date('2026-12-03T17:00:00Z');
  try {
    const bnnk = await h.login('bnnk.purbalingga');
    t.same(idsOf(await expiring(bnnk, 'expiring_within_days=30')), named(...sameDay, in31));
  } finally {
    now = before;
  }
});

t.test('every role sees only the expiring MoUs in its reach', async (t) => {
  const client = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: 'test-password-123' },
  });
  const cases: [string, string[]][] = [
    ['admin', named(lastDay, ...sameDay, in30Wita)],
    ['bnnk.purbalingga', named(lastDay, ...sameDay)],
    ['bnnp.ntt', named(in30Wita)],
    ['staff.banjarnegara', named(in30)],
    ['head.banjarnegara', named(in30)],
    ['staff.kupang', named(in30Wita)],
    ['head.kupang', named(in30Wita)],
    ['kanwil.ntt', named(in30Wita)],
    ['pemkab.purbalingga', []],
  ];
  for (const [username, expected] of cases) {
    t.same(idsOf(await expiring(await h.login(username), 'expiring_within_days=30')), expected, username);
  }
  t.same(
    idsOf(await expiring(client.json().access_token, 'expiring_within_days=30')),
    named(lastDay, ...sameDay, in30Wita),
    'a national API client',
  );
});

t.test('the other filters narrow the expiring list', async (t) => {
  t.same(idsOf(await expiring(admin, `expiring_within_days=30&bnn_unit_id=${org['bnnp.ntt']}`)), named(in30Wita));
  t.same(idsOf(await expiring(admin, `expiring_within_days=30&facility_id=${fac.banjarnegara}`)), named(in30));
  t.same(idsOf(await expiring(admin, 'expiring_within_days=30&status=active')), named(lastDay, ...sameDay, in30Wita));
  t.same(idsOf(await expiring(admin, 'expiring_within_days=30&status=terminated')), []);
  t.same(idsOf(await expiring(admin, 'expiring_within_days=30&scope=training')), []);
});

t.test('pages follow the end date and id', async (t) => {
  const one = await expiring(admin, 'expiring_within_days=30&limit=2');
  t.same(idsOf(one), named(lastDay, sameDay[0] as string));
  t.type(one.next_cursor, 'string');
  const two = await expiring(admin, `expiring_within_days=30&limit=2&cursor=${one.next_cursor}`);
  t.same(idsOf(two), named(sameDay[1] as string, in30Wita));
  t.equal(two.next_cursor, null);
  // A cursor of the id order is not one of the end-date order, and the other way round.
  const plain = await expiring(admin, 'limit=1');
  const mixed = await h.call('GET', `/v1/mous?expiring_within_days=30&cursor=${plain.next_cursor}`, { token: admin });
  t.equal(mixed.statusCode, 400);
  t.equal(mixed.json().code, 'invalid_cursor');
  const back = await h.call('GET', `/v1/mous?cursor=${one.next_cursor}`, { token: admin });
  t.equal(back.statusCode, 400);
  t.equal(back.json().code, 'invalid_cursor');
  const forged = Buffer.from(JSON.stringify({ after: `2026-02-31|${in30}` })).toString('base64url');
  const bad = await h.call('GET', `/v1/mous?expiring_within_days=30&cursor=${forged}`, { token: admin });
  t.equal(bad.statusCode, 400, 'a cursor with a date that does not exist');
  t.equal(bad.json().code, 'invalid_cursor');
});

t.test('expiring_within_days is a whole number from 1 to 366', async (t) => {
  for (const value of ['0', '367', '-5', '1.5', 'abc', '']) {
    const res = await h.call('GET', `/v1/mous?expiring_within_days=${value}`, { token: admin });
    t.equal(res.statusCode, 400, JSON.stringify(value));
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.match(res.json().errors[0], { in: 'querystring', pointer: '/expiring_within_days' }, JSON.stringify(value));
  }
  t.same(idsOf(await expiring(admin, 'expiring_within_days=366&limit=1')).length, 1, '366 is allowed');
  const unknown = await h.call('GET', '/v1/mous?expiring_within=30', { token: admin });
  t.equal(unknown.statusCode, 400, 'an unknown parameter');
});
