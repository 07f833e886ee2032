import { urine } from '../counts.ts';
import { defineIndicator } from '../define.ts';
import { firstPositives } from '../predicates.ts';

export const officerPositive = defineIndicator({
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
  caps: true,
  shown: 'number',
  purpose: 'urine_testing',
  count: { from: [urine], value: (u) => ({ numerator: u.officers_positive, denominator: null }) },
  records: (q) => q.links('officer_positive', '/v1/officers', firstPositives(q, 'officer')),
});
