import { z } from 'zod';
import { Id, LocalDate, pageOf, Timestamp } from '../../http/schemas.ts';
import { ids, trainingExample } from './examples.ts';
import { Mode, OrganiserType, Topic } from './request-schemas.ts';

// What clients receive: trainings, their participants, and coverage.

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
export type ParticipantDto = z.infer<typeof Participant>;
