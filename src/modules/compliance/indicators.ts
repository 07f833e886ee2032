import { z } from 'zod';
import type { IndicatorText } from './define.ts';
import { actionsClosedOnTime } from './indicators/actions_closed_on_time.ts';
import { activeMou } from './indicators/active_mou.ts';
import { awarenessCampaigns } from './indicators/awareness_campaigns.ts';
import { casesAssessedOnTime } from './indicators/cases_assessed_on_time.ts';
import { inmatePositiveRate } from './indicators/inmate_positive_rate.ts';
import { inmateTestCoverage } from './indicators/inmate_test_coverage.ts';
import { inspectionsPerMonth } from './indicators/inspections_per_month.ts';
import { inspectionsWithNarcotics } from './indicators/inspections_with_narcotics.ts';
import { officerPositive } from './indicators/officer_positive.ts';
import { officerTestCoverage } from './indicators/officer_test_coverage.ts';
import { officersTrained } from './indicators/officers_trained.ts';
import { rehabCompletion } from './indicators/rehab_completion.ts';
import { usersInRehab } from './indicators/users_in_rehab.ts';

/**
 * The Bersinar scorecard's indicators, one file each (indicators/<code>.ts), in the order the
 * scorecard, the definitions and the contract list them. No official instrument is published, so
 * the score is ours: every indicator says what it counts, its target and weight come from
 * configuration (SCORECARD_CONFIG), and the reply shows each value beside its numerator and denominator.
 */
export const INDICATORS = [
  inmateTestCoverage,
  officerTestCoverage,
  inmatePositiveRate,
  officerPositive,
  inspectionsPerMonth,
  inspectionsWithNarcotics,
  actionsClosedOnTime,
  officersTrained,
  usersInRehab,
  rehabCompletion,
  casesAssessedOnTime,
  awarenessCampaigns,
  activeMou,
] as const;
export type IndicatorCode = (typeof INDICATORS)[number]['code'];
export const INDICATOR_CODES = INDICATORS.map((i) => i.code) as [IndicatorCode, ...IndicatorCode[]];

const BY_CODE = new Map<IndicatorCode, (typeof INDICATORS)[number]>(INDICATORS.map((i) => [i.code, i]));

/** An indicator's file: its definition, purpose, count and records. */
export function indicatorOf(code: IndicatorCode) {
  const indicator = BY_CODE.get(code);
  if (!indicator) throw new Error(`no indicator ${code}`);
  return indicator;
}

/** An indicator as the rules hold it and the definitions list shows it. */
export interface Indicator extends IndicatorText {
  code: IndicatorCode;
}

const ConfigSchema = z.strictObject({
  indicators: z
    .partialRecord(
      z.enum(INDICATOR_CODES),
      z.strictObject({ target: z.number().min(0).optional(), weight: z.number().min(0).max(100).optional() }),
    )
    .default({}),
  thresholds: z
    .strictObject({ bersinar: z.number().min(0).max(100), menuju_bersinar: z.number().min(0).max(100) })
    .refine((t) => t.menuju_bersinar <= t.bersinar, 'menuju_bersinar must not exceed bersinar')
    .default({ bersinar: 85, menuju_bersinar: 60 }),
});

export interface ScorecardRules {
  indicators: Indicator[];
  thresholds: { bersinar: number; menuju_bersinar: number };
  /** The indicators that, not met, cap the status below bersinar whatever the score. */
  caps: IndicatorCode[];
}

/** The rules in force: the defaults with SCORECARD_CONFIG's targets, weights and thresholds over them. */
export function scorecardRules(json: string | undefined): ScorecardRules {
  let parsed: z.infer<typeof ConfigSchema>;
  try {
    parsed = ConfigSchema.parse(json ? JSON.parse(json) : {});
  } catch (err) {
    const reasons =
      err instanceof z.ZodError
        ? err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
        : String(err instanceof Error ? err.message : err);
    throw new Error(`Invalid configuration:\n  SCORECARD_CONFIG: ${reasons}`);
  }
  return {
    indicators: INDICATORS.map((d) => ({
      code: d.code,
      name: d.name,
      name_id: d.name_id,
      definition: d.definition,
      numerator: d.numerator,
      denominator: d.denominator,
      direction: d.direction,
      target: d.target,
      weight: d.weight,
      ...parsed.indicators[d.code],
    })),
    thresholds: parsed.thresholds,
    caps: INDICATORS.filter((i) => i.caps).map((i) => i.code),
  };
}
