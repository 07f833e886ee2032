import { z } from 'zod';
import { Id, LocalDate, PageQuery, pageOf, QueryFlag, refusal, Timestamp, text } from '../../http/schemas.ts';
import { DRUG_CLASSES } from './cutoffs.ts';

export const DrugClass = z.enum(DRUG_CLASSES).meta({ description: 'AMP, MET, MDMA, THC, COC, MOP, BZO, K2' });
export const RoundReason = z.enum(['random', 'targeted', 'admission', 'follow_up', 'joint_operation']);
export const SubjectType = z.enum(['inmate', 'officer']);
export const Outcome = z
  .enum(['negative', 'presumptive_positive', 'invalid', 'dilute', 'adulterated', 'refused'])
  .meta({
    description:
      'Derived by the service: refused; adulterated (also substituted); invalid (out-of-range temperature or an invalid class: re-collection due); presumptive_positive; dilute; negative',
  });
const ClassResult = z.enum(['negative', 'positive', 'invalid']);

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

const roundExample = {
  id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c50',
  facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  tested_on: '2024-12-13',
  reason: 'random',
  run_by_organisation_id: null,
  subjects: 'inmates',
  kit: {
    brand: 'Rapid 6 Panel',
    lot: 'L2412-07',
    expiry: '2026-06-30',
    panel: ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP'],
  },
  cutoffs: { AMP: { screen: 500, confirm: 250 } },
  note: null,
  tested: 0,
  created_by: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
  version: 1,
  created_at: '2024-12-13T02:00:00.000Z',
  updated_at: '2024-12-13T02:00:00.000Z',
};

export const Round = z
  .object({
    id: Id,
    facility_id: Id,
    tested_on: LocalDate,
    reason: RoundReason,
    run_by_organisation_id: Id.nullable(),
    subjects: z.enum(['inmates', 'officers', 'both']),
    kit: z.object({
      brand: z.string(),
      lot: z.string(),
      expiry: z.string(),
      panel: z.array(z.string()),
      cutoffs: z.record(z.string(), z.number()).optional(),
    }),
    cutoffs: z.record(z.string(), z.object({ screen: z.number().nullable(), confirm: z.number().nullable() })).meta({
      description:
        'The cutoffs in force when the round was opened (configuration, and the kit for kit-dependent classes)',
    }),
    note: z.string().nullable(),
    tested: z.number().int().meta({ description: 'Results recorded so far' }),
    created_by: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'UrineRound', examples: [roundExample] });

export const RoundListQuery = z.strictObject({
  reason: RoundReason.optional(),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  ...PageQuery,
});
export const RoundTopListQuery = RoundListQuery.extend({ facility_id: Id.optional() });
export const RoundPage = pageOf(Round).meta({ id: 'UrineRoundPage' });

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

const testExample = {
  id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c51',
  round_id: roundExample.id,
  facility_id: roundExample.facility_id,
  subject_type: 'inmate',
  subject_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20',
  specimen_id: 'BNJ-2412-0001',
  collected_at: '2024-12-13T09:12:00+07:00',
  refused: false,
  temperature_c: 34.5,
  temperature_in_range: true,
  creatinine_mg_dl: null,
  specific_gravity: null,
  ph: null,
  nitrite_ug_ml: null,
  classes: [{ class: 'MET', reported: 'negative', value_ng_ml: 900, screen_cutoff: 500, result: 'positive' }],
  outcome: 'presumptive_positive',
  confirmation: 'pending',
  created_by: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
  created_at: '2024-12-13T02:20:00.000Z',
};

export const UrineTest = z
  .object({
    id: Id,
    round_id: Id,
    facility_id: Id,
    subject_type: SubjectType,
    subject_id: Id,
    specimen_id: z.string(),
    collected_at: z.string().meta({ description: "RFC 3339 in the facility's time zone" }),
    refused: z.boolean(),
    temperature_c: z.number().nullable(),
    temperature_in_range: z.boolean().nullable(),
    creatinine_mg_dl: z.number().nullable(),
    specific_gravity: z.number().nullable(),
    ph: z.number().nullable(),
    nitrite_ug_ml: z.number().nullable(),
    classes: z.array(
      z.object({
        class: z.string(),
        reported: ClassResult,
        value_ng_ml: z.number().nullable(),
        screen_cutoff: z.number().nullable(),
        result: ClassResult,
      }),
    ),
    outcome: Outcome,
    confirmation: z
      .enum(['pending', 'confirmed_positive', 'confirmed_negative', 'medically_explained'])
      .nullable()
      .meta({ description: 'For a presumptive positive: where its lab confirmation stands' }),
    created_by: Id,
    created_at: Timestamp,
  })
  .meta({ id: 'UrineTest', description: 'Special-category data', examples: [testExample] });

