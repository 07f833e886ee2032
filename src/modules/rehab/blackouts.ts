import { asc, eq } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { Principal } from '../../http/principal.ts';
import { facilityBlackoutDates } from './tables.ts';

// Days a facility holds no sessions.

export async function listBlackouts(db: Executor, facilityId: string) {
  return db
    .select()
    .from(facilityBlackoutDates)
    .where(eq(facilityBlackoutDates.facilityId, facilityId))
    .orderBy(asc(facilityBlackoutDates.day));
}

export function toBlackoutDto(row: typeof facilityBlackoutDates.$inferSelect) {
  return { facility_id: row.facilityId, date: row.day, reason: row.reason, created_at: isoNotNull(row.createdAt) };
}

export async function addBlackout(
  change: Change,
  principal: Principal,
  facilityId: string,
  input: { date: string; reason: string },
) {
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
  return row;
}
