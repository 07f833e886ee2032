import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, facilityReach, reaches, recordsFacilityWork } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, Problem } from '../../http/problem.ts';
import { facilities } from '../facilities/tables.ts';
import type { CustodyRow, EvidenceRow, InspectionRow } from './dto.ts';
import { custodyEntries, evidenceItems, inspections } from './tables.ts';

// What the commands of every part of a report start from: the report in the caller's reach,
// under its lock when it changes, and whether the caller may write it.

/** A BNN officer reaches a facility's inspections only under an MoU with inspection in scope. */
export const inspectionReach = (db: Executor, principal: Principal, now: Date): Promise<FacilityReach> =>
  facilityReach(db, principal, now, 'inspection');

/** Who may write inspections: those who record a facility's work (reach then says which facility). */
export function requireRecorder(principal: Principal) {
  if (!recordsFacilityWork(principal.role)) throw forbidden();
}

/** Columns a command reads with the report, in the same statement. */
type Also = Record<string, SQL>;
type Read<T extends Also> = { [K in keyof T]: T[K] extends SQL<infer V> ? V : never };

export interface Loaded<T extends Also = Also> {
  inspection: InspectionRow;
  timezone: string;
  also: Read<T>;
}

/**
 * The inspection in reach (404 otherwise) with its facility's time zone and what `also` asks for,
 * in one statement; `lock` takes the report's row lock (not the facility's), so that its parts
 * and status change one at a time.
 */
export async function loadInspection<T extends Also = Also>(
  db: Executor,
  principal: Principal,
  id: string,
  now: Date,
  options: { lock?: boolean; also?: T } = {},
): Promise<Loaded<T>> {
  const reach = await inspectionReach(db, principal, now);
  const query = db
    .select({ inspection: inspections, timezone: facilities.timezone, ...(options.also ?? {}) })
    .from(inspections)
    .innerJoin(facilities, eq(facilities.id, inspections.facilityId))
    .where(eq(inspections.id, id));
  const [row] = options.lock ? await query.for('update', { of: inspections }) : await query;
  if (!row || !reaches(reach, row.inspection.facilityId)) throw notFound('inspection');
  const { inspection, timezone, ...also } = row as { inspection: InspectionRow; timezone: string };
  return { inspection, timezone, also: also as Read<T> };
}

/** The report under lock, for a change by someone who records inspections: 404, then 403. */
export async function inspectionToWrite<T extends Also = Also>(
  change: Change,
  principal: Principal,
  id: string,
  also?: T,
): Promise<Loaded<T>> {
  const loaded = await loadInspection(change.tx, principal, id, change.now, { lock: true, ...(also ? { also } : {}) });
  requireRecorder(principal);
  return loaded;
}

export function requireDraft(row: InspectionRow) {
  if (row.status !== 'draft') {
    throw new Problem(409, 'conflict', {
      reason: row.status === 'signed_off' ? reasons.report_signed_off : reasons.report_submitted,
    });
  }
}

/** A part added to a report changes the report: its version (the ETag) moves on. */
export async function touch(change: Change, inspection: InspectionRow, now: Date, set: Partial<InspectionRow> = {}) {
  await change.tx
    .update(inspections)
    .set({ ...set, version: sql`${inspections.version} + 1`, updatedAt: now })
    .where(eq(inspections.id, inspection.id));
}

/**
 * Evidence with its chain of custody, in one statement: each item (by id) with its handovers
 * (in the order they happened), as two lists.
 */
export async function evidenceWithCustody(
  db: Executor,
  where: SQL,
): Promise<{ evidenceRows: EvidenceRow[]; custodyRows: CustodyRow[] }> {
  const rows = await db
    .select({ evidence: evidenceItems, custody: custodyEntries })
    .from(evidenceItems)
    .leftJoin(custodyEntries, eq(custodyEntries.evidenceId, evidenceItems.id))
    .where(where)
    .orderBy(asc(evidenceItems.id), asc(custodyEntries.handedAt), asc(custodyEntries.id));
  const evidenceRows: EvidenceRow[] = [];
  const custodyRows: CustodyRow[] = [];
  for (const { evidence, custody } of rows) {
    if (evidenceRows[evidenceRows.length - 1]?.id !== evidence.id) evidenceRows.push(evidence);
    if (custody) custodyRows.push(custody);
  }
  return { evidenceRows, custodyRows };
}
