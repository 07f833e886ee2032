import { z } from 'zod';
import {
  Id,
  LocalDate,
  OrderingUpdatedSince,
  PageQuery,
  QueryFlag,
  refusal,
  text,
  WrittenSince,
} from '../../http/schemas.ts';
import { DRUG_CLASSES } from './cutoffs.ts';

// What clients send: bodies and queries, and the vocabularies the answers share.

export const DrugClass = z.enum(DRUG_CLASSES).meta({ description: 'AMP, MET, MDMA, THC, COC, MOP, BZO, K2' });
export const RoundReason = z.enum(['random', 'targeted', 'admission', 'follow_up', 'joint_operation']);
export const SubjectType = z.enum(['inmate', 'officer']);
export const Outcome = z
  .enum(['negative', 'presumptive_positive', 'invalid', 'dilute', 'adulterated', 'refused'])
  .meta({
    description:
      'Derived by the service: refused; adulterated (also substituted); invalid (out-of-range temperature or an invalid class: re-collection due); presumptive_positive; dilute; negative',
  });
export const ClassResult = z.enum(['negative', 'positive', 'invalid']);

const Kit = z.strictObject({
  brand: text({ min: 1, max: 100 }),
  lot: text({ min: 1, max: 100 }),
  expiry: LocalDate,
  panel: z
    .array(DrugClass)
    .min(1)
    .refine((p) => new Set(p).size === p.length, refusal('panel_classes_repeated')),
  cutoffs: z
    .partialRecord(DrugClass, z.number().positive())
    .optional()
    .meta({ description: 'Screen cutoffs of this kit, ng/mL, for kit-dependent classes (K2, or BZO)' }),
});

export const RoundCreate = z
  .strictObject({
    tested_on: LocalDate.meta({ description: "The day of the round, in the facility's calendar" }),
    reason: RoundReason,
    run_by_organisation_id: Id.optional().meta({
      description: 'A BNN unit whose MoU covers urine_testing; absent: the facility',
    }),
    subjects: z.enum(['inmates', 'officers', 'both']),
    kit: Kit,
    note: text({ max: 2_000, multiline: true }).optional(),
  })
  .meta({
    id: 'UrineRoundCreate',
    examples: [
      {
        tested_on: '2024-12-13',
        reason: 'random',
        subjects: 'inmates',
        kit: {
          brand: 'Rapid 6 Panel',
          lot: 'L2412-07',
          expiry: '2026-06-30',
          panel: ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP'],
        },
      },
    ],
  });

export const RoundListQuery = z.strictObject({
  reason: RoundReason.optional(),
  from: LocalDate.optional().meta({
    description: 'Rounds on or after this day; with from or to, ordered by day, then id',
  }),
  to: LocalDate.optional().meta({
    description: 'Rounds on or before this day; with from or to, ordered by day, then id',
  }),
  ...PageQuery,
  updated_since: OrderingUpdatedSince,
});
export const RoundTopListQuery = RoundListQuery.extend({ facility_id: Id.optional() });
const Temperature = z.number().min(20).max(45).meta({ description: 'Degrees Celsius, read within 4 minutes' });

export const ResultInput = z
  .strictObject({
    subject_type: SubjectType,
    subject_id: Id.meta({ description: 'An inmate or officer of the round facility register' }),
    specimen_id: text({ min: 1, max: 64 }),
    collected_at: z.iso.datetime({ offset: true, local: true }).meta({
      description: "On the round's day; without an offset it is the facility's local time",
    }),
    refused: z.boolean().default(false).meta({ description: 'A refusal counts as a finding, never as a negative' }),
    temperature_c: Temperature.optional(),
    temperature_in_range: z.boolean().optional().meta({ description: 'When only in/out of 32-38 C was read' }),
    creatinine_mg_dl: z.number().min(0).max(1_000).optional(),
    specific_gravity: z.number().min(1).max(1.1).optional(),
    ph: z.number().min(0).max(14).optional(),
    nitrite_ug_ml: z.number().min(0).max(100_000).optional(),
    results: z
      .array(
        z.strictObject({ class: DrugClass, result: ClassResult, value_ng_ml: z.number().min(0).max(1e7).optional() }),
      )
      .max(20)
      .default([]),
  })
  .meta({
    id: 'UrineResultInput',
    examples: [
      {
        subject_type: 'inmate',
        subject_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20',
        specimen_id: 'BNJ-2412-0001',
        collected_at: '2024-12-13T09:12:00',
        temperature_c: 34.5,
        results: [
          { class: 'AMP', result: 'negative' },
          { class: 'MET', result: 'positive', value_ng_ml: 900 },
          { class: 'MDMA', result: 'negative' },
          { class: 'THC', result: 'negative' },
          { class: 'COC', result: 'negative' },
          { class: 'MOP', result: 'negative' },
        ],
      },
    ],
  });

