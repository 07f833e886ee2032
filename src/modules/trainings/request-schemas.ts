import { z } from 'zod';
import {
  Id,
  IdParams,
  LocalDate,
  notRepeated,
  PageQuery,
  ProvinceCode,
  QueryFlag,
  text,
  UpdatedSince,
} from '../../http/schemas.ts';
import { trainingExample } from './examples.ts';

// What clients send: request bodies and queries, and the kinds both directions share.

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
  updated_since: UpdatedSince,
});
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
  updated_since: UpdatedSince,
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
export type TrainingCreateInput = z.infer<typeof TrainingCreate>;
export type TrainingUpdateInput = z.infer<typeof TrainingUpdate>;
export type ParticipantUpdateInput = z.infer<typeof ParticipantUpdate>;
export type TopicValue = z.infer<typeof Topic>;
export type TrainingListQueryInput = z.infer<typeof TrainingListQuery>;
export type ParticipantListQueryInput = z.infer<typeof ParticipantListQuery>;
export type CoverageQueryInput = z.infer<typeof CoverageQuery>;
export type ProvinceCoverageQueryInput = z.infer<typeof ProvinceCoverageQuery>;
