import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { addWorkingDays, type HolidayCalendar, localDate, localDateSql } from '../../core/calendar/index.ts';
import { type Change, changeOf } from '../../core/change.ts';
import type { Db, Executor } from '../../db/client.ts';
import { inReach, keysetOrder, updatedSince } from '../../db/filters.ts';
import { reasonOf } from '../../http/messages.ts';
import { stampedKeysetOf, stampedPage } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, Problem, violated } from '../../http/problem.ts';
import { checkVersion, updateAtVersion, updateVersioned } from '../../http/versioned.ts';
import { facilityZone } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { type CaseRow, type TestRow, toCaseDto } from './dto.ts';
import { caseData, casePlace, followUpCaseDecided, followUpCaseOpened, followUpCaseOverdue } from './events.ts';
import type { CaseListQuery, CaseStep } from './request-schemas.ts';
import { requireRecorder, urineReach } from './rounds.ts';
import { followUpCases, urineTests } from './tables.ts';

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
    await followUpCaseOpened.emit(change, casePlace(row), {
      ...caseData(row),
      trigger: row.trigger,
      opened_on: row.openedOn,
      assessment_due: row.assessmentDue,
      assessment_due_provisional: row.assessmentDueProvisional,
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

/** The `once` key of a case's overdue event: once per due date (a recount may move it later). */
const overdueKey = (caseId: string, due: string) => `${followUpCaseOverdue.type}:${caseId}:${due}`;

/**
 * Cases whose assessment is past due on their facility's calendar, told once each (the server
 * runs it hourly). One set-based query finds those not yet told.
 */
export async function tellOverdueCases(change: Change): Promise<number> {
  const due = await change.tx
    .select({ row: followUpCases })
    .from(followUpCases)
    .innerJoin(facilities, eq(facilities.id, followUpCases.facilityId))
    .where(
      and(
        eq(followUpCases.status, 'awaiting_assessment'),
        sql`${followUpCases.assessmentDue} < ${localDateSql(change.now, facilityZone)}`,
        sql`NOT EXISTS (SELECT 1 FROM event_marks m
                         WHERE m.key = ${`${followUpCaseOverdue.type}:`} || ${followUpCases.id}::text
                                       || ':' || ${followUpCases.assessmentDue}::text)`,
      ),
    )
    .orderBy(asc(followUpCases.id));
  // In one statement: the audit chain's lock, taken by the first event, is held briefly.
  return followUpCaseOverdue.emitEach(
    change,
    due.map(({ row }) => ({
      place: { ...casePlace(row), once: overdueKey(row.id, row.assessmentDue) },
      data: { ...caseData(row), assessment_due: row.assessmentDue },
    })),
  );
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
    roundId?: string;
    status?: CaseRow['status'];
    subjectType?: CaseRow['subjectType'];
    overdue?: boolean;
    updatedSince?: string;
    after?: string;
    at?: string;
    limit: number;
  },
  now: Date,
) {
  // A re-sync is ordered by updated_at, else the list by id: each has its index.
  const order = keysetOrder(
    followUpCases.id,
    filter,
    filter.updatedSince ? { column: followUpCases.updatedAt, type: 'timestamptz' } : undefined,
  );
  const where = [inReach(followUpCases.facilityId, reach)];
  if (filter.facilityId) where.push(eq(followUpCases.facilityId, filter.facilityId));
  if (filter.roundId) {
    // A round's tests by urine_tests_round_specimen_key (round_id leads), their cases by follow_up_cases_test_key.
    const roundTests = db.select({ id: urineTests.id }).from(urineTests).where(eq(urineTests.roundId, filter.roundId));
    where.push(inArray(followUpCases.testId, roundTests));
  }
  if (filter.status) where.push(eq(followUpCases.status, filter.status));
  if (filter.subjectType) where.push(eq(followUpCases.subjectType, filter.subjectType));
  const overdue = sql`(${followUpCases.status} = 'awaiting_assessment'
    AND ${followUpCases.assessmentDue} < ${localDateSql(now, facilityZone)})`;
  if (filter.overdue !== undefined) where.push(filter.overdue ? overdue : sql`NOT ${overdue}`);
  where.push(updatedSince(followUpCases.updatedAt, filter.updatedSince));
  where.push(order.after);
  return db
    .select({ row: followUpCases, timezone: facilityZone, at: order.at })
    .from(followUpCases)
    .innerJoin(facilities, eq(facilities.id, followUpCases.facilityId))
    .where(and(...where))
    .orderBy(...order.orderBy)
    .limit(filter.limit + 1);
}

/** A page of the cases in reach; overdue is judged on each facility's calendar at `now`. */
export async function listCasePage(db: Executor, principal: Principal, q: z.infer<typeof CaseListQuery>, now: Date) {
  const keyset = stampedKeysetOf(q, q.updated_since ? 'updated_at' : undefined);
  const rows = await listCases(
    db,
    await urineReach(db, principal, now),
    {
      facilityId: q.facility_id,
      roundId: q.round_id,
      status: q.status,
      subjectType: q.subject_type,
      overdue: q.overdue,
      updatedSince: q.updated_since,
      after: keyset.after,
      at: keyset.at,
      limit: keyset.limit,
    },
    now,
  );
  return stampedPage(
    rows,
    keyset,
    (x) => ({ id: x.row.id, at: x.at }),
    (x) => toCaseDto(x.row, x.timezone, now),
  );
}

/** One case in reach (404 otherwise). */
export async function readCase(db: Executor, principal: Principal, caseId: string, now: Date) {
  const found = await getCase(db, await urineReach(db, principal, now), caseId);
  return toCaseDto(found.row, found.timezone, now);
}

/**
 * The next step of a case in reach (404 otherwise), by a caller who may record (403 otherwise).
 * `expectedVersion` comes from If-Match, read by the route before anything else (428 first).
 */
export async function advanceFollowUpCase(
  change: Change,
  principal: Principal,
  caseId: string,
  expectedVersion: number,
  step: CaseStep,
) {
  const found = await getCase(change.tx, await urineReach(change.tx, principal, change.now), caseId);
  requireRecorder(principal);
  const row = await advanceCase(change, found.row, expectedVersion, step, change.now, found.timezone);
  return toCaseDto(row, found.timezone, change.now);
}

/** awaiting_assessment → assessed → decided → closed, one step at a time, each dated no earlier than the last. */
async function advanceCase(
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
  if (row.status === 'decided' && row.decision && row.decidedOn) {
    await followUpCaseDecided.emit(change, casePlace(row), {
      ...caseData(row),
      decision: row.decision,
      decided_on: row.decidedOn,
    });
  }
  return row;
}
