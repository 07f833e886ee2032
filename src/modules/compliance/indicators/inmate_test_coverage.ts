import { sql } from '../../../db/client.ts';
import { population, urine } from '../counts.ts';
import { defineIndicator } from '../define.ts';
import { collectedInPeriod, firstThereInPeriod, heldInPeriod } from '../predicates.ts';

export const inmateTestCoverage = defineIndicator({
  code: 'inmate_test_coverage',
  name: 'Urine-test coverage of inmates',
  name_id: 'Cakupan tes urine WBP',
  definition:
    'Share of the inmates held at the facility during the period who had a urine test there in the period: a refusal and an invalid specimen count as tested.',
  numerator: 'inmates with a urine test (or a recorded refusal) in the period',
  denominator: 'inmates held at any time during the period',
  direction: 'at_least',
  target: 0.3,
  weight: 12,
  shown: 'share',
  purpose: 'urine_testing',
  count: { from: [urine, population], value: (u, p) => ({ numerator: u.inmates_tested, denominator: p.held }) },
  records: (q) =>
    q.links(
      'inmate_not_tested',
      '/v1/inmates',
      sql`SELECT p.inmate_id::text AS id FROM fp JOIN inmate_placements p ON p.facility_id = fp.id AND ${heldInPeriod(q)}
           WHERE ${firstThereInPeriod(q)} AND NOT EXISTS (SELECT 1 FROM urine_tests t WHERE t.subject_type = 'inmate' AND t.subject_id = p.inmate_id
                               AND ${collectedInPeriod(q)})
           ORDER BY id`,
    ),
});
