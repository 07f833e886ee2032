import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { localDate, localDateSql } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { inReach, updatedSince } from '../../db/filters.ts';
import { reasons } from '../../http/messages.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, Problem, violated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { facilityZone } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { officers } from '../officers/tables.ts';
import { findOrganisation } from '../organisations/service.ts';
import { type ActionRow, type InspectionRow, toActionDto } from './dto.ts';
import { actionCreated, actionDone, actionOverdue, actionReopened, actionVerified } from './events.ts';
import { inspectionReach, inspectionToWrite, requireRecorder, touch } from './load.ts';
import type { ActionCreateInput } from './schemas.ts';
import { correctiveActions, findings, inspections } from './tables.ts';

// Corrective actions: added until sign-off, progressed after it too; the narcotics hand-over is
// one the service adds by itself.

const HANDOVER_ACTION =
  'Serahkan barang bukti narkotika kepada BNN/Polri dalam 48 jam (hand over the narcotics to BNN or the police within 48 hours)';

/** Narcotics go to BNN or the police within 48 hours of the end of the search: the local date it falls on. */
export function handoverDue(endedAt: Date, timezone: string): string {
  return localDate(new Date(endedAt.getTime() + 48 * 3_600_000), timezone);
}

/** The report's hand-over action, added with its first narcotics finding; audited. */
export async function addHandover(change: Change, inspection: InspectionRow, findingId: string, timezone: string) {
  const [action] = await change.tx
    .insert(correctiveActions)
    .values({
      inspectionId: inspection.id,
      findingId,
      facilityId: inspection.facilityId,
      description: HANDOVER_ACTION,
      dueDate: handoverDue(inspection.endedAt, timezone),
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
  if (action) await tellCreated(change, action);
}

/** Whether the report has its hand-over action: a column for the statement that loads the report. */
export const hasHandover = sql<boolean>`EXISTS (SELECT 1 FROM ${correctiveActions}
  WHERE ${correctiveActions.inspectionId} = ${inspections.id} AND ${correctiveActions.automatic})`;

/** Until sign-off. Owner: an organisation or an officer of the facility; due no earlier than the inspection. */
export async function addAction(
  change: Change,
  principal: Principal,
  inspectionId: string,
  input: ActionCreateInput,
  now: Date,
) {
  const { inspection, timezone } = await inspectionToWrite(change, principal, inspectionId);
  if (inspection.status === 'signed_off') {
    throw new Problem(409, 'conflict', { reason: reasons.report_signed_off });
  }
  if (input.due_date < localDate(inspection.startedAt, timezone)) {
    throw violated('action_due_before_inspection', {}, '/due_date');
  }
  if (input.finding_id) {
    const [finding] = await change.tx
      .select({ id: findings.id })
      .from(findings)
      .where(and(eq(findings.id, input.finding_id), eq(findings.inspectionId, inspection.id)));
    if (!finding) throw violated('action_finding_elsewhere', {}, '/finding_id');
  }
  if (input.owner_organisation_id && !(await findOrganisation(change.tx, input.owner_organisation_id))) {
    throw violated('action_owner_organisation_unknown', {}, '/owner_organisation_id');
  }
  if (input.owner_officer_id) {
    const [officer] = await change.tx
      .select({ id: officers.id })
      .from(officers)
      .where(and(eq(officers.id, input.owner_officer_id), eq(officers.facilityId, inspection.facilityId)));
    if (!officer) throw violated('action_owner_officer_elsewhere', {}, '/owner_officer_id');
  }
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
  await tellCreated(change, row);
  return toActionDto(row, timezone, now);
}

/** An action in reach (404 otherwise), with its facility's time zone; `lock` for a change. */
async function loadAction(db: Executor, principal: Principal, id: string, now: Date, lock = false) {
  const reach = await inspectionReach(db, principal, now);
  const query = db
    .select({ row: correctiveActions, timezone: facilities.timezone })
    .from(correctiveActions)
    .innerJoin(facilities, eq(facilities.id, correctiveActions.facilityId))
    .where(eq(correctiveActions.id, id));
  const [found] = lock ? await query.for('update', { of: correctiveActions }) : await query;
  if (!found || !reaches(reach, found.row.facilityId)) throw notFound('corrective action');
  return found;
}

export async function readAction(db: Executor, principal: Principal, id: string, now: Date) {
  const { row, timezone } = await loadAction(db, principal, id, now);
  return toActionDto(row, timezone, now);
}

const NEXT: Record<string, string[]> = {
  open: ['in_progress', 'done'],
  in_progress: ['done'],
  done: ['verified', 'in_progress'],
  verified: [],
};

/** Actions move open → in progress → done (with a closing comment) → verified; they progress after sign-off too. */
export async function progressAction(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: { status?: ActionRow['status']; closing_comment?: string },
  now: Date,
) {
  const { row: before, timezone } = await loadAction(change.tx, principal, id, change.now, true);
  requireRecorder(principal);
  checkVersion(before.version, expectedVersion);
  if (before.status === 'verified') throw new Problem(409, 'conflict', { reason: reasons.action_verified });
  const status = input.status ?? before.status;
  if (status !== before.status && !NEXT[before.status]?.includes(status)) {
    throw violated('action_transition', { from: before.status, to: status }, '/status');
  }
  const closingComment = input.closing_comment ?? before.closingComment;
  if ((status === 'done' || status === 'verified') && !closingComment) {
    throw violated('action_closing_comment_required', {}, '/closing_comment');
  }
  const row = await updateVersioned(
    change.tx,
    correctiveActions,
    before,
    {
      status,
      closingComment,
      // Done keeps the moment it was first done (verification does not move it); reopened clears it.
      closedAt: status === 'done' || status === 'verified' ? (before.closedAt ?? now) : null,
    },
    now,
  );
  await change.audit({
    action: 'corrective_action.updated',
    entityType: 'corrective_action',
    entityId: row.id,
    facilityId: row.facilityId,
    before,
    after: row,
  });
  await tellProgress(change, before, row, timezone);
  return toActionDto(row, timezone, now);
}

/** The place and facts every event of an action carries; its owning officer is its person. */
function aboutAction(row: ActionRow) {
  const place = {
    subject: { type: 'corrective_action', id: row.id },
    facilityIds: [row.facilityId],
    people: row.ownerOfficerId ? [{ type: 'officer' as const, id: row.ownerOfficerId }] : [],
  };
  const facts = {
    action_id: row.id,
    inspection_id: row.inspectionId,
    facility_id: row.facilityId,
    finding_id: row.findingId,
    owner_organisation_id: row.ownerOrganisationId,
    due_date: row.dueDate,
    automatic: row.automatic,
  };
  return { place, facts };
}

async function tellCreated(change: Change, row: ActionRow) {
  const { place, facts } = aboutAction(row);
  await actionCreated.emit(change, place, facts);
}

/** Done, verified, or done no longer: the moves outside systems follow (open to in progress is not one). */
async function tellProgress(change: Change, before: ActionRow, row: ActionRow, timezone: string) {
  if (row.status === before.status) return;
  const { place, facts } = aboutAction(row);
  if (row.status === 'done' && row.closedAt) {
    const onTime = localDate(row.closedAt, timezone) <= row.dueDate;
    await actionDone.emit(change, place, { ...facts, closed_at: row.closedAt.toISOString(), on_time: onTime });
  } else if (row.status === 'verified' && row.closedAt) {
    await actionVerified.emit(change, place, {
      ...facts,
      closed_at: row.closedAt.toISOString(),
      verified_at: change.now.toISOString(),
    });
  } else if (before.status === 'done' && row.status === 'in_progress') {
    await actionReopened.emit(change, place, facts);
  }
}

/** Not done and past its due date by its facility's own calendar at `now` (facilities joined). */
const overdueAt = (now: Date) => sql`(${correctiveActions.status} IN ('open', 'in_progress')
  AND ${correctiveActions.dueDate} < ${localDateSql(now, facilityZone)})`;

const OVERDUE_ONCE = `${actionOverdue.type}:`;

/**
 * The hourly chore: each action past its due date by its facility's calendar and not done is told
 * once per due date. Those told already are left out by the query, so the sweep does not grow with the years.
 */
export async function tellOverdueActions(change: Change): Promise<number> {
  const due = await change.tx
    .select({ row: correctiveActions })
    .from(correctiveActions)
    .innerJoin(facilities, eq(facilities.id, correctiveActions.facilityId))
    .where(
      and(
        overdueAt(change.now),
        sql`NOT EXISTS (SELECT 1 FROM event_marks m
                     WHERE m.key = ${OVERDUE_ONCE} || ${correctiveActions.id}::text || ':' || ${correctiveActions.dueDate}::text)`,
      ),
    )
    .orderBy(asc(correctiveActions.id));
  // In one statement: the audit chain's lock, taken by the first event, is held briefly.
  return actionOverdue.emitEach(
    change,
    due.map(({ row }) => {
      const { place, facts } = aboutAction(row);
      const status = row.status === 'in_progress' ? ('in_progress' as const) : ('open' as const);
      return { place: { ...place, once: `${OVERDUE_ONCE}${row.id}:${row.dueDate}` }, data: { ...facts, status } };
    }),
  );
}

export interface ActionQuery {
  facility_id?: string;
  inspection_id?: string;
  status?: ActionRow['status'];
  overdue?: boolean;
  updated_since?: string;
  cursor?: string;
  limit: number;
}

/** Across the caller's facilities; overdue is judged by each facility's own calendar at `now`. */
export async function listActions(db: Executor, principal: Principal, q: ActionQuery, now: Date) {
  return listWithin(db, await inspectionReach(db, principal, now), q, now);
}

async function listWithin(db: Executor, reach: FacilityReach, q: ActionQuery, now: Date) {
  const after = decodeCursor(q.cursor);
  const overdue = overdueAt(now);
  const where = [inReach(correctiveActions.facilityId, reach)];
  if (q.facility_id) where.push(eq(correctiveActions.facilityId, q.facility_id));
  if (q.inspection_id) where.push(eq(correctiveActions.inspectionId, q.inspection_id));
  if (q.status) where.push(eq(correctiveActions.status, q.status));
  if (q.overdue !== undefined) where.push(q.overdue ? overdue : sql`NOT ${overdue}`);
  where.push(updatedSince(correctiveActions.updatedAt, q.updated_since));
  if (after) where.push(gt(correctiveActions.id, after));
  const rows = await db
    .select({ row: correctiveActions, timezone: facilityZone })
    .from(correctiveActions)
    .innerJoin(facilities, eq(facilities.id, correctiveActions.facilityId))
    .where(and(...where))
    .orderBy(asc(correctiveActions.id))
    .limit(q.limit + 1);
  return page(
    rows,
    q.limit,
    (x) => x.row.id,
    (x) => toActionDto(x.row, x.timezone, now),
  );
}

/** The actions of one report in reach (404 otherwise). */
export async function listInspectionActions(
  db: Executor,
  principal: Principal,
  inspectionId: string,
  q: Omit<ActionQuery, 'inspection_id' | 'facility_id'>,
  now: Date,
) {
  const reach = await inspectionReach(db, principal, now);
  const [inspection] = await db
    .select({ facilityId: inspections.facilityId })
    .from(inspections)
    .where(eq(inspections.id, inspectionId));
  if (!inspection || !reaches(reach, inspection.facilityId)) throw notFound('inspection');
  return listWithin(db, reach, { ...q, inspection_id: inspectionId }, now);
}
