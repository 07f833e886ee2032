import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { type FacilityReach, keepsRegister, reaches } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import { provinceName, provinceTimeZone } from '../../core/provinces.ts';
import type { Executor } from '../../db/client.ts';
import { inReach, startsWith } from '../../db/filters.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, violated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { organisations } from '../organisations/tables.ts';
import type { FacilityCreateInput, FacilityDto, FacilityUpdateInput } from './schemas.ts';
import { facilities } from './tables.ts';

type Row = typeof facilities.$inferSelect;

export function toFacilityDto(row: Row): FacilityDto {
  return {
    id: row.id,
    type: row.type,
    class: row.class,
    name: row.name,
    province_code: row.provinceCode as FacilityDto['province_code'],
    province_name: provinceName(row.provinceCode) ?? row.provinceCode,
    regency: row.regency,
    capacity: row.capacity,
    timezone: row.timezone,
    kanwil_id: row.kanwilId,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

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
  after?: string;
  limit: number;
}

export async function listFacilities(db: Executor, reach: FacilityReach, filter: FacilityFilter): Promise<Row[]> {
  const where = [inReach(facilities.id, reach)];
  if (filter.type) where.push(eq(facilities.type, filter.type));
  if (filter.provinceCode) where.push(eq(facilities.provinceCode, filter.provinceCode));
  if (filter.timezone) where.push(eq(facilities.timezone, filter.timezone));
  if (filter.kanwilId) where.push(eq(facilities.kanwilId, filter.kanwilId));
  if (filter.namePrefix) where.push(startsWith(facilities.name, filter.namePrefix));
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
  const rows = await listFacilities(db, reach, { provinceCode, limit: 100_000 });
  return rows.sort((a, b) => a.provinceCode.localeCompare(b.provinceCode) || a.name.localeCompare(b.name));
}

export async function createFacility(change: Change, input: FacilityCreateInput): Promise<Row> {
  const zone = provinceTimeZone(input.province_code);
  if (input.timezone !== zone) {
    throw violated('facility_time_zone_of_province', { timezone: input.timezone, zone }, '/timezone');
  }
  const kanwilId = await kanwilFor(change, input.province_code, input.kanwil_id);
  const [row] = await change.tx
    .insert(facilities)
    .values({
      type: input.type,
      class: input.class,
      name: input.name,
      provinceCode: input.province_code,
      regency: input.regency,
      capacity: input.capacity,
      timezone: input.timezone,
      kanwilId,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'facility.created',
    entityType: 'facility',
    entityId: row.id,
    facilityId: row.id,
    after: toFacilityDto(row),
  });
  return row;
}

// The parent Kanwil is the regional office of the facility's own province.
async function kanwilFor(change: Change, provinceCode: string, requested?: string): Promise<string> {
  const [kanwil] = await change.tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.type, 'kanwil'), eq(organisations.provinceCode, provinceCode)));
  if (!kanwil || (requested && requested !== kanwil.id)) {
    throw violated('facility_kanwil_of_province', {}, '/kanwil_id');
  }
  return kanwil.id;
}

export async function updateFacility(
  change: Change,
  reach: FacilityReach,
  id: string,
  expectedVersion: number,
  input: FacilityUpdateInput,
): Promise<Row> {
  const before = await getFacility(change.tx, reach, id);
  checkVersion(before.version, expectedVersion);
  const row = await updateVersioned(
    change.tx,
    facilities,
    before,
    {
      name: input.name ?? before.name,
      class: input.class ?? before.class,
      capacity: input.capacity ?? before.capacity,
    },
    change.now,
  );
  await change.audit({
    action: 'facility.updated',
    entityType: 'facility',
    entityId: id,
    facilityId: id,
    before: toFacilityDto(before),
    after: toFacilityDto(row),
  });
  return row;
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
