import { urine } from '../counts.ts';
import { defineIndicator } from '../define.ts';
import { firstPositives } from '../predicates.ts';

export const inmatePositiveRate = defineIndicator({
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
  shown: 'share',
  purpose: 'urine_testing',
  count: { from: [urine], value: (u) => ({ numerator: u.inmates_positive, denominator: u.inmates_judged }) },
  records: (q) => q.links('inmate_positive', '/v1/inmates', firstPositives(q, 'inmate')),
});
