import { sql } from '../../../db/client.ts';
import { countQuery, defineIndicator } from '../define.ts';

// Signed, in its dates on the end of the period, and not terminated before that day ended.
const mous = countQuery(
  ['mous'],
  () => sql`SELECT fp.id::text AS id, count(*) AS mous FROM fp
              JOIN mou_facilities mf ON mf.facility_id = fp.id
              JOIN mous m ON m.id = mf.mou_id AND m.signed_on IS NOT NULL
               AND fp.upto BETWEEN m.valid_from AND m.valid_until
               AND (m.terminated_at IS NULL OR m.terminated_at >= fp.u1)
             GROUP BY fp.id`,
);

export const activeMou = defineIndicator({
  code: 'active_mou',
  name: 'An MoU in force with a BNN unit',
  name_id: 'MoU yang berlaku dengan BNN RI, BNNP atau BNNK',
  definition: 'Whether an MoU with a BNN unit covering the facility is in force at the end of the period (or today).',
  numerator: '1 when an MoU is in force, else 0',
  denominator: 'none',
  direction: 'at_least',
  target: 1,
  weight: 3,
  shown: 'yes_no',
  purpose: null,
  count: { from: [mous], value: (m) => ({ numerator: m.mous > 0 ? 1 : 0, denominator: null }) },
  records: (q) => [{ kind: 'mous', id: null, href: `/v1/mous?facility_id=${q.facility.id}` }],
});
