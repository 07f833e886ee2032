import { z } from 'zod';
import { daysBetween } from '../../core/calendar/index.ts';
import { fieldSentence } from '../../http/messages.ts';
import { Id, LocalDate, notRepeated, PageQuery, refusal, text, UpdatedSince } from '../../http/schemas.ts';
import { ids, programmeInput } from './examples.ts';

// What clients send: request bodies and queries, and the kinds both directions share.

export const Modality = z.enum([
  'therapeutic_community',
  'group_counselling',
  'cbt',
  'individual_counselling',
  'vocational',
  'spiritual',
]);
export const FacilitatorRole = z.enum(['lead', 'regular', 'cover']);
export const EnrolmentStatus = z.enum(['awaiting', 'active', 'completed', 'withdrawn', 'released', 'transferred']);
export const AttendanceStatus = z.enum(['attended', 'late', 'excused', 'absent', 'refused']);
export const AttendanceReason = z.enum(['sick', 'refused', 'clash', 'court', 'released', 'other']);

const Text = text({ min: 2, max: 200 });
const Room = text({ min: 1, max: 100 });
const Minutes = z.number().int().min(15).max(480).meta({ description: 'Minutes, 15 to 480' });
const LocalTime = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, fieldSentence('local_time').en)
  .meta({ description: "Local time in the facility's time zone, HH:MM", example: '09:00' });
const CurriculumItem = z.strictObject({
  number: z.number().int().min(1),
  title: Text,
  duration_minutes: Minutes,
});
const Facilitator = z.strictObject({
  user_id: Id.meta({ description: "A BNN officer's user account, of the MoU's unit" }),
  role: FacilitatorRole,
});
const ProgrammeFields = z.strictObject({
  facility_id: Id,
  mou_id: Id.meta({ description: 'An MoU in force with rehabilitation in scope, covering the facility' }),
  title: Text,
  modality: Modality,
  curriculum: z
    .array(CurriculumItem)
    .min(1)
    .max(200)
    .refine((c) => c.every((item, i) => item.number === i + 1), refusal('curriculum_in_order')),
  starts_on: LocalDate,
  ends_on: LocalDate.meta({ description: 'On or before the MoU ends' }),
  capacity: z.number().int().min(1).max(1_000).meta({ description: 'Active enrolments at most' }),
  rooms: z
    .array(Room)
    .min(1)
    .max(20)
    .refine((r) => new Set(r).size === r.length, notRepeated('rooms')),
  facilitators: z
    .array(Facilitator)
    .min(1)
    .max(20)
    .refine((f) => new Set(f.map((x) => x.user_id)).size === f.length, refusal('facilitator_once')),
  completion_min_rate: z
    .number()
    .min(0)
    .max(1)
    .default(0.8)
    .meta({ description: 'Share of held sessions to attend (attended or late)' }),
  completion_requires_last: z.boolean().default(true).meta({ description: 'The last session must be attended' }),
});
export const ProgrammeCreate = ProgrammeFields.meta({ id: 'RehabProgrammeCreate', examples: [programmeInput] });
export const ProgrammeUpdate = z
  .strictObject({
    title: Text.optional(),
    capacity: ProgrammeFields.shape.capacity.optional(),
    ends_on: LocalDate.optional(),
  })
  .meta({ id: 'RehabProgrammeUpdate', examples: [{ capacity: 25 }] });
export const ProgrammeListQuery = z.strictObject({
  facility_id: Id.optional(),
  modality: Modality.optional(),
  active_on: LocalDate.optional().meta({ description: 'Programmes running on this date' }),
  ...PageQuery,
  updated_since: UpdatedSince,
});
export const SlotCreate = z
  .strictObject({
    weekday: z.number().int().min(1).max(7).meta({ description: 'ISO weekday: 1 Monday … 7 Sunday' }),
    start_time: LocalTime,
    duration_minutes: Minutes,
    room: Room,
    facilitator_id: Id,
    from: LocalDate.optional().meta({
      description: "First date to generate from; default the later of the programme's start and today",
    }),
    beyond_curriculum: z.boolean().default(false).meta({
      description: "Go on past the curriculum's last item; by default the slot stops there",
    }),
  })
  .meta({
    id: 'RehabSlotCreate',
    examples: [
      { weekday: 2, start_time: '09:00', duration_minutes: 90, room: 'Aula Bimker', facilitator_id: ids.user },
    ],
  });
export const SessionListQuery = z.strictObject({
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  status: z.enum(['scheduled', 'cancelled']).optional(),
  ...PageQuery,
  updated_since: UpdatedSince,
});
/** The longest span of the facility-wide sessions list, in local days with both ends included. */
export const CALENDAR_MAX_DAYS = 62;
export const FacilitySessionListQuery = z
  .strictObject({
    facility_id: Id,
    from: LocalDate.meta({ description: "First local date in the facility's calendar, included" }),
    to: LocalDate.meta({
      description: `Last local date, included; at most ${CALENDAR_MAX_DAYS} days from from`,
    }),
    programme_id: Id.optional().meta({ description: 'Only this programme (of the facility)' }),
    status: SessionListQuery.shape.status,
    ...PageQuery,
    updated_since: UpdatedSince,
  })
  .refine((q) => q.to >= q.from, {
    ...refusal('before_field', { field: 'to', other: 'from' }),
    path: ['to'],
  })
  .refine((q) => daysBetween(q.from, q.to) < CALENDAR_MAX_DAYS, {
    ...refusal('span_at_most', { field: 'to', other: 'from', days: String(CALENDAR_MAX_DAYS) }),
    path: ['to'],
  });
