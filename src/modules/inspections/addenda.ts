import { eq, sql } from 'drizzle-orm';
import { reaches } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, Problem, violated } from '../../http/problem.ts';
import { toAddendumRecordDto } from './dto.ts';
import { addendumAdded } from './events.ts';
import { inspectionReach, inspectionToWrite } from './load.ts';
import { addenda, correctiveActions, evidenceItems, findings, inspections } from './tables.ts';

export interface AddendumInput {
  corrects_type: 'inspection' | 'finding' | 'evidence' | 'action';
  corrects_id: string;
  reason: string;
  text: string;
}

/** Whether the part an addendum corrects belongs to the report: a column for the statement that loads it. */
function hasPart(input: AddendumInput) {
  if (input.corrects_type === 'inspection') return sql<boolean>`${inspections.id} = ${input.corrects_id}`;
  const table = { finding: findings, evidence: evidenceItems, action: correctiveActions }[input.corrects_type];
  return sql<boolean>`EXISTS (SELECT 1 FROM ${table} WHERE ${table.id} = ${input.corrects_id} AND ${table.inspectionId} = ${inspections.id})`;
}

/** Corrections to a signed-off report: what they correct (a part of this report), who, and why. */
export async function addAddendum(change: Change, principal: Principal, inspectionId: string, input: AddendumInput) {
  const { inspection, also } = await inspectionToWrite(change, principal, inspectionId, { part: hasPart(input) });
  if (inspection.status !== 'signed_off') {
    throw new Problem(409, 'conflict', { reason: reasons.addenda_for_signed_off });
  }
  if (!also.part) {
    throw violated('addendum_corrects_elsewhere', {}, '/corrects_id');
  }
  const [row] = await change.tx
    .insert(addenda)
    .values({
      inspectionId: inspection.id,
      facilityId: inspection.facilityId,
      correctsType: input.corrects_type,
      correctsId: input.corrects_id,
      reason: input.reason,
      text: input.text,
      authorId: principal.id,
      authorRole: principal.role,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'inspection.addendum_added',
    entityType: 'inspection',
    entityId: inspection.id,
    facilityId: inspection.facilityId,
    after: row,
  });
  await addendumAdded.emit(
    change,
    { subject: { type: 'inspection', id: inspection.id }, facilityIds: [inspection.facilityId] },
    {
      inspection_id: inspection.id,
      facility_id: inspection.facilityId,
      addendum_id: row.id,
      corrects_type: input.corrects_type,
      corrects_id: row.correctsId,
    },
  );
  return toAddendumRecordDto(row);
}

/** An addendum in reach (404 otherwise, as its report). */
export async function readAddendum(db: Executor, principal: Principal, id: string, now: Date) {
  const reach = await inspectionReach(db, principal, now);
  const [row] = await db.select().from(addenda).where(eq(addenda.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('addendum');
  return toAddendumRecordDto(row);
}
