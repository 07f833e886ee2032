import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';

export const sex = pgEnum('sex', ['male', 'female']);
export const caseType = pgEnum('case_type', [
  'narcotics_user',
  'narcotics_dealer',
  'narcotics_courier',
  'non_narcotics',
]);
export const inmateStatus = pgEnum('inmate_status', ['detained', 'sentenced', 'released', 'transferred', 'deceased']);

// Warga Binaan Pemasyarakatan. facility_id is the facility that holds the person now.
export const inmates = pgTable(
  'inmates',
  {
    id: idColumn(),
    pseudonym: text('pseudonym').notNull(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    registrationNumber: text('registration_number').notNull(),
    name: text('name').notNull(),
    sex: sex('sex').notNull(),
    birthDate: date('birth_date').notNull(),
    caseType: caseType('case_type').notNull(),
    admissionDate: date('admission_date').notNull(),
    expectedReleaseDate: date('expected_release_date'),
    block: text('block'),
    cell: text('cell'),
    status: inmateStatus('status').notNull(),
    releasedOn: date('released_on'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('inmates_pseudonym_key').on(t.pseudonym),
    uniqueIndex('inmates_facility_registration_key').on(t.facilityId, t.registrationNumber),
    index('inmates_facility_id_idx').on(t.facilityId, t.id),
    // A re-sync (updated_since) walks a facility's changes, or the country's, in the list's order.
    index('inmates_facility_updated_idx').on(t.facilityId, t.updatedAt, t.id),
    index('inmates_updated_idx').on(t.updatedAt, t.id),
    index('inmates_facility_name_idx').on(t.facilityId, sql`lower(${t.name}) text_pattern_ops`),
    index('inmates_facility_status_idx').on(t.facilityId, t.status),
    // Searches across every facility in reach (administrators, Kanwil) by number or name prefix.
    index('inmates_registration_idx').on(t.registrationNumber),
    index('inmates_name_idx').on(sql`lower(${t.name}) text_pattern_ops`),
    check('inmates_release_after_admission_ck', sql`${t.releasedOn} IS NULL OR ${t.releasedOn} >= ${t.admissionDate}`),
    check(
      'inmates_expected_release_ck',
      sql`${t.expectedReleaseDate} IS NULL OR ${t.expectedReleaseDate} >= ${t.admissionDate}`,
    ),
  ],
);

// Where a person was held, and when: one row per stay; the open one has no until date.
export const inmatePlacements = pgTable(
  'inmate_placements',
  {
    id: idColumn(),
    inmateId: uuid('inmate_id')
      .notNull()
      .references(() => inmates.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    registrationNumber: text('registration_number').notNull(),
    fromDate: date('from_date').notNull(),
    untilDate: date('until_date'),
    endReason: text('end_reason'),
    // Both kept by triggers (their migration), whatever writes the stays. prev_until: the latest
    // until_date of the same person's earlier stays at the same facility ('infinity' while one is
    // open), NULL for their first stay there; the stays held in a period with prev_until NULL or
    // before its first day are one a person held there (firstHeldInPeriod). narcotics_user: the
    // person's case type is narcotics_user, as the person's entry says now.
    prevUntil: date('prev_until'),
    narcoticsUser: boolean('narcotics_user').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('inmate_placements_inmate_idx').on(t.inmateId, t.fromDate),
    // A facility's stays ending on or after a day (an open one never ends), with what the
    // population counts read of them: those held in a period, or at its end, from the index alone.
    index('inmate_placements_facility_until_idx').on(
      t.facilityId,
      sql`coalesce(${t.untilDate}, 'infinity'::date)`,
      t.fromDate,
      t.prevUntil,
      t.untilDate,
      t.narcoticsUser,
      t.inmateId,
    ),
    uniqueIndex('inmate_placements_open_key').on(t.inmateId).where(sql`${t.untilDate} IS NULL`),
  ],
);
