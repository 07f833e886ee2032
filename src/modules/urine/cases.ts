import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { addWorkingDays, type HolidayCalendar, localDate, localDateSql } from '../../core/calendar/index.ts';
import { type Change, changeOf } from '../../core/change.ts';
import type { Db, Executor } from '../../db/client.ts';
import { inReach } from '../../db/filters.ts';
import { isoNotNull } from '../../http/dto.ts';
import { reasonOf } from '../../http/messages.ts';
import { notFound, Problem, violated } from '../../http/problem.ts';
import { checkVersion, updateAtVersion, updateVersioned } from '../../http/versioned.ts';
import { facilityZone } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { followUpCases, urineTests } from './tables.ts';

type CaseRow = typeof followUpCases.$inferSelect;
type TestRow = typeof urineTests.$inferSelect;

export interface CaseRules {
  workingDays: number;
  calendar: HolidayCalendar;
}

/**
 * Opens the case a test calls for, once per test: an assessment (TAT) for an inmate, a referral to
 * the Kanwil for an officer; the assessment is due in `workingDays` working days.
 */
export async function openCase(
  change: Change,
  test: TestRow,
  trigger: CaseRow['trigger'],
  timezone: string,
  rules: CaseRules,
  now: Date,
): Promise<void> {
  const openedOn = localDate(now, timezone);
  // Never refused: past the calendar's years the count skips weekends only and is marked provisional.
  const due = addWorkingDays(openedOn, rules.workingDays, rules.calendar);
  const [row] = await change.tx
    .insert(followUpCases)
    .values({
      facilityId: test.facilityId,
      testId: test.id,
      subjectType: test.subjectType,
      subjectId: test.subjectId,
      kind: test.subjectType === 'inmate' ? 'assessment' : 'kanwil_referral',
      trigger,
      openedOn,
      assessmentDue: due.date,
      assessmentDueProvisional: due.provisional,
    })
    .onConflictDoNothing()
    .returning();
  if (row) {
    await change.audit({
      action: 'follow_up.opened',
      entityType: 'follow_up_case',
      entityId: row.id,
      facilityId: row.facilityId,
      after: row,
    });
  }
}

/**
 * Presumptive positives still unconfirmed after `days` open their case by themselves. Run now and
 * then (the server does, hourly); one set-based query finds them.
 */
export async function openUnconfirmedCases(db: Db, now: Date, days: number, rules: CaseRules): Promise<number> {
  return db.transaction(async (tx) => {
    const change = changeOf(tx, { type: 'system', id: null, role: null, requestId: null }, now);
    const due = await tx
      .select({ test: urineTests, timezone: facilityZone })
      .from(urineTests)
      .innerJoin(facilities, eq(facilities.id, urineTests.facilityId))
      .where(
        and(
          eq(urineTests.confirmation, 'pending'),
          lt(urineTests.collectedAt, new Date(now.getTime() - days * 86_400_000)),
          sql`NOT EXISTS (SELECT 1 FROM follow_up_cases c WHERE c.test_id = ${urineTests.id})`,
        ),
      );
    for (const { test, timezone } of due) await openCase(change, test, 'unconfirmed_presumptive', timezone, rules, now);
    return due.length;
  });
}

/**
 * Provisional due dates of cases still awaiting assessment, counted again (the server does, hourly):
 * once a release or NATIONAL_HOLIDAYS covers their years, the date follows the holidays and loses
 * its mark. A case whose count still reaches an uncovered year is left as it is.
 */
export async function recountProvisionalDueDates(db: Db, now: Date, rules: CaseRules): Promise<number> {
  return db.transaction(async (tx) => {
    const change = changeOf(tx, { type: 'system', id: null, role: null, requestId: null }, now);
    const open = await tx
      .select()
      .from(followUpCases)
      .where(and(eq(followUpCases.status, 'awaiting_assessment'), eq(followUpCases.assessmentDueProvisional, true)));
    let recounted = 0;
    for (const before of open) {
      const due = addWorkingDays(before.openedOn, rules.workingDays, rules.calendar);
      if (due.provisional) continue;
      const set = { assessmentDue: due.date, assessmentDueProvisional: false };
      const row = await updateAtVersion(tx, followUpCases, before, set, now);
      if (!row) continue;
      await change.audit({
        action: 'follow_up.due_recounted',
        entityType: 'follow_up_case',
        entityId: row.id,
        facilityId: row.facilityId,
        before,
        after: row,
      });
      recounted++;
    }
    return recounted;
  });
}

