import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { dayEndSql, dayStartSql, instantIn, localDate, localDateSql, localTime } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { iso, isoNotNull } from '../../http/dto.ts';
import { reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, Problem, violated } from '../../http/problem.ts';
import { facilityZone } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { inmates } from '../inmates/tables.ts';
import { officers } from '../officers/tables.ts';
import { findOrganisation } from '../organisations/service.ts';
import type {
  ActionCreateInput,
  ActionDto,
  FindingCreateInput,
  InspectionFieldsInput,
  InspectionUpdateInput,
} from './schemas.ts';
import {
  addenda,
  correctiveActions,
  custodyEntries,
  evidenceItems,
  findings,
  inspections,
  type PersonInvolved,
} from './tables.ts';

type Facility = typeof facilities.$inferSelect;
type InspectionRow = typeof inspections.$inferSelect;
type ActionRow = typeof correctiveActions.$inferSelect;

export const HANDOVER_ACTION =
  'Serahkan barang bukti narkotika kepada BNN/Polri dalam 48 jam (hand over the narcotics to BNN or the police within 48 hours)';

export function toSummaryDto(row: InspectionRow, timezone: string, findingCount: number, seesNames: boolean) {
  return {
    id: row.id,
    facility_id: row.facilityId,
    kind: row.kind,
    lead_organisation_id: row.leadOrganisationId,
    team: seesNames ? row.team : null,
    started_at: localTime(row.startedAt, timezone),
    ended_at: localTime(row.endedAt, timezone),
    timezone,
    areas: row.areas,
    inmates_searched: row.inmatesSearched,
    officers_searched: row.officersSearched,
    summary: row.summary,
    status: row.status,
    narcotics_found: row.narcoticsFound,
    result: findingCount > 0 ? ('findings' as const) : ('nihil' as const),
    finding_count: findingCount,
    submitted_at: iso(row.submittedAt),
    submitted_by: row.submittedBy,
    signed_off_at: iso(row.signedOffAt),
    signed_off_by: row.signedOffBy,
    created_by: row.createdBy,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

export function toActionDto(row: ActionRow, timezone: string, now: Date): ActionDto {
  const overdue = (row.status === 'open' || row.status === 'in_progress') && row.dueDate < localDate(now, timezone);
  return {
    id: row.id,
    inspection_id: row.inspectionId,
    facility_id: row.facilityId,
    finding_id: row.findingId,
    description: row.description,
    owner_organisation_id: row.ownerOrganisationId,
    owner_officer_id: row.ownerOfficerId,
    due_date: row.dueDate,
    status: overdue ? 'overdue' : row.status,
    overdue,
    closing_comment: row.closingComment,
    closed_at: iso(row.closedAt),
    automatic: row.automatic,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

/** An inspection in reach (404 otherwise); `forUpdate` locks it so that parts and status change one at a time. */
export async function getInspection(
  db: Executor,
  reach: FacilityReach,
  id: string,
  forUpdate = false,
): Promise<InspectionRow> {
  const query = db.select().from(inspections).where(eq(inspections.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row || !reaches(reach, row.facilityId)) throw notFound('inspection');
  return row;
}

function requireDraft(row: InspectionRow) {
  if (row.status !== 'draft') {
    throw new Problem(409, 'conflict', {
      reason: row.status === 'signed_off' ? reasons.report_signed_off : reasons.report_submitted,
    });
  }
}

function checkTimes(startedAt: Date, endedAt: Date, now: Date) {
  if (Number.isNaN(startedAt.getTime()) || Number.isNaN(endedAt.getTime())) {
    throw violated('inspection_times_invalid', {}, '/started_at');
  }
  if (endedAt <= startedAt) {
    throw violated('inspection_ends_before_start', {}, '/ended_at');
  }
  if (startedAt > now) {
    throw violated('inspection_starts_in_future', {}, '/started_at');
  }
}

async function checkLead(db: Executor, id: string | null | undefined) {
  if (id && !(await findOrganisation(db, id))) {
    throw violated('inspection_lead_unknown', {}, '/lead_organisation_id');
  }
}

export async function createInspection(
  change: Change,
  facility: Facility,
  principal: Principal,
  input: InspectionFieldsInput,
  now: Date,
): Promise<InspectionRow> {
  const startedAt = instantIn(input.started_at, facility.timezone);
  const endedAt = instantIn(input.ended_at, facility.timezone);
  checkTimes(startedAt, endedAt, now);
  await checkLead(change.tx, input.lead_organisation_id);
  const [row] = await change.tx
    .insert(inspections)
    .values({
      facilityId: facility.id,
      kind: input.kind,
      leadOrganisationId: input.lead_organisation_id ?? null,
      team: input.team,
      startedAt,
      endedAt,
      areas: input.areas,
      inmatesSearched: input.inmates_searched,
      officersSearched: input.officers_searched,
      summary: input.summary,
      createdBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'inspection.opened',
    entityType: 'inspection',
    entityId: row.id,
    facilityId: facility.id,
    after: row,
  });
  return row;
}

export async function updateInspection(
  change: Change,
  facility: Facility,
  before: InspectionRow,
  expectedVersion: number,
  input: InspectionUpdateInput,
  now: Date,
): Promise<InspectionRow> {
  if (before.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: before.version });
  requireDraft(before);
  const startedAt = input.started_at ? instantIn(input.started_at, facility.timezone) : before.startedAt;
  const endedAt = input.ended_at ? instantIn(input.ended_at, facility.timezone) : before.endedAt;
  checkTimes(startedAt, endedAt, now);
  await checkLead(change.tx, input.lead_organisation_id);
  const [row] = await change.tx
    .update(inspections)
    .set({
      kind: input.kind ?? before.kind,
      leadOrganisationId:
        input.lead_organisation_id === undefined ? before.leadOrganisationId : input.lead_organisation_id,
      team: input.team ?? before.team,
      startedAt,
      endedAt,
      areas: input.areas ?? before.areas,
      inmatesSearched: input.inmates_searched ?? before.inmatesSearched,
      officersSearched: input.officers_searched ?? before.officersSearched,
      summary: input.summary ?? before.summary,
      version: before.version + 1,
      updatedAt: now,
    })
    .where(and(eq(inspections.id, before.id), eq(inspections.version, expectedVersion)))
    .returning();
  if (!row) throw new Problem(412, 'precondition_failed', { current: '?' });
  if (row.endedAt.getTime() !== before.endedAt.getTime()) {
    // The 48-hour hand-over runs from the end of the search: it moves with it.
    await change.tx
      .update(correctiveActions)
      .set({ dueDate: handoverDue(row.endedAt, facility.timezone), updatedAt: now })
      .where(and(eq(correctiveActions.inspectionId, row.id), eq(correctiveActions.automatic, true)));
  }
  await change.audit({
    action: 'inspection.updated',
    entityType: 'inspection',
    entityId: row.id,
    facilityId: row.facilityId,
    before,
    after: row,
  });
  return row;
}

/** draft → submitted, by whoever records inspections here. */
export async function submitInspection(change: Change, principal: Principal, before: InspectionRow, now: Date) {
  // The facility's own staff put the report before their head; BNN and administrators take part in drafting.
  if (principal.role !== 'facility_staff' && principal.role !== 'facility_head') throw forbidden();
  requireDraft(before);
  return moveTo(change, principal, before, 'submitted', now);
}

/** submitted → signed_off, only by the head (Karutan/Kalapas) of that very facility. Frozen from then on. */
export async function signOffInspection(change: Change, principal: Principal, before: InspectionRow, now: Date) {
  if (principal.role !== 'facility_head' || principal.facilityId !== before.facilityId) throw forbidden();
  if (before.status !== 'submitted') {
    throw new Problem(409, 'conflict', {
      reason: before.status === 'draft' ? reasons.report_not_submitted : reasons.report_already_signed_off,
    });
  }
  return moveTo(change, principal, before, 'signed_off', now);
}

/** One step of the workflow, stamped with who took it and when, and audited. */
async function moveTo(
  change: Change,
  principal: Principal,
  before: InspectionRow,
  status: 'submitted' | 'signed_off',
  now: Date,
) {
  const stamp =
    status === 'submitted'
      ? { submittedAt: now, submittedBy: principal.id }
      : { signedOffAt: now, signedOffBy: principal.id };
  const [row] = await change.tx
    .update(inspections)
    .set({ status, ...stamp, version: before.version + 1, updatedAt: now })
    .where(and(eq(inspections.id, before.id), eq(inspections.version, before.version)))
    .returning();
  if (!row) throw new Problem(409, 'conflict', { reason: reasons.report_changed });
  await change.audit({
    action: `inspection.${status}`,
    entityType: 'inspection',
    entityId: row.id,
    facilityId: row.facilityId,
    after: { status },
  });
  return row;
}

/** Narcotics go to BNN or the police within 48 hours of the end of the search: the local date it falls on. */
function handoverDue(endedAt: Date, timezone: string): string {
  return localDate(new Date(endedAt.getTime() + 48 * 3_600_000), timezone);
}

/** A part added to a report changes the report: its version (the ETag) moves on. */
async function touch(change: Change, inspection: InspectionRow, now: Date, set: Partial<InspectionRow> = {}) {
  await change.tx
    .update(inspections)
    .set({ ...set, version: sql`${inspections.version} + 1`, updatedAt: now })
    .where(eq(inspections.id, inspection.id));
}

/** People named in a finding must be in the registers of the inspected facility. */
async function checkPeople(db: Executor, facilityId: string, people: PersonInvolved[]) {
  for (const [index, person] of people.entries()) {
    if (person.type === 'unknown') {
      if (person.id) throw violated('inspection_unknown_person_with_id', {}, `/people/${index}/id`);
      continue;
    }
    if (!person.id) throw violated('inspection_person_needs_id', { type: person.type }, `/people/${index}/id`);
    const table = person.type === 'inmate' ? inmates : officers;
    const [found] = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.id, person.id), eq(table.facilityId, facilityId)));
    if (!found) {
      throw violated('inspection_person_elsewhere', { index, type: person.type }, `/people/${index}/id`);
    }
  }
}

/**
 * A finding on a draft. Narcotics make the report notify-worthy, and bring by themselves the
 * action to hand the goods to BNN or the police within 48 hours of the end of the search.
 */
export async function addFinding(
  change: Change,
  facility: Facility,
  principal: Principal,
  inspection: InspectionRow,
  input: FindingCreateInput,
  now: Date,
) {
  requireDraft(inspection);
  await checkPeople(change.tx, inspection.facilityId, input.people);
  const [row] = await change.tx
    .insert(findings)
    .values({
      inspectionId: inspection.id,
      facilityId: inspection.facilityId,
      category: input.category,
      description: input.description,
      quantity: String(input.quantity),
      unit: input.unit,
      location: input.location,
      people: input.people,
      createdBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'inspection.finding_added',
    entityType: 'inspection',
    entityId: inspection.id,
    facilityId: inspection.facilityId,
    after: row,
  });
  await touch(change, inspection, now, input.category === 'narcotics' ? { narcoticsFound: true } : {});
  if (input.category === 'narcotics') {
    const [existing] = await change.tx
      .select({ id: correctiveActions.id })
      .from(correctiveActions)
      .where(and(eq(correctiveActions.inspectionId, inspection.id), eq(correctiveActions.automatic, true)));
    if (!existing) {
      const due = handoverDue(inspection.endedAt, facility.timezone);
      const [action] = await change.tx
        .insert(correctiveActions)
        .values({
          inspectionId: inspection.id,
          findingId: row.id,
          facilityId: inspection.facilityId,
          description: HANDOVER_ACTION,
          dueDate: due,
          automatic: true,
        })
        .returning();
      await change.audit({
        action: 'corrective_action.created',
        entityType: 'corrective_action',
        entityId: action?.id ?? null,
        facilityId: inspection.facilityId,
        after: action,
      });
    }
  }
  return row;
}

export async function getFinding(db: Executor, inspectionId: string, findingId: string) {
  const [row] = await db
    .select()
    .from(findings)
    .where(and(eq(findings.id, findingId), eq(findings.inspectionId, inspectionId)));
  if (!row) throw notFound('finding');
  return row;
}

export async function addEvidence(
  change: Change,
  principal: Principal,
  inspection: InspectionRow,
  finding: typeof findings.$inferSelect,
  input: { kind: 'photo' | 'video' | 'seized_item' | 'document'; description: string; seal_number?: string },
  file?: { sha256: string; size: number; mediaType: string; name: string | null; key: string },
) {
  requireDraft(inspection);
  if (input.kind === 'seized_item' && !input.seal_number) {
    throw violated('evidence_seal_number_required', {}, '/seal_number');
  }
  if (input.kind !== 'seized_item' && !file) {
    throw violated('evidence_file_required', { kind: input.kind }, '/file');
  }
  if (file) {
    // The same file sent again to the same finding (a retry) is the same evidence.
    const [same] = await change.tx
      .select()
      .from(evidenceItems)
      .where(and(eq(evidenceItems.findingId, finding.id), eq(evidenceItems.fileSha256, file.sha256)));
    if (same) return { row: same, created: false };
  }
  const [row] = await change.tx
    .insert(evidenceItems)
    .values({
      findingId: finding.id,
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
  return { row, created: true };
}

export async function custodyOf(db: Executor, evidenceId: string) {
  return db
    .select()
    .from(custodyEntries)
    .where(eq(custodyEntries.evidenceId, evidenceId))
    .orderBy(asc(custodyEntries.handedAt), asc(custodyEntries.id));
}

export async function evidenceFileInUse(db: Executor, storageKey: string): Promise<boolean> {
  const [used] = await db
    .select({ id: evidenceItems.id })
    .from(evidenceItems)
    .where(eq(evidenceItems.storageKey, storageKey));
  return Boolean(used);
}

export async function getEvidence(db: Executor, reach: FacilityReach, id: string) {
  const [row] = await db.select().from(evidenceItems).where(eq(evidenceItems.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('evidence');
  return row;
}

/** A handover of an evidence item: append-only, and it goes on after sign-off (the goods travel on). */
export async function addCustody(
  change: Change,
  principal: Principal,
  timezone: string,
  evidence: typeof evidenceItems.$inferSelect,
  inspection: InspectionRow,
  input: { handed_by: string; handed_to: string; handed_at: string; note?: string },
  now: Date,
) {
  const handedAt = instantIn(input.handed_at, timezone);
  if (Number.isNaN(handedAt.getTime()) || handedAt < inspection.startedAt || handedAt > now) {
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
  return row;
}

export async function addAction(
  change: Change,
  facility: Facility,
  inspection: InspectionRow,
  input: ActionCreateInput,
) {
  if (inspection.status === 'signed_off') {
    throw new Problem(409, 'conflict', { reason: reasons.report_signed_off });
  }
  if (input.due_date < localDate(inspection.startedAt, facility.timezone)) {
    throw violated('action_due_before_inspection', {}, '/due_date');
  }
  if (input.finding_id)
    await getFinding(change.tx, inspection.id, input.finding_id).catch(() => {
      throw violated('action_finding_elsewhere', {}, '/finding_id');
    });
  if (input.owner_organisation_id && !(await findOrganisation(change.tx, input.owner_organisation_id))) {
    throw violated('action_owner_organisation_unknown', {}, '/owner_organisation_id');
  }
  if (input.owner_officer_id)
    await checkPeople(change.tx, inspection.facilityId, [{ type: 'officer', id: input.owner_officer_id }]).catch(() => {
      throw violated('action_owner_officer_elsewhere', {}, '/owner_officer_id');
    });
  const [row] = await change.tx
    .insert(correctiveActions)
    .values({
      inspectionId: inspection.id,
      findingId: input.finding_id ?? null,
      facilityId: inspection.facilityId,
      description: input.description,
      ownerOrganisationId: input.owner_organisation_id ?? null,
      ownerOfficerId: input.owner_officer_id ?? null,
      dueDate: input.due_date,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await touch(change, inspection, change.now);
  await change.audit({
    action: 'corrective_action.created',
    entityType: 'corrective_action',
    entityId: row.id,
    facilityId: row.facilityId,
    after: row,
  });
  return row;
}

export async function getAction(db: Executor, reach: FacilityReach, id: string): Promise<ActionRow> {
  const [row] = await db.select().from(correctiveActions).where(eq(correctiveActions.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('corrective action');
  return row;
}

const NEXT: Record<string, string[]> = {
  open: ['in_progress', 'done'],
  in_progress: ['done'],
  done: ['verified', 'in_progress'],
  verified: [],
};

/** Actions move open → in progress → done (with a closing comment) → verified; they progress after sign-off too. */
export async function updateAction(
  change: Change,
  before: ActionRow,
  expectedVersion: number,
  input: { status?: ActionRow['status']; closing_comment?: string },
  now: Date,
) {
  if (before.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: before.version });
  if (before.status === 'verified') throw new Problem(409, 'conflict', { reason: reasons.action_verified });
  const status = input.status ?? before.status;
  if (status !== before.status && !NEXT[before.status]?.includes(status)) {
    throw violated('action_transition', { from: before.status, to: status }, '/status');
  }
  const closingComment = input.closing_comment ?? before.closingComment;
  if ((status === 'done' || status === 'verified') && !closingComment) {
    throw violated('action_closing_comment_required', {}, '/closing_comment');
  }
  const [row] = await change.tx
    .update(correctiveActions)
    .set({
      status,
      closingComment,
      // Done keeps the moment it was first done (verification does not move it); reopened clears it.
      closedAt: status === 'done' || status === 'verified' ? (before.closedAt ?? now) : null,
      version: before.version + 1,
      updatedAt: now,
    })
    .where(and(eq(correctiveActions.id, before.id), eq(correctiveActions.version, expectedVersion)))
    .returning();
  if (!row) throw new Problem(412, 'precondition_failed', { current: '?' });
  await change.audit({
    action: 'corrective_action.updated',
    entityType: 'corrective_action',
    entityId: row.id,
    facilityId: row.facilityId,
    before,
    after: row,
  });
  return row;
}

export interface ActionFilter {
  facilityId?: string;
  inspectionId?: string;
  status?: ActionRow['status'];
  overdue?: boolean;
  after?: string;
  limit: number;
}

/** Across the caller's facilities; overdue is judged by each facility's own calendar at `now`. */
export async function listActions(db: Executor, reach: FacilityReach, filter: ActionFilter, now: Date) {
  if (!reach.all && reach.ids.length === 0) return [];
  const overdue = sql`(${correctiveActions.status} IN ('open', 'in_progress')
    AND ${correctiveActions.dueDate} < ${localDateSql(now, facilityZone)})`;
  const where: SQL[] = [];
  if (!reach.all) where.push(inArray(correctiveActions.facilityId, reach.ids));
  if (filter.facilityId) where.push(eq(correctiveActions.facilityId, filter.facilityId));
  if (filter.inspectionId) where.push(eq(correctiveActions.inspectionId, filter.inspectionId));
  if (filter.status) where.push(eq(correctiveActions.status, filter.status));
  if (filter.overdue !== undefined) where.push(filter.overdue ? overdue : sql`NOT ${overdue}`);
  if (filter.after) where.push(gt(correctiveActions.id, filter.after));
  return db
    .select({ row: correctiveActions, timezone: facilityZone })
    .from(correctiveActions)
    .innerJoin(facilities, eq(facilities.id, correctiveActions.facilityId))
    .where(and(...where))
    .orderBy(asc(correctiveActions.id))
    .limit(filter.limit + 1);
}

/** Corrections to a signed-off report: what they correct (a part of this report), who, and why. */
export async function addAddendum(
  change: Change,
  principal: Principal,
  inspection: InspectionRow,
  input: {
    corrects_type: 'inspection' | 'finding' | 'evidence' | 'action';
    corrects_id: string;
    reason: string;
    text: string;
  },
) {
  if (inspection.status !== 'signed_off') {
    throw new Problem(409, 'conflict', { reason: reasons.addenda_for_signed_off });
  }
  const table = { finding: findings, evidence: evidenceItems, action: correctiveActions }[
    input.corrects_type as 'finding'
  ];
  const belongs =
    input.corrects_type === 'inspection'
      ? input.corrects_id === inspection.id
      : (
          await change.tx
            .select({ id: table.id })
            .from(table)
            .where(and(eq(table.id, input.corrects_id), eq(table.inspectionId, inspection.id)))
        ).length > 0;
  if (!belongs) {
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
  return row;
}

export interface InspectionFilter {
  facilityId?: string;
  kind?: InspectionRow['kind'];
  status?: InspectionRow['status'];
  from?: string;
  to?: string;
  hasFindings?: boolean;
  category?: string;
  after?: string;
  limit: number;
}

const findingCount = sql<number>`(SELECT count(*)::int FROM inspection_findings x WHERE x.inspection_id = "inspections"."id")`;

export async function listInspections(db: Executor, reach: FacilityReach, filter: InspectionFilter) {
  if (!reach.all && reach.ids.length === 0) return [];
  const where: SQL[] = [];
  if (!reach.all) where.push(inArray(inspections.facilityId, reach.ids));
  if (filter.facilityId) where.push(eq(inspections.facilityId, filter.facilityId));
  if (filter.kind) where.push(eq(inspections.kind, filter.kind));
  if (filter.status) where.push(eq(inspections.status, filter.status));
  // Periods are local calendar dates of the facility: each bound becomes an instant in its zone, so
  // started_at is compared as it is stored (and its index serves).
  if (filter.from) where.push(sql`${inspections.startedAt} >= ${dayStartSql(filter.from, facilityZone)}`);
  if (filter.to) where.push(sql`${inspections.startedAt} < ${dayEndSql(filter.to, facilityZone)}`);
  const anyFinding = sql`EXISTS (SELECT 1 FROM inspection_findings x WHERE x.inspection_id = "inspections"."id")`;
  if (filter.hasFindings !== undefined) where.push(filter.hasFindings ? anyFinding : sql`NOT ${anyFinding}`);
  if (filter.category) {
    where.push(
      sql`EXISTS (SELECT 1 FROM inspection_findings c WHERE c.inspection_id = ${inspections.id} AND c.category = ${filter.category}::finding_category)`,
    );
  }
  if (filter.after) where.push(gt(inspections.id, filter.after));
  return db
    .select({ row: inspections, findingCount, timezone: facilityZone })
    .from(inspections)
    .innerJoin(facilities, eq(facilities.id, inspections.facilityId))
    .where(and(...where))
    .orderBy(asc(inspections.id))
    .limit(filter.limit + 1);
}

/** The whole report: findings with their evidence and its chain of custody, actions, addenda, signatures. */
export async function loadReport(db: Executor, inspection: InspectionRow) {
  // One after another: inside a write they share the transaction's single connection.
  const findingRows = await db
    .select()
    .from(findings)
    .where(eq(findings.inspectionId, inspection.id))
    .orderBy(asc(findings.createdAt), asc(findings.id));
  const evidenceRows = await db
    .select()
    .from(evidenceItems)
    .where(eq(evidenceItems.inspectionId, inspection.id))
    .orderBy(asc(evidenceItems.id));
  const custodyRows = await db
    .select({ entry: custodyEntries })
    .from(custodyEntries)
    .innerJoin(evidenceItems, eq(evidenceItems.id, custodyEntries.evidenceId))
    .where(eq(evidenceItems.inspectionId, inspection.id))
    .orderBy(asc(custodyEntries.handedAt), asc(custodyEntries.id));
  const actionRows = await db
    .select()
    .from(correctiveActions)
    .where(eq(correctiveActions.inspectionId, inspection.id))
    .orderBy(asc(correctiveActions.id));
  const addendumRows = await db
    .select()
    .from(addenda)
    .where(eq(addenda.inspectionId, inspection.id))
    .orderBy(asc(addenda.createdAt), asc(addenda.id));
  return { findingRows, evidenceRows, custodyRows: custodyRows.map((c) => c.entry), actionRows, addendumRows };
}

/** A finding in reach (404 otherwise, as its report), with its evidence and their chain of custody. */
export async function getFindingInReach(db: Executor, reach: FacilityReach, id: string) {
  const [row] = await db.select().from(findings).where(eq(findings.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('finding');
  const evidenceRows = await db
    .select()
    .from(evidenceItems)
    .where(eq(evidenceItems.findingId, row.id))
    .orderBy(asc(evidenceItems.id));
  const custodyRows = await db
    .select({ entry: custodyEntries })
    .from(custodyEntries)
    .innerJoin(evidenceItems, eq(evidenceItems.id, custodyEntries.evidenceId))
    .where(eq(evidenceItems.findingId, row.id))
    .orderBy(asc(custodyEntries.handedAt), asc(custodyEntries.id));
  return { row, evidenceRows, custodyRows: custodyRows.map((c) => c.entry) };
}

/** An addendum in reach (404 otherwise, as its report). */
export async function getAddendum(db: Executor, reach: FacilityReach, id: string) {
  const [row] = await db.select().from(addenda).where(eq(addenda.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('addendum');
  return row;
}

/** A custody entry in reach (404 otherwise, as the report of its evidence). */
export async function getCustodyEntry(db: Executor, reach: FacilityReach, id: string) {
  const [row] = await db.select().from(custodyEntries).where(eq(custodyEntries.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('custody entry');
  return row;
}
