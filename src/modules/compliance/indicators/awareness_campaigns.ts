import { sql } from '../../../db/client.ts';
import { months } from '../counts.ts';
import { countQuery, defineIndicator } from '../define.ts';

// Campaigns are recorded once held, on the local date of their place: inside a facility, its calendar.
const campaigns = countQuery(
  ['held'],
  (b) => sql`SELECT fp.id::text AS id, count(*) AS held FROM fp
               JOIN campaigns c ON c.facility_id = fp.id AND c.held_on BETWEEN ${b.period.from}::date AND fp.upto
              GROUP BY fp.id`,
);

export const awarenessCampaigns = defineIndicator({
  code: 'awareness_campaigns',
  name: 'Awareness campaigns held inside the facility',
  name_id: 'Sosialisasi/penyuluhan P4GN di dalam Lapas/Rutan',
  definition:
    'P4GN campaign events (sosialisasi, penyuluhan, kampanye bersama) held inside the facility in the period, per month of the period: one a quarter meets the target.',
  numerator: 'campaign events held inside the facility in the period',
  denominator: 'months in the period',
  direction: 'at_least',
  target: 0.33,
  weight: 4,
  shown: 'share',
  purpose: 'socialization',
  count: { from: [campaigns, months], value: (c, m) => ({ numerator: c.held, denominator: m.begun }) },
  records: (q) => [{ kind: 'campaigns', id: null, href: `/v1/campaigns?facility_id=${q.facility.id}` }],
});
