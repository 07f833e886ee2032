import { sql } from 'drizzle-orm';
import { check, date, index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';
import { sex } from '../inmates/tables.ts';

export const officerStatus = pgEnum('officer_status', ['active', 'inactive', 'transferred', 'retired']);

// Petugas: prison officers, identified nationally by their NIP.
export const officers = pgTable(
  'officers',
  {
    id: idColumn(),
    pseudonym: text('pseudonym').notNull(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    nip: text('nip').notNull(),
    name: text('name').notNull(),
    sex: sex('sex').notNull(),
    position: text('position').notNull(),
    unit: text('unit').notNull(),
    status: officerStatus('status').notNull(),
    joinedOn: date('joined_on').notNull(),
    leftOn: date('left_on'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('officers_pseudonym_key').on(t.pseudonym),
    uniqueIndex('officers_nip_key').on(t.nip),
    index('officers_facility_id_idx').on(t.facilityId, t.id),
    // A re-sync (updated_since) walks a facility's changes, or the country's, in the list's order.
    index('officers_facility_updated_idx').on(t.facilityId, t.updatedAt, t.id),
    index('officers_updated_idx').on(t.updatedAt, t.id),
    index('officers_name_idx').on(sql`lower(${t.name}) text_pattern_ops`),
    index('officers_facility_name_idx').on(t.facilityId, sql`lower(${t.name}) text_pattern_ops`),
    check('officers_nip_ck', sql`${t.nip} ~ '^[0-9]{18}$'`),
    check('officers_left_after_joined_ck', sql`${t.leftOn} IS NULL OR ${t.leftOn} >= ${t.joinedOn}`),
  ],
);
