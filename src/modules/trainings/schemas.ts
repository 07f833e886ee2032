import { z } from 'zod';
import {
  Id,
  IdParams,
  LocalDate,
  notRepeated,
  PageQuery,
  ProvinceCode,
  pageOf,
  QueryFlag,
  Timestamp,
  text,
} from '../../http/schemas.ts';

export const tags = ['Training'];
export const TrainingParams = IdParams('trainingId');
export const TOPICS = [
  'early_detection',
  'p4gn_awareness',
  'search_techniques',
  'assessment_and_counselling',
  'urine_testing_procedure',
  'other',
] as const;
export const Topic = z.enum(TOPICS);
export const Mode = z.enum(['in_person', 'online']);
export const OrganiserType = z.enum(['bnn_unit', 'kanwil', 'facility']).meta({
  description:
    'bnn_unit (under an MoU with training in scope for every facility), kanwil (of every facility), facility',
});

const Score = z.number().min(0).max(100).multipleOf(0.01).meta({ description: '0 to 100' });
const Text = text({ min: 2, max: 200 });

const ids = [
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c70',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c21',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
] as const;

const trainingExample = {
  id: ids[0],
  title: 'Deteksi dini peredaran narkoba bagi petugas pemasyarakatan',
  topic: 'early_detection',
  organiser_type: 'bnn_unit',
  organiser_id: ids[2],
  organiser_name: 'BNNP Nusa Tenggara Timur',
  starts_on: '2025-02-10',
  ends_on: '2025-02-12',
  hours: 24,
  venue: 'Aula Lapas Kelas IIA Kupang',
  mode: 'in_person',
  facility_ids: [ids[1]],
  trainers: ['dr. Maria Nenobais'],
  capacity: 40,
  pass_mark: 70,
  participants: 32,
  created_by: ids[3],
  version: 1,
  created_at: '2025-01-20T02:00:00.000Z',
  updated_at: '2025-01-20T02:00:00.000Z',
};

export const Training = z
  .object({
    id: Id,
    title: z.string(),
    topic: Topic,
    organiser_type: OrganiserType,
    organiser_id: Id.meta({ description: 'The organising BNN unit or Kanwil (an organisation), or facility' }),
    organiser_name: z.string(),
    starts_on: LocalDate,
    ends_on: LocalDate,
    hours: z.number(),
    venue: z.string(),
    mode: Mode,
    facility_ids: z.array(Id).meta({ description: 'The facilities whose officers take part' }),
    trainers: z
      .array(z.string())
      .nullable()
      .meta({ description: 'Personal data: null for callers without the personal_data scope' }),
    capacity: z.number().int(),
    pass_mark: z.number(),
    participants: z.number().int().meta({ description: 'Participants so far' }),
    created_by: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'Training',
    examples: [trainingExample],
  });

const TrainingFields = z.strictObject({
  title: Text,
  topic: Topic,
  organiser_type: OrganiserType,
  organiser_id: Id,
  starts_on: LocalDate,
  ends_on: LocalDate,
  hours: z.number().positive().max(1_000).multipleOf(0.1).meta({ description: 'Teaching hours in all' }),
  venue: Text,
  mode: Mode,
  facility_ids: z
    .array(Id)
    .min(1)
    .max(100)
    .refine((a) => new Set(a).size === a.length, notRepeated('facility_ids')),
  trainers: z.array(Text).max(50).default([]),
  capacity: z.number().int().min(1).max(10_000),
  pass_mark: Score.optional().meta({ description: 'Post-test score needed to pass; default TRAINING_PASS_MARK' }),
});

// The create example is the training's own, less what the service sets.
export const TrainingCreate = TrainingFields.meta({
  id: 'TrainingCreate',
  examples: [Object.fromEntries(Object.entries(trainingExample).filter(([key]) => key in TrainingFields.shape))],
});

export const TrainingUpdate = z
  .strictObject({
    title: Text.optional(),
    topic: Topic.optional(),
    starts_on: LocalDate.optional(),
    ends_on: LocalDate.optional(),
    hours: TrainingFields.shape.hours.optional(),
    venue: Text.optional(),
    mode: Mode.optional(),
    facility_ids: TrainingFields.shape.facility_ids.optional(),
    trainers: z.array(Text).max(50).optional(),
    capacity: TrainingFields.shape.capacity.optional(),
    pass_mark: Score.optional(),
  })
  .meta({ id: 'TrainingUpdate', examples: [{ capacity: 45, venue: 'Aula Kanwil NTT' }] });

export const TrainingListQuery = z.strictObject({
  facility_id: Id.optional().meta({ description: 'Trainings this facility takes part in' }),
  topic: Topic.optional(),
  organiser_id: Id.optional(),
  from: LocalDate.optional().meta({ description: 'Ending on or after' }),
  to: LocalDate.optional().meta({ description: 'Starting on or before' }),
  ...PageQuery,
});
export const TrainingPage = pageOf(Training).meta({ id: 'TrainingPage' });

const personal = (schema: z.ZodType) =>
  schema.nullable().meta({ description: 'Personal data: null for callers without the personal_data scope' });

