import fc from 'fast-check';
import t from 'tap';
import { addDays, type Period, periodOf } from '../src/core/calendar/index.ts';
import { population } from '../src/modules/compliance/counts.ts';
import { boundsOf, endOf } from '../src/modules/compliance/predicates.ts';
import { build } from './helpers/app.ts';

// The population counts read what triggers keep on each stay (prev_until, narcotics_user). Random
// histories of admissions (a return after release is a new entry, as the register makes it),
// transfers (to and fro, on one day, on the first day of a month), releases, corrections of the
// case type and imports, written through the API, must give for every month and quarter the counts
// the stays give counted from scratch (count DISTINCT over the stays, the case type of the entry).
const h = await build(t);
const fac = h.world.facilities;
const places = ['banjarnegara', 'purwokerto', 'kupang'].map((key) => fac[key] as string);
const clocks = await h.rows<{ id: string; timezone: string }>(
  `SELECT id::text, timezone::text FROM facilities WHERE id = ANY(string_to_array($1, ',')::uuid[])`,
  [places.join(',')],
);
const admin = await h.login('admin');
// Histories fall in a few months, so that months and quarters cut through the stays.
const FIRST_DAY = '2025-05-01';
const DAYS = 150;
const dayOf = (n: number) => addDays(FIRST_DAY, n % DAYS);
const firstOfNextMonth = (day: string) => addDays(periodOf('month', day).to, 1);
const NOW = new Date('2025-08-20T05:00:00Z');
// Every month and quarter of the histories (and the one after): those before NOW, the one it runs
// in (its end is today), and those after it.
const PERIODS: Period[] = [];
for (let d = FIRST_DAY; d <= addDays(FIRST_DAY, DAYS + 90); d = firstOfNextMonth(d)) {
  for (const kind of ['month', 'quarter'] as const) {
    const period = periodOf(kind, d);
    if (!PERIODS.some((p) => p.code === period.code)) PERIODS.push(period);
  }
}
let serial = 0;

interface Person {
  id: string;
  version: number;
  facility: string;
  before?: string;
  stayFrom: string;
  held: boolean;
}
const played: Record<string, number> = {};

const caseOf = (user: boolean) => (user ? 'narcotics_user' : 'narcotics_dealer');

async function ok(res: { statusCode: number; body: string }, what: string) {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as { id: string; version: number };
}

async function admit(people: Person[], place: number, day: number, user: boolean) {
  const facility = places[place % places.length] as string;
  const admission = dayOf(day);
  const body = {
    registration_number: `PS-${++serial}`,
    name: 'Budi Santoso',
    sex: 'male',
    birth_date: '1990-04-17',
    case_type: caseOf(user),
    admission_date: admission,
    status: 'sentenced',
  };
  const row = await ok(await h.call('POST', `/v1/facilities/${facility}/inmates`, { token: admin, body }), 'admission');
  people.push({ id: row.id, version: row.version, facility, stayFrom: admission, held: true });
}

// A transfer back goes to where the person was held before. A move comes some days after the stay
// began (0: the same day), or on the first day of the next month, where a period begins.
const gap = fc.oneof(fc.nat(20), fc.constant(0), fc.constant('month' as const));
const op = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('admit' as const), place: fc.nat(), day: fc.nat(), user: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('transfer' as const), who: fc.nat(), place: fc.nat(), gap }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('back' as const), who: fc.nat(), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), who: fc.nat(), gap: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recase' as const), who: fc.nat(), user: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      place: fc.nat(),
      rows: fc.array(fc.record({ day: fc.nat(), stay: fc.option(fc.nat(60)), user: fc.boolean() }), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
  },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Plays one operation through the API; one the rules refuse (a person no longer held) is skipped. */
