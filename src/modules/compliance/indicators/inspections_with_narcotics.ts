import { sql } from '../../../db/client.ts';
import { inspections } from '../counts.ts';
import { defineIndicator } from '../define.ts';
import { inspectedInPeriod } from '../predicates.ts';

export const inspectionsWithNarcotics = defineIndicator({
  code: 'inspections_with_narcotics',
  name: 'Inspections that found narcotics',
  name_id: 'Sidak yang menemukan narkotika',
  definition: 'Inspections begun in the period that found narcotics. Any one caps the status below bersinar.',
  numerator: 'inspections in the period with narcotics found',
  denominator: 'none (a count)',
  direction: 'at_most',
  target: 0,
  weight: 10,
  caps: true,
  shown: 'number',
  purpose: 'inspection',
  count: { from: [inspections], value: (n) => ({ numerator: n.narcotics, denominator: null }) },
  records: (q) =>
    q.links(
      'inspection_with_narcotics',
      '/v1/inspections',
      sql`SELECT n.id::text AS id FROM fp JOIN inspections n ON ${inspectedInPeriod(q)} AND n.narcotics_found
           ORDER BY n.started_at, id`,
    ),
});
