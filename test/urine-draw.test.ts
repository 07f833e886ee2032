import t from 'tap';
import { build } from './helpers/app.ts';

// Random draws: reproducible from the seed, reserves used in order, refusals counted.
const h = await build(t, {}, { clock: () => new Date('2026-03-10T08:00:00Z') });
const fac = h.world.facilities;
const staff = await h.login('staff.banjarnegara');

const rows = Array.from({ length: 40 }, (_, i) => ({
  registration_number: `D-${String(i + 1).padStart(3, '0')}`,
  name: `Warga ${i + 1}`,
  sex: 'male',
  birth_date: '1990-01-01',
  case_type: i % 2 ? 'narcotics_user' : 'non_narcotics',
  admission_date: '2024-01-01',
  block: i < 30 ? 'A' : 'B',
}));
const imported = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates/import`, {
  token: staff,
  body: rows,
});
t.equal(imported.json().created, 40);

async function openRound(testedOn = '2026-03-10') {
  const res = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/urine-test-rounds`, {
    token: staff,
    body: {
      tested_on: testedOn,
      reason: 'random',
      subjects: 'inmates',
      kit: { brand: 'Rapid', lot: 'L1', expiry: '2027-01-01', panel: ['AMP', 'MET', 'THC'] },
    },
  });
  t.equal(res.statusCode, 201);
  return res.json().id as string;
}

const draw = (roundId: string, body: Record<string, unknown>) =>
  h.call('POST', `/v1/urine-test-rounds/${roundId}/draw`, { token: staff, body });

t.test('the same seed over the same population draws the same lists', async (t) => {
  const firstRound = await openRound();
  const first = await draw(firstRound, {
    subject_type: 'inmate',
    size: 5,
    reserve_size: 3,
    seed: 'sidak-2026-03',
    block: 'A',
  });
  t.equal(first.statusCode, 201);
  const a = first.json().data[0];
  t.equal(a.population_size, 30, 'block A only');
  t.equal(a.entries.filter((e: { list: string }) => e.list === 'main').length, 5);
  t.same(
    a.entries.filter((e: { list: string }) => e.list === 'reserve').map((e: { position: number }) => e.position),
    [1, 2, 3],
  );
  const second = await draw(await openRound(), {
    subject_type: 'inmate',
    size: 5,
    reserve_size: 3,
    seed: 'sidak-2026-03',
    block: 'A',
  });
  t.same(
    second.json().data[0].entries.map((e: { subject_id: string }) => e.subject_id),
    a.entries.map((e: { subject_id: string }) => e.subject_id),
  );
  const other = await draw(await openRound(), { subject_type: 'inmate', size: 5, seed: 'another-seed', block: 'A' });
  t.notSame(
    other
      .json()
      .data[0].entries.slice(0, 5)
      .map((e: { subject_id: string }) => e.subject_id),
    a.entries.slice(0, 5).map((e: { subject_id: string }) => e.subject_id),
  );
  const again = await draw(firstRound, { subject_type: 'inmate', size: 1 });
  t.equal(again.statusCode, 409, 'one draw per subject type per round');
});

t.test('bad draws are refused', async (t) => {
  const round = await openRound();
  t.equal((await draw(round, { subject_type: 'inmate', size: 100 })).statusCode, 422, 'more than the population');
  t.equal((await draw(round, { subject_type: 'inmate' })).statusCode, 400, 'size or percent');
  t.equal((await draw(round, { subject_type: 'officer', size: 1 })).statusCode, 422, 'an inmates round');
  t.equal(await h.count('urine_draws', `round_id = '${round}'`), 0);
  const byPercent = await draw(round, { subject_type: 'inmate', percent: 10, case_type: 'narcotics_user' });
  t.equal(byPercent.json().data[0].entries.filter((e: { list: string }) => e.list === 'main').length, 2, '10% of 20');
});

t.test(
  'reserves replace the untested in order; a refusal is a refused test; the tested are left out next time',
  async (t) => {
    const roundId = await openRound();
    const drawn = (await draw(roundId, { subject_type: 'inmate', size: 3, reserve_size: 2, seed: 'urutan' })).json()
      .data[0];
    const main = drawn.entries.filter((e: { list: string }) => e.list === 'main');
    const reserves = drawn.entries.filter((e: { list: string }) => e.list === 'reserve');

    const court = await h.call('POST', `/v1/urine-test-rounds/${roundId}/not-tested`, {
      token: staff,
      body: { subject_type: 'inmate', subject_id: main[0].subject_id, reason: 'court' },
    });
    t.equal(court.statusCode, 200);
    const after = court.json().data[0].entries;
    const promoted = after.find((e: { id: string }) => e.id === reserves[0].id);
    t.match(promoted, { status: 'selected', replaces_entry_id: main[0].id }, 'the first reserve steps in');
    t.equal(after.find((e: { id: string }) => e.id === reserves[1].id).status, 'standby');

    const refused = await h.call('POST', `/v1/urine-test-rounds/${roundId}/not-tested`, {
      token: staff,
      body: { subject_type: 'inmate', subject_id: main[1].subject_id, reason: 'refused', at: '2026-03-10T10:00:00' },
    });
    t.equal(refused.statusCode, 200);
    const [test] = await h.rows<{ outcome: string }>(
      'SELECT outcome FROM urine_tests WHERE round_id = $1 AND subject_id = $2',
      [roundId, main[1].subject_id],
    );
    t.equal(test?.outcome, 'refused', 'a refusal counts, never as a negative');
    t.equal(
      refused.json().data[0].entries.find((e: { id: string }) => e.id === reserves[1].id).status,
      'standby',
      'a refuser is not replaced',
    );

    const tested = await h.call('POST', `/v1/urine-test-rounds/${roundId}/results`, {
      token: staff,
      headers: { 'idempotency-key': 'draw-result-1' },
      body: {
        subject_type: 'inmate',
        subject_id: main[2].subject_id,
        specimen_id: 'S-1',
        collected_at: '2026-03-10T11:00:00',
        temperature_c: 35,
        results: [
          { class: 'AMP', result: 'negative' },
          { class: 'MET', result: 'negative' },
          { class: 'THC', result: 'negative' },
        ],
      },
    });
    t.equal(tested.statusCode, 201);
    const view = await h.call('GET', `/v1/urine-test-rounds/${roundId}/draw`, { token: staff });
    t.equal(view.json().data[0].entries.find((e: { id: string }) => e.id === main[2].id).status, 'tested');
    t.match(
      view.json().data[0].entries.find((e: { id: string }) => e.id === main[0].id),
      { status: 'not_tested', not_tested_reason: 'court' },
    );

    const next = await openRound('2026-03-10');
    const nextDraw = (await draw(next, { subject_type: 'inmate', size: 1, reserve_size: 0 })).json().data[0];
    t.equal(nextDraw.population_size, 38, 'the two tested (one refused) in the last 30 days are left out');
    t.equal(
      (await h.call('GET', `/v1/urine-test-rounds/${roundId}/draw`, { token: await h.login('staff.kupang') }))
        .statusCode,
      404,
    );
  },
);