export const Participant = z
  .object({
    id: Id,
    training_id: Id,
    facility_id: Id,
    officer: z.object({
      id: Id,
      pseudonym: z.string(),
      nip: personal(z.string()),
      name: personal(z.string()),
    }),
    attended_days: z
      .array(LocalDate)
      .nullable()
      .meta({ description: 'Days attended, when attendance is kept per day' }),
    attended_hours: z
      .number()
      .nullable()
      .meta({ description: 'Hours attended: given, or the share of days attended times the hours' }),
    attendance_rate: z.number().nullable().meta({ description: 'attended_hours / hours, 0 to 1' }),
    pre_test_score: z.number().nullable(),
    post_test_score: z.number().nullable(),
    passed: z.boolean().nullable().meta({ description: "post_test_score >= the training's pass_mark; null untested" }),
    certificate_number: z.string().nullable(),
    certificate_issued_at: Timestamp.nullable(),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'TrainingParticipant',
    examples: [
      {
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c71',
        training_id: ids[0],
        facility_id: ids[1],
        officer: {
          id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c30',
          pseudonym: 'PTG-4HXM2C9T0A',
          nip: '198504172010121002',
          name: 'Agus Prasetyo',
        },
        attended_days: ['2025-02-10', '2025-02-11', '2025-02-12'],
        attended_hours: 24,
        attendance_rate: 1,
        pre_test_score: 55,
        post_test_score: 82.5,
        passed: true,
        certificate_number: 'BERSINAR/PLT/2025/000042',
        certificate_issued_at: '2025-02-14T03:00:00.000Z',
        version: 3,
        created_at: '2025-02-01T02:00:00.000Z',
        updated_at: '2025-02-14T03:00:00.000Z',
      },
    ],
  });
export const ParticipantPage = pageOf(Participant).meta({ id: 'TrainingParticipantPage' });
export const ParticipantList = z.object({ data: z.array(Participant) }).meta({ id: 'TrainingParticipantList' });

export const ParticipantsAdd = z
  .strictObject({
    officer_ids: z
      .array(Id)
      .min(1)
      .max(500)
      .refine((a) => new Set(a).size === a.length, notRepeated('officer_ids')),
  })
  .meta({ id: 'TrainingParticipantsAdd', examples: [{ officer_ids: ['01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c30'] }] });

export const ParticipantListQuery = z.strictObject({
  facility_id: Id.optional(),
  passed: QueryFlag.optional(),
  ...PageQuery,
});

export const ParticipantUpdate = z
  .strictObject({
    attended_days: z
      .array(LocalDate)
      .max(366)
      .refine((a) => new Set(a).size === a.length, notRepeated('attended_days'))
      .nullable()
      .optional()
      .meta({ description: 'Attendance per day: dates within the training, none in the future' }),
    attended_hours: z
      .number()
      .min(0)
      .max(1_000)
      .multipleOf(0.1)
      .nullable()
      .optional()
      .meta({ description: 'Attendance in total, when not kept per day: at most the training hours' }),
    pre_test_score: Score.nullable().optional(),
    post_test_score: Score.nullable().optional(),
  })
  .meta({
    id: 'TrainingParticipantUpdate',
    examples: [
      { attended_days: ['2025-02-10', '2025-02-11', '2025-02-12'], pre_test_score: 55, post_test_score: 82.5 },
    ],
  });

export const CoverageQuery = z.strictObject({
  on: LocalDate.optional().meta({ description: "Reference date; default today in the facility's calendar" }),
});
export const ProvinceCoverageQuery = CoverageQuery.extend({
  province_code: ProvinceCode.optional().meta({ description: 'One province; default every facility in reach' }),
});

const TopicShare = z.object({
  topic: Topic,
  trained: z.number().int(),
  share: z.number().nullable(),
});
const Counts = {
  officers: z.number().int().meta({ description: 'Officers in service on the reference date' }),
  trained: z.number().int().meta({ description: 'Of them, passed a training (any topic) in the window' }),
  share: z.number().nullable().meta({ description: 'trained / officers, 0 to 1; null without officers' }),
  topics: z.array(TopicShare),
};

export const DueOfficer = z.object({
  id: Id,
  pseudonym: z.string(),
  nip: personal(z.string()),
  name: personal(z.string()),
  position: z.string(),
  unit: z.string(),
  joined_on: LocalDate,
  last_trained_on: LocalDate.nullable().meta({ description: 'End of the last training passed, any time before' }),
});

export const Coverage = z
  .object({
    facility_id: Id,
    on: LocalDate,
    window_months: z.number().int(),
    window_from: LocalDate.meta({ description: 'Trainings ending after this date and by `on` count' }),
    ...Counts,
    due: z.array(DueOfficer).meta({ description: 'Officers in service not trained in the window, longest due first' }),
  })
  .meta({ id: 'TrainingCoverage' });

export const ProvinceCoverage = z
  .object({
    on: LocalDate,
    window_months: z.number().int(),
    window_from: LocalDate,
    provinces: z.array(z.object({ province_code: z.string(), facilities: z.number().int(), ...Counts })),
    facilities: z.array(z.object({ facility_id: Id, name: z.string(), province_code: z.string(), ...Counts })),
  })
  .meta({ id: 'TrainingCoverageByProvince' });

export type TrainingDto = z.infer<typeof Training>;
export type TrainingCreateInput = z.infer<typeof TrainingCreate>;
export type TrainingUpdateInput = z.infer<typeof TrainingUpdate>;
export type ParticipantDto = z.infer<typeof Participant>;
export type ParticipantUpdateInput = z.infer<typeof ParticipantUpdate>;
export type TopicValue = z.infer<typeof Topic>;
export type TrainingListQueryInput = z.infer<typeof TrainingListQuery>;
export type ParticipantListQueryInput = z.infer<typeof ParticipantListQuery>;
export type CoverageQueryInput = z.infer<typeof CoverageQuery>;
export type ProvinceCoverageQueryInput = z.infer<typeof ProvinceCoverageQuery>;
