import t from 'tap';
import { build } from './helpers/app.ts';
import { feedOf } from './helpers/feed.ts';

// The events of MoUs: signed, changed, terminated, and the chore's expiring and expired, each
// told to the MoU's BNN unit and to those who reach one of its facilities.

const h = await build(t);
const fac = h.world.facilities;
const org = h.world.organisations;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

const { readAll } = feedOf(h);

const USERS = ['admin', 'bnnk.purbalingga', 'bnnp.ntt', 'staff.banjarnegara', 'staff.kupang'] as const;
type User = (typeof USERS)[number];

/** Each user's place in the feed now: what each is told after it is read with `told`. */
async function heads(): Promise<Record<User, string>> {
  const out = {} as Record<User, string>;
  for (const u of USERS) out[u] = (await readAll(await h.login(u))).cursor;
  return out;
}

const MOU_TYPES = 'types=mou.signed.v1,mou.changed.v1,mou.terminated.v1,mou.expiring.v1,mou.expired.v1';

async function told(user: User, from: Record<User, string>, subject?: string): Promise<Json[]> {
  const { events } = await readAll(await h.login(user), MOU_TYPES, from[user]);
  return events
    .filter((e) => subject === undefined || e.subject.id === subject)
    .map(({ id: _id, occurred_at: _at, ...rest }) => rest);
}

let serial = 0;
const draft = (over: Record<string, unknown> = {}) => ({
  number: `PKS/EV/${++serial}/2026`,
  title: 'Tes urine bersama',
  bnn_unit_id: org['bnnk.purbalingga'],
  facility_ids: [fac.banjarnegara],
  scope: ['urine_testing', 'inspection'],
  valid_from: '2026-01-05',
  valid_until: '2028-01-04',
  ...over,
});

async function record(over: Record<string, unknown> = {}, user = 'admin'): Promise<Json> {
  const res = await h.call('POST', '/v1/mous', { token: await h.login(user), body: draft(over) });
  if (res.statusCode !== 201) throw new Error(`record: ${res.statusCode} ${res.body}`);
  return res.json();
}

const patch = async (mou: Json, body: Json, user = 'admin') =>
  h.call('PATCH', `/v1/mous/${mou.id}`, {
    token: await h.login(user),
    headers: { 'if-match': `"${mou.version}"` },
    body,
  });

t.test('an MoU signed is told to its unit and its facilities, and to no one else', async (t) => {
  const from = await heads();
  const mou = await record({}, 'bnnk.purbalingga');
  t.same(await told('admin', from, mou.id), [], 'a draft is not told');

  const refused = await patch(mou, { signed_on: '2026-01-05' }, 'bnnk.purbalingga');
  t.equal(refused.statusCode, 422, 'the unit may not sign for itself');
  t.same(await told('admin', from, mou.id), [], 'a refused signature is not told');

  const signed = await patch(mou, { signed_on: '2026-01-05' });
  t.equal(signed.statusCode, 200, signed.body);
  const expected = [
    {
      type: 'mou.signed.v1',
      subject: { type: 'mou', id: mou.id },
      facility_ids: [fac.banjarnegara],
      data: {
        mou_id: mou.id,
        bnn_unit_id: org['bnnk.purbalingga'],
        facility_ids: [fac.banjarnegara],
        scope: ['urine_testing', 'inspection'],
        valid_from: '2026-01-05',
        valid_until: '2028-01-04',
        signed_on: signed.json().signed_on,
      },
      people: [],
    },
  ];
  t.equal(signed.json().signed_on, '2026-01-05');
  t.same(await told('admin', from), expected);
  t.same(await told('bnnk.purbalingga', from), expected, 'its BNN unit');
  t.same(await told('staff.banjarnegara', from), expected, 'a facility it covers');
  t.same(await told('bnnp.ntt', from), [], 'not a BNN officer of another unit');
  t.same(await told('staff.kupang', from), [], 'not the staff of a facility it does not cover');
});

t.test('an MoU recorded signed is told as signed', async (t) => {
  const from = await heads();
  const mou = await record({ signed_on: '2026-01-02', facility_ids: [fac.purwokerto] });
  t.same(
    (await told('admin', from)).map((e) => [e.type, e.subject.id, e.data.signed_on, e.facility_ids]),
    [['mou.signed.v1', mou.id, '2026-01-02', [fac.purwokerto]]],
  );
});

