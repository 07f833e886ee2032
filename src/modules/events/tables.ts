import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// The transactional outbox: a row for each domain event, written in the transaction of the change
// it tells of. `position` is drawn by a trigger under the audit chain's lock (see
// migrations/*_domain_events.sql), so position order is commit order: a reader that has passed a
// position never meets an earlier one committed later.
export const domainEvents = pgTable(
  'domain_events',
  {
    position: bigint('position', { mode: 'number' }).primaryKey().default(0),
    id: uuid('id').notNull().unique(),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** Which rule of reach decides who sees it (core/events.ts, EventPart). */
    part: text('part').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    facilityIds: uuid('facility_ids').array().notNull().default([]),
    organisationIds: uuid('organisation_ids').array().notNull().default([]),
    provinceCode: text('province_code'),
    regency: text('regency'),
    /** Ids and what changed; never a name. */
    data: jsonb('data').notNull(),
    /** The people it is about, by id: named or pseudonymised when it is read. */
    people: jsonb('people').$type<{ type: 'inmate' | 'officer'; id: string }[]>().notNull().default([]),
  },
  (t) => [index('domain_events_occurred_idx').on(t.occurredAt)],
);

// Keys of events that must be told once only (an action overdue, an MoU expiring): kept after the
// events themselves are pruned, so a chore never tells the same thing twice.
export const eventMarks = pgTable('event_marks', {
  key: text('key').primaryKey(),
  markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
});

// When each periodic chore last ran: with several processes on one database, the first to take a
// chore's row (FOR UPDATE SKIP LOCKED) runs it, and only when it is due.
export const choreRuns = pgTable('chore_runs', {
  name: text('name').primaryKey(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }).notNull(),
});
