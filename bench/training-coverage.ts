// What training coverage costs with a country's officers: fills a scratch database with 530
// facilities, 15,000 officers and five years of trainings (set-based inserts), then times the
// coverage queries the routes run. Usage, on a PostgreSQL server the script may write to:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench npx tsx bench/training-coverage.ts
// The database is dropped and made anew first. It prints; it never fails on a time.
import pg from 'pg';
import { openPg, queryRows, sql } from '../src/db/client.ts';
import { coverageByFacility, dueOfficers, monthsBefore } from '../src/modules/trainings/coverage.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a scratch database');
const FACILITIES = 530;
const OFFICERS = 15_000;
const TRAININGS_PER_FACILITY_YEAR = 6;
const YEARS = 5;
const PER_TRAINING = 12;

const name = new URL(url).pathname.slice(1);
if (!/^bersinar_bench\w*$/.test(name)) throw new Error('the database name must start with bersinar_bench');
const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();

const database = openPg({ url, poolMax: 4, statementTimeoutMs: 600_000, connectTimeoutMs: 5_000 });
const db = database.db;
await database.migrate();
const time = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await fn();
  console.log(`${label}: ${Math.round(performance.now() - started)} ms`);
  return result;
};

await time('fill', async () => {
  // Deterministic ids and values: the same data set on every run.
  await db.execute(sql`SELECT setseed(0.42)`);
  await db.execute(sql`INSERT INTO organisations (id, type, name, province_code, timezone)
    SELECT md5('kanwil' || p)::uuid, 'kanwil', 'Kanwil ' || p, lpad(p::text, 2, '0'),
           (ARRAY['Asia/Jakarta','Asia/Makassar','Asia/Jayapura'])[1 + p % 3]::time_zone
      FROM generate_series(11, 48) p`);
  await db.execute(sql`INSERT INTO facilities (id, type, class, name, province_code, regency, capacity, timezone, kanwil_id)
    SELECT md5('facility' || f)::uuid, 'lapas', 'IIA', 'Lapas ' || f, lpad((11 + f % 38)::text, 2, '0'), 'Kota ' || f, 500,
           (ARRAY['Asia/Jakarta','Asia/Makassar','Asia/Jayapura'])[1 + (11 + f % 38) % 3]::time_zone,
           md5('kanwil' || (11 + f % 38))::uuid
      FROM generate_series(1, ${FACILITIES}) f`);
  await db.execute(sql`INSERT INTO officers (id, pseudonym, facility_id, nip, name, sex, position, unit, status, joined_on, left_on)
    SELECT md5('officer' || o)::uuid, 'PTG-' || o, md5('facility' || (1 + o % ${FACILITIES}))::uuid,
           lpad(o::text, 18, '0'), 'Petugas ' || o, 'male', 'Penjaga', 'KPR',
           CASE WHEN o % 20 = 0 THEN 'retired' ELSE 'active' END::officer_status,
           date '2005-01-01' + (o % 7000), CASE WHEN o % 20 = 0 THEN date '2024-01-01' + (o % 600) END
      FROM generate_series(1, ${OFFICERS}) o`);
  const trainings = FACILITIES * TRAININGS_PER_FACILITY_YEAR * YEARS;
  await db.execute(sql`INSERT INTO trainings (id, title, topic, organiser_type, organiser_facility_id, starts_on, ends_on,
                         hours, venue, mode, trainers, capacity, pass_mark, created_by)
    SELECT md5('training' || n)::uuid, 'Pelatihan ' || n,
           (enum_range(NULL::training_topic))[1 + n % 6], 'facility', md5('facility' || (1 + n % ${FACILITIES}))::uuid,
           date '2021-01-01' + (n * 1826 / ${trainings}), date '2021-01-03' + (n * 1826 / ${trainings}),
           24, 'Aula', 'in_person', '{}', 40, 70, md5('admin')::uuid
      FROM generate_series(1, ${trainings}) n`);
  await db.execute(sql`INSERT INTO training_facilities (training_id, facility_id)
    SELECT id, organiser_facility_id FROM trainings`);
  // Each training takes officers of its own facility, about one in three passing a post-test at 70.
  await db.execute(sql`INSERT INTO training_participants (id, training_id, officer_id, facility_id, post_test_score)
    SELECT md5(t.id::text || k)::uuid, t.id, o.id, t.organiser_facility_id, (40 + random() * 60)::numeric(5,2)
      FROM trainings t
      CROSS JOIN generate_series(0, ${PER_TRAINING - 1}) k
      JOIN LATERAL (
        SELECT o.id FROM officers o WHERE o.facility_id = t.organiser_facility_id
         ORDER BY md5(o.id::text || t.id::text) OFFSET k LIMIT 1) o ON true`);
  // As autovacuum would have by then: statistics, and the visibility map that index-only scans rely on.
  await db.execute(sql`VACUUM ANALYZE`);
});

const [counts] = await queryRows<{ officers: number; trainings: number; participants: number }>(
  db,
  sql`SELECT (SELECT count(*)::int FROM officers) AS officers, (SELECT count(*)::int FROM trainings) AS trainings,
             (SELECT count(*)::int FROM training_participants) AS participants`,
);
console.log(counts);

const on = '2025-06-01';
const w = { on, from: monthsBefore(on, 12) };
const all = (await queryRows<{ id: string }>(db, sql`SELECT id::text AS id FROM facilities ORDER BY id`)).map(
  (r) => r.id,
);
const one = all[0] as string;
const province = (
  await queryRows<{ id: string }>(db, sql`SELECT id::text AS id FROM facilities WHERE province_code = '33'`)
).map((r) => r.id);

for (let run = 1; run <= 3; run++) {
  await time(`run ${run}: one facility's counts`, () => coverageByFacility(db, [one], w));
  const due = await time(`run ${run}: one facility's due list`, () => dueOfficers(db, one, w));
  await time(`run ${run}: one province (${province.length} facilities)`, () => coverageByFacility(db, province, w));
  const national = await time(`run ${run}: national (${all.length} facilities)`, () => coverageByFacility(db, all, w));
  if (run === 3) {
    const sum = [...national.values()].reduce(
      (n, c) => ({ officers: n.officers + c.officers, trained: n.trained + c.trained }),
      {
        officers: 0,
        trained: 0,
      },
    );
    console.log(`national: ${sum.trained} of ${sum.officers} officers trained; ${due.length} due in the one facility`);
  }
}
await database.close();
