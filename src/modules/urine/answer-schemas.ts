import { z } from 'zod';
import { Id, LocalDate, pageOf, Timestamp } from '../../http/schemas.ts';
import { ClassResult, Outcome, RoundReason, SubjectType } from './request-schemas.ts';

// What clients receive.

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

export const RoundPage = pageOf(Round).meta({ id: 'UrineRoundPage' });

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

export const TestPage = pageOf(UrineTest).meta({ id: 'UrineTestPage' });

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

export const CasePage = pageOf(FollowUpCase).meta({ id: 'FollowUpCasePage' });
