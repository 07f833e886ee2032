import { z } from 'zod';
import {
  Id,
  LocalDate,
  notRepeated,
  PageQuery,
  ProvinceCode,
  pageOf,
  QueryFlag,
  Timestamp,
  TimeZone,
  text,
  UpdatedSince,
} from '../../http/schemas.ts';

export const ActionStatus = z.enum(['planned', 'in_progress', 'done', 'dropped']);

const Text = text({ min: 2, max: 200 });
const LongText = text({ min: 2, max: 20_000, multiline: true });
const Named = z.object({ id: Id, name: z.string() });
const ids = [
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9cb0',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c23',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c24',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9cb1',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c25',
] as const;

const meetingExample = {
  id: ids[0],
  organiser: { id: ids[1], name: 'BNNP Nusa Tenggara Barat' },
  title: 'Rakor KOTAN Provinsi NTB 2024',
  held_on: '2024-05-22',
  province_code: '52',
  regency: null,
  venue: 'Kantor BNNP NTB, Mataram',
  agenda: 'Hasil pengukuran IKOTAN 2023 dan rencana aksi per instansi',
  minutes: 'Disepakati rencana aksi per instansi; tindak lanjut dipantau BNNP.',
  participants: [{ id: ids[2], name: 'Pemerintah Kota Mataram' }],
  action_items: { planned: 2, in_progress: 1, done: 1, dropped: 0, overdue: 1 },
  created_by: ids[3],
  version: 1,
  created_at: '2024-05-22T06:00:00.000Z',
  updated_at: '2024-05-22T06:00:00.000Z',
};

export const Meeting = z
  .object({
    id: Id,
    organiser: Named,
    title: z.string(),
    held_on: LocalDate,
    province_code: z.string(),
    regency: z.string().nullable().meta({ description: 'null for a meeting of the whole province' }),
    venue: z.string(),
    agenda: z.string(),
    minutes: z.string().nullable(),
    participants: z.array(Named).meta({ description: 'The organisations taking part, besides the organiser' }),
    action_items: z
      .object({
        planned: z.number().int(),
        in_progress: z.number().int(),
        done: z.number().int(),
        dropped: z.number().int(),
        overdue: z.number().int().meta({ description: "Open items past their due date in the owner's calendar" }),
      })
      .meta({ description: 'The action plan in counts' }),
    created_by: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'CoordinationMeeting', examples: [meetingExample] });

const ParticipantIds = z
  .array(Id)
  .max(100)
  .refine((a) => new Set(a).size === a.length, notRepeated('participant_ids'));

export const MeetingCreate = z
  .strictObject({
    organiser_id: Id.meta({ description: "The caller's own organisation (administrators: any)" }),
    title: Text,
    held_on: LocalDate,
    province_code: ProvinceCode,
    regency: Text.optional().meta({ description: 'The regency or city; leave out for the whole province' }),
    venue: Text,
    agenda: LongText,
    minutes: LongText.optional(),
    participant_ids: ParticipantIds.default([]),
  })
  .meta({
    id: 'CoordinationMeetingCreate',
    examples: [
      {
        organiser_id: ids[1],
        title: meetingExample.title,
        held_on: meetingExample.held_on,
        province_code: '52',
        venue: meetingExample.venue,
        agenda: meetingExample.agenda,
        minutes: meetingExample.minutes,
        participant_ids: [ids[2]],
      },
    ],
  });

export const MeetingUpdate = z
  .strictObject({
    title: Text.optional(),
    held_on: LocalDate.optional(),
    venue: Text.optional(),
    agenda: LongText.optional(),
    minutes: LongText.nullable().optional(),
    participant_ids: ParticipantIds.optional(),
  })
  .meta({ id: 'CoordinationMeetingUpdate', examples: [{ minutes: 'Notulen lengkap rapat koordinasi.' }] });

export const MeetingListQuery = z.strictObject({
  organisation_id: Id.optional().meta({ description: 'Meetings this organisation organised or took part in' }),
  province_code: ProvinceCode.optional(),
  regency: text({ min: 2, max: 200 }).optional(),
  from: LocalDate.optional().meta({ description: 'Held on or after' }),
  to: LocalDate.optional().meta({ description: 'Held on or before' }),
  ...PageQuery,
  updated_since: UpdatedSince,
});
export const MeetingPage = pageOf(Meeting).meta({ id: 'CoordinationMeetingPage' });

