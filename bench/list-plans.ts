// The plans of the main lists' queries on the bench data, with the filters that read the most:
// EXPLAIN (ANALYZE, BUFFERS) of each statement a list runs. Prints; writes nothing.
import pg from 'pg';
import { openPg, queryRows, sql } from '../src/db/client.ts';
import type { Principal } from '../src/http/principal.ts';
import { TestListQuery } from '../src/modules/urine/request-schemas.ts';
import { listTestPage } from '../src/modules/urine/tests.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a bench database');
const seen: { statement: string; params: unknown[] }[] = [];
const database = openPg({
  url,
  poolMax: 2,
  statementTimeoutMs: 60_000,
  connectTimeoutMs: 5_000,
  logQuery: (statement, params) => seen.push({ statement, params }),
});
const db = database.db;
const explain = new pg.Client({ connectionString: url });
await explain.connect();

const [facility] = await queryRows<{ id: string }>(db, sql`SELECT id::text FROM facilities WHERE name = 'Fasilitas 1'`);
if (!facility) throw new Error('no bench data');
const [day] = await queryRows<{ day: string }>(
  db,
  sql`SELECT tested_on::text AS day FROM urine_test_rounds WHERE facility_id = ${facility.id} ORDER BY tested_on DESC LIMIT 1`,
);
const admin: Principal = {
  kind: 'user',
  id: 'bench',
  role: 'admin',
  organisationId: null,
  facilityId: null,
  scopes: ['read', 'personal_data'],
};
const staff: Principal = { ...admin, role: 'facility_staff', facilityId: facility.id };
const only = process.env.ONLY;

async function plan(name: string, table: string, run: () => Promise<unknown>) {
  if (only && !name.includes(only)) return;
  seen.length = 0;
  await run();
  for (const { statement, params } of seen) {
    if (!statement.includes(`from "${table}"`)) continue;
    const { rows } = await explain.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement}`, params);
    console.log(`\n## ${name}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

const now = new Date();
const tests =
  (q: Record<string, unknown>, who = staff) =>
  () =>
    listTestPage(db, who, TestListQuery.parse(q), now);
await plan('urine tests: facility', 'urine_tests', tests({ facility_id: facility.id }));
await plan(
  'urine tests: facility and a day',
  'urine_tests',
  tests({ facility_id: facility.id, from: day?.day, to: day?.day }),
);
await plan(
  'urine tests: facility, inmates, a quarter',
  'urine_tests',
  tests({ facility_id: facility.id, subject_type: 'inmate', from: '2025-07-01', to: '2025-09-30' }),
);
await plan(
  'urine tests: facility, updated_since',
  'urine_tests',
  tests({ facility_id: facility.id, updated_since: '2020-01-01T00:00:00Z' }),
);
await plan('urine tests: national, a day', 'urine_tests', tests({ from: day?.day, to: day?.day }, admin));
await explain.end();
await database.close();
