import { sql } from '../../../db/client.ts';
import { urine } from '../counts.ts';
import { countQuery, defineIndicator } from '../define.ts';
import { type Bounds, collectedInPeriod, officerInService } from '../predicates.ts';

const inService = (b: Bounds) => sql`fp JOIN officers o ON o.facility_id = fp.id AND ${officerInService(b)}`;

const staff = countQuery(
  ['officers'],
  (b) => sql`SELECT fp.id::text AS id, count(*) AS officers FROM ${inService(b)} GROUP BY fp.id`,
);

export const officerTestCoverage = defineIndicator({
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
  shown: 'share',
  purpose: 'urine_testing',
  count: { from: [urine, staff], value: (u, s) => ({ numerator: u.officers_tested, denominator: s.officers }) },
  records: (q) =>
    q.links(
      'officer_not_tested',
      '/v1/officers',
      sql`SELECT o.id::text AS id FROM ${inService(q)}
           WHERE NOT EXISTS (SELECT 1 FROM urine_tests t WHERE t.subject_type = 'officer' AND t.subject_id = o.id
                               AND ${collectedInPeriod(q)})
           ORDER BY id`,
    ),
});
