import { z } from 'zod';

// Drug classes of the urine panels (DOMAIN.md) and their cutoffs in ng/mL, screen then confirmation
// (49 CFR part 40, as most labs use). Configuration, not code: URINE_CUTOFFS overrides any of them.
export const DRUG_CLASSES = ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP', 'BZO', 'K2'] as const;
export type DrugClass = (typeof DRUG_CLASSES)[number];

export interface Cutoff {
  screen: number | null;
  confirm: number | null;
}

export const DEFAULT_CUTOFFS: Record<DrugClass, Cutoff> = {
  AMP: { screen: 500, confirm: 250 },
  MET: { screen: 500, confirm: 250 },
  MDMA: { screen: 500, confirm: 250 },
  THC: { screen: 50, confirm: 15 },
  COC: { screen: 150, confirm: 100 },
  MOP: { screen: 2000, confirm: 2000 },
  BZO: { screen: 300, confirm: 100 },
  K2: { screen: null, confirm: null }, // kit dependent: the round's kit gives it
};

const CutoffOverride = z.partialRecord(
  z.enum(DRUG_CLASSES),
  z.strictObject({ screen: z.number().positive().nullable(), confirm: z.number().positive().nullable() }),
);

/** The cutoffs in force: the defaults with URINE_CUTOFFS (JSON, e.g. {"BZO":{"screen":200,"confirm":100}}) over them. */
export function cutoffsFrom(json: string | undefined): Record<DrugClass, Cutoff> {
  if (!json) return { ...DEFAULT_CUTOFFS };
  const parsed = CutoffOverride.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`URINE_CUTOFFS: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return { ...DEFAULT_CUTOFFS, ...parsed.data };
}
