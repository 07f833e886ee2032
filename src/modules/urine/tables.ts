import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
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
  (t) => [index('urine_test_rounds_facility_idx').on(t.facilityId, t.testedOn)],
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
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('urine_tests_round_subject_key').on(t.roundId, t.subjectType, t.subjectId),
    uniqueIndex('urine_tests_round_specimen_key').on(t.roundId, t.specimenId),
    index('urine_tests_facility_collected_idx').on(t.facilityId, t.collectedAt),
    index('urine_tests_subject_idx').on(t.subjectType, t.subjectId, t.collectedAt),
    index('urine_tests_facility_outcome_idx').on(t.facilityId, t.outcome),
    check('urine_tests_refused_ck', sql`NOT ${t.refused} OR ${t.outcome} = 'refused'`),
  ],
);
