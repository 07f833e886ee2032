import { sql } from 'drizzle-orm';
import { check, date, index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { organisations } from '../organisations/tables.ts';

export const actionItemStatus = pgEnum('action_item_status', ['planned', 'in_progress', 'done', 'dropped']);

// Rakor (rapat koordinasi): one organiser, the organisations taking part, agenda and minutes.
export const coordinationMeetings = pgTable(
  'coordination_meetings',
  {
    id: idColumn(),
    organiserId: uuid('organiser_id')
      .notNull()
      .references(() => organisations.id),
    title: text('title').notNull(),
    heldOn: date('held_on').notNull(),
    provinceCode: text('province_code').notNull(),
    // null for a meeting of the whole province
    regency: text('regency'),
    venue: text('venue').notNull(),
    agenda: text('agenda').notNull(),
    minutes: text('minutes'),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    index('coordination_meetings_held_on_idx').on(t.heldOn),
    // Places are filtered by province and regency name without case: lower(regency) = ...
    index('coordination_meetings_place_idx').on(t.provinceCode, sql`lower(${t.regency})`),
    index('coordination_meetings_organiser_idx').on(t.organiserId),
  ],
);

export const meetingParticipants = pgTable(
  'coordination_meeting_participants',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => coordinationMeetings.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.organisationId] }),
    index('coordination_meeting_participants_organisation_idx').on(t.organisationId),
  ],
);

// The action plan: what each agency promised at the meeting, by when, and how far it got.
export const actionItems = pgTable(
  'action_items',
  {
    id: idColumn(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => coordinationMeetings.id),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => organisations.id),
    description: text('description').notNull(),
    dueOn: date('due_on').notNull(),
    status: actionItemStatus('status').notNull().default('planned'),
    // The owner's local date the item was marked done (or dropped).
    closedOn: date('closed_on'),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    index('action_items_meeting_idx').on(t.meetingId),
    // "What has this agency promised": an owner's items in the list's order (due date, then id),
    // whatever the status filter.
    index('action_items_owner_idx').on(t.ownerId, t.dueOn, t.id),
    check('action_items_closed_ck', sql`(${t.status} IN ('done', 'dropped')) = (${t.closedOn} IS NOT NULL)`),
  ],
);

// Progress notes with their date: appended, never rewritten.
export const actionItemNotes = pgTable(
  'action_item_notes',
  {
    id: idColumn(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => actionItems.id),
    notedOn: date('noted_on').notNull(),
    note: text('note').notNull(),
    statusAfter: actionItemStatus('status_after').notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('action_item_notes_item_idx').on(t.itemId, t.notedOn)],
);
