import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { dayEndSql, dayStartSql, widestInstants } from '../../core/calendar/index.ts';
import { type ReadRecord, readNamed } from '../../core/named-read.ts';
import type { Db, Executor } from '../../db/client.ts';
import { inReach, keysetOrder, updatedSince } from '../../db/filters.ts';
import { stampedKeysetOf, stampedPage } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound } from '../../http/problem.ts';
import { facilityZone } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { type TestRow, toTestDto } from './dto.ts';
import type { TestListQuery } from './request-schemas.ts';
import { urineReach } from './rounds.ts';
import { urineRounds, urineTests } from './tables.ts';

/** A test in reach (404 otherwise), with its round and its facility's zone, read at once. */
export async function getTest(db: Executor, reach: FacilityReach, id: string) {
  const [found] = await db
    .select({ test: urineTests, round: urineRounds, timezone: facilityZone })
    .from(urineTests)
    .innerJoin(urineRounds, eq(urineRounds.id, urineTests.roundId))
    .innerJoin(facilities, eq(facilities.id, urineTests.facilityId))
    .where(eq(urineTests.id, id));
  if (!found || !reaches(reach, found.test.facilityId)) throw notFound('urine test');
  return found;
}

/** One test in reach (404 otherwise, and no record of the read); its read recorded in the same statement when `record` is given. */
export async function readTest(db: Db, principal: Principal, id: string, now: Date, record?: ReadRecord) {
  const reach = await urineReach(db, principal, now);
  const query = db
    .select({ test: urineTests, timezone: facilityZone.as('timezone') })
    .from(urineTests)
    .innerJoin(facilities, eq(facilities.id, urineTests.facilityId))
    .where(and(eq(urineTests.id, id), inReach(urineTests.facilityId, reach)));
  const [found] = await readNamed(
    db,
    query,
    { id: urineTests.id, facilityId: urineTests.facilityId, shown: 1 },
    record,
  );
  if (!found) throw notFound('urine test');
  return toTestDto(found.test, found.timezone);
}

export interface TestFilter {
  facilityId?: string;
  roundId?: string;
  subjectType?: TestRow['subjectType'];
  subjectId?: string;
  outcome?: TestRow['outcome'];
  drugClass?: string;
  from?: string;
  to?: string;
  /** Tests are never changed: re-sync reads created_at. */
  createdSince?: string;
  after?: string;
  /** The stamp of the cursor's row, for a list ordered by a stamp (see testOrder). */
  at?: string;
  limit: number;
}

/**
 * A date filter orders the list by collection time, a re-sync by when tests were written, else by
 * id: each order has its index (urine_tests_facility_collected_idx, _facility_created_idx, _facility_id_idx).
 */
export const testOrder = (filter: { from?: string; to?: string; createdSince?: string }) =>
  filter.from || filter.to ? 'collected_at' : filter.createdSince ? 'created_at' : undefined;

/** The query of a page (not yet sent: awaiting it runs it). */
export function listTests(db: Executor, reach: FacilityReach, filter: TestFilter) {
  const where = [inReach(urineTests.facilityId, reach)];
  if (filter.facilityId) where.push(eq(urineTests.facilityId, filter.facilityId));
  if (filter.roundId) where.push(eq(urineTests.roundId, filter.roundId));
  if (filter.subjectType) where.push(eq(urineTests.subjectType, filter.subjectType));
  if (filter.subjectId) where.push(eq(urineTests.subjectId, filter.subjectId));
  if (filter.outcome) where.push(eq(urineTests.outcome, filter.outcome));
  if (filter.drugClass) {
    where.push(
      sql`${urineTests.classes} @> ${JSON.stringify([{ class: filter.drugClass, result: 'positive' }])}::jsonb`,
    );
  }
  // Each test's day is judged in its facility's zone, after the widest instants narrowed the rows by index.
  // For one facility the zone is read once, so that the index walks its day in the list's order.
  const zone = filter.facilityId
    ? sql`(SELECT ${facilities.timezone}::text FROM ${facilities} WHERE ${facilities.id} = ${filter.facilityId})`
    : facilityZone;
  if (filter.from) {
    const { earliest } = widestInstants(filter.from, filter.from);
    where.push(sql`${urineTests.collectedAt} >= ${earliest.toISOString()}::timestamptz`);
    where.push(sql`${urineTests.collectedAt} >= ${dayStartSql(filter.from, zone)}`);
  }
  if (filter.to) {
    const { latest } = widestInstants(filter.to, filter.to);
    where.push(sql`${urineTests.collectedAt} < ${latest.toISOString()}::timestamptz`);
    where.push(sql`${urineTests.collectedAt} < ${dayEndSql(filter.to, zone)}`);
  }
  where.push(updatedSince(urineTests.createdAt, filter.createdSince));
  const by = testOrder(filter);
  const order = keysetOrder(
    urineTests.id,
    filter,
    by && { column: by === 'collected_at' ? urineTests.collectedAt : urineTests.createdAt, type: 'timestamptz' },
  );
  where.push(order.after);
  return db
    .select({ row: urineTests, timezone: facilityZone.as('timezone'), at: order.at.as('at') })
    .from(urineTests)
    .innerJoin(facilities, eq(facilities.id, urineTests.facilityId))
    .where(and(...where))
    .orderBy(...order.orderBy)
    .limit(filter.limit + 1);
}

/** A page of the tests in reach, filtered as the query asks; its read recorded in the same statement when `record` is given. */
export async function listTestPage(
  db: Db,
  principal: Principal,
  q: z.infer<typeof TestListQuery>,
  now: Date,
  record?: ReadRecord,
) {
  const keyset = stampedKeysetOf(q, testOrder({ from: q.from, to: q.to, createdSince: q.updated_since }));
  const query = listTests(db, await urineReach(db, principal, now), {
    facilityId: q.facility_id,
    roundId: q.round_id,
    subjectType: q.subject_type,
    subjectId: q.subject_id,
    outcome: q.outcome,
    drugClass: q.class,
    from: q.from,
    to: q.to,
    createdSince: q.updated_since,
    after: keyset.after,
    at: keyset.at,
    limit: keyset.limit,
  });
  const rows = await readNamed(
    db,
    query,
    { id: urineTests.id, facilityId: urineTests.facilityId, shown: q.limit },
    record,
  );
  return stampedPage(
    rows,
    keyset,
    (x) => ({ id: x.row.id, at: x.at }),
    (x) => toTestDto(x.row, x.timezone),
  );
}

/** Whether a person has ever had a confirmed positive test (rehabilitation takes them without further reason). */
export async function hasConfirmedPositive(db: Executor, subjectType: 'inmate' | 'officer', subjectId: string) {
  const [row] = await db
    .select({ id: urineTests.id })
    .from(urineTests)
    .where(
      and(
        eq(urineTests.subjectType, subjectType),
        eq(urineTests.subjectId, subjectId),
        eq(urineTests.confirmation, 'confirmed_positive'),
      ),
    )
    .limit(1);
  return !!row;
}
