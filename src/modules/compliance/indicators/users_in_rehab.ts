import { sql } from '../../../db/client.ts';
import { population } from '../counts.ts';
import { defineIndicator } from '../define.ts';
import { heldAtEnd } from '../predicates.ts';

export const usersInRehab = defineIndicator({
  code: 'users_in_rehab',
  name: 'Inmates who use drugs, in rehabilitation',
  name_id: 'WBP pengguna narkotika yang menjalani rehabilitasi sosial',
  definition:
    'Share of the inmates held at the end of the period (or today) with a narcotics_user case type or a confirmed positive test who are enrolled (active or completed) in a rehabilitation programme.',
  numerator: 'of them, enrolled (active or completed) by then',
  denominator: 'inmates held with a narcotics_user case type or a confirmed positive',
  direction: 'at_least',
  target: 0.5,
  weight: 8,
  shown: 'share',
  purpose: 'rehabilitation',
  count: { from: [population], value: (p) => ({ numerator: p.enrolled, denominator: p.users }) },
  // The inmates counted in population's users and not in its enrolled, looked up for one facility.
  records: (q) =>
    q.links(
      'inmate_not_in_rehab',
      '/v1/inmates',
      sql`SELECT DISTINCT p.inmate_id::text AS id FROM fp JOIN inmate_placements p ON p.facility_id = fp.id AND ${heldAtEnd}
           WHERE (p.narcotics_user OR EXISTS (SELECT 1 FROM urine_tests t WHERE t.subject_type = 'inmate'
                    AND t.subject_id = p.inmate_id AND t.confirmation = 'confirmed_positive' AND t.collected_at < fp.u1
                    AND t.collected_at < ${q.g1}))
             AND NOT EXISTS (SELECT 1 FROM rehab_enrolments e WHERE e.inmate_id = p.inmate_id
                               AND e.status IN ('active', 'completed') AND e.enrolled_on <= fp.upto)
           ORDER BY id`,
    ),
});
