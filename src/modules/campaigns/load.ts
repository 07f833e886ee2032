import { and, asc, eq, gt, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Area, areaCondition, NOBODY, tidyName } from '../../core/access.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound } from '../../http/problem.ts';
import type { CampaignView } from './dto.ts';
import type { CampaignListQuery } from './schemas.ts';
import { campaigns } from './tables.ts';

// Loading campaigns: who sees one, the filters of the list and the totals, one campaign or a page.

// Subqueries name the outer table: drizzle leaves a lone table's columns unqualified.
const organisers = sql<{ id: string; name: string }[]>`(
  SELECT coalesce(json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.name, o.id), '[]'::json)
    FROM campaign_organisers co JOIN organisations o ON o.id = co.organisation_id
   WHERE co.campaign_id = "campaigns"."id")`;
const selection = { campaign: campaigns, organisers };

/**
 * Who sees a campaign: whoever reads its place (readArea), the officers of its organisers, and the
 * staff and head of the facility it was held in.
 */
export function visibleTo(principal: Principal, area: Area): SQL | undefined {
  if (area.kind === 'all') return undefined;
  if (principal.role === 'facility_staff' || principal.role === 'facility_head') {
    return eq(campaigns.facilityId, principal.facilityId ?? NOBODY);
  }
  const inArea = areaCondition(area, sql`${campaigns.provinceCode}`, sql`${campaigns.regency}`);
  if (!principal.organisationId) return inArea;
  return sql`(${inArea} OR EXISTS (SELECT 1 FROM campaign_organisers v
                 WHERE v.campaign_id = ${campaigns.id} AND v.organisation_id = ${principal.organisationId}))`;
}

/** The filters a list and the totals share (the totals have no facility filter). */
export type CampaignFilter = Omit<z.infer<typeof CampaignListQuery>, 'cursor' | 'limit'>;

export function filterConditions(q: CampaignFilter): SQL[] {
  const where: SQL[] = [];
  if (q.organisation_id) {
    where.push(sql`EXISTS (SELECT 1 FROM campaign_organisers f
                    WHERE f.campaign_id = ${campaigns.id} AND f.organisation_id = ${q.organisation_id})`);
  }
  if (q.province_code) where.push(eq(campaigns.provinceCode, q.province_code));
  if (q.regency) where.push(sql`lower(${campaigns.regency}) = lower(${tidyName(q.regency)})`);
  if (q.facility_id) where.push(eq(campaigns.facilityId, q.facility_id));
  if (q.kind) where.push(eq(campaigns.kind, q.kind));
  if (q.audience_kind) where.push(eq(campaigns.audienceKind, q.audience_kind));
  if (q.from) where.push(gte(campaigns.heldOn, q.from));
  if (q.to) where.push(lte(campaigns.heldOn, q.to));
  return where;
}

/** One campaign the caller sees (404 otherwise), locked for a write when asked. */
export async function loadCampaign(
  db: Executor,
  principal: Principal,
  area: Area,
  id: string,
  lock = false,
): Promise<CampaignView> {
  const query = db
    .select(selection)
    .from(campaigns)
    .where(and(eq(campaigns.id, id), visibleTo(principal, area)));
  const [row] = lock ? await query.for('update', { of: campaigns }) : await query;
  if (!row) throw notFound('campaign');
  return row;
}

/** A page of the campaigns the caller sees that match, by id, one more than asked. */
export function campaignPage(
  db: Executor,
  principal: Principal,
  area: Area,
  q: CampaignFilter,
  after: string | undefined,
  limit: number,
): Promise<CampaignView[]> {
  const where: (SQL | undefined)[] = [
    visibleTo(principal, area),
    ...filterConditions(q),
    updatedSince(campaigns.updatedAt, q.updated_since),
  ];
  if (after) where.push(gt(campaigns.id, after));
  return db
    .select(selection)
    .from(campaigns)
    .where(and(...where))
    .orderBy(asc(campaigns.id))
    .limit(limit + 1);
}
