import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';
import { organisations } from '../organisations/tables.ts';
import type { Cutoff } from './cutoffs.ts';
import type { DerivedClass } from './outcome.ts';

export const roundReason = pgEnum('urine_round_reason', [
  'random',
  'targeted',
  'admission',
  'follow_up',
  'joint_operation',
]);
export const roundSubjects = pgEnum('urine_round_subjects', ['inmates', 'officers', 'both']);
export const subjectType = pgEnum('urine_subject_type', ['inmate', 'officer']);
export const urineOutcome = pgEnum('urine_outcome', [
  'negative',
  'presumptive_positive',
  'invalid',
  'dilute',
  'adulterated',
  'refused',
]);

export const confirmationStatus = pgEnum('urine_confirmation_status', [
  'pending',
  'confirmed_positive',
  'confirmed_negative',
  'medically_explained',
]);

export interface Kit {
  brand: string;
  lot: string;
  expiry: string;
  panel: string[];
  cutoffs?: Record<string, number>;
}

// One testing event at a facility on one local day, with its kit and the cutoffs then in force.
export const urineRounds = pgTable(
  'urine_test_rounds',
  {
    id: idColumn(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    testedOn: date('tested_on').notNull(),
    reason: roundReason('reason').notNull(),
    runByOrganisationId: uuid('run_by_organisation_id').references(() => organisations.id),
    subjects: roundSubjects('subjects').notNull(),
    kit: jsonb('kit').$type<Kit>().notNull(),
    cutoffs: jsonb('cutoffs').$type<Record<string, Cutoff>>().notNull(),
    note: text('note'),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  // A facility's rounds in the orders its list takes: by day (a date filter), by id, by when they
  // changed (updated_since).
  (t) => [
    index('urine_test_rounds_facility_idx').on(t.facilityId, t.testedOn, t.id),
    index('urine_test_rounds_facility_id_idx').on(t.facilityId, t.id),
    index('urine_test_rounds_facility_updated_idx').on(t.facilityId, t.updatedAt, t.id),
    // The same orders across every facility (a national reach).
    index('urine_test_rounds_tested_idx').on(t.testedOn, t.id),
    index('urine_test_rounds_updated_idx').on(t.updatedAt, t.id),
  ],
);

// A screen of one person in one round: what was read, and what the service derived from it.
export const urineTests = pgTable(
  'urine_tests',
  {
    id: idColumn(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => urineRounds.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    subjectType: subjectType('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    specimenId: text('specimen_id').notNull(),
    collectedAt: timestamp('collected_at', { withTimezone: true }).notNull(),
    refused: boolean('refused').notNull().default(false),
    temperatureC: numeric('temperature_c', { precision: 4, scale: 1 }),
    temperatureInRange: boolean('temperature_in_range'),
    creatinineMgDl: numeric('creatinine_mg_dl', { precision: 8, scale: 2 }),
    specificGravity: numeric('specific_gravity', { precision: 6, scale: 4 }),
    ph: numeric('ph', { precision: 4, scale: 2 }),
    nitriteUgMl: numeric('nitrite_ug_ml', { precision: 8, scale: 1 }),
    classes: jsonb('classes').$type<DerivedClass[]>().notNull(),
    outcome: urineOutcome('outcome').notNull(),
    confirmation: confirmationStatus('confirmation'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('urine_tests_round_subject_key').on(t.roundId, t.subjectType, t.subjectId),
    uniqueIndex('urine_tests_round_specimen_key').on(t.roundId, t.specimenId),
    // A facility's tests in the orders its list takes: by id, by collection time (a date filter),
    // by when they were written (updated_since); each page reads only its rows.
    index('urine_tests_facility_id_idx').on(t.facilityId, t.id),
    index('urine_tests_facility_collected_idx').on(t.facilityId, t.collectedAt, t.id),
    index('urine_tests_facility_created_idx').on(t.facilityId, t.createdAt, t.id),
    // A person's history: subject ids are unique across inmates and officers, so the id leads.
    index('urine_tests_subject_idx').on(t.subjectId, t.subjectType, t.collectedAt),
    index('urine_tests_facility_outcome_idx').on(t.facilityId, t.outcome),
    // The few confirmed positives, found without reading the rest (scorecard, rehabilitation).
    index('urine_tests_confirmed_positive_idx')
      .on(t.subjectType, t.subjectId, t.collectedAt)
      .where(sql`${t.confirmation} = 'confirmed_positive'`),
    check('urine_tests_refused_ck', sql`NOT ${t.refused} OR ${t.outcome} = 'refused'`),
  ],
);

export const drawList = pgEnum('urine_draw_list', ['main', 'reserve']);
export const drawStatus = pgEnum('urine_draw_status', ['selected', 'standby', 'tested', 'not_tested']);
export const notTestedReason = pgEnum('urine_not_tested_reason', [
  'refused',
  'released',
  'court',
  'sick',
  'unable_to_provide',
]);

// A random draw for a round: its seed and parameters, so that anyone can draw it again and compare.
export const urineDraws = pgTable(
  'urine_draws',
  {
    id: idColumn(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => urineRounds.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    subjectType: subjectType('subject_type').notNull(),
    seed: text('seed').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    populationSize: integer('population_size').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('urine_draws_round_subject_key').on(t.roundId, t.subjectType)],
);

// Who was drawn: the main list, then reserves in order, used one by one for those not tested.
export const urineDrawEntries = pgTable(
  'urine_draw_entries',
  {
    id: idColumn(),
    drawId: uuid('draw_id')
      .notNull()
      .references(() => urineDraws.id),
    roundId: uuid('round_id')
      .notNull()
      .references(() => urineRounds.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    subjectType: subjectType('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    list: drawList('list').notNull(),
    position: integer('position').notNull(),
    status: drawStatus('status').notNull(),
    notTestedReason: notTestedReason('not_tested_reason'),
    replacesEntryId: uuid('replaces_entry_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('urine_draw_entries_subject_key').on(t.roundId, t.subjectType, t.subjectId),
    index('urine_draw_entries_draw_idx').on(t.drawId, t.list, t.position),
  ],
);

// Lab confirmation (GC-MS, LC-MS) of one class of a presumptive positive.
export const urineConfirmations = pgTable(
  'urine_confirmations',
  {
    id: idColumn(),
    testId: uuid('test_id')
      .notNull()
      .references(() => urineTests.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    drugClass: text('drug_class').notNull(),
    method: text('method').notNull(),
    lab: text('lab').notNull(),
    valueNgMl: numeric('value_ng_ml', { precision: 12, scale: 2 }).notNull(),
    cutoffNgMl: numeric('cutoff_ng_ml', { precision: 12, scale: 2 }).notNull(),
    positive: boolean('positive').notNull(),
    prescriptionReference: text('prescription_reference'),
    recordedBy: uuid('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('urine_confirmations_test_class_key').on(t.testId, t.drugClass)],
);

export const caseKind = pgEnum('follow_up_kind', ['assessment', 'kanwil_referral']);
export const caseTrigger = pgEnum('follow_up_trigger', [
  'confirmed_positive',
  'unconfirmed_presumptive',
  'refused',
  'adulterated',
]);
export const caseStatus = pgEnum('follow_up_status', ['awaiting_assessment', 'assessed', 'decided', 'closed']);
export const caseDecision = pgEnum('follow_up_decision', [
  'rehabilitation',
  'counselling',
  'no_action',
  'disciplinary',
]);

// What follows a positive, a refusal or an adulterated (or substituted) specimen: an assessment
// (TAT) for an inmate, a Kanwil referral for an officer.
export const followUpCases = pgTable(
  'follow_up_cases',
  {
    id: idColumn(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    testId: uuid('test_id')
      .notNull()
      .references(() => urineTests.id),
    subjectType: subjectType('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    kind: caseKind('kind').notNull(),
    trigger: caseTrigger('trigger').notNull(),
    status: caseStatus('status').notNull().default('awaiting_assessment'),
    openedOn: date('opened_on').notNull(),
    assessmentDue: date('assessment_due').notNull(),
    // Counted through a year the holiday calendar did not cover: the hourly sweep counts it again once it does.
    assessmentDueProvisional: boolean('assessment_due_provisional').notNull().default(false),
    assessedOn: date('assessed_on'),
    assessmentNotes: text('assessment_notes'),
    decision: caseDecision('decision'),
    decidedOn: date('decided_on'),
    closedOn: date('closed_on'),
    closingNote: text('closing_note'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('follow_up_cases_test_key').on(t.testId),
    index('follow_up_cases_facility_status_idx').on(t.facilityId, t.status, t.assessmentDue),
    index('follow_up_cases_subject_idx').on(t.subjectType, t.subjectId),
    // A facility's cases in the orders its list takes: by id, by when they changed (updated_since).
    index('follow_up_cases_facility_id_idx').on(t.facilityId, t.id),
    index('follow_up_cases_facility_updated_idx').on(t.facilityId, t.updatedAt, t.id),
    index('follow_up_cases_updated_idx').on(t.updatedAt, t.id),
  ],
);
