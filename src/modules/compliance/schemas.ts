import { z } from 'zod';
import { PERIOD_PATTERN } from '../../core/calendar/index.ts';
import { fieldSentence } from '../../http/messages.ts';
import { Id, LocalDate, ProvinceCode, Timestamp } from '../../http/schemas.ts';
import { INDICATOR_CODES } from './indicators.ts';

const Code = z.enum(INDICATOR_CODES);
const Status = z.enum(['bersinar', 'menuju_bersinar', 'belum_bersinar']).meta({
  description: 'By the configured score thresholds; capped below bersinar by an officer positive or narcotics found',
});
const PeriodCode = z
  .string()
  .regex(PERIOD_PATTERN, fieldSentence('period_pattern').en)
  .meta({ description: "A year, quarter or month in the facility's local calendar", example: '2026-Q3' });

export const IndicatorList = z
  .object({
    thresholds: z.object({ bersinar: z.number(), menuju_bersinar: z.number() }),
    caps: z.array(Code).meta({ description: 'Indicators that, not met, cap the status below bersinar' }),
    indicators: z.array(
      z.object({
        code: Code,
        name: z.string(),
        definition: z.string(),
        numerator: z.string(),
        denominator: z.string(),
        direction: z.enum(['at_least', 'at_most']),
        target: z.number(),
        weight: z.number(),
      }),
    ),
  })
  .meta({
    id: 'ComplianceIndicators',
    examples: [
      {
        thresholds: { bersinar: 85, menuju_bersinar: 60 },
        caps: ['officer_positive', 'inspections_with_narcotics'],
        indicators: [
          {
            code: 'inmate_test_coverage',
            name: 'Urine-test coverage of inmates',
            definition:
              'Share of the inmates held at the facility during the period who had a urine test there in the period: a refusal and an invalid specimen count as tested.',
            numerator: 'inmates with a urine test (or a recorded refusal) in the period',
            denominator: 'inmates held at any time during the period',
            direction: 'at_least',
            target: 0.3,
            weight: 12,
          },
        ],
      },
    ],
  });

const Link = z.object({
  kind: z.string().meta({
    description:
      'What the record is: inmate_not_tested, officer_not_tested, inmate_positive, officer_positive, inspection_with_narcotics, action_not_closed_on_time, officer_due_training, inmate_not_in_rehab, enrolment_withdrawn, case_not_assessed_on_time, or a list (inspections, campaigns, mous)',
  }),
  id: Id.nullable(),
  href: z.string().meta({ description: 'A path of this API' }),
  outcome: z.enum(['confirmed_positive', 'refused', 'adulterated']).optional().meta({
    description:
      'inmate_positive and officer_positive only: the result that counts the person as positive, their first in the period (adulterated includes a substituted specimen)',
  }),
  test_id: Id.optional().meta({
    description: 'inmate_positive and officer_positive only: that urine test (/v1/urine-tests/{test_id})',
  }),
});

export const Scorecard = z
  .object({
    facility_id: Id,
    facility_name: z.string(),
    province_code: z.string(),
    period: z.string(),
    from: LocalDate,
    to: LocalDate,
    complete: z.boolean().meta({ description: 'The period has ended in the facility’s calendar' }),
    score: z
      .number()
      .meta({ description: '0 to 100: points of the indicators met over the weights of those that apply' }),
    status: Status,
    capped_by: z.array(Code),
    indicators: z.array(
      z.object({
        code: Code,
        name: z.string(),
        value: z.number().nullable().meta({ description: 'null when there is nothing to judge (no denominator)' }),
        numerator: z.number(),
        denominator: z.number().nullable(),
        target: z.number(),
        direction: z.enum(['at_least', 'at_most']),
        met: z.boolean().nullable(),
        weight: z.number(),
        points: z.number().nullable(),
        records: z
          .array(Link)
          .optional()
          .meta({ description: 'For an indicator not met: the records behind it (50 at most)' }),
      }),
    ),
    closed: z
      .object({
        revision: z.number().int(),
        taken_at: Timestamp,
        taken_by: Id,
        score: z.number(),
        status: Status,
      })
      .nullable()
      .meta({ description: 'The latest closing of the period (or, with as_of, the one shown)' }),
    differs_from_closed: z
      .boolean()
      .nullable()
      .meta({ description: 'The records have changed since the period was closed: closing again makes a revision' }),
  })
  .meta({ id: 'Scorecard' });

export const ScorecardQuery = z.strictObject({
  period: PeriodCode.optional().meta({ description: 'Default: the quarter holding today' }),
  as_of: Timestamp.optional().meta({
    description: 'Show the closed snapshot in force at this instant (404 when none)',
  }),
});

export const RankingQuery = z.strictObject({
  period: PeriodCode.optional(),
  province_code: ProvinceCode.optional(),
});

export const RankingRow = z.object({
  rank: z.number().int(),
  facility_id: Id,
  facility_name: z.string(),
  province_code: z.string(),
  score: z.number(),
  status: Status,
  capped_by: z.array(Code),
  closed_score: z
    .number()
    .nullable()
    .meta({ description: 'The score as closed for this period (its latest revision); null while not closed' }),
  previous_score: z.number().nullable().meta({ description: 'The previous period as closed, else as it stands' }),
  previous_status: Status.nullable(),
  change: z.number().nullable().meta({ description: 'Score minus the previous period’s' }),
});
export const Ranking = z
  .object({ period: z.string(), previous_period: z.string(), data: z.array(RankingRow) })
  .meta({ id: 'ScorecardRanking' });

export const CloseBody = z
  .strictObject({ period: PeriodCode, province_code: ProvinceCode.optional() })
  .meta({ id: 'ScorecardClose', examples: [{ period: '2026-Q3' }] });
export const CloseResult = z
  .object({
    period: z.string(),
    closed: z.number().int().meta({ description: 'Facilities closed for the first time' }),
    revised: z.number().int().meta({ description: 'Facilities whose records changed since: a new revision' }),
    unchanged: z.number().int(),
  })
  .meta({ id: 'ScorecardCloseResult' });