export const ResultsAnswer = z
  .object({ data: z.array(UrineTest) })
  .meta({ id: 'UrineResultsAnswer', examples: [{ data: [testExample] }] });

export const TestListQuery = z.strictObject({
  facility_id: Id.optional(),
  round_id: Id.optional(),
  subject_type: SubjectType.optional(),
  subject_id: Id.optional().meta({ description: "One person's history" }),
  outcome: Outcome.optional(),
  class: DrugClass.optional().meta({ description: 'Positive for this class' }),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  ...PageQuery,
});
export const TestPage = pageOf(UrineTest).meta({ id: 'UrineTestPage' });

export type RoundCreateInput = z.infer<typeof RoundCreate>;
export type ResultInputValue = z.infer<typeof ResultInput>;

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

const DrawEntry = z.object({
  id: Id,
  list: z.enum(['main', 'reserve']),
  position: z.number().int(),
  subject_id: Id,
  status: z.enum(['selected', 'standby', 'tested', 'not_tested']),
  not_tested_reason: z.enum(['refused', 'released', 'court', 'sick', 'unable_to_provide']).nullable(),
  replaces_entry_id: Id.nullable(),
});

export const Draws = z
  .object({
    data: z.array(
      z.object({
        subject_type: SubjectType,
        seed: z.string(),
        params: z.record(z.string(), z.unknown()),
        population_size: z.number().int(),
        created_by: Id,
        created_at: Timestamp,
        entries: z.array(DrawEntry),
      }),
    ),
  })
  .meta({ id: 'UrineDraws', examples: [{ data: [] }] });

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

const caseExample = {
  id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c60',
  facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  test_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c51',
  subject_type: 'inmate',
  subject_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20',
  kind: 'assessment',
  trigger: 'confirmed_positive',
  status: 'awaiting_assessment',
  overdue: false,
  opened_on: '2024-12-16',
  assessment_due: '2025-01-06',
  assessment_due_provisional: true,
  assessed_on: null,
  assessment_notes: null,
  decision: null,
  decided_on: null,
  closed_on: null,
  closing_note: null,
  version: 1,
  created_at: '2024-12-16T02:00:00.000Z',
  updated_at: '2024-12-16T02:00:00.000Z',
};

export const FollowUpCase = z
  .object({
    id: Id,
    facility_id: Id,
    test_id: Id,
    subject_type: SubjectType,
    subject_id: Id,
    kind: z.enum(['assessment', 'kanwil_referral']),
    trigger: z.enum(['confirmed_positive', 'unconfirmed_presumptive', 'refused', 'adulterated']).meta({
      description:
        'What opened the case: a confirmed positive, a presumptive positive left unconfirmed, a refusal, or an adulterated or substituted specimen (outcome adulterated)',
    }),
    status: z.enum(['awaiting_assessment', 'assessed', 'decided', 'closed']),
    overdue: z.boolean().meta({ description: "Awaiting assessment past its due date, by the facility's calendar" }),
    opened_on: LocalDate,
    assessment_due: LocalDate.meta({
      description: 'Opened + working days: weekends, national holidays and collective leave (cuti bersama) excluded',
    }),
    assessment_due_provisional: z.boolean().meta({
      description:
        "The count ran through a year the holiday calendar does not cover, so only weekends were skipped there; counted again once the year's holidays are known",
    }),
    assessed_on: LocalDate.nullable(),
    assessment_notes: z.string().nullable(),
    decision: z.enum(['rehabilitation', 'counselling', 'no_action', 'disciplinary']).nullable(),
    decided_on: LocalDate.nullable(),
    closed_on: LocalDate.nullable(),
    closing_note: z.string().nullable(),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'FollowUpCase', examples: [caseExample] });

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
  status: z.enum(['awaiting_assessment', 'assessed', 'decided', 'closed']).optional(),
  subject_type: SubjectType.optional(),
  overdue: QueryFlag.optional(),
  ...PageQuery,
});
export const CasePage = pageOf(FollowUpCase).meta({ id: 'FollowUpCasePage' });
