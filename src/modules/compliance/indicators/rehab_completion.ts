import { sql } from '../../../db/client.ts';
import { countQuery, defineIndicator } from '../define.ts';
import type { Bounds } from '../predicates.ts';

// Enrolments that ended in the period, completed or withdrawn.
const ended = (
  b: Bounds,
) => sql`fp JOIN rehab_enrolments e ON e.facility_id = fp.id AND e.status IN ('completed', 'withdrawn')
    AND e.ended_on BETWEEN ${b.period.from}::date AND fp.upto`;

const enrolments = countQuery(
  ['ended', 'completed'],
  (b) => sql`SELECT fp.id::text AS id, count(*) AS ended, count(*) FILTER (WHERE e.status = 'completed') AS completed
               FROM ${ended(b)} GROUP BY fp.id`,
);

export const rehabCompletion = defineIndicator({
  code: 'rehab_completion',
  name: 'Rehabilitation completion rate',
  name_id: 'Tingkat penyelesaian rehabilitasi sosial',
  definition: 'Share of the enrolments that ended in the period (completed or withdrawn) that were completed.',
  numerator: 'enrolments completed in the period',
  denominator: 'enrolments completed or withdrawn in the period',
  direction: 'at_least',
  target: 0.6,
  weight: 5,
  shown: 'share',
  purpose: 'rehabilitation',
  count: { from: [enrolments], value: (e) => ({ numerator: e.completed, denominator: e.ended }) },
  records: (q) =>
    q.links(
      'enrolment_withdrawn',
      '/v1/rehab-enrolments',
      sql`SELECT e.id::text AS id FROM ${ended(q)} WHERE e.status = 'withdrawn' ORDER BY e.ended_on, id`,
    ),
});
