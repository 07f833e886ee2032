import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { type FacilityReach, keepsRegister, reaches } from '../../core/access.ts';
import type { Executor } from '../../db/client.ts';
import { inReach, startsWith, updatedSince } from '../../db/filters.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound } from '../../http/problem.ts';
import type { FacilityRow } from './dto.ts';
import { facilities } from './tables.ts';

// What other modules ask of facilities: one in reach, several by id, all in reach, a record's zone.
// The operations on facilities themselves are in facilities.ts.

type Row = FacilityRow;

/** A facility the caller reaches; anything else is the same 404 as a missing one. */
export async function getFacility(db: Executor, reach: FacilityReach, id: string): Promise<Row> {
  if (!reaches(reach, id)) throw notFound('facility');
  const [row] = await db.select().from(facilities).where(eq(facilities.id, id));
  if (!row) throw notFound('facility');
  return row;
}

export async function findFacilities(db: Executor, ids: string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  return db.select().from(facilities).where(inArray(facilities.id, ids));
}

export interface FacilityFilter {
  type?: Row['type'];
  provinceCode?: string;
  timezone?: Row['timezone'];
  kanwilId?: string;
  namePrefix?: string;
  updatedSince?: string;
  after?: string;
  limit: number;
}

/** One page of the facilities in reach, by id, with one row more to tell whether another page follows. */
export async function facilityRows(db: Executor, reach: FacilityReach, filter: FacilityFilter): Promise<Row[]> {
  const where = [inReach(facilities.id, reach)];
  if (filter.type) where.push(eq(facilities.type, filter.type));
  if (filter.provinceCode) where.push(eq(facilities.provinceCode, filter.provinceCode));
  if (filter.timezone) where.push(eq(facilities.timezone, filter.timezone));
  if (filter.kanwilId) where.push(eq(facilities.kanwilId, filter.kanwilId));
  if (filter.namePrefix) where.push(startsWith(facilities.name, filter.namePrefix));
  where.push(updatedSince(facilities.updatedAt, filter.updatedSince));
  if (filter.after) where.push(gt(facilities.id, filter.after));
  return db
    .select()
    .from(facilities)
    .where(and(...where))
    .orderBy(asc(facilities.id))
    .limit(filter.limit + 1);
}

/** Every facility in reach, a province or all, unpaged: for reports that cover them all at once. */
export async function facilitiesInReach(db: Executor, reach: FacilityReach, provinceCode?: string): Promise<Row[]> {
  const rows = await facilityRows(db, reach, { provinceCode, limit: 100_000 });
  return rows.sort((a, b) => a.provinceCode.localeCompare(b.provinceCode) || a.name.localeCompare(b.name));
}

/**
 * A record's facility zone, for lists that judge local days in SQL: join `facilities` on the
 * record's facility, then use this. A subquery per row instead cost two index lookups a row scanned.
 */
export const facilityZone = sql<string>`${facilities.timezone}::text`;

/** A facility whose register the caller keeps: 404 outside reach, 403 for a role that only reads. */
export async function registerFacility(
  db: Executor,
  principal: Principal,
  reach: FacilityReach,
  facilityId: string,
): Promise<Row> {
  const facility = await getFacility(db, reach, facilityId);
  if (!keepsRegister(principal.role)) throw forbidden();
  return facility;
}
