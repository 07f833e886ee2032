import type { Cutoff, DrugClass } from './cutoffs.ts';

export type ClassResult = 'negative' | 'positive' | 'invalid';
export const OUTCOMES = ['negative', 'presumptive_positive', 'invalid', 'dilute', 'adulterated', 'refused'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Specimen {
  refused: boolean;
  temperature_in_range?: boolean | undefined;
  creatinine_mg_dl?: number | undefined;
  specific_gravity?: number | undefined;
  ph?: number | undefined;
  nitrite_ug_ml?: number | undefined;
  results: { class: DrugClass; result: ClassResult; value_ng_ml?: number | undefined }[];
}

export interface DerivedClass {
  class: DrugClass;
  reported: ClassResult;
  value_ng_ml: number | null;
  screen_cutoff: number | null;
  result: ClassResult;
}

/**
 * The overall outcome of a screen (DOMAIN.md): a refusal is its own event; a specimen that is
 * substituted (creatinine < 2 mg/dL) or adulterated (nitrite >= 500 ug/mL, pH < 4 or >= 11) is
 * adulterated; one read out of 32-38 C is invalid (observed re-collection due); then any positive
 * class is a presumptive positive, any invalid class invalid; a negative that is dilute (creatinine
 * < 20 mg/dL and specific gravity < 1.003) is dilute. A measured value at or over the screen cutoff
 * is positive whatever the reader said; both are kept.
 */
export function deriveOutcome(
  specimen: Specimen,
  cutoffs: Record<DrugClass, Cutoff>,
): { outcome: Outcome; classes: DerivedClass[] } {
  const classes = specimen.results.map((r): DerivedClass => {
    const cutoff = cutoffs[r.class]?.screen ?? null;
    const overCutoff = r.value_ng_ml !== undefined && cutoff !== null && r.value_ng_ml >= cutoff;
    return {
      class: r.class,
      reported: r.result,
      value_ng_ml: r.value_ng_ml ?? null,
      screen_cutoff: cutoff,
      result: overCutoff ? 'positive' : r.result,
    };
  });
  if (specimen.refused) return { outcome: 'refused', classes: [] };
  const { creatinine_mg_dl: creatinine, specific_gravity: gravity, ph, nitrite_ug_ml: nitrite } = specimen;
  const substituted = creatinine !== undefined && creatinine < 2;
  const adulterated = (nitrite !== undefined && nitrite >= 500) || (ph !== undefined && (ph < 4 || ph >= 11));
  if (substituted || adulterated) return { outcome: 'adulterated', classes };
  if (specimen.temperature_in_range === false) return { outcome: 'invalid', classes };
  if (classes.some((c) => c.result === 'positive')) return { outcome: 'presumptive_positive', classes };
  if (classes.some((c) => c.result === 'invalid')) return { outcome: 'invalid', classes };
  if (creatinine !== undefined && gravity !== undefined && creatinine < 20 && gravity < 1.003) {
    return { outcome: 'dilute', classes };
  }
  return { outcome: 'negative', classes };
}
