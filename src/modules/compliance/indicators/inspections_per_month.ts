import { inspections, months } from '../counts.ts';
import { defineIndicator } from '../define.ts';

export const inspectionsPerMonth = defineIndicator({
  code: 'inspections_per_month',
  name: 'Surprise inspections per month',
  name_id: 'Sidak per bulan',
  definition: 'Inspections (submitted or signed off) that began in the period, per month of the period.',
  numerator: 'inspections begun in the period',
  denominator: 'months in the period',
  direction: 'at_least',
  target: 1,
  weight: 8,
  shown: 'number',
  purpose: 'inspection',
  count: { from: [inspections, months], value: (n, m) => ({ numerator: n.held, denominator: m.begun }) },
  records: (q) => [{ kind: 'inspections', id: null, href: `/v1/facilities/${q.facility.id}/inspections` }],
});
