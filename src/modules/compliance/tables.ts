import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';

// A closed period's scorecard as it stood: a later correction of the records makes a new
// revision, never a silent change of what was reported.
export const scorecardSnapshots = pgTable(
  'scorecard_snapshots',
  {
    id: idColumn(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    period: text('period').notNull(),
    revision: integer('revision').notNull(),
    score: numeric('score', { precision: 5, scale: 1 }).notNull(),
    status: text('status').notNull(),
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull().defaultNow(),
    takenBy: uuid('taken_by').notNull(),
  },
  (t) => [
    uniqueIndex('scorecard_snapshots_revision_key').on(t.facilityId, t.period, t.revision),
    index('scorecard_snapshots_period_idx').on(t.period, t.facilityId),
    index('scorecard_snapshots_taken_idx').on(t.facilityId, t.period, sql`${t.takenAt} DESC`),
  ],
);

// Each facility's data version: moved, in the writing transaction, by every write to a table the
// scorecard's figures read (the triggers of migration facility_data_versions), so that a process
// may keep figures for as long as the version it read them under stands. The nil id is the
// global version (a TRUNCATE, which names no rows).
export const facilityDataVersions = pgTable('facility_data_versions', {
  facilityId: uuid('facility_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
});

// The facilities a transaction has touched so far, gathered by the triggers and turned into
// version moves once, at its commit (then emptied): see the migration for why.
export const facilityDataPending = pgTable(
  'facility_data_pending',
  {
    xact: bigint('xact', { mode: 'number' }).notNull(),
    facilityId: uuid('facility_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.xact, t.facilityId] })],
);