export const ResultsPost = z
  .union([ResultInput, z.strictObject({ results: z.array(ResultInput).min(1).max(1_000) })])
  .meta({
    id: 'UrineResultsPost',
    description: 'One result, or { results: [...] } with up to 1,000: all or nothing',
  });

export const TestListQuery = z.strictObject({
  facility_id: Id.optional(),
  round_id: Id.optional(),
  subject_type: SubjectType.optional(),
  subject_id: Id.optional().meta({ description: "One person's history" }),
  outcome: Outcome.optional(),
  class: DrugClass.optional().meta({ description: 'Positive for this class' }),
  from: LocalDate.optional().meta({
    description: "Collected on or after this day (the facility's); with from or to, ordered by collected_at, then id",
  }),
  to: LocalDate.optional().meta({
    description: "Collected on or before this day (the facility's); with from or to, ordered by collected_at, then id",
  }),
  ...PageQuery,
  updated_since: WrittenSince('created_at', true),
});
export type RoundCreateInput = z.infer<typeof RoundCreate>;
export type ResultInputValue = z.infer<typeof ResultInput>;
export type ResultsPostValue = z.infer<typeof ResultsPost>;

export const DrawCreate = z
  .strictObject({
    subject_type: SubjectType,
    size: z.number().int().min(1).max(100_000).optional(),
    percent: z.number().gt(0).max(100).optional(),
    reserve_size: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .optional()
      .meta({ description: 'Default: a fifth of the size, at least 1' }),
    block: text({ min: 1, max: 50 }).optional(),
    case_type: z.enum(['narcotics_user', 'narcotics_dealer', 'narcotics_courier', 'non_narcotics']).optional(),
    unit: text({ min: 1, max: 200 }).optional().meta({ description: 'Officers of this unit' }),
    exclude_tested_within_days: z.number().int().min(0).max(365).optional().meta({
      description: 'People tested in these many days before the round are left out (default from configuration)',
    }),
    seed: z
      .string()
      .trim()
      .min(4)
      .max(64)
      .optional()
      .meta({ description: 'To repeat a draw; a random one is made and recorded otherwise' }),
  })
  .refine((d) => (d.size === undefined) !== (d.percent === undefined), refusal('size_or_percent'))
  .meta({ id: 'UrineDrawCreate', examples: [{ subject_type: 'inmate', percent: 10, reserve_size: 5 }] });

export const NotTested = z
  .strictObject({
    subject_type: SubjectType,
    subject_id: Id,
    reason: z.enum(['refused', 'released', 'court', 'sick', 'unable_to_provide']),
    at: z.iso
      .datetime({ offset: true, local: true })
      .optional()
      .meta({ description: 'For a refusal: when, on the round day' }),
  })
  .meta({
    id: 'UrineNotTested',
    examples: [{ subject_type: 'inmate', subject_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20', reason: 'court' }],
  });

export type DrawInput = z.infer<typeof DrawCreate>;
export type NotTestedInput = z.infer<typeof NotTested>;

export const ConfirmationCreate = z
  .strictObject({
    class: DrugClass,
    method: z.enum(['GC-MS', 'LC-MS', 'LC-MS/MS', 'other']),
    lab: text({ min: 2, max: 200 }),
    value_ng_ml: z.number().min(0).max(1e7),
    cutoff_ng_ml: z.number().positive().optional().meta({ description: "Default: the round's confirmation cutoff" }),
    prescription_reference: text({ min: 2, max: 200 }).optional().meta({
      description: "A doctor's prescription on record: a positive is then medically explained",
    }),
  })
  .meta({
    id: 'UrineConfirmationCreate',
    examples: [{ class: 'MET', method: 'GC-MS', lab: 'Laboratorium BNN', value_ng_ml: 640 }],
  });

export const CaseUpdate = z
  .strictObject({
    assessment: z
      .strictObject({ assessed_on: LocalDate, notes: text({ min: 3, max: 5_000, multiline: true }) })
      .optional(),
    decision: z
      .strictObject({
        decision: z.enum(['rehabilitation', 'counselling', 'no_action', 'disciplinary']),
        decided_on: LocalDate,
      })
      .optional(),
    closure: z.strictObject({ closed_on: LocalDate, note: text({ min: 3, max: 5_000, multiline: true }) }).optional(),
  })
  .meta({
    id: 'FollowUpCaseUpdate',
    examples: [
      { assessment: { assessed_on: '2024-12-20', notes: 'Asesmen TAT: pengguna, rekomendasi rehabilitasi sosial' } },
    ],
  });

export const CaseListQuery = z.strictObject({
  facility_id: Id.optional(),
  round_id: Id.optional().meta({ description: "The cases opened from this round's tests" }),
  status: z.enum(['awaiting_assessment', 'assessed', 'decided', 'closed']).optional(),
  subject_type: SubjectType.optional(),
  overdue: QueryFlag.optional(),
  ...PageQuery,
  updated_since: OrderingUpdatedSince,
});

export type ConfirmationInput = z.infer<typeof ConfirmationCreate>;
export type CaseStep = z.infer<typeof CaseUpdate>;