t.test('facilities replaced are told as a change, to the facilities left and joined', async (t) => {
  const mou = await record({ signed_on: '2026-01-05' });
  const from = await heads();
  const titled = await patch(mou, { title: 'Tes urine dan sidak bersama' });
  t.equal(titled.statusCode, 200, titled.body);
  t.same(await told('admin', from), [], 'a new title alone is not a change of terms');

  const stale = await patch(mou, { facility_ids: [fac.purwokerto] });
  t.equal(stale.statusCode, 412, 'at a version since changed');
  const byOfficer = await patch(titled.json(), { facility_ids: [fac.purwokerto] }, 'bnnk.purbalingga');
  t.equal(byOfficer.statusCode, 422, "a signed MoU's terms are the administrator's");
  t.same(await told('admin', from), [], 'refused changes are not told');

  const res = await patch(titled.json(), { facility_ids: [fac.purwokerto], scope: ['inspection', 'urine_testing'] });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().facility_ids, [fac.purwokerto]);
  const ids = [fac.banjarnegara, fac.purwokerto].sort();
  const expected = [
    {
      type: 'mou.changed.v1',
      subject: { type: 'mou', id: mou.id },
      facility_ids: ids,
      data: {
        mou_id: mou.id,
        bnn_unit_id: org['bnnk.purbalingga'],
        facility_ids: [fac.purwokerto],
        scope: res.json().scope,
        valid_from: '2026-01-05',
        valid_until: '2028-01-04',
        signed_on: '2026-01-05',
        changed: ['facility_ids'],
        removed_facility_ids: [fac.banjarnegara],
      },
      people: [],
    },
  ];
  const sorted = (events: Json[]) => events.map((e) => ({ ...e, facility_ids: [...e.facility_ids].sort() }));
  t.same(sorted(await told('admin', from)), expected, 'the same scope in another order is no change');
  t.same(sorted(await told('bnnk.purbalingga', from)), expected);
  t.same(sorted(await told('staff.banjarnegara', from)), expected, 'the facility it no longer covers');
  t.same(await told('bnnp.ntt', from), []);
  t.same(await told('staff.kupang', from), []);

  const from2 = await heads();
  const longer = await patch(res.json(), { scope: ['rehabilitation'], valid_until: '2029-01-04' });
  t.equal(longer.statusCode, 200, longer.body);
  t.same(
    (await told('admin', from2)).map((e) => [e.type, e.data.changed, e.data.scope, e.data.removed_facility_ids]),
    [['mou.changed.v1', ['scope', 'valid_until'], ['rehabilitation'], []]],
  );
  t.same(await told('staff.banjarnegara', from2), [], 'a facility it no longer covers is told no more');
});

t.test('an MoU terminated is told; a refused termination is not', async (t) => {
  const mou = await record({ signed_on: '2026-01-05' });
  const from = await heads();
  const outsider = await h.call('POST', `/v1/mous/${mou.id}/terminate`, {
    token: await h.login('head.kupang'),
    body: { reason: 'Tidak berlaku' },
  });
  t.equal(outsider.statusCode, 404, 'the head of a facility it does not cover');
  t.same(await told('admin', from), []);

  const res = await h.call('POST', `/v1/mous/${mou.id}/terminate`, {
    token: await h.login('bnnk.purbalingga'),
    body: { reason: 'Digantikan PKS baru' },
  });
  t.equal(res.statusCode, 200, res.body);
  const [row] = await h.rows<{ terminated_at: string }>('SELECT terminated_at FROM mous WHERE id = $1', [mou.id]);
  const expected = [
    {
      type: 'mou.terminated.v1',
      subject: { type: 'mou', id: mou.id },
      facility_ids: [fac.banjarnegara],
      data: {
        mou_id: mou.id,
        bnn_unit_id: org['bnnk.purbalingga'],
        terminated_at: new Date(row?.terminated_at as string).toISOString(),
      },
      people: [],
    },
  ];
  t.same(await told('admin', from), expected);
  t.same(await told('bnnk.purbalingga', from), expected);
  t.same(await told('staff.banjarnegara', from), expected);
  t.same(await told('bnnp.ntt', from), []);
  t.same(await told('staff.kupang', from), []);

  const again = await h.call('POST', `/v1/mous/${mou.id}/terminate`, {
    token: await h.login('admin'),
    body: { reason: 'Sekali lagi' },
  });
  t.equal(again.statusCode, 409);
  t.same((await told('admin', from)).length, 1, 'ending it twice is refused and not told');
});

