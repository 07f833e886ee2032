import { z } from 'zod';
import { Id, LocalDate, PageQuery, ProvinceCode, pageOf, Timestamp, text, UpdatedSince } from '../../http/schemas.ts';
import { BANDS, VARIABLES } from './instrument.ts';

export const Band = z.enum(BANDS).meta({
  description: 'not_responsive 0-25, fairly_responsive 25.01-50, responsive 50.01-75, very_responsive 75.01-100',
});
export const VariableCode = z.enum(VARIABLES);

const ids = [
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9cc0',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c26',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
] as const;

const IndicatorScores = z.record(z.string().max(64), z.number().finite()).meta({
  description: 'Indicator code to score, within the range the instrument gives it (default 0 to 100)',
});
const Scores = z
  .strictObject({
    family_resilience: IndicatorScores,
    community_resilience: IndicatorScores,
    territory: IndicatorScores,
    institutions: IndicatorScores,
    law: IndicatorScores,
  })
  .meta({ description: 'Every variable, and in each every indicator of the instrument (GET /v1/kotan-instrument)' });

const exampleScores = {
  family_resilience: { family_drug_awareness: 60, parenting_programmes: 55, family_early_detection: 50 },
  community_resilience: { anti_drug_volunteers: 70, community_prevention_activities: 65, drug_free_villages: 40 },
  territory: { vulnerable_areas_mapped: 80, vulnerable_areas_intervened: 50, prevalence_trend: 60 },
  institutions: { p4gn_regulation: 100, p4gn_budget: 45, p4gn_team: 80, rehabilitation_services: 55 },
  law: { case_handling: 70, integrated_assessment: 60, enforcement_cooperation: 75 },
};

export const Assessment = z
  .object({
    id: Id,
    province_code: z.string(),
    province_name: z.string().nullable(),
    regency: z.string(),
    year: z.number().int(),
    assessor: z.object({
      organisation_id: Id,
      organisation_name: z.string(),
      name: z.string().nullable().meta({ description: 'Personal data: null for callers without personal_data' }),
    }),
    assessed_on: LocalDate,
    scores: Scores.meta({ description: 'The indicator scores as given' }),
    variables: z.array(
      z.object({
        code: VariableCode,
        weight: z.number(),
        score: z.number().meta({ description: '0 to 100, the weighted mean of its indicators' }),
        change: z.number().nullable().meta({ description: 'Since last year; null without one' }),
      }),
    ),
    index: z.number().meta({ description: '0 to 100, two decimals' }),
    band: Band,
    rank_in_province: z
      .number()
      .int()
      .meta({ description: "Among the province's assessments of the year (ties share)" }),
    assessed_in_province: z.number().int(),
    previous: z
      .object({ id: Id, year: z.number().int(), index: z.number(), band: Band, change: z.number() })
      .nullable()
      .meta({ description: "Last year's assessment of the same regency or city, and the change in the index" }),
    evidence_notes: z.string().nullable().meta({ description: 'null for API clients' }),
    created_by: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'KotanAssessment',
    examples: [
      {
        id: ids[0],
        province_code: '53',
        province_name: 'Nusa Tenggara Timur',
        regency: 'Kota Kupang',
        year: 2024,
        assessor: { organisation_id: ids[1], organisation_name: 'BNN Kota Kupang', name: 'Yohanes Bria' },
        assessed_on: '2024-11-18',
        scores: exampleScores,
        variables: [
          { code: 'family_resilience', weight: 20, score: 55, change: 5 },
          { code: 'community_resilience', weight: 20, score: 58.33, change: 3.33 },
          { code: 'territory', weight: 20, score: 63.33, change: -1.67 },
          { code: 'institutions', weight: 20, score: 70, change: 10 },
          { code: 'law', weight: 20, score: 68.33, change: 0 },
        ],
        index: 63,
        band: 'responsive',
        rank_in_province: 2,
        assessed_in_province: 22,
        previous: {
          id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9cc1',
          year: 2023,
          index: 59.67,
          band: 'responsive',
          change: 3.33,
        },
        evidence_notes: 'Perwali P4GN No. 12/2023; notulen rakor 18 November 2021',
        created_by: ids[2],
        version: 1,
        created_at: '2024-11-18T05:00:00.000Z',
        updated_at: '2024-11-18T05:00:00.000Z',
      },
    ],
  });

export const AssessmentCreate = z
  .strictObject({
    province_code: ProvinceCode,
    regency: text({ min: 2, max: 200 }).meta({ description: 'The regency or city assessed' }),
    year: z.number().int().min(2000).max(2199),
    assessor_organisation_id: Id.optional().meta({
      description: "Default the caller's organisation; administrators must name one",
    }),
    assessor_name: text({ min: 2, max: 200 }).optional(),
    assessed_on: LocalDate,
    scores: Scores,
    evidence_notes: text({ max: 20_000, multiline: true }).optional(),
  })
  .meta({
    id: 'KotanAssessmentCreate',
    examples: [
      {
        province_code: '53',
        regency: 'Kota Kupang',
        year: 2024,
        assessor_name: 'Yohanes Bria',
        assessed_on: '2024-11-18',
        scores: exampleScores,
        evidence_notes: 'Perwali P4GN No. 12/2023',
      },
    ],
  });

export const AssessmentUpdate = z
  .strictObject({
    assessor_name: text({ min: 2, max: 200 }).nullable().optional(),
    assessed_on: LocalDate.optional(),
    scores: Scores.optional(),
    evidence_notes: text({ max: 20_000, multiline: true }).nullable().optional(),
  })
  .meta({
    id: 'KotanAssessmentUpdate',
    description: 'Scores are scored again with the instrument the assessment was first scored with',
    examples: [{ evidence_notes: 'Ditambah: SK Tim Terpadu P4GN 2024' }],
  });

export const AssessmentListQuery = z.strictObject({
  province_code: ProvinceCode.optional(),
  year: z.coerce.number().int().min(2000).max(2199).optional(),
  regency: text({ min: 2, max: 200 }).optional(),
  band: Band.optional(),
  ...PageQuery,
  updated_since: UpdatedSince,
});
export const AssessmentPage = pageOf(Assessment).meta({ id: 'KotanAssessmentPage' });

export const Instrument = z
  .object({
    variables: z.array(
      z.object({
        code: VariableCode,
        name: z.string(),
        weight: z.number(),
        indicators: z.array(
          z.object({ code: z.string(), name: z.string(), weight: z.number(), min: z.number(), max: z.number() }),
        ),
      }),
    ),
    bands: z.array(z.object({ band: Band, from: z.number(), to: z.number() })),
    rounding: z.string(),
  })
  .meta({
    id: 'KotanInstrument',
    examples: [
      {
        variables: [
          {
            code: 'law',
            name: 'Law (hukum)',
            weight: 20,
            indicators: [
              { code: 'case_handling', name: 'Drug cases handled to completion', weight: 1, min: 0, max: 100 },
            ],
          },
        ],
        bands: [
          { band: 'not_responsive', from: 0, to: 25 },
          { band: 'fairly_responsive', from: 25.01, to: 50 },
          { band: 'responsive', from: 50.01, to: 75 },
          { band: 'very_responsive', from: 75.01, to: 100 },
        ],
        rounding: 'index rounded half up to two decimals; the band is read from the rounded index',
      },
    ],
  });

export type AssessmentDto = z.infer<typeof Assessment>;
export type AssessmentCreateInput = z.infer<typeof AssessmentCreate>;
export type AssessmentUpdateInput = z.infer<typeof AssessmentUpdate>;
export type InstrumentDto = z.infer<typeof Instrument>;
