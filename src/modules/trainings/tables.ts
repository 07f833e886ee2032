import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgEnum,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';
import { officers } from '../officers/tables.ts';
import { organisations } from '../organisations/tables.ts';

export const trainingTopic = pgEnum('training_topic', [
  'early_detection',
  'p4gn_awareness',
  'search_techniques',
  'assessment_and_counselling',
  'urine_testing_procedure',
  'other',
]);
export const trainingMode = pgEnum('training_mode', ['in_person', 'online']);
export const trainingOrganiserType = pgEnum('training_organiser_type', ['bnn_unit', 'kanwil', 'facility']);

// Certificate numbers run on one national sequence: unique, never reused, no read-then-write.
export const trainingCertificateSeq = pgSequence('training_certificate_seq');

// Pelatihan petugas: one course, run by a BNN unit, the Kanwil or a facility, for the officers of some facilities.
export const trainings = pgTable(
  'trainings',
  {
    id: idColumn(),
    title: text('title').notNull(),
    topic: trainingTopic('topic').notNull(),
    organiserType: trainingOrganiserType('organiser_type').notNull(),
    // A BNN unit or Kanwil organises as an organisation, a facility as itself: exactly one is set.
    organiserOrganisationId: uuid('organiser_organisation_id').references(() => organisations.id),
    organiserFacilityId: uuid('organiser_facility_id').references(() => facilities.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    hours: numeric('hours', { precision: 5, scale: 1 }).notNull(),
    venue: text('venue').notNull(),
    mode: trainingMode('mode').notNull(),
    trainers: text('trainers').array().notNull(),
    capacity: integer('capacity').notNull(),
    passMark: numeric('pass_mark', { precision: 5, scale: 2 }).notNull(),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    index('trainings_ends_on_idx').on(t.endsOn),
    index('trainings_organiser_organisation_idx').on(t.organiserOrganisationId),
    check('trainings_dates_ck', sql`${t.endsOn} >= ${t.startsOn}`),
    check('trainings_hours_ck', sql`${t.hours} > 0`),
    check('trainings_capacity_ck', sql`${t.capacity} > 0`),
    check('trainings_pass_mark_ck', sql`${t.passMark} BETWEEN 0 AND 100`),
    check(
      'trainings_organiser_ck',
      sql`(${t.organiserType} = 'facility') = (${t.organiserFacilityId} IS NOT NULL)
          AND (${t.organiserType} = 'facility') = (${t.organiserOrganisationId} IS NULL)`,
    ),
  ],
);

// The facilities whose officers take part.
export const trainingFacilities = pgTable(
  'training_facilities',
  {
    trainingId: uuid('training_id')
      .notNull()
      .references(() => trainings.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
  },
  (t) => [
    primaryKey({ columns: [t.trainingId, t.facilityId] }),
    index('training_facilities_facility_idx').on(t.facilityId),
  ],
);

// One officer in one training: attendance (days or total hours), scores, and a certificate once passed.
export const trainingParticipants = pgTable(
  'training_participants',
  {
    id: idColumn(),
    trainingId: uuid('training_id')
      .notNull()
      .references(() => trainings.id),
    officerId: uuid('officer_id')
      .notNull()
      .references(() => officers.id),
    // The officer's facility when added: it must be one of the training's.
    facilityId: uuid('facility_id').notNull(),
    attendedDays: date('attended_days').array(),
    attendedHours: numeric('attended_hours', { precision: 5, scale: 1 }),
    preTestScore: numeric('pre_test_score', { precision: 5, scale: 2 }),
    postTestScore: numeric('post_test_score', { precision: 5, scale: 2 }),
    certificateNumber: text('certificate_number'),
    certificateIssuedAt: timestamp('certificate_issued_at', { withTimezone: true }),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('training_participants_training_officer_key').on(t.trainingId, t.officerId),
    uniqueIndex('training_participants_certificate_key').on(t.certificateNumber),
    // Coverage walks an officer's passes from this index alone (index-only scans).
    index('training_participants_officer_idx').on(t.officerId, t.trainingId, t.postTestScore),
    index('training_participants_facility_idx').on(t.facilityId),
    check('training_participants_pre_ck', sql`${t.preTestScore} BETWEEN 0 AND 100`),
    check('training_participants_post_ck', sql`${t.postTestScore} BETWEEN 0 AND 100`),
    check('training_participants_hours_ck', sql`${t.attendedHours} >= 0`),
    check(
      'training_participants_certificate_ck',
      sql`(${t.certificateNumber} IS NULL) = (${t.certificateIssuedAt} IS NULL)`,
    ),
    // The database too refuses a participant of a facility outside the training, and removing a facility with participants.
    foreignKey({
      name: 'training_participants_training_facility_fk',
      columns: [t.trainingId, t.facilityId],
      foreignColumns: [trainingFacilities.trainingId, trainingFacilities.facilityId],
    }),
  ],
);
