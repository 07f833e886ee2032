import { z } from 'zod';
import { Id, LocalDate, pageOf, Timestamp } from '../../http/schemas.ts';
import { ids, programmeInput } from './examples.ts';
import { AttendanceReason, AttendanceStatus, EnrolmentStatus, FacilitatorRole, Modality } from './request-schemas.ts';

// What clients receive: programmes, slots, sessions, enrolments with their progress, attendance.

const personal = (schema: z.ZodType) =>
  schema.nullable().meta({ description: 'Personal data: null for callers without the personal_data scope' });
export const Programme = z
  .object({
    id: Id,
    facility_id: Id,
    mou_id: Id,
    bnn_unit_id: Id,
    title: z.string(),
    modality: Modality,
    curriculum: z.array(z.object({ number: z.number().int(), title: z.string(), duration_minutes: z.number().int() })),
    starts_on: LocalDate,
    ends_on: LocalDate,
    capacity: z.number().int(),
    rooms: z.array(z.string()),
    facilitators: z.array(z.object({ user_id: Id, role: FacilitatorRole })),
    completion_min_rate: z.number(),
    completion_requires_last: z.boolean(),
    active_enrolments: z.number().int(),
    created_by: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'RehabProgramme',
    examples: [
      {
        id: ids.programme,
        ...programmeInput,
        bnn_unit_id: ids.unit,
        completion_min_rate: 0.8,
        completion_requires_last: true,
        active_enrolments: 12,
        created_by: ids.user,
        version: 1,
        created_at: '2024-12-20T02:00:00.000Z',
        updated_at: '2024-12-20T02:00:00.000Z',
      },
    ],
  });
export const ProgrammePage = pageOf(Programme).meta({ id: 'RehabProgrammePage' });
export const Slot = z
  .object({
    id: Id,
    programme_id: Id,
    weekday: z.number().int(),
    start_time: z.string(),
    duration_minutes: z.number().int(),
    room: z.string(),
    facilitator_id: Id,
    sessions: z.number().int().meta({ description: 'Sessions the slot generated' }),
    created_at: Timestamp,
  })
  .meta({ id: 'RehabSlot' });
export const SlotList = z.object({ data: z.array(Slot) }).meta({ id: 'RehabSlotList' });
export const Session = z
  .object({
    id: Id,
    programme_id: Id,
    facility_id: Id,
    slot_id: Id.nullable(),
    number: z.number().int().nullable().meta({
      description:
        'Its curriculum item. Stored: a held session keeps its number; the others follow, in time order, the last held one before them. null when cancelled',
    }),
    curriculum_title: z.string().nullable(),
    starts_at: Timestamp.meta({ description: "In the facility's time zone" }),
    ends_at: Timestamp,
    room: z.string(),
    facilitator_id: Id,
    status: z.enum(['scheduled', 'cancelled']),
    cancel_reason: z.string().nullable(),
    held: z.boolean().meta({ description: 'Attendance has been recorded' }),
    recorded_afterwards: z.boolean().meta({ description: 'Written up after it was held, not booked ahead' }),
    expected: z.number().int().meta({ description: 'Enrolled inmates on its roster' }),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'RehabSession' });
export const SessionPage = pageOf(Session).meta({ id: 'RehabSessionPage' });
export const Progress = z.object({
  sessions_held: z.number().int().meta({ description: 'Sessions on their roster with attendance recorded' }),
  attended: z.number().int().meta({ description: 'Of those, attended or late' }),
  rate: z.number().nullable(),
  last_session_attended: z
    .boolean()
    .nullable()
    .meta({ description: "The programme's last session: attended; null until it is held" }),
  completion_rule_met: z.boolean(),
});
export const Enrolment = z
  .object({
    id: Id,
    programme_id: Id,
    facility_id: Id,
    inmate: z.object({ id: Id, pseudonym: z.string(), name: personal(z.string()) }),
    status: EnrolmentStatus,
    reason: z.string().nullable(),
    enrolled_on: LocalDate,
    ended_on: LocalDate.nullable(),
    end_note: z.string().nullable(),
    progress: Progress,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'RehabEnrolment' });
export const EnrolmentPage = pageOf(Enrolment).meta({ id: 'RehabEnrolmentPage' });
export const Attendance = z
  .object({
    session_id: Id,
    version: z.number().int().meta({ description: '0 until recorded; the ETag to amend with' }),
    recorded_by: Id.nullable(),
    recorded_at: Timestamp.nullable(),
    records: z.array(
      z.object({
        enrolment_id: Id,
        inmate: z.object({ id: Id, pseudonym: z.string(), name: personal(z.string()) }),
        status: AttendanceStatus.nullable().meta({ description: 'null until recorded' }),
        reason: AttendanceReason.nullable(),
        note: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'RehabAttendance' });
export const HeldSession = Session.extend({ attendance: Attendance }).meta({ id: 'RehabHeldSession' });
export const Blackout = z
  .object({ facility_id: Id, date: LocalDate, reason: z.string(), created_at: Timestamp })
  .meta({ id: 'BlackoutDate' });
export const BlackoutList = z.object({ data: z.array(Blackout) }).meta({ id: 'BlackoutDateList' });
export const ScheduleItem = z.object({
  session_id: Id,
  programme_id: Id,
  programme_title: z.string(),
  starts_at: Timestamp,
  ends_at: Timestamp,
  room: z.string(),
});
export const Schedule = z
  .object({ inmate_id: Id, data: z.array(ScheduleItem) })
  .meta({ id: 'InmateSchedule', description: "A person's coming sessions, in the facility's local time" });
