import t from 'tap';
import { build } from './helpers/app.ts';

// A list filtered on a date or on updated_since is ordered by that stamp, then id, and paged on
// both: walking it page by page across equal stamps loses and repeats no row, and a cursor
// issued for another order (one from before this order, or from the list with other filters)
// is a 400, never a wrong page.
const NOW = new Date('2025-06-02T03:00:00Z');
const h = await build(t, {}, { clock: () => NOW });
const banjarnegara = h.world.facilities.banjarnegara as string;
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let serial = 0;
async function admit() {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates`, {
    token: await h.login('staff.banjarnegara'),
    body: {
      registration_number: `K.${++serial}/2024`,
      name: `Warga Binaan Halaman ${serial}`,
      sex: 'male',
      birth_date: '1990-04-17',
      case_type: 'narcotics_user',
      admission_date: '2024-03-02',
      status: 'sentenced',
    },
  });
  if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** Every page of a list, `limit` a page: the ids in the order served, and the cursors given. */
async function walk(path: string, limit: number) {
  const token = await h.login('admin');
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await h.call('GET', `${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    const body = res.json() as { data: { id: string }[]; next_cursor: string | null };
    ids.push(...body.data.map((r) => r.id));
    cursor = body.next_cursor;
    pages++;
  } while (cursor && pages < 50);
  return ids;
}

// Nine results on one day, three instants shared by three each, ids minted in another order.
const round = await h.call('POST', `/v1/facilities/${banjarnegara}/urine-test-rounds`, {
  token: await h.login('staff.banjarnegara'),
  body: {
    tested_on: '2025-05-20',
    reason: 'random',
    subjects: 'inmates',
    kit: { brand: 'Rapid 6 Panel', lot: 'L1', expiry: '2026-06-30', panel: ['AMP', 'MET'] },
  },
});
const roundId = (round.json() as { id: string }).id;
const times = ['10:00:00', '08:00:00', '09:00:00'];
const people: string[] = [];
for (let i = 0; i < 9; i++) people.push(await admit());
const posted = await h.call('POST', `/v1/urine-test-rounds/${roundId}/results`, {
  token: await h.login('staff.banjarnegara'),
  body: {
    results: people.map((person, i) => ({
      subject_type: 'inmate',
      subject_id: person,
      specimen_id: `KS-${i}`,
      collected_at: `2025-05-20T${times[i % 3]}`,
      results: [
        { class: 'AMP', result: 'negative' },
        { class: 'MET', result: 'negative' },
      ],
    })),
  },
  headers: { 'idempotency-key': 'keyset-results' },
});
const results = (posted.json() as { data: { id: string; collected_at: string }[] }).data;
const byTime = [...results]
  .sort((a, b) => a.collected_at.localeCompare(b.collected_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  .map((r) => r.id);

t.test('a date-filtered list walks in collection time, then id, across equal instants', async (t) => {
  t.equal(posted.statusCode, 201);
  t.equal(results.length, 9);
  const day = `/v1/urine-tests?facility_id=${banjarnegara}&from=2025-05-20&to=2025-05-20`;
  t.same(await walk(day, 2), byTime, 'pages of 2 split each instant: no row lost or repeated');
  t.same(await walk(day, 4), byTime);
  t.same(await walk(`/v1/urine-tests?from=2025-05-20&to=2025-05-20`, 3), byTime, 'every facility in reach');
  t.same(await walk(`/v1/urine-tests?round_id=${roundId}`, 4), [...byTime].sort(), 'without a date filter: by id');
});

t.test('a cursor of another order is a 400 problem, and an id cursor still pages the id list', async (t) => {
  const token = await h.login('admin');
  const day = `/v1/urine-tests?facility_id=${banjarnegara}&from=2025-05-20&to=2025-05-20&limit=2`;
  const first = (await h.call('GET', day, { token })).json() as { next_cursor: string };
  const second = await h.call('GET', `${day}&cursor=${first.next_cursor}`, { token });
  t.equal(second.statusCode, 200);

  // A cursor of the id-ordered list (as every cursor was before), given to the date-ordered one.
  const old = await h.call('GET', `${day}&cursor=${cursorOf({ after: byTime[1] })}`, { token });
  t.equal(old.statusCode, 400);
  t.equal(old.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(old.json().code, 'invalid_cursor');

  // The date-ordered cursor given to the list without the filter, or with updated_since instead.
  const plain = await h.call('GET', `/v1/urine-tests?round_id=${roundId}&cursor=${first.next_cursor}`, { token });
  t.equal(plain.statusCode, 400);
  t.equal(plain.json().code, 'invalid_cursor');
  const since = `/v1/urine-tests?updated_since=2025-01-01T00:00:00Z&cursor=${first.next_cursor}`;
  t.equal((await h.call('GET', since, { token })).json().code, 'invalid_cursor');

  // A stamp that is not one the service writes.
  const forged = cursorOf({ after: byTime[1], by: 'collected_at', at: '2025-05-20T01:00:00Z' });
  t.equal((await h.call('GET', `${day}&cursor=${forged}`, { token })).statusCode, 400);

  // An id cursor issued before this change still pages a list that keeps the id order.
  const sorted = [...byTime].sort();
  const byId = await h.call(
    'GET',
    `/v1/urine-tests?round_id=${roundId}&limit=2&cursor=${cursorOf({ after: sorted[1] })}`,
    {
      token,
    },
  );
  t.equal(byId.statusCode, 200);
  t.same(
    byId.json().data.map((r: { id: string }) => r.id),
    sorted.slice(2, 4),
  );
});

t.test('updated_since walks in updated_at to the microsecond, then id, across equal stamps', async (t) => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(await admit());
  // Stamps as one import's transaction writes them (one instant for all), two of them a microsecond apart.
  await h.rows(
    `UPDATE inmates SET updated_at = $1::timestamptz
       + CASE WHEN id = ANY($2::uuid[]) THEN interval '1 microsecond' ELSE interval '0' END
     WHERE id = ANY($3::uuid[])`,
    ['2030-01-01T00:00:00.123456Z', `{${ids.slice(0, 2).join(',')}}`, `{${ids.join(',')}}`],
  );
  const expected = [...ids.slice(2).sort(), ...ids.slice(0, 2).sort()];
  const path = `/v1/inmates?facility_id=${banjarnegara}&updated_since=2030-01-01T00:00:00Z`;
  t.same(await walk(path, 2), expected);
  t.same(await walk(path, 1), expected);
});
