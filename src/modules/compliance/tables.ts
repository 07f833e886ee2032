import { sql } from 'drizzle-orm';
import { index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
