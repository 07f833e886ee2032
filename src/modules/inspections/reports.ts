import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { FacilityReach } from '../../core/access.ts';
import { dayEndSql, dayStartSql, instantIn } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { inReach, keysetOrder, updatedSince } from '../../db/filters.ts';
import { reasons } from '../../http/messages.ts';
import { stampedKeysetOf, stampedPage } from '../../http/pagination.ts';
import { seesPersonalData } from '../../http/personal-data.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, Problem, violated } from '../../http/problem.ts';
import { checkVersion, updateAtVersion, updateVersioned } from '../../http/versioned.ts';
import { facilityZone, getFacility } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { findOrganisation } from '../organisations/service.ts';
import { handoverDue } from './actions.ts';
import { type InspectionRow, NO_PARTS, type ReportParts, toReportDto, toSummaryDto } from './dto.ts';
import { inspectionCreated, inspectionSignedOff, inspectionSubmitted } from './events.ts';
import { findingsOf } from './findings.ts';
import {
  evidenceWithCustody,
  inspectionReach,
  inspectionToWrite,
  loadInspection,
  requireDraft,
  requireRecorder,
} from './load.ts';
import type { InspectionFieldsInput, InspectionTopListQuery, InspectionUpdateInput } from './schemas.ts';
import { addenda, correctiveActions, evidenceItems, inspections } from './tables.ts';

// The report itself: opened as a draft, edited, submitted, signed off; read whole or listed.

/** The parts of a report, one after another: inside a write they share the transaction's single connection. */
async function partsOf(db: Executor, inspectionId: string): Promise<ReportParts> {
  const findingRows = await findingsOf(db, inspectionId);
  const { evidenceRows, custodyRows } = await evidenceWithCustody(db, eq(evidenceItems.inspectionId, inspectionId));
  const actionRows = await db
    .select()
    .from(correctiveActions)
    .where(eq(correctiveActions.inspectionId, inspectionId))
    .orderBy(asc(correctiveActions.id));
  const addendumRows = await db
    .select()
    .from(addenda)
    .where(eq(addenda.inspectionId, inspectionId))
    .orderBy(asc(addenda.createdAt), asc(addenda.id));
  return { findingRows, evidenceRows, custodyRows, actionRows, addendumRows };
}

export async function readReport(db: Executor, principal: Principal, id: string, now: Date) {
  const { inspection, timezone } = await loadInspection(db, principal, id, now);
  return toReportDto(inspection, timezone, await partsOf(db, inspection.id), principal, now);
}

type InspectionQuery = z.infer<typeof InspectionTopListQuery>;

const findingCount = sql<number>`(SELECT count(*)::int FROM inspection_findings x WHERE x.inspection_id = "inspections"."id")`;

export async function listInspections(db: Executor, principal: Principal, q: InspectionQuery, now: Date) {
  return listWithin(db, principal, await inspectionReach(db, principal, now), q);
}

async function listWithin(db: Executor, principal: Principal, reach: FacilityReach, q: InspectionQuery) {
  // A date filter orders by the start, a re-sync by updated_at, else the list by id: each has its index.
  const keyset = stampedKeysetOf(q, q.from || q.to ? 'started_at' : q.updated_since ? 'updated_at' : undefined);
  const order = keysetOrder(
    inspections.id,
    keyset,
    keyset.by
      ? { column: keyset.by === 'started_at' ? inspections.startedAt : inspections.updatedAt, type: 'timestamptz' }
      : undefined,
  );
  const where = [inReach(inspections.facilityId, reach)];
  if (q.facility_id) where.push(eq(inspections.facilityId, q.facility_id));
  // For one facility its zone is read once, so that the index walks the period in the list's order.
  const zone = q.facility_id
    ? sql`(SELECT ${facilities.timezone}::text FROM ${facilities} WHERE ${facilities.id} = ${q.facility_id})`
    : facilityZone;
  if (q.kind) where.push(eq(inspections.kind, q.kind));
  if (q.status) where.push(eq(inspections.status, q.status));
  // Periods are local calendar dates of the facility: each bound becomes an instant in its zone, so
  // started_at is compared as it is stored (and its index serves).
  if (q.from) where.push(sql`${inspections.startedAt} >= ${dayStartSql(q.from, zone)}`);
  if (q.to) where.push(sql`${inspections.startedAt} < ${dayEndSql(q.to, zone)}`);
  const anyFinding = sql`EXISTS (SELECT 1 FROM inspection_findings x WHERE x.inspection_id = "inspections"."id")`;
  if (q.has_findings !== undefined) where.push(q.has_findings ? anyFinding : sql`NOT ${anyFinding}`);
  if (q.category) {
    where.push(
      sql`EXISTS (SELECT 1 FROM inspection_findings c WHERE c.inspection_id = ${inspections.id} AND c.category = ${q.category}::finding_category)`,
    );
  }
  where.push(updatedSince(inspections.updatedAt, q.updated_since));
  where.push(order.after);
  const rows = await db
    .select({ row: inspections, findingCount, timezone: facilityZone, at: order.at })
    .from(inspections)
    .innerJoin(facilities, eq(facilities.id, inspections.facilityId))
    .where(and(...where))
    .orderBy(...order.orderBy)
    .limit(q.limit + 1);
  return stampedPage(
    rows,
    keyset,
    (x) => ({ id: x.row.id, at: x.at }),
    (x) => toSummaryDto(x.row, x.timezone, x.findingCount, seesPersonalData(principal)),
  );
}