export function toCaseDto(row: CaseRow, timezone: string, now: Date) {
  const overdue = row.status === 'awaiting_assessment' && row.assessmentDue < localDate(now, timezone);
  return {
    id: row.id,
    facility_id: row.facilityId,
    test_id: row.testId,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    kind: row.kind,
    trigger: row.trigger,
    status: row.status,
    overdue,
    opened_on: row.openedOn,
    assessment_due: row.assessmentDue,
    assessment_due_provisional: row.assessmentDueProvisional,
    assessed_on: row.assessedOn,
    assessment_notes: row.assessmentNotes,
    decision: row.decision,
    decided_on: row.decidedOn,
    closed_on: row.closedOn,
    closing_note: row.closingNote,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

export async function getCase(db: Executor, reach: FacilityReach, id: string) {
  const [found] = await db
    .select({ row: followUpCases, timezone: facilityZone })
    .from(followUpCases)
    .innerJoin(facilities, eq(facilities.id, followUpCases.facilityId))
    .where(eq(followUpCases.id, id));
  if (!found || !reaches(reach, found.row.facilityId)) throw notFound('follow-up case');
  return found;
}

export async function listCases(
  db: Executor,
  reach: FacilityReach,
  filter: {
    facilityId?: string;
    status?: CaseRow['status'];
    subjectType?: CaseRow['subjectType'];
    overdue?: boolean;
    after?: string;
    limit: number;
  },
  now: Date,
) {
  const where = [inReach(followUpCases.facilityId, reach)];
  if (filter.facilityId) where.push(eq(followUpCases.facilityId, filter.facilityId));
  if (filter.status) where.push(eq(followUpCases.status, filter.status));
  if (filter.subjectType) where.push(eq(followUpCases.subjectType, filter.subjectType));
  const overdue = sql`(${followUpCases.status} = 'awaiting_assessment'
    AND ${followUpCases.assessmentDue} < ${localDateSql(now, facilityZone)})`;
  if (filter.overdue !== undefined) where.push(filter.overdue ? overdue : sql`NOT ${overdue}`);
  if (filter.after) where.push(gt(followUpCases.id, filter.after));
  return db
    .select({ row: followUpCases, timezone: facilityZone })
    .from(followUpCases)
    .innerJoin(facilities, eq(facilities.id, followUpCases.facilityId))
    .where(and(...where))
    .orderBy(asc(followUpCases.id))
    .limit(filter.limit + 1);
}

export interface CaseStep {
  assessment?: { assessed_on: string; notes: string };
  decision?: { decision: NonNullable<CaseRow['decision']>; decided_on: string };
  closure?: { closed_on: string; note: string };
}

/** awaiting_assessment → assessed → decided → closed, one step at a time, each dated no earlier than the last. */
export async function advanceCase(
  change: Change,
  before: CaseRow,
  expectedVersion: number,
  step: CaseStep,
  now: Date,
  timezone: string,
) {
  checkVersion(before.version, expectedVersion);
  const given = [step.assessment, step.decision, step.closure].filter(Boolean).length;
  if (given !== 1) throw violated('urine_give_exactly_one_assessment', {}, '/');
  const expected = step.assessment ? 'awaiting_assessment' : step.decision ? 'assessed' : 'decided';
  if (before.status !== expected) {
    throw new Problem(409, 'conflict', { reason: reasonOf.case_status(before.status) });
  }
  const date = step.assessment?.assessed_on ?? step.decision?.decided_on ?? step.closure?.closed_on ?? '';
  const previous = before.closedOn ?? before.decidedOn ?? before.assessedOn ?? before.openedOn;
  if (date < previous) throw violated('urine_case_date_before_previous', { previous }, '/');
  if (date > localDate(now, timezone)) throw violated('urine_case_date_in_future', {}, '/');
  const set = step.assessment
    ? { status: 'assessed' as const, assessedOn: date, assessmentNotes: step.assessment.notes }
    : step.decision
      ? { status: 'decided' as const, decidedOn: date, decision: step.decision.decision }
      : { status: 'closed' as const, closedOn: date, closingNote: step.closure?.note ?? null };
  const row = await updateVersioned(change.tx, followUpCases, before, set, now);
  await change.audit({
    action: `follow_up.${row.status}`,
    entityType: 'follow_up_case',
    entityId: row.id,
    facilityId: row.facilityId,
    before,
    after: row,
  });
  return row;
}
