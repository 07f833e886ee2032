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
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { users } from '../auth/tables.ts';
import { facilities } from '../facilities/tables.ts';
import { inmates } from '../inmates/tables.ts';
import { mous } from '../mous/tables.ts';
import { organisations } from '../organisations/tables.ts';

export const rehabModality = pgEnum('rehab_modality', [
  'therapeutic_community',
  'group_counselling',
  'cbt',
  'individual_counselling',
  'vocational',
  'spiritual',
]);
export const facilitatorRole = pgEnum('rehab_facilitator_role', ['lead', 'regular', 'cover']);
export const sessionStatus = pgEnum('rehab_session_status', ['scheduled', 'cancelled']);
export const enrolmentStatus = pgEnum('rehab_enrolment_status', [
  'awaiting',
  'active',
  'completed',
  'withdrawn',
  'released',
  'transferred',
]);
export const attendanceStatus = pgEnum('rehab_attendance_status', ['attended', 'late', 'excused', 'absent', 'refused']);
export const attendanceReason = pgEnum('rehab_attendance_reason', [
  'sick',
  'refused',
  'clash',
  'court',
  'released',
  'other',
]);

export interface CurriculumItem {
  number: number;
  title: string;
  duration_minutes: number;
}

// Rehabilitasi sosial: a programme a BNN unit runs at one facility under an MoU covering rehabilitation.
export const rehabProgrammes = pgTable(
  'rehab_programmes',
  {
    id: idColumn(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    mouId: uuid('mou_id')
      .notNull()
      .references(() => mous.id),
    // The MoU's unit, kept here so that reach and who-may-write need no join.
    bnnUnitId: uuid('bnn_unit_id')
      .notNull()
      .references(() => organisations.id),
    title: text('title').notNull(),
    modality: rehabModality('modality').notNull(),
    curriculum: jsonb('curriculum').$type<CurriculumItem[]>().notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    capacity: integer('capacity').notNull(),
    rooms: text('rooms').array().notNull(),
    completionMinRate: numeric('completion_min_rate', { precision: 4, scale: 3 }).notNull().default('0.8'),
    completionRequiresLast: boolean('completion_requires_last').notNull().default(true),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    index('rehab_programmes_facility_idx').on(t.facilityId, t.startsOn),
    index('rehab_programmes_unit_idx').on(t.bnnUnitId),
    check('rehab_programmes_dates_ck', sql`${t.endsOn} >= ${t.startsOn}`),
    check('rehab_programmes_capacity_ck', sql`${t.capacity} > 0`),
    check('rehab_programmes_rate_ck', sql`${t.completionMinRate} BETWEEN 0 AND 1`),
  ],
);

export const rehabFacilitators = pgTable(
  'rehab_programme_facilitators',
  {
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => rehabProgrammes.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: facilitatorRole('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programmeId, t.userId] })],
);

// A weekly pattern: every such weekday at a local time, in a room, with a facilitator.
export const rehabSlots = pgTable(
  'rehab_slots',
  {
    id: idColumn(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => rehabProgrammes.id),
    facilityId: uuid('facility_id').notNull(),
    weekday: integer('weekday').notNull(),
    startTime: text('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    room: text('room').notNull(),
    facilitatorId: uuid('facilitator_id')
      .notNull()
      .references(() => users.id),
    sessions: integer('sessions').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('rehab_slots_programme_idx').on(t.programmeId),
    check('rehab_slots_weekday_ck', sql`${t.weekday} BETWEEN 1 AND 7`),
  ],
);

// A dated session. Room, facilitator and (through the roster) inmate double-bookings are refused
// by exclusion constraints in the migration, so that of two racing bookings exactly one wins.
export const rehabSessions = pgTable(
  'rehab_sessions',
  {
    id: idColumn(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => rehabProgrammes.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    slotId: uuid('slot_id').references(() => rehabSlots.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    room: text('room').notNull(),
    facilitatorId: uuid('facilitator_id')
      .notNull()
      .references(() => users.id),
    status: sessionStatus('status').notNull().default('scheduled'),
    cancelReason: text('cancel_reason'),
    attendanceVersion: integer('attendance_version').notNull().default(0),
    attendanceRecordedBy: uuid('attendance_recorded_by'),
    attendanceRecordedAt: timestamp('attendance_recorded_at', { withTimezone: true }),
    // Its place in the curriculum, stored: a held session keeps it, open ones are renumbered around it.
    number: integer('number'),
    // Written up after it was held, rather than booked ahead.
    recordedAfterwards: boolean('recorded_afterwards').notNull().default(false),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    index('rehab_sessions_programme_idx').on(t.programmeId, t.startsAt),
    index('rehab_sessions_facility_idx').on(t.facilityId, t.startsAt),
    check('rehab_sessions_times_ck', sql`${t.endsAt} > ${t.startsAt}`),
    check('rehab_sessions_cancel_ck', sql`(${t.status} = 'cancelled') = (${t.cancelReason} IS NOT NULL)`),
  ],
);

export const rehabEnrolments = pgTable(
  'rehab_enrolments',
  {
    id: idColumn(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => rehabProgrammes.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    inmateId: uuid('inmate_id')
      .notNull()
      .references(() => inmates.id),
    status: enrolmentStatus('status').notNull(),
    // Why someone without a confirmed positive or a narcotics_user case type is enrolled.
    reason: text('reason'),
    enrolledOn: date('enrolled_on').notNull(),
    endedOn: date('ended_on'),
    // The local day it became active (null while awaiting, or withdrawn before that).
    activatedOn: date('activated_on'),
    endNote: text('end_note'),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('rehab_enrolments_programme_inmate_key').on(t.programmeId, t.inmateId),
    index('rehab_enrolments_inmate_idx').on(t.inmateId),
    index('rehab_enrolments_programme_idx').on(t.programmeId, t.status),
    index('rehab_enrolments_facility_ended_idx').on(t.facilityId, t.endedOn),
  ],
);

// Who is expected at which session: an active enrolment's place on each of its programme's
// sessions. Times are copied from the session so that the database can refuse an inmate in two
// sessions at once.
export const rehabRoster = pgTable(
  'rehab_session_inmates',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => rehabSessions.id),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => rehabEnrolments.id),
    inmateId: uuid('inmate_id').notNull(),
    facilityId: uuid('facility_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.enrolmentId] }),
    index('rehab_session_inmates_enrolment_idx').on(t.enrolmentId),
  ],
);

export const rehabAttendance = pgTable(
  'rehab_attendance',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => rehabSessions.id),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => rehabEnrolments.id),
    inmateId: uuid('inmate_id').notNull(),
    facilityId: uuid('facility_id').notNull(),
    status: attendanceStatus('status').notNull(),
    reason: attendanceReason('reason'),
    note: text('note'),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.enrolmentId] }),
    index('rehab_attendance_enrolment_idx').on(t.enrolmentId),
  ],
);

// Days a facility holds no programme sessions (lockdowns, visits, its own events).
export const facilityBlackoutDates = pgTable(
  'facility_blackout_dates',
  {
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    day: date('day').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.facilityId, t.day] })],
);
