import { eq } from 'drizzle-orm';
import { reaches } from '../../core/access.ts';
import { instantIn } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, violated } from '../../http/problem.ts';
import { facilities } from '../facilities/tables.ts';
import { toCustodyEntryDto } from './dto.ts';
import { inspectionReach, requireRecorder } from './load.ts';
import { custodyEntries, evidenceItems, inspections } from './tables.ts';

/**
 * A handover of an evidence item: append-only, and it goes on after sign-off (the goods travel
 * on), so it needs no lock of the report. The item, when its inspection began and its facility's
 * time zone are read in one statement.
 */
export async function addCustody(
  change: Change,
  principal: Principal,
  evidenceId: string,
  input: { handed_by: string; handed_to: string; handed_at: string; note?: string },
  now: Date,
) {
  const reach = await inspectionReach(change.tx, principal, change.now);
  const [found] = await change.tx
    .select({ evidence: evidenceItems, startedAt: inspections.startedAt, timezone: facilities.timezone })
    .from(evidenceItems)
    .innerJoin(inspections, eq(inspections.id, evidenceItems.inspectionId))
    .innerJoin(facilities, eq(facilities.id, evidenceItems.facilityId))
    .where(eq(evidenceItems.id, evidenceId));
  if (!found || !reaches(reach, found.evidence.facilityId)) throw notFound('evidence');
  requireRecorder(principal);
  const { evidence } = found;
  const handedAt = instantIn(input.handed_at, found.timezone);
  if (Number.isNaN(handedAt.getTime()) || handedAt < found.startedAt || handedAt > now) {
    throw violated('evidence_handed_at_outside', {}, '/handed_at');
  }
  const [row] = await change.tx
    .insert(custodyEntries)
    .values({
      evidenceId: evidence.id,
      facilityId: evidence.facilityId,
      handedBy: input.handed_by,
      handedTo: input.handed_to,
      handedAt,
      note: input.note ?? null,
      recordedBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'evidence.custody_recorded',
    entityType: 'evidence',
    entityId: evidence.id,
    facilityId: evidence.facilityId,
    after: row,
  });
  return toCustodyEntryDto(row, principal);
}

/** A custody entry in reach (404 otherwise, as the report of its evidence). */
export async function readCustodyEntry(db: Executor, principal: Principal, id: string, now: Date) {
  const reach = await inspectionReach(db, principal, now);
  const [row] = await db.select().from(custodyEntries).where(eq(custodyEntries.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('custody entry');
  return toCustodyEntryDto(row, principal);
}
