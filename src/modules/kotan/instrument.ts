import { z } from 'zod';

/**
 * The KOTAN (IKOTAN) instrument: five variables, each scored from its indicators. BNN's own
 * questionnaire is not published in a form we can copy, so the indicators and every weight are
 * configuration (KOTAN_CONFIG) over these defaults, and an assessment keeps the instrument it was
 * scored with. An indicator is scored within its range (default 0 to 100) and read as a share of it.
 */
export const VARIABLES = ['family_resilience', 'community_resilience', 'territory', 'institutions', 'law'] as const;
export type VariableCode = (typeof VARIABLES)[number];

export interface KotanIndicator {
  code: string;
  name: string;
  weight: number;
  min: number;
  max: number;
}
export interface KotanVariable {
  code: VariableCode;
  name: string;
  weight: number;
  indicators: KotanIndicator[];
}
export interface KotanInstrument {
  variables: KotanVariable[];
}

const ind = (code: string, name: string, weight = 1): KotanIndicator => ({ code, name, weight, min: 0, max: 100 });

const DEFAULTS: KotanVariable[] = [
  {
    code: 'family_resilience',
    name: 'Family resilience (ketahanan keluarga)',
    weight: 20,
    indicators: [
      ind('family_drug_awareness', 'Families reached by drug-awareness education'),
      ind('parenting_programmes', 'Parenting and family-resilience programmes run'),
      ind('family_early_detection', 'Families able to recognise and report early drug use'),
    ],
  },
  {
    code: 'community_resilience',
    name: 'Community resilience (ketahanan masyarakat)',
    weight: 20,
    indicators: [
      ind('anti_drug_volunteers', 'Trained anti-drug volunteers and activists (relawan, penggiat)'),
      ind('community_prevention_activities', 'Prevention activities run by the community'),
      ind('drug_free_villages', 'Villages and wards in the Desa Bersinar programme'),
    ],
  },
  {
    code: 'territory',
    name: 'Territory (kewilayahan)',
    weight: 20,
    indicators: [
      ind('vulnerable_areas_mapped', 'Drug-vulnerable areas (kawasan rawan) mapped'),
      ind('vulnerable_areas_intervened', 'Mapped vulnerable areas with an intervention'),
      ind('prevalence_trend', 'Drug-use prevalence trend'),
    ],
  },
  {
    code: 'institutions',
    name: 'Institutions (kelembagaan)',
    weight: 20,
    indicators: [
      ind('p4gn_regulation', 'Regional regulation on P4GN (perda, perkada) in force'),
      ind('p4gn_budget', 'Regional budget for P4GN'),
      ind('p4gn_team', 'A P4GN team or forum that meets (rakor)'),
      ind('rehabilitation_services', 'Rehabilitation services available (IPWL, clinics)'),
    ],
  },
  {
    code: 'law',
    name: 'Law (hukum)',
    weight: 20,
    indicators: [
      ind('case_handling', 'Drug cases handled to completion'),
      ind('integrated_assessment', 'Integrated assessment team (TAT) at work'),
      ind('enforcement_cooperation', 'Joint enforcement with police, BNN and prisons'),
    ],
  },
];

const Code = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'lower-case letters, digits and _');
const IndicatorConfig = z
  .strictObject({
    code: Code,
    name: z.string().min(2).max(200),
    weight: z.number().positive().max(1000).default(1),
    min: z.number().default(0),
    max: z.number().default(100),
  })
  .refine((i) => i.min < i.max, 'min must be below max');
const VariableConfig = z.strictObject({
  weight: z.number().min(0).max(1000).optional(),
  // Given, the list replaces the default indicators of the variable.
  indicators: z
    .array(IndicatorConfig)
    .min(1)
    .max(50)
    .refine((a) => new Set(a.map((i) => i.code)).size === a.length, 'indicator codes must not repeat')
    .optional(),
});
const ConfigSchema = z
  .strictObject({ variables: z.partialRecord(z.enum(VARIABLES), VariableConfig).default({}) })
  .transform((c) => ({
    variables: DEFAULTS.map((d) => ({
      ...d,
      weight: c.variables[d.code]?.weight ?? d.weight,
      indicators: c.variables[d.code]?.indicators ?? d.indicators,
    })),
  }))
  .refine((c) => c.variables.some((v) => v.weight > 0), 'at least one variable needs a weight above 0');