async function play(people: Person[], o: Op) {
  const person = 'who' in o && people.length ? people[o.who % people.length] : undefined;
  if (o.kind === 'admit') return admit(people, o.place, o.day, o.user);
  if (o.kind === 'import') {
    played.import = (played.import ?? 0) + 1;
    const facility = places[o.place % places.length] as string;
    const rows = o.rows.map((r) => {
      const from = dayOf(r.day);
      const until = r.stay === null ? '' : addDays(from, r.stay);
      return `PS-${++serial};Siti;female;1991-02-03;${caseOf(r.user)};${from};${until ? 'released' : 'detained'};${until}`;
    });
    const csv = `registration_number;name;sex;birth_date;case_type;admission_date;status;released_on\n${rows.join('\n')}\n`;
    const res = await h.call('POST', `/v1/facilities/${facility}/inmates/import`, {
      token: admin,
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    const report = (await ok(res, 'import')) as unknown as { created: number };
    if (report.created !== rows.length) throw new Error(`import: ${res.body}`);
    return;
  }
  if (!person?.held) return;
  const url = `/v1/inmates/${person.id}`;
  if (o.kind === 'transfer' || o.kind === 'back') {
    const to = o.kind === 'back' ? person.before : (places[o.place % places.length] as string);
    if (!to || to === person.facility) return;
    played[o.kind] = (played[o.kind] ?? 0) + 1;
    const on = o.gap === 'month' ? firstOfNextMonth(person.stayFrom) : addDays(person.stayFrom, o.gap);
    const row = await ok(
      await h.call('POST', `${url}/transfer`, { token: admin, body: { to_facility_id: to, transferred_on: on } }),
      'transfer',
    );
    Object.assign(person, { version: row.version, before: person.facility, facility: to, stayFrom: on });
  } else if (o.kind === 'release') {
    const on = addDays(person.stayFrom, o.gap);
    await ok(await h.call('POST', `${url}/release`, { token: admin, body: { released_on: on } }), 'release');
    played.release = (played.release ?? 0) + 1;
    person.held = false;
  } else {
    const row = await ok(
      await h.call('PATCH', url, {
        token: admin,
        body: { case_type: caseOf(o.user) },
        headers: { 'if-match': `"${person.version}"` },
      }),
      'correction',
    );
    person.version = row.version;
    played.recase = (played.recase ?? 0) + 1;
  }
}

/** The counts from scratch: the people held (DISTINCT), and of the stays held at the end, the users. */
async function fromScratch(facility: string, period: Period) {
  const clock = clocks.find((c) => c.id === facility);
  if (!clock) throw new Error('no clock');
  const upto = endOf(period, clock.timezone, NOW);
  const [row] = await h.rows<{ held: number; users: number; enrolled: number }>(
    `WITH f AS (SELECT id, $1::date AS upto, (($2::date + 1)::timestamp AT TIME ZONE timezone::text) AS u1
                  FROM facilities WHERE id = $3),
          s AS (SELECT p.inmate_id, i.case_type, p.from_date <= f.upto AND (p.until_date IS NULL OR p.until_date > f.upto) AS at_end,
                       (i.case_type = 'narcotics_user' OR EXISTS (
                          SELECT 1 FROM urine_tests t WHERE t.subject_type = 'inmate' AND t.subject_id = p.inmate_id
                             AND t.confirmation = 'confirmed_positive' AND t.collected_at < f.u1)) AS for_rehab,
                       EXISTS (SELECT 1 FROM rehab_enrolments e WHERE e.inmate_id = p.inmate_id
                                  AND e.status IN ('active', 'completed') AND e.enrolled_on <= f.upto
                                  AND e.facility_id = ANY(string_to_array($4, ',')::uuid[])) AS enrolled
                  FROM f JOIN inmate_placements p ON p.facility_id = f.id
                   AND p.from_date <= $5::date AND (p.until_date IS NULL OR p.until_date >= $6::date)
                  JOIN inmates i ON i.id = p.inmate_id)
     SELECT count(DISTINCT inmate_id)::int AS held, count(*) FILTER (WHERE at_end AND for_rehab)::int AS users,
            count(*) FILTER (WHERE at_end AND for_rehab AND enrolled)::int AS enrolled FROM s`,
    // h.rows takes its parameters in the order they appear.
    [upto, upto, facility, places.join(','), period.to, period.from],
  );
  return row;
}

t.test('the kept counts equal the counts from scratch, whatever the comings and goings', async (t) => {
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 16 }), async (ops) => {
      const people: Person[] = [];
      for (const o of ops) await play(people, o);
      for (const period of PERIODS) {
        const reading = { ...boundsOf(clocks, period, NOW, 12), db: h.test.database.db, modules: {} as never };
        const kept = await population.read(reading);
        for (const facility of places) {
          const want = await fromScratch(facility, period);
          const got = kept.get(facility) ?? { held: 0, users: 0, enrolled: 0 };
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            throw new Error(
              `${period.code} at ${facility}: kept ${JSON.stringify(got)}, from scratch ${JSON.stringify(want)}`,
            );
          }
          checked++;
        }
      }
    }),
    { numRuns: 20, seed: Number(process.env.FC_SEED ?? 21), endOnFailure: true },
  );
  t.ok(checked >= 20 * PERIODS.length * places.length, `${checked} counts compared after ${JSON.stringify(played)}`);
  // Every stay says what its person's entry says, whatever wrote it.
  t.equal(
    await h.count(
      'inmate_placements p JOIN inmates i ON i.id = p.inmate_id',
      `p.narcotics_user <> (i.case_type = 'narcotics_user')`,
    ),
    0,
  );
  // Transfers to and fro did happen: some stays follow an earlier one of the same person there.
  t.ok(await h.count('inmate_placements', 'prev_until IS NOT NULL'), 'some stays return to a facility');
});