const itemExample = {
  id: ids[4],
  meeting_id: ids[0],
  meeting_title: meetingExample.title,
  meeting_held_on: meetingExample.held_on,
  owner: { id: ids[2], name: 'Pemerintah Kota Mataram', timezone: 'Asia/Makassar' },
  description: 'Menerbitkan Peraturan Wali Kota tentang fasilitasi P4GN',
  due_on: '2024-08-31',
  status: 'in_progress',
  closed_on: null,
  overdue: true,
  days_overdue: 12,
  notes: [
    {
      noted_on: '2024-07-15',
      note: 'Rancangan perwal sudah dibahas bagian hukum',
      status_after: 'in_progress',
      recorded_by: ids[5],
      recorded_at: '2024-07-15T03:00:00.000Z',
    },
  ],
  created_by: ids[3],
  version: 2,
  created_at: '2024-05-22T06:10:00.000Z',
  updated_at: '2024-07-15T03:00:00.000Z',
};

export const ActionItem = z
  .object({
    id: Id,
    meeting_id: Id,
    meeting_title: z.string(),
    meeting_held_on: LocalDate,
    owner: z.object({ id: Id, name: z.string(), timezone: TimeZone }),
    description: z.string(),
    due_on: LocalDate,
    status: ActionStatus,
    closed_on: LocalDate.nullable().meta({ description: "The owner's local date it was done or dropped" }),
    overdue: z.boolean().meta({
      description: "Planned or in progress, and the due date is over in the owner's time zone",
    }),
    days_overdue: z.number().int().nullable(),
    notes: z
      .array(
        z.object({
          noted_on: LocalDate,
          note: z.string(),
          status_after: ActionStatus,
          recorded_by: Id,
          recorded_at: Timestamp,
        }),
      )
      .meta({ description: 'Progress notes, oldest first' }),
    created_by: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'ActionItem', examples: [itemExample] });

export const ActionItemCreate = z
  .strictObject({
    owner_id: Id.meta({ description: 'The organiser or a participant of the meeting' }),
    description: text({ min: 2, max: 2000, multiline: true }),
    due_on: LocalDate.meta({ description: 'Not before the meeting' }),
  })
  .meta({
    id: 'ActionItemCreate',
    examples: [{ owner_id: ids[2], description: itemExample.description, due_on: itemExample.due_on }],
  });

export const ProgressNote = z.strictObject({
  text: text({ min: 2, max: 2000, multiline: true }),
  noted_on: LocalDate.optional().meta({
    description: "Default today in the owner's calendar; not ahead of it nor before the meeting",
  }),
});

export const ActionItemUpdate = z
  .strictObject({
    status: ActionStatus.optional().meta({
      description: 'Dropping or reopening a done or dropped item needs a note saying why',
    }),
    note: ProgressNote.optional(),
    description: text({ min: 2, max: 2000, multiline: true }).optional(),
    due_on: LocalDate.optional(),
    owner_id: Id.optional(),
  })
  .meta({
    id: 'ActionItemUpdate',
    description:
      "The owner's officers set status and add notes; the organiser's officers may also change description, due date and owner.",
    examples: [{ status: 'in_progress', note: { text: 'Rancangan perwal sudah dibahas bagian hukum' } }],
  });

export const ActionItemListQuery = z.strictObject({
  owner_id: Id.optional().meta({ description: 'Items this organisation owns' }),
  meeting_id: Id.optional(),
  status: ActionStatus.optional(),
  overdue: QueryFlag.optional().meta({ description: "true: open items past their due date in the owner's calendar" }),
  due_from: LocalDate.optional(),
  due_to: LocalDate.optional(),
  ...PageQuery,
  updated_since: UpdatedSince,
});
export const MeetingItemsQuery = z.strictObject({
  status: ActionStatus.optional(),
  overdue: QueryFlag.optional(),
  ...PageQuery,
  updated_since: UpdatedSince,
});
export const ActionItemPage = pageOf(ActionItem).meta({ id: 'ActionItemPage' });

export type MeetingDto = z.infer<typeof Meeting>;
export type MeetingCreateInput = z.infer<typeof MeetingCreate>;
export type MeetingUpdateInput = z.infer<typeof MeetingUpdate>;
export type ActionItemDto = z.infer<typeof ActionItem>;
export type ActionItemCreateInput = z.infer<typeof ActionItemCreate>;
export type ActionItemUpdateInput = z.infer<typeof ActionItemUpdate>;
export type ActionStatusValue = z.infer<typeof ActionStatus>;