/** The instrument in force: the defaults with KOTAN_CONFIG's weights and indicator lists over them. */
export function kotanInstrument(json: string | undefined): KotanInstrument {
  try {
    return ConfigSchema.parse(json ? JSON.parse(json) : {});
  } catch (err) {
    const reasons =
      err instanceof z.ZodError
        ? err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
        : String(err instanceof Error ? err.message : err);
    throw new Error(`Invalid configuration:\n  KOTAN_CONFIG: ${reasons}`);
  }
}

export const BANDS = ['not_responsive', 'fairly_responsive', 'responsive', 'very_responsive'] as const;
export type Band = (typeof BANDS)[number];

/**
 * The band of an index already rounded to two decimals, compared in hundredths so that no binary
 * fraction decides an edge: up to 25.00 not responsive, 25.01 to 50.00 fairly, 50.01 to 75.00
 * responsive, 75.01 and above very responsive.
 */
export function bandOf(rounded: number): Band {
  const cents = Math.round(rounded * 100);
  if (cents <= 2500) return 'not_responsive';
  if (cents <= 5000) return 'fairly_responsive';
  if (cents <= 7500) return 'responsive';
  return 'very_responsive';
}

/** Half away from zero to two decimals, after removing the float noise of a weighted mean. */
export function round2(value: number): number {
  return Math.round(Number((value * 100).toPrecision(12))) / 100;
}

export interface Scored {
  variables: Record<VariableCode, number>;
  index: number;
  band: Band;
}

export interface ScoreProblem {
  pointer: string;
  en: string;
  id: string;
}

/**
 * Scores an assessment: each indicator as a share of its range, a variable as the weighted mean of
 * its indicators (0 to 100), the index as the weighted mean of the variables, rounded to two
 * decimals; the band from the rounded index. Returns the first problem instead when an indicator
 * is missing, unknown or outside its range.
 */
export function score(
  instrument: KotanInstrument,
  given: Record<string, Record<string, number>>,
): Scored | ScoreProblem {
  const variables = {} as Record<VariableCode, number>;
  let weighted = 0;
  let weights = 0;
  for (const variable of instrument.variables) {
    const scores = given[variable.code];
    if (!scores) {
      return {
        pointer: `/scores/${variable.code}`,
        en: `The variable ${variable.code} is missing.`,
        id: `Variabel ${variable.code} tidak ada.`,
      };
    }
    const known = new Set(variable.indicators.map((i) => i.code));
    const unknown = Object.keys(scores).find((code) => !known.has(code));
    if (unknown) {
      return {
        pointer: `/scores/${variable.code}/${unknown}`,
        en: `${unknown} is not an indicator of ${variable.code} (see GET /v1/kotan-instrument).`,
        id: `${unknown} bukan indikator ${variable.code} (lihat GET /v1/kotan-instrument).`,
      };
    }
    let sum = 0;
    let total = 0;
    for (const indicator of variable.indicators) {
      const value = scores[indicator.code];
      if (value === undefined) {
        return {
          pointer: `/scores/${variable.code}/${indicator.code}`,
          en: `The indicator ${indicator.code} of ${variable.code} is missing.`,
          id: `Indikator ${indicator.code} pada ${variable.code} tidak ada.`,
        };
      }
      if (value < indicator.min || value > indicator.max) {
        return {
          pointer: `/scores/${variable.code}/${indicator.code}`,
          en: `${indicator.code} is scored from ${indicator.min} to ${indicator.max}; ${value} is outside.`,
          id: `${indicator.code} dinilai dari ${indicator.min} sampai ${indicator.max}; ${value} di luar rentang.`,
        };
      }
      sum += (indicator.weight * (value - indicator.min) * 100) / (indicator.max - indicator.min);
      total += indicator.weight;
    }
    const variableScore = sum / total;
    variables[variable.code] = round2(variableScore);
    weighted += variable.weight * variableScore;
    weights += variable.weight;
  }
  const index = round2(weighted / weights);
  return { variables, index, band: bandOf(index) };
}
