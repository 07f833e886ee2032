import { and, eq, sql } from 'drizzle-orm';
import { reaches } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Db, Executor } from '../../db/client.ts';
import { reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, Problem, violated } from '../../http/problem.ts';
import { toEvidenceDto } from './dto.ts';
import { inspectionReach, inspectionToWrite, loadInspection, requireDraft, requireRecorder, touch } from './load.ts';
import { evidenceItems, findings, inspections } from './tables.ts';

export interface EvidenceInput {
  kind: 'photo' | 'video' | 'seized_item' | 'document';
  description: string;
  seal_number?: string;
}

export interface EvidenceFile {
  sha256: string;
  size: number;
  mediaType: string;
  name: string | null;
  key: string;
  /** Whether the store still holds the file: asked under the file's lock before it is recorded. */
  stored: () => Promise<boolean>;
}

/**
 * The lock of one stored file, held to the end of the transaction. Uploads of the same bytes share
 * one stored file: a refused upload removes it only under this lock, and only when no evidence
 * keeps it, and an upload records it only under this lock, and only while it is still there.
 */
async function lockEvidenceFile(tx: Executor, storageKey: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`evidence-file:${storageKey}`}, 0))`);
}

/** Whether the finding belongs to the report: a column for the statement that loads the report. */
const hasFinding = (findingId: string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM ${findings} WHERE ${findings.id} = ${findingId} AND ${findings.inspectionId} = ${inspections.id})`;

/**
 * Before an upload is read: the finding of a draft in reach, and a caller who may record. An
 * upload refused here is never taken in; the write checks the report again under its lock.
 */
export async function checkEvidenceTarget(
  db: Executor,
  principal: Principal,
  inspectionId: string,
  findingId: string,
  now: Date,
) {
  const { inspection, also } = await loadInspection(db, principal, inspectionId, now, {
    also: { finding: hasFinding(findingId) },
  });
  requireRecorder(principal);
  if (!also.finding) throw notFound('finding');
  if (inspection.status !== 'draft') throw new Problem(409, 'conflict', { reason: reasons.evidence_on_draft });
}

/** Evidence of a finding on a draft; the same file sent again to the same finding (a retry) is the same evidence. */
export async function addEvidence(
  change: Change,
  principal: Principal,
  inspectionId: string,
  findingId: string,
  input: EvidenceInput,
  file?: EvidenceFile,
) {
  const { inspection, also } = await inspectionToWrite(change, principal, inspectionId, {
    finding: hasFinding(findingId),
  });
  if (!also.finding) throw notFound('finding');
  requireDraft(inspection);
  if (input.kind === 'seized_item' && !input.seal_number) {
    throw violated('evidence_seal_number_required', {}, '/seal_number');
  }
  if (input.kind !== 'seized_item' && !file) {
    throw violated('evidence_file_required', { kind: input.kind }, '/file');
  }
  if (file) {
    const [same] = await change.tx
      .select()
      .from(evidenceItems)
      .where(and(eq(evidenceItems.findingId, findingId), eq(evidenceItems.fileSha256, file.sha256)));
    if (same) return { body: toEvidenceDto(same, [], principal), created: false };
    await lockEvidenceFile(change.tx, file.key);
    if (!(await file.stored())) throw new Problem(503, 'evidence_file_gone', {}, { headers: { 'retry-after': '1' } });
  }
  const [row] = await change.tx
    .insert(evidenceItems)
    .values({
      findingId,
      inspectionId: inspection.id,
      facilityId: inspection.facilityId,
      kind: input.kind,
      description: input.description,
      sealNumber: input.seal_number ?? null,
      fileSha256: file?.sha256 ?? null,
      fileSize: file?.size ?? null,
      fileMediaType: file?.mediaType ?? null,
      fileName: file?.name ?? null,
      storageKey: file?.key ?? null,
      createdBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await touch(change, inspection, change.now);
  await change.audit({
    action: 'inspection.evidence_added',
    entityType: 'inspection',
    entityId: inspection.id,
    facilityId: inspection.facilityId,
    after: row,
  });
  return { body: toEvidenceDto(row, [], principal), created: true };
}

/**
 * Removes a stored file a refused or replayed upload left, unless evidence on record keeps it (the
 * same bytes uploaded to another finding); under the file's lock, so no upload records it meanwhile.
 */
export async function removeUnusedFile(db: Db, storageKey: string, remove: (key: string) => Promise<void>) {
  await db.transaction(async (tx) => {
    await lockEvidenceFile(tx, storageKey);
    const [used] = await tx
      .select({ id: evidenceItems.id })
      .from(evidenceItems)
      .where(eq(evidenceItems.storageKey, storageKey));
    if (!used) await remove(storageKey);
  });
}

/** An evidence item in reach (404 otherwise, as its report). */
async function evidenceInReach(db: Executor, principal: Principal, id: string, now: Date) {
  const reach = await inspectionReach(db, principal, now);
  const [row] = await db.select().from(evidenceItems).where(eq(evidenceItems.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('evidence');
  return row;
}

/** The stored file of an evidence item in reach: 404 when the item has none. */
export async function evidenceFile(db: Executor, principal: Principal, id: string, now: Date) {
  const evidence = await evidenceInReach(db, principal, id, now);
  if (!evidence.storageKey || !evidence.fileMediaType || !evidence.fileSha256) throw notFound('file');
  return {
    id: evidence.id,
    key: evidence.storageKey,
    mediaType: evidence.fileMediaType,
    sha256: evidence.fileSha256,
    name: evidence.fileName,
  };
}
