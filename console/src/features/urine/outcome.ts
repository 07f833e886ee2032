// The API's rule (src/modules/urine/outcome.ts), mirrored so the grid shows the outcome as it is
// typed; a browser test checks that what the API stores equals what the grid showed.

export type ClassResult = 'negative' | 'positive' | 'invalid';
export type Outcome = 'negative' | 'presumptive_positive' | 'invalid' | 'dilute' | 'adulterated' | 'refused';
export type Cutoffs = Record<string, { screen: number | null; confirm: number | null }>;

export interface Specimen {
  refused: boolean;
  temperature_in_range?: boolean | undefined;
  creatinine_mg_dl?: number | undefined;
  specific_gravity?: number | undefined;
  ph?: number | undefined;
  nitrite_ug_ml?: number | undefined;
  results: { class: string; result: ClassResult; value_ng_ml?: number | undefined }[];
}

/**
 * A refusal is its own event; a substituted (creatinine < 2 mg/dL) or adulterated (nitrite >= 500
 * ug/mL, pH < 4 or >= 11) specimen is adulterated; one read out of range is invalid; then any
 * positive class is a presumptive positive, any invalid class invalid; a dilute negative is dilute.
 * A measured value at or over the screen cutoff is positive whatever the reader said.
 */
export function deriveOutcome(specimen: Specimen, cutoffs: Cutoffs): { outcome: Outcome; positives: string[] } {
  const classes = specimen.results.map((r) => {
    const cutoff = cutoffs[r.class]?.screen ?? null;
    const overCutoff = r.value_ng_ml !== undefined && cutoff !== null && r.value_ng_ml >= cutoff;
    return { class: r.class, result: overCutoff ? ('positive' as const) : r.result };
  });
  const positives = classes.filter((c) => c.result === 'positive').map((c) => c.class);
  if (specimen.refused) return { outcome: 'refused', positives: [] };
  const { creatinine_mg_dl: creatinine, specific_gravity: gravity, ph, nitrite_ug_ml: nitrite } = specimen;
  const substituted = creatinine !== undefined && creatinine < 2;
  const adulterated = (nitrite !== undefined && nitrite >= 500) || (ph !== undefined && (ph < 4 || ph >= 11));
  if (substituted || adulterated) return { outcome: 'adulterated', positives };
  if (specimen.temperature_in_range === false) return { outcome: 'invalid', positives };
  if (positives.length) return { outcome: 'presumptive_positive', positives };
  if (classes.some((c) => c.result === 'invalid')) return { outcome: 'invalid', positives };
  if (creatinine !== undefined && gravity !== undefined && creatinine < 20 && gravity < 1.003) {
    return { outcome: 'dilute', positives };
  }
  return { outcome: 'negative', positives };
}
