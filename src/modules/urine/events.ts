import { z } from 'zod';
import { defineEvent } from '../../core/events.ts';
import { Id, LocalDate, Timestamp } from '../../http/schemas.ts';
import { DRUG_CLASSES } from './cutoffs.ts';
import type { CaseRow, TestRow } from './dto.ts';
import { OUTCOMES } from './outcome.ts';

// What outside systems are told of urine testing and the cases it opens (the catalogue:
// modules/events/catalogue.ts). The person tested is in the event's people, by id, never here.

const SubjectType = z.enum(['inmate', 'officer']);
const Test = { test_id: Id, round_id: Id, facility_id: Id, subject_type: SubjectType, collected_at: Timestamp };
const Case = {
  case_id: Id,
  test_id: Id,
  facility_id: Id,
  subject_type: SubjectType,
  kind: z.enum(['assessment', 'kanwil_referral']),
};

export const urineRoundClosed = defineEvent({
  type: 'urine_round.closed.v1',
  part: 'urine',
  summary:
    'A round is complete: every subject type it covers has been drawn and nobody drawn is still waiting to be tested (the module has no explicit close)',
  data: z.object({
    round_id: Id,
    facility_id: Id,
    tested_on: LocalDate,
    reason: z.enum(['random', 'targeted', 'admission', 'follow_up', 'joint_operation']),
    tested: z.int().nonnegative(),
    not_tested: z.int().nonnegative(),
    outcomes: z.record(z.enum(OUTCOMES), z.int().nonnegative()),
  }),
});

export const urineTestPresumptivePositive = defineEvent({
  type: 'urine_test.presumptive_positive.v1',
  part: 'urine',
  summary: 'A screen was recorded positive for at least one class: presumptive until a lab confirms it',
  data: z.object({ ...Test, classes: z.array(z.enum(DRUG_CLASSES)).min(1) }),
});

export const urineTestConfirmedPositive = defineEvent({
  type: 'urine_test.confirmed_positive.v1',
  part: 'urine',
  summary: 'A lab confirmed a presumptive positive at or over its confirmation cutoff, unexplained by a prescription',
  data: z.object({ ...Test, classes: z.array(z.enum(DRUG_CLASSES)).min(1), confirmed_at: Timestamp }),
});

export const urineTestRefused = defineEvent({
  type: 'urine_test.refused.v1',
  part: 'urine',
  summary: 'A person refused to be tested: recorded as a refused test, which counts against them',
  data: z.object(Test),
});

export const followUpCaseOpened = defineEvent({
  type: 'follow_up_case.opened.v1',
  part: 'urine',
  summary:
    'A follow-up case was opened: by a confirmed positive, a refusal or an adulterated specimen, or by the hourly sweep for a presumptive positive left unconfirmed',
  data: z.object({
    ...Case,
    trigger: z.enum(['confirmed_positive', 'unconfirmed_presumptive', 'refused', 'adulterated']),
    opened_on: LocalDate,
    assessment_due: LocalDate,
    assessment_due_provisional: z.boolean(),
  }),
});

export const followUpCaseDecided = defineEvent({
  type: 'follow_up_case.decided.v1',
  part: 'urine',
  summary: 'An assessed case was decided',
  data: z.object({
    ...Case,
    decision: z.enum(['rehabilitation', 'counselling', 'no_action', 'disciplinary']),
    decided_on: LocalDate,
  }),
});

export const followUpCaseOverdue = defineEvent({
  type: 'follow_up_case.overdue.v1',
  part: 'urine',
  summary: "A case's assessment due date passed, on its facility's calendar, before it was assessed (told once)",
  data: z.object({ ...Case, assessment_due: LocalDate }),
});

export const URINE_EVENTS = [
  urineRoundClosed,
  urineTestPresumptivePositive,
  urineTestConfirmedPositive,
  urineTestRefused,
  followUpCaseOpened,
  followUpCaseDecided,
  followUpCaseOverdue,
];

/** Where a test's events happen: its facility, about the person tested, by id. */
export const testPlace = (row: TestRow) => ({
  subject: { type: 'urine_test', id: row.id },
  facilityIds: [row.facilityId],
  people: [{ type: row.subjectType, id: row.subjectId }],
});

export const testData = (row: TestRow) => ({
  test_id: row.id,
  round_id: row.roundId,
  facility_id: row.facilityId,
  subject_type: row.subjectType,
  collected_at: row.collectedAt.toISOString(),
});

/** Where a case's events happen: its facility, about the person it follows up, by id. */
export const casePlace = (row: CaseRow) => ({
  subject: { type: 'follow_up_case', id: row.id },
  facilityIds: [row.facilityId],
  people: [{ type: row.subjectType, id: row.subjectId }],
});

export const caseData = (row: CaseRow) => ({
  case_id: row.id,
  test_id: row.testId,
  facility_id: row.facilityId,
  subject_type: row.subjectType,
  kind: row.kind,
});
