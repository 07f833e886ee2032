// The plans of the main lists' queries on the bench data, with the filters that read the most:
// EXPLAIN (ANALYZE, BUFFERS) of each statement a list runs. Prints; writes nothing.
import pg from 'pg';
import { openPg, queryRows, sql } from '../src/db/client.ts';
import type { Principal } from '../src/http/principal.ts';
import { InmateTopListQuery } from '../src/modules/inmates/schemas.ts';
import { listInmates } from '../src/modules/inmates/service.ts';
import { listInspections } from '../src/modules/inspections/reports.ts';
import { InspectionTopListQuery } from '../src/modules/inspections/request-schemas.ts';
import { OfficerTopListQuery } from '../src/modules/officers/schemas.ts';
import { listOfficers } from '../src/modules/officers/service.ts';
import { listCasePage } from '../src/modules/urine/cases.ts';
import { CaseListQuery, RoundTopListQuery, TestListQuery } from '../src/modules/urine/request-schemas.ts';
import { listRounds } from '../src/modules/urine/rounds.ts';
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
const [day0] = await queryRows<{ day: string }>(
  db,
  sql`SELECT tested_on::text AS day FROM urine_test_rounds WHERE facility_id = ${facility.id} ORDER BY tested_on DESC LIMIT 1`,
);
const day = process.env.DAY ? { day: process.env.DAY } : day0;
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
const since = { updated_since: '2020-01-01T00:00:00Z' };
const f = { facility_id: facility.id };
await plan('urine rounds: facility', 'urine_test_rounds', () => listRounds(db, staff, RoundTopListQuery.parse(f), now));
await plan('urine rounds: facility, a year', 'urine_test_rounds', () =>
  listRounds(db, staff, RoundTopListQuery.parse({ ...f, from: '2025-01-01', to: '2025-12-31' }), now),
);
await plan('urine rounds: facility, updated_since', 'urine_test_rounds', () =>
  listRounds(db, staff, RoundTopListQuery.parse({ ...f, ...since }), now),
);
await plan('urine rounds: national, a year', 'urine_test_rounds', () =>
  listRounds(db, admin, RoundTopListQuery.parse({ from: '2025-01-01', to: '2025-12-31' }), now),
);
await plan('follow-up cases: facility', 'follow_up_cases', () => listCasePage(db, staff, CaseListQuery.parse(f), now));
await plan('follow-up cases: facility, updated_since', 'follow_up_cases', () =>
  listCasePage(db, staff, CaseListQuery.parse({ ...f, ...since }), now),
);
await plan('follow-up cases: national, updated_since', 'follow_up_cases', () =>
  listCasePage(db, admin, CaseListQuery.parse(since), now),
);
await plan('inspections: facility', 'inspections', () =>
  listInspections(db, staff, InspectionTopListQuery.parse(f), now),
);
await plan('inspections: facility, a year', 'inspections', () =>
  listInspections(db, staff, InspectionTopListQuery.parse({ ...f, from: '2025-01-01', to: '2025-12-31' }), now),
);
await plan('inspections: facility, updated_since', 'inspections', () =>
  listInspections(db, staff, InspectionTopListQuery.parse({ ...f, ...since }), now),
);
await plan('inmates: facility, updated_since', 'inmates', () =>
  listInmates(db, staff, InmateTopListQuery.parse({ ...f, ...since }), now),
);
await plan('inmates: national, updated_since', 'inmates', () =>
  listInmates(db, admin, InmateTopListQuery.parse(since), now),
);
// A re-sync that finds nothing new: the worst case of an order that does not follow the filter.
const recent = { updated_since: now.toISOString() };
await plan('inmates: national, updated_since now', 'inmates', () =>
  listInmates(db, admin, InmateTopListQuery.parse(recent), now),
);
await plan('follow-up cases: national, updated_since now', 'follow_up_cases', () =>
  listCasePage(db, admin, CaseListQuery.parse(recent), now),
);
await plan('urine tests: facility, updated_since now', 'urine_tests', tests({ ...f, ...recent }));
await plan('urine tests: national, updated_since now', 'urine_tests', tests(recent, admin));
await plan('officers: facility, updated_since', 'officers', () =>
  listOfficers(db, staff, OfficerTopListQuery.parse({ ...f, ...since }), now),
);
await explain.end();
await database.close();
