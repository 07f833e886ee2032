import { asc, eq } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import { getFacility, registerFacility } from '../facilities/service.ts';
import { toBlackoutDto } from './dto.ts';
import { rehabReach } from './programmes.ts';
import type { BlackoutCreateInput } from './schemas.ts';
import { facilityBlackoutDates } from './tables.ts';

// Days a facility holds no sessions.

/** A facility's blackout dates, for whoever reaches it. */
export async function listBlackouts(db: Executor, principal: Principal, now: Date, facilityId: string) {
  const facility = await getFacility(db, await rehabReach(db, principal, now), facilityId);
  const rows = await db
    .select()
    .from(facilityBlackoutDates)
    .where(eq(facilityBlackoutDates.facilityId, facility.id))
    .orderBy(asc(facilityBlackoutDates.day));
  return { data: rows.map(toBlackoutDto) };
}

/** Adds a blackout date: those who keep the facility's register (and reach it). */
export async function addBlackout(
  change: Change,
  principal: Principal,
  facilityId: string,
  input: BlackoutCreateInput,
) {
  const reach = await rehabReach(change.tx, principal, change.now);
  await registerFacility(change.tx, principal, reach, facilityId);
  const [row] = await change.tx
    .insert(facilityBlackoutDates)
    .values({ facilityId, day: input.date, reason: input.reason, createdBy: principal.id })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'rehab.blackout_added',
    entityType: 'facility',
    entityId: facilityId,
    facilityId,
    after: toBlackoutDto(row),
  });
  return toBlackoutDto(row);
}
