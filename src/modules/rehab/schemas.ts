import { z } from 'zod';
import { fieldSentence } from '../../http/messages.ts';
import { Id, LocalDate, notRepeated, PageQuery, pageOf, refusal, Timestamp, text } from '../../http/schemas.ts';

export const tags = ['Rehabilitation'];

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
const personal = (schema: z.ZodType) =>
  schema.nullable().meta({ description: 'Personal data: null for callers without the personal_data scope' });

const CurriculumItem = z.strictObject({
  number: z.number().int().min(1),
  title: Text,
  duration_minutes: Minutes,
});
const Facilitator = z.strictObject({
  user_id: Id.meta({ description: "A BNN officer's user account, of the MoU's unit" }),
  role: FacilitatorRole,
});

const ids = {
  programme: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9d01',
  facility: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  mou: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c40',
  unit: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c21',
  user: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
  session: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9d02',
  inmate: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20',
  enrolment: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9d03',
};

const programmeInput = {
  facility_id: ids.facility,
  mou_id: ids.mou,
  title: 'Konseling kelompok WBP pengguna',
  modality: 'group_counselling',
  curriculum: [
    { number: 1, title: 'Pengenalan dan motivasi', duration_minutes: 90 },
    { number: 2, title: 'Mengenali pemicu', duration_minutes: 90 },
  ],
  starts_on: '2025-01-06',
  ends_on: '2025-03-28',
  capacity: 20,
  rooms: ['Aula Bimker'],
  facilitators: [{ user_id: ids.user, role: 'lead' }],
};

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
export const ProgrammeListQuery = z.strictObject({
  facility_id: Id.optional(),
  modality: Modality.optional(),
  active_on: LocalDate.optional().meta({ description: 'Programmes running on this date' }),
  ...PageQuery,
});
export const ProgrammePage = pageOf(Programme).meta({ id: 'RehabProgrammePage' });

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
export const SessionListQuery = z.strictObject({
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  status: z.enum(['scheduled', 'cancelled']).optional(),
  ...PageQuery,
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
export const EnrolmentListQuery = z.strictObject({ status: EnrolmentStatus.optional(), ...PageQuery });

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
export const HeldSession = Session.extend({ attendance: Attendance }).meta({ id: 'RehabHeldSession' });

export const BlackoutCreate = z
  .strictObject({ date: LocalDate, reason: text({ min: 3, max: 300 }) })
  .meta({ id: 'BlackoutDateCreate', examples: [{ date: '2025-02-17', reason: 'Kunjungan Kanwil' }] });
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
export type EnrolmentListQueryInput = z.infer<typeof EnrolmentListQuery>;
export type BlackoutCreateInput = z.infer<typeof BlackoutCreate>;
