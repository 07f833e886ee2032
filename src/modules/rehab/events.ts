import { z } from 'zod';
import type { Emitter } from '../../core/events.ts';
import { defineEvent } from '../../core/events.ts';
import { Id, Timestamp } from '../../http/schemas.ts';
import { attendanceStatus, enrolmentStatus } from './tables.ts';

// What outside systems are told of social rehabilitation (the catalogue: modules/events/catalogue.ts).

const Session = { session_id: Id, programme_id: Id, facility_id: Id };
const Booking = z.object({
  starts_at: Timestamp,
  ends_at: Timestamp,
  room: z.string(),
  facilitator_id: Id.meta({ description: 'The facilitating user' }),
});

export const sessionScheduled = defineEvent({
  type: 'rehab_session.scheduled.v1',
  part: 'rehab',
  summary: 'A session was booked (one event a session, also for each one a weekly slot makes)',
  data: z.object({
    ...Session,
    ...Booking.shape,
    slot_id: Id.nullable().meta({ description: 'The weekly slot that made it, if any' }),
    recorded_afterwards: z.boolean().meta({ description: 'Written up after it was held, with its attendance' }),
  }),
});

export const sessionMoved = defineEvent({
  type: 'rehab_session.moved.v1',
  part: 'rehab',
  summary: 'A session was rescheduled: its times, room or facilitator before and after',
  data: z.object({ ...Session, before: Booking, after: Booking }),
});

export const sessionCancelled = defineEvent({
  type: 'rehab_session.cancelled.v1',
  part: 'rehab',
  summary: 'A session was cancelled: its room, facilitator and inmates are free again',
  data: z.object({ ...Session, starts_at: Timestamp, ends_at: Timestamp }),
});

const EnrolmentStatus = z.enum(enrolmentStatus.enumValues);

export const enrolmentChanged = defineEvent({
  type: 'rehab_enrolment.changed.v1',
  part: 'rehab',
  summary: 'An inmate was enrolled in a programme, or their enrolment changed status',
  data: z.object({
    enrolment_id: Id,
    programme_id: Id,
    facility_id: Id,
    status_before: EnrolmentStatus.nullable().meta({ description: 'null when the enrolment was just made' }),
    status_after: EnrolmentStatus,
  }),
});

const AttendanceStatus = z.enum(attendanceStatus.enumValues);
const Count = z.number().int().min(0);
const Counts = z.object({ attended: Count, late: Count, excused: Count, absent: Count, refused: Count });

export const attendanceRecorded = defineEvent({
  type: 'rehab_attendance.recorded.v1',
  part: 'rehab',
  summary: "A session's attendance was recorded, or amended (the whole list each time)",
  data: z.object({
    ...Session,
    attendance_version: z.number().int().min(1).meta({ description: '1 when first recorded, higher when amended' }),
    counts: Counts.meta({ description: 'How many inmates of the list in each status' }),
  }),
});

export const REHAB_EVENTS = [sessionScheduled, sessionMoved, sessionCancelled, enrolmentChanged, attendanceRecorded];

/** The enrolment event, the inmate named by id. */
export function tellEnrolment(
  change: Emitter,
  e: { id: string; programmeId: string; facilityId: string; inmateId: string },
  before: z.infer<typeof EnrolmentStatus> | null,
  after: z.infer<typeof EnrolmentStatus>,
) {
  return enrolmentChanged.emit(
    change,
    {
      subject: { type: 'rehab_enrolment', id: e.id },
      facilityIds: [e.facilityId],
      people: [{ type: 'inmate', id: e.inmateId }],
    },
    {
      enrolment_id: e.id,
      programme_id: e.programmeId,
      facility_id: e.facilityId,
      status_before: before,
      status_after: after,
    },
  );
}

/** The attendance event of a session just written: counts by status, the inmates on the list by id. */
export function tellAttendance(
  change: Emitter,
  s: { id: string; programmeId: string; facilityId: string; attendanceVersion: number },
  list: readonly { inmate: { id: string }; status: z.infer<typeof AttendanceStatus> | null }[],
) {
  const counts = { attended: 0, late: 0, excused: 0, absent: 0, refused: 0 };
  const records = list.flatMap((r) => (r.status ? [{ inmateId: r.inmate.id, status: r.status }] : []));
  for (const r of records) counts[r.status] += 1;
  return attendanceRecorded.emit(
    change,
    {
      subject: { type: 'rehab_session', id: s.id },
      facilityIds: [s.facilityId],
      people: records.map((r) => ({ type: 'inmate' as const, id: r.inmateId })),
    },
    {
      session_id: s.id,
      programme_id: s.programmeId,
      facility_id: s.facilityId,
      attendance_version: s.attendanceVersion,
      counts,
    },
  );
}

/** The session's own place and ids, for its events. */
export const sessionPlace = (s: { id: string; facilityId: string }) => ({
  subject: { type: 'rehab_session', id: s.id },
  facilityIds: [s.facilityId],
});

export const bookingOf = (s: { startsAt: Date; endsAt: Date; room: string; facilitatorId: string }) => ({
  starts_at: s.startsAt.toISOString(),
  ends_at: s.endsAt.toISOString(),
  room: s.room,
  facilitator_id: s.facilitatorId,
});
