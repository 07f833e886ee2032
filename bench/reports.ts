// What the reports cost with a country's records: fills a scratch database (bench/national.ts),
// then times training coverage and the Bersinar scorecard (one facility, one province, the
// national ranking) through the same service functions the routes call. Usage:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench npm run bench:reports
// (the database is dropped and made anew; REUSE=1 keeps one filled before). It prints; it never fails on a time.

import { asc } from 'drizzle-orm';
import { monthsBefore, parsePeriod, previousPeriod } from '../src/core/calendar/index.ts';
import { changeOf } from '../src/core/change.ts';
import { openPg, queryRows, sql } from '../src/db/client.ts';
import { hashSecret } from '../src/modules/auth/passwords.ts';
import { scorecardRules } from '../src/modules/compliance/indicators.ts';
import { closePeriod, facilityScorecard, ranking } from '../src/modules/compliance/service.ts';
import { facilities as facilityTable } from '../src/modules/facilities/tables.ts';
import { coverageByFacility, dueOfficers } from '../src/modules/trainings/coverage.ts';
import { fill, freshDatabase, NATIONAL } from './national.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a scratch database (its name starting with bersinar_bench)');

let database: Awaited<ReturnType<typeof freshDatabase>>;
if (process.env.REUSE) {
  database = openPg({ url, poolMax: 4, statementTimeoutMs: 600_000, connectTimeoutMs: 5_000 });
} else {
  database = await freshDatabase(url);
  const started = performance.now();
  console.log('filling, national scale:');
  await fill(database, NATIONAL, await hashSecret('bersinar-demo-2026'));
  console.log(`filled in ${Math.round((performance.now() - started) / 1000)} s`);
}
const db = database.db;

async function time<T>(label: string, fn: () => Promise<T>, runs = 3): Promise<T> {
  const ms: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await fn();
    ms.push(Math.round(performance.now() - started));
  }
  console.log(`| ${label} | ${ms.join(' / ')} |`);
  return result as T;
}

const facilities = await db.select().from(facilityTable).orderBy(asc(facilityTable.id));
const one = facilities[0];
if (!one) throw new Error('no facilities');
const province = facilities.filter((f) => f.provinceCode === one.provinceCode);
const ids = (list: typeof facilities) => list.map((f) => f.id);
const on = '2025-09-30';
const w = { on, from: monthsBefore(on, 12) };
const period = parsePeriod('2025-Q3');
if (!period) throw new Error('bad period');
const ctx = { rules: scorecardRules(undefined), trainingMonths: 12, now: new Date('2025-11-03T03:00:00Z') };
const [tests] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM urine_tests`);

console.log(`\n${tests?.n} urine-test results; times in ms, three runs each:\n`);
console.log('| report | ms |');
console.log('| --- | --- |');
await time('training coverage, one facility (counts)', () => coverageByFacility(db, [one.id], w));
await time('training coverage, one facility (who is due)', () => dueOfficers(db, one.id, w));
await time(`training coverage, one province (${province.length} facilities)`, () =>
  coverageByFacility(db, ids(province), w),
);
await time(`training coverage, national (${facilities.length} facilities)`, () =>
  coverageByFacility(db, ids(facilities), w),
);
const card = await time('scorecard 2025-Q3, one facility, with the records behind', () =>
  facilityScorecard(db, one, period, ctx, async () => true),
);
await time(`ranking 2025-Q3, one province (${province.length} facilities, and 2025-Q2 beside it)`, () =>
  ranking(db, province, period, ctx),
);
await time(`ranking 2025-Q3, national (${facilities.length} facilities, 2025-Q2 computed beside it)`, () =>
  ranking(db, facilities, period, ctx),
);
// Closing 2025-Q2 (as the Kanwil would each quarter): the ranking compares with what was reported.
const started = performance.now();
const actor = { type: 'system' as const, id: null, role: null, requestId: 'bench' };
const principal = {
  kind: 'user' as const,
  id: '00000000-0000-0000-0000-000000000000',
  role: 'admin' as const,
  organisationId: null,
  facilityId: null,
  scopes: [],
};
const closing = await db.transaction((tx) =>
  closePeriod(changeOf(tx, actor, ctx.now), principal, facilities, previousPeriod(period), ctx),
);
console.log(
  `| closing 2025-Q2 for ${facilities.length} facilities (${closing.closed} closed, ${closing.revised} revised) | ${Math.round(performance.now() - started)} |`,
);
const national = await time(`ranking 2025-Q3, national (${facilities.length} facilities, 2025-Q2 as closed)`, () =>
  ranking(db, facilities, period, ctx),
);
console.log(
  `\none facility: score ${card.score}, ${card.status}; national: best ${national[0]?.score}, worst ${national.at(-1)?.score}`,
);
await database.close();