export const SessionCreate = z
  .strictObject({
    starts_at: z.iso
      .datetime({ local: true, offset: true })
      .meta({ description: "RFC 3339; without an offset, the facility's local time", example: '2025-01-07T09:00' }),
    duration_minutes: Minutes,
    room: Room,
    facilitator_id: Id,
  })
  .meta({ id: 'RehabSessionCreate' });
export const SessionUpdate = SessionCreate.partial().meta({ id: 'RehabSessionUpdate' });
export const SessionCancel = z
  .strictObject({ reason: text({ min: 3, max: 500 }) })
  .meta({ id: 'RehabSessionCancel', examples: [{ reason: 'Penggeledahan mendadak di blok hunian' }] });
export const EnrolmentCreate = z
  .strictObject({
    inmate_id: Id,
    status: z.enum(['awaiting', 'active']).default('active').meta({
      description: 'active takes a place (capacity) and goes on the coming sessions; awaiting waits for one',
    }),
    reason: text({ min: 5, max: 1_000, multiline: true }).optional().meta({
      description: 'Required for someone with neither a confirmed positive nor a narcotics_user case type',
    }),
  })
  .meta({ id: 'RehabEnrolmentCreate' });
export const EnrolmentUpdate = z
  .strictObject({
    status: z.enum(['active', 'completed', 'withdrawn']),
    note: text({ min: 3, max: 1_000, multiline: true }).optional().meta({ description: 'Required to withdraw' }),
  })
  .meta({ id: 'RehabEnrolmentUpdate', examples: [{ status: 'completed' }] });
export const EnrolmentListQuery = z.strictObject({
  status: EnrolmentStatus.optional(),
  ...PageQuery,
  updated_since: UpdatedSince,
});
export const AttendanceRow = z.strictObject({
  enrolment_id: Id,
  status: AttendanceStatus,
  reason: AttendanceReason.optional(),
  note: text({ max: 500, multiline: true }).optional().meta({ description: 'Special-category data' }),
});
export const AttendancePut = z
  .strictObject({
    records: z
      .array(AttendanceRow)
      .max(1_000)
      .refine((r) => new Set(r.map((x) => x.enrolment_id)).size === r.length, refusal('one_row_per_enrolment')),
  })
  .meta({
    id: 'RehabAttendancePut',
    examples: [{ records: [{ enrolment_id: ids.enrolment, status: 'absent', reason: 'court' }] }],
  });
export const HeldSessionCreate = SessionCreate.extend({
  curriculum_item: z.number().int().min(1).optional().meta({
    description: 'The curriculum item it covered; default the one after the last session before it',
  }),
  attendance: z
    .array(AttendanceRow)
    .min(1)
    .max(1_000)
    .refine((r) => new Set(r.map((x) => x.enrolment_id)).size === r.length, refusal('one_row_per_enrolment'))
    .meta({ description: 'Its roster: enrolments of the programme active on its local day, one row each' }),
}).meta({
  id: 'RehabHeldSessionCreate',
  examples: [
    {
      starts_at: '2025-01-09T09:00',
      duration_minutes: 90,
      room: 'Aula Bimker',
      facilitator_id: ids.user,
      curriculum_item: 3,
      attendance: [{ enrolment_id: ids.enrolment, status: 'attended' }],
    },
  ],
});
export const BlackoutCreate = z
  .strictObject({ date: LocalDate, reason: text({ min: 3, max: 300 }) })
  .meta({ id: 'BlackoutDateCreate', examples: [{ date: '2025-02-17', reason: 'Kunjungan Kanwil' }] });

export type ProgrammeCreateInput = z.infer<typeof ProgrammeCreate>;
export type ProgrammeUpdateInput = z.infer<typeof ProgrammeUpdate>;
export type SlotCreateInput = z.infer<typeof SlotCreate>;
export type SessionCreateInput = z.infer<typeof SessionCreate>;
export type HeldSessionCreateInput = z.infer<typeof HeldSessionCreate>;
export type SessionUpdateInput = z.infer<typeof SessionUpdate>;
export type EnrolmentCreateInput = z.infer<typeof EnrolmentCreate>;
export type EnrolmentUpdateInput = z.infer<typeof EnrolmentUpdate>;
export type AttendancePutInput = z.infer<typeof AttendancePut>;
export type ProgrammeListQueryInput = z.infer<typeof ProgrammeListQuery>;
export type SessionListQueryInput = z.infer<typeof SessionListQuery>;
export type FacilitySessionListQueryInput = z.infer<typeof FacilitySessionListQuery>;
export type EnrolmentListQueryInput = z.infer<typeof EnrolmentListQuery>;
export type BlackoutCreateInput = z.infer<typeof BlackoutCreate>;