/** The inspections of one facility in reach (404 otherwise). */
export async function listFacilityInspections(
  db: Executor,
  principal: Principal,
  facilityId: string,
  q: Omit<InspectionQuery, 'facility_id'>,
  now: Date,
) {
  const reach = await inspectionReach(db, principal, now);
  await getFacility(db, reach, facilityId);
  return listWithin(db, principal, reach, { ...q, facility_id: facilityId });
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

/** A new draft; a report without parts yet, answered as written. */
export async function openInspection(
  change: Change,
  principal: Principal,
  facilityId: string,
  input: InspectionFieldsInput,
  now: Date,
) {
  const facility = await getFacility(change.tx, await inspectionReach(change.tx, principal, change.now), facilityId);
  requireRecorder(principal);
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
  await inspectionCreated.emit(
    change,
    { subject: { type: 'inspection', id: row.id }, facilityIds: [facility.id] },
    { inspection_id: row.id, facility_id: facility.id, kind: row.kind, started_at: row.startedAt.toISOString() },
  );
  return toReportDto(row, facility.timezone, NO_PARTS, principal, now);
}

/** Edits a draft at the version the client read (412 otherwise); answers the whole report. */
export async function editInspection(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: InspectionUpdateInput,
  now: Date,
) {
  const { inspection: before, timezone } = await inspectionToWrite(change, principal, id);
  checkVersion(before.version, expectedVersion);
  requireDraft(before);
  const startedAt = input.started_at ? instantIn(input.started_at, timezone) : before.startedAt;
  const endedAt = input.ended_at ? instantIn(input.ended_at, timezone) : before.endedAt;
  checkTimes(startedAt, endedAt, now);
  await checkLead(change.tx, input.lead_organisation_id);
  const row = await updateVersioned(
    change.tx,
    inspections,
    before,
    {
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
    },
    now,
  );
  if (row.endedAt.getTime() !== before.endedAt.getTime()) {
    // The 48-hour hand-over runs from the end of the search: it moves with it.
    await change.tx
      .update(correctiveActions)
      .set({ dueDate: handoverDue(row.endedAt, timezone), updatedAt: now })
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
  return toReportDto(row, timezone, await partsOf(change.tx, row.id), principal, now);
}

/** draft → submitted: the facility's own staff put the report before their head; BNN and administrators take part in drafting. */
export async function submitInspection(change: Change, principal: Principal, id: string, now: Date) {
  const { inspection, timezone } = await inspectionToWrite(change, principal, id);
  if (principal.role !== 'facility_staff' && principal.role !== 'facility_head') throw forbidden();
  requireDraft(inspection);
  const row = await moveTo(change, principal, inspection, 'submitted', now);
  return toReportDto(row, timezone, await partsOf(change.tx, row.id), principal, now);
}

/** submitted → signed_off, only by the head (Karutan/Kalapas) of that very facility. Frozen from then on. */
export async function signOffInspection(change: Change, principal: Principal, id: string, now: Date) {
  const { inspection, timezone } = await loadInspection(change.tx, principal, id, change.now, { lock: true });
  if (principal.role !== 'facility_head' || principal.facilityId !== inspection.facilityId) throw forbidden();
  if (inspection.status !== 'submitted') {
    throw new Problem(409, 'conflict', {
      reason: inspection.status === 'draft' ? reasons.report_not_submitted : reasons.report_already_signed_off,
    });
  }
  const row = await moveTo(change, principal, inspection, 'signed_off', now);
  return toReportDto(row, timezone, await partsOf(change.tx, row.id), principal, now);
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
  const row = await updateAtVersion(change.tx, inspections, before, { status, ...stamp }, now);
  if (!row) throw new Problem(409, 'conflict', { reason: reasons.report_changed });
  await change.audit({
    action: `inspection.${status}`,
    entityType: 'inspection',
    entityId: row.id,
    facilityId: row.facilityId,
    after: { status },
  });
  const place = { subject: { type: 'inspection', id: row.id }, facilityIds: [row.facilityId] };
  const report = { inspection_id: row.id, facility_id: row.facilityId };
  if (status === 'submitted')
    await inspectionSubmitted.emit(change, place, { ...report, submitted_at: now.toISOString() });
  else await inspectionSignedOff.emit(change, place, { ...report, signed_off_at: now.toISOString() });
  return row;
}
