import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';
import { organisations } from '../organisations/tables.ts';

export const mouScope = pgEnum('mou_scope', [
  'rehabilitation',
  'urine_testing',
  'inspection',
  'training',
  'socialization',
]);

export const mous = pgTable(
  'mous',
  {
    id: idColumn(),
    number: text('number').notNull(),
    title: text('title').notNull(),
    bnnUnitId: uuid('bnn_unit_id')
      .notNull()
      .references(() => organisations.id),
    scope: mouScope('scope').array().notNull(),
    signedOn: date('signed_on'),
    validFrom: date('valid_from').notNull(),
    validUntil: date('valid_until').notNull(),
    terminatedAt: timestamp('terminated_at', { withTimezone: true }),
    terminationReason: text('termination_reason'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('mous_number_key').on(t.number),
    index('mous_bnn_unit_idx').on(t.bnnUnitId),
    check('mous_validity_ck', sql`${t.validUntil} > ${t.validFrom}`),
    check('mous_scope_ck', sql`cardinality(${t.scope}) > 0`),
    check('mous_termination_ck', sql`(${t.terminatedAt} IS NULL) = (${t.terminationReason} IS NULL)`),
  ],
);

export const mouFacilities = pgTable(
  'mou_facilities',
  {
    mouId: uuid('mou_id')
      .notNull()
      .references(() => mous.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
  },
  (t) => [primaryKey({ columns: [t.mouId, t.facilityId] }), index('mou_facilities_facility_idx').on(t.facilityId)],
);
