import { z } from 'zod';

/**
 * The Bersinar scorecard's indicators. No official instrument is published, so the score is ours:
 * every indicator says what it counts, its target and weight come from configuration
 * (SCORECARD_CONFIG), and the reply shows each value beside its numerator and denominator.
 */
export const INDICATOR_CODES = [
  'inmate_test_coverage',
  'officer_test_coverage',
  'inmate_positive_rate',
  'officer_positive',
  'inspections_per_month',
  'inspections_with_narcotics',
  'actions_closed_on_time',
  'officers_trained',
  'users_in_rehab',
  'rehab_completion',
  'cases_assessed_on_time',
  'awareness_campaigns',
  'active_mou',
] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

export interface Indicator {
  code: IndicatorCode;
  name: string;
  /** The name in Indonesian, for the scorecard page read in Indonesian. */
  name_id: string;
  definition: string;
  numerator: string;
  denominator: string;
  /** at_least: met when value >= target; at_most: met when value <= target. */
  direction: 'at_least' | 'at_most';
  target: number;
  weight: number;
}

const DEFAULTS: Indicator[] = [
  {
    code: 'inmate_test_coverage',
    name: 'Urine-test coverage of inmates',
    name_id: 'Cakupan tes urine WBP',
    definition:
      'Share of the inmates held at the facility during the period who had a urine test there in the period: a refusal and an invalid specimen count as tested.',
    numerator: 'inmates with a urine test (or a recorded refusal) in the period',
    denominator: 'inmates held at any time during the period',
    direction: 'at_least',
    target: 0.3,
    weight: 12,
  },
  {
    code: 'officer_test_coverage',
    name: 'Urine-test coverage of officers',
    name_id: 'Cakupan tes urine petugas',
    definition:
      'Share of the officers in service during the period who had a urine test in the period: a refusal and an invalid specimen count as tested.',
    numerator: 'officers with a urine test (or a recorded refusal) in the period',
    denominator: 'officers in service at any time during the period',
    direction: 'at_least',
    target: 0.3,
    weight: 8,
  },
  {
    code: 'inmate_positive_rate',
    name: 'Inmate positive rate',
    name_id: 'Angka positif tes urine WBP',
    definition:
      'Share of the inmates with a valid urine test in the period who count as positive, person by person: a confirmed positive (a presumptive positive still pending, confirmed negative or medically explained is not), a refusal, or an adulterated or substituted specimen makes the inmate positive; a dilute specimen counts by its drug result; an invalid one (temperature out of range, an invalid class) is not counted, so an inmate whose only tests in the period are invalid is left out. Several tests: any one that counts as positive makes the inmate positive.',
    numerator: 'inmates with a confirmed positive, a refusal, or an adulterated or substituted specimen in the period',
    denominator: 'inmates with a test in the period other than an invalid one',
    direction: 'at_most',
    target: 0.05,
    weight: 10,
  },
  {
    code: 'officer_positive',
    name: 'Officers positive, refusing or tampering',
    name_id: 'Petugas positif, menolak atau memanipulasi spesimen',
    definition:
      'Officers who count as positive in the period, by the rule of the inmate positive rate: a confirmed positive, a refusal, or an adulterated or substituted specimen (a dilute one by its drug result; an invalid one is not counted). Any one caps the status below bersinar.',
    numerator: 'officers with a confirmed positive, a refusal, or an adulterated or substituted specimen in the period',
    denominator: 'none (a count)',
    direction: 'at_most',
    target: 0,
    weight: 10,
  },
  {
    code: 'inspections_per_month',
    name: 'Surprise inspections per month',
    name_id: 'Sidak per bulan',
    definition: 'Inspections (submitted or signed off) that began in the period, per month of the period.',
    numerator: 'inspections begun in the period',
    denominator: 'months in the period',
    direction: 'at_least',
    target: 1,
    weight: 8,
  },
  {
    code: 'inspections_with_narcotics',
    name: 'Inspections that found narcotics',
    name_id: 'Sidak yang menemukan narkotika',
    definition: 'Inspections begun in the period that found narcotics. Any one caps the status below bersinar.',
    numerator: 'inspections in the period with narcotics found',
    denominator: 'none (a count)',
    direction: 'at_most',
    target: 0,
    weight: 10,
  },
  {
    code: 'actions_closed_on_time',
    name: 'Corrective actions closed on time',
    name_id: 'Tindakan korektif yang selesai tepat waktu',
    definition:
      'Share of the corrective actions due in the period (up to today) that were done by the end of their due date.',
    numerator: 'actions due in the period closed by their due date',
    denominator: 'actions due in the period, up to today',
    direction: 'at_least',
    target: 0.9,
    weight: 8,
  },
  {
    code: 'officers_trained',
    name: 'Officers trained in the last 12 months',
    name_id: 'Petugas yang mengikuti pelatihan dalam 12 bulan terakhir',
    definition:
      'Share of the officers in service at the end of the period (or today) who passed a training that ended in the 12 months before (TRAINING_COVERAGE_MONTHS).',
    numerator: 'officers in service who passed a training in the window',
    denominator: 'officers in service at the end of the period',
    direction: 'at_least',
    target: 0.7,
    weight: 8,
  },
  {
    code: 'users_in_rehab',
    name: 'Inmates who use drugs, in rehabilitation',
    name_id: 'WBP pengguna narkotika yang menjalani rehabilitasi sosial',
    definition:
      'Share of the inmates held at the end of the period (or today) with a narcotics_user case type or a confirmed positive test who are enrolled (active or completed) in a rehabilitation programme.',
    numerator: 'of them, enrolled (active or completed) by then',
    denominator: 'inmates held with a narcotics_user case type or a confirmed positive',
    direction: 'at_least',
    target: 0.5,
    weight: 8,
  },
  {
    code: 'rehab_completion',
    name: 'Rehabilitation completion rate',
    name_id: 'Tingkat penyelesaian rehabilitasi sosial',
    definition: 'Share of the enrolments that ended in the period (completed or withdrawn) that were completed.',
    numerator: 'enrolments completed in the period',
    denominator: 'enrolments completed or withdrawn in the period',
    direction: 'at_least',
    target: 0.6,
    weight: 5,
  },
  {
    code: 'cases_assessed_on_time',
    name: 'Follow-up cases assessed on time',
    name_id: 'Kasus tindak lanjut yang diasesmen tepat waktu',
    definition:
      'Share of the assessment cases due in the period (up to today) that were assessed by their due date (14 working days).',
    numerator: 'cases due in the period assessed by the due date',
    denominator: 'assessment cases due in the period, up to today',
    direction: 'at_least',
    target: 0.9,
    weight: 6,
  },
  {
    code: 'awareness_campaigns',
    name: 'Awareness campaigns held inside the facility',
    name_id: 'Sosialisasi/penyuluhan P4GN di dalam Lapas/Rutan',
    definition:
      'P4GN campaign events (sosialisasi, penyuluhan, kampanye bersama) held inside the facility in the period, per month of the period: one a quarter meets the target.',
    numerator: 'campaign events held inside the facility in the period',
    denominator: 'months in the period',
    direction: 'at_least',
    target: 0.33,
    weight: 4,
  },
  {
    code: 'active_mou',
    name: 'An MoU in force with a BNN unit',
    name_id: 'MoU yang berlaku dengan BNN RI, BNNP atau BNNK',
    definition: 'Whether an MoU with a BNN unit covering the facility is in force at the end of the period (or today).',
    numerator: '1 when an MoU is in force, else 0',
    denominator: 'none',
    direction: 'at_least',
    target: 1,
    weight: 3,
  },
];

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
  /** An indicator that, not met, caps the status below bersinar whatever the score. */
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
    indicators: DEFAULTS.map((d) => ({ ...d, ...parsed.indicators[d.code] })),
    thresholds: parsed.thresholds,
    caps: ['officer_positive', 'inspections_with_narcotics'],
  };
}
