import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { facilityReach } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import { provinceTimeZone } from '../../core/provinces.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, violated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import type { WriteResult } from '../../http/write.ts';
import { organisations } from '../organisations/tables.ts';
import { toFacilityDto } from './dto.ts';
import type { FacilityCreateInput, FacilityDto, FacilityListQuery, FacilityUpdateInput } from './schemas.ts';
import { facilityRows, getFacility } from './service.ts';
import { facilities } from './tables.ts';

// The facilities themselves: listed and read within reach, created and changed by administrators.
// A write command refuses a role on the principal alone and judges If-Match at once, then hands
// performWrite the work to do in its transaction: a refused role is a 403 before a 428 or 412.

type Write<T> = (change: Change) => Promise<WriteResult<T>>;

function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw forbidden();
}

export async function listFacilities(
  db: Executor,
  principal: Principal,
  q: z.infer<typeof FacilityListQuery>,
  now: Date,
) {
  const reach = await facilityReach(db, principal, now);
  const rows = await facilityRows(db, reach, {
    type: q.type,
    provinceCode: q.province_code,
    timezone: q.timezone,
    kanwilId: q.kanwil_id,
    namePrefix: q.name,
    updatedSince: q.updated_since,
    ...keysetOf(q),
  });
  return page(rows, q.limit, (row) => row.id, toFacilityDto);
}

export async function readFacility(db: Executor, principal: Principal, id: string, now: Date): Promise<FacilityDto> {
  const reach = await facilityReach(db, principal, now);
  return toFacilityDto(await getFacility(db, reach, id));
}

export function createFacility(principal: Principal, input: FacilityCreateInput): Write<FacilityDto> {
  requireAdmin(principal);
  return async (change) => {
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
    const body = toFacilityDto(row);
    await change.audit({
      action: 'facility.created',
      entityType: 'facility',
      entityId: row.id,
      facilityId: row.id,
      after: body,
    });
    return { status: 201, body, headers: { location: `/v1/facilities/${row.id}` } };
  };
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

/** Name, class and capacity; `version` reads If-Match, once the role has passed. */
export function updateFacility(
  principal: Principal,
  id: string,
  version: () => number,
  input: FacilityUpdateInput,
): Write<FacilityDto> {
  requireAdmin(principal);
  const expected = version();
  return async (change) => {
    const reach = await facilityReach(change.tx, principal, change.now);
    const before = await getFacility(change.tx, reach, id);
    checkVersion(before.version, expected);
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
    const body = toFacilityDto(row);
    await change.audit({
      action: 'facility.updated',
      entityType: 'facility',
      entityId: id,
      facilityId: id,
      before: toFacilityDto(before),
      after: body,
    });
    return { status: 200, body };
  };
}