t.test("expiring and expired are told once each, on the BNN unit's local date", async (t) => {
  const mou = await record({ signed_on: '2026-01-05', valid_until: '2027-03-31' });
  const draftOnly = await record({ valid_until: '2027-03-31' });
  const from = await heads();
  const realNow = h.app.now;
  t.teardown(() => {
    h.app.now = realNow;
  });
  // BNNK Purbalingga keeps Jakarta's time: 16:30 UTC is 23:30 there, 17:30 UTC the next day.
  const runAt = async (iso: string) => {
    await h.rows(`UPDATE chore_runs SET last_run_at = '-infinity' WHERE name = 'mou-expiry'`);
    h.app.now = () => new Date(iso);
    const done = await h.app.runChores();
    h.app.now = realNow;
    t.type(done['mou-expiry'], 'number', `the chore ran at ${iso}`);
  };
  const ofThese = async (user: User) =>
    (await told(user, from)).filter((e) => [mou.id, draftOnly.id].includes(e.subject.id));

  await runAt('2027-02-28T16:30:00Z');
  t.same(await ofThese('admin'), [], 'thirty-one days left there');

  await runAt('2027-02-28T17:30:00Z');
  const place = { subject: { type: 'mou', id: mou.id }, facility_ids: [fac.banjarnegara], people: [] };
  const agreement = { mou_id: mou.id, bnn_unit_id: org['bnnk.purbalingga'], valid_until: '2027-03-31' };
  const expiring = { type: 'mou.expiring.v1', ...place, data: { ...agreement, days_left: 30 } };
  t.same(await ofThese('admin'), [expiring], 'thirty days left there; a draft is not told');
  await runAt('2027-03-15T00:00:00Z');
  t.same(await ofThese('admin'), [expiring], 'told once only');

  await runAt('2027-03-31T16:30:00Z');
  t.same(await ofThese('admin'), [expiring], 'the last day there');
  await runAt('2027-03-31T17:30:00Z');
  const expired = { type: 'mou.expired.v1', ...place, data: agreement };
  t.same(await ofThese('admin'), [expiring, expired]);
  await runAt('2027-05-01T00:00:00Z');
  t.same(await ofThese('admin'), [expiring, expired], 'told once only');

  t.same(await ofThese('bnnk.purbalingga'), [expiring, expired], 'its BNN unit');
  t.same(await ofThese('staff.banjarnegara'), [expiring, expired], 'a facility it covers');
  t.same(await ofThese('bnnp.ntt'), [], 'not a BNN officer of another unit');
  t.same(await ofThese('staff.kupang'), [], 'not the staff of a facility it does not cover');
});

t.test('an MoU extended is told expiring again for its new end', async (t) => {
  const mou = await record({ signed_on: '2026-01-05', valid_until: '2026-12-20' });
  const realNow = h.app.now;
  t.teardown(() => {
    h.app.now = realNow;
  });
  const runAt = async (iso: string) => {
    await h.rows(`UPDATE chore_runs SET last_run_at = '-infinity' WHERE name = 'mou-expiry'`);
    h.app.now = () => new Date(iso);
    await h.app.runChores();
    h.app.now = realNow;
  };
  const from = await heads();
  await runAt('2026-12-01T00:00:00Z');
  const extended = await patch(mou, { valid_until: '2027-01-20' });
  t.equal(extended.statusCode, 200, extended.body);
  await runAt('2026-12-25T00:00:00Z');
  await runAt('2026-12-26T00:00:00Z');
  t.same(
    (await told('admin', from, mou.id)).map((e) => [e.type, e.data.valid_until]),
    [
      ['mou.expiring.v1', '2026-12-20'],
      ['mou.changed.v1', '2027-01-20'],
      ['mou.expiring.v1', '2027-01-20'],
    ],
  );
});
