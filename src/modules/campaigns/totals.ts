import { and, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { readArea } from '../../core/access.ts';
import { provinceName } from '../../core/provinces.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import { filterConditions, visibleTo } from './load.ts';
import {
  AUDIENCE_KINDS,
  type AudienceKindValue,
  type CampaignTotalsDto,
  type CampaignTotalsQuery,
  type TotalsGroupValue,
} from './schemas.ts';

// The totals are a set-based measure: grouped SQL over the campaigns in reach that match.

type Tally = { events: number; audience: number; by_audience_kind: Record<AudienceKindValue, number> };
const emptyTally = (): Tally => ({
  events: 0,
  audience: 0,
  by_audience_kind: Object.fromEntries(AUDIENCE_KINDS.map((k) => [k, 0])) as Record<AudienceKindValue, number>,
});

const period = (key: SQL) => ({ key, label: sql`min(${key})`, join: sql`` });
const GROUP_KEYS: Record<TotalsGroupValue, { key: SQL; label: SQL; join: SQL }> = {
  organisation: {
    key: sql`o.id::text`,
    label: sql`min(o.name)`,
    join: sql`JOIN campaign_organisers co ON co.campaign_id = c.id JOIN organisations o ON o.id = co.organisation_id`,
  },
  regency: { key: sql`c.province_code || '/' || lower(c.regency)`, label: sql`min(c.regency)`, join: sql`` },
  month: period(sql`to_char(c.held_on, 'YYYY-MM')`),
  quarter: period(sql`to_char(c.held_on, 'YYYY') || '-Q' || extract(quarter FROM c.held_on)`),
  year: period(sql`to_char(c.held_on, 'YYYY')`),
};

type TallyRow = { audience_kind: AudienceKindValue; events: number; audience: string };

/**
 * Events and audience of the campaigns in reach that match, in all and per group: per organiser (a
 * joint event counts once for each of its organisers), per regency, or per month, quarter or year
 * of the local date it was held. Two grouped queries, whatever the number of campaigns.
 */
export async function campaignTotals(
  db: Executor,
  principal: Principal,
  q: z.infer<typeof CampaignTotalsQuery>,
): Promise<CampaignTotalsDto> {
  const groupBy = q.group_by;
  const area = await readArea(db, principal);
  const where = and(visibleTo(principal, area), ...filterConditions(q)) ?? sql`true`;
  const base = sql`SELECT "campaigns".* FROM campaigns WHERE ${where}`;
  const g = GROUP_KEYS[groupBy];
  const totals = await queryRows<TallyRow>(
    db,
    sql`SELECT c.audience_kind, count(*)::int AS events, sum(c.audience_count)::text AS audience
          FROM (${base}) c GROUP BY c.audience_kind`,
  );
  const grouped = await queryRows<TallyRow & { key: string; label: string; province_code: string }>(
    db,
    sql`SELECT ${g.key} AS key, ${g.label} AS label, min(c.province_code) AS province_code, c.audience_kind,
               count(DISTINCT c.id)::int AS events, sum(c.audience_count)::text AS audience
          FROM (${base}) c ${g.join}
         GROUP BY 1, c.audience_kind
         ORDER BY 1`,
  );
  const add = (tally: Tally, row: TallyRow) => {
    tally.events += row.events;
    tally.audience += Number(row.audience);
    tally.by_audience_kind[row.audience_kind] += Number(row.audience);
  };
  const total = emptyTally();
  for (const row of totals) add(total, row);
  const groups = new Map<string, Tally & { key: string; label: string }>();
  for (const row of grouped) {
    const label =
      groupBy === 'regency' ? `${row.label}, ${provinceName(row.province_code) ?? row.province_code}` : row.label;
    const key = groupBy === 'regency' ? `${row.province_code}/${row.label}` : row.key;
    const group = groups.get(row.key) ?? { key, label, ...emptyTally() };
    add(group, row);
    groups.set(row.key, group);
  }
  return {
    group_by: groupBy,
    from: q.from ?? null,
    to: q.to ?? null,
    total,
    groups: [...groups.values()].sort((a, b) => b.events - a.events || a.key.localeCompare(b.key)),
  };
}
