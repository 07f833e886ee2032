import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import {
  type Area,
  areaCondition,
  areaOf,
  facilityAgreements,
  keeps,
  NOBODY,
  sameRegency,
  tidyName,
  withinArea,
  writesOutside,
} from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { provinceName, provinceTimeZone } from '../../core/provinces.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import { type RuleName, ruleSentence } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, Problem, refuse } from '../../http/problem.ts';
import { findFacilities } from '../facilities/service.ts';
import { namedOrganisations } from '../organisations/service.ts';
import {
  AUDIENCE_KINDS,
  type AudienceKindValue,
  type CampaignCreateInput,
  type CampaignDto,
  type CampaignTotalsDto,
  type CampaignUpdateInput,
  type TotalsGroupValue,
} from './schemas.ts';
import { campaignOrganisers, campaigns } from './tables.ts';

type Row = typeof campaigns.$inferSelect;
type Place = { provinceCode: string; regency: string; facilityId: string | null };

// Subqueries name the outer table: drizzle leaves a lone table's columns unqualified.
const organisers = sql<{ id: string; name: string }[]>`(
  SELECT coalesce(json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.name, o.id), '[]'::json)
    FROM campaign_organisers co JOIN organisations o ON o.id = co.organisation_id
   WHERE co.campaign_id = "campaigns"."id")`;
const selection = { campaign: campaigns, organisers };
export type CampaignView = { campaign: Row; organisers: { id: string; name: string }[] };

export function toCampaignDto(view: CampaignView): CampaignDto {
  const c = view.campaign;
  return {
    id: c.id,
    kind: c.kind,
    topic: c.topic,
    held_on: c.heldOn,
    province_code: c.provinceCode,
    regency: c.regency,
    venue: c.venue,
    facility_id: c.facilityId,
    audience_kind: c.audienceKind,
    audience_count: c.audienceCount,
    organiser_ids: view.organisers.map((o) => o.id),
    organisers: view.organisers,
    notes: c.notes,
    created_by: c.createdBy,
    version: c.version,
    created_at: isoNotNull(c.createdAt),
    updated_at: isoNotNull(c.updatedAt),
  };
}

/**
 * Who sees a campaign: whoever reads its place (readArea), the officers of its organisers, and the
 * staff and head of the facility it was held in.
 */
export function visibleTo(principal: Principal, area: Area): SQL | undefined {
  if (area.kind === 'all') return undefined;
  if (principal.role === 'facility_staff' || principal.role === 'facility_head') {
    return sql`"campaigns"."facility_id" = ${principal.facilityId ?? NOBODY}`;
  }
  const inArea = areaCondition(area, sql`"campaigns"."province_code"`, sql`"campaigns"."regency"`);
  if (!principal.organisationId) return inArea;
  return sql`(${inArea} OR EXISTS (SELECT 1 FROM campaign_organisers v
                 WHERE v.campaign_id = "campaigns"."id" AND v.organisation_id = ${principal.organisationId}))`;
}

export async function getCampaign(
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

export interface CampaignFilter {
  organisationId?: string;
  provinceCode?: string;
  regency?: string;
  facilityId?: string;
  kind?: Row['kind'];
  audienceKind?: Row['audienceKind'];
  from?: string;
  to?: string;
}

function filterConditions(filter: CampaignFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.organisationId) {
    where.push(sql`EXISTS (SELECT 1 FROM campaign_organisers f
                    WHERE f.campaign_id = "campaigns"."id" AND f.organisation_id = ${filter.organisationId})`);
  }
  if (filter.provinceCode) where.push(sql`"campaigns"."province_code" = ${filter.provinceCode}`);
  if (filter.regency) where.push(sql`lower("campaigns"."regency") = lower(${tidyName(filter.regency)})`);
  if (filter.facilityId) where.push(sql`"campaigns"."facility_id" = ${filter.facilityId}`);
  if (filter.kind) where.push(sql`"campaigns"."kind" = ${filter.kind}`);
  if (filter.audienceKind) where.push(sql`"campaigns"."audience_kind" = ${filter.audienceKind}`);
  if (filter.from) where.push(sql`"campaigns"."held_on" >= ${filter.from}::date`);
  if (filter.to) where.push(sql`"campaigns"."held_on" <= ${filter.to}::date`);
  return where;
}

export async function listCampaigns(
  db: Executor,
  principal: Principal,
  area: Area,
  filter: CampaignFilter & { after?: string; limit: number },
): Promise<CampaignView[]> {
  const where: (SQL | undefined)[] = [visibleTo(principal, area), ...filterConditions(filter)];
  if (filter.after) where.push(gt(campaigns.id, filter.after));
  return db
    .select(selection)
    .from(campaigns)
    .where(and(...where))
    .orderBy(asc(campaigns.id))
    .limit(filter.limit + 1);
}

/**
 * The organisers exist and, unless an administrator records, the caller speaks for one of them,
 * writing in its own area, and every other organiser it names (`named`) works where the event was
 * held too: a caller may not lend an event to an organisation of another place.
 */
async function checkOrganisers(
  db: Executor,
  principal: Principal,
  place: Place,
  organiserIds: string[],
  named: string[],
): Promise<void> {
  const found = await namedOrganisations(db, organiserIds, '/organiser_ids');
  if (principal.role === 'admin') return;
  const own = found.find((o) => o.id === principal.organisationId);
  if (!own) {
    refuse('/organiser_ids', 'campaign_own_organisation_one_organisers');
  }
  if (!withinArea(areaOf(own), place)) {
    refuse('/regency', 'campaign_place_outside_area');
  }
  const elsewhere = found.flatMap((o, n) =>
    o.id !== own.id && named.includes(o.id) && !withinArea(areaOf(o), place) ? [{ o, n }] : [],
  );
  if (elsewhere.length) {
    const names = elsewhere.map(({ o }) => o.name).join(', ');
    throw new Problem(
      422,
      'rule_violated',
      { rule: 'campaign_co_organisers_elsewhere' satisfies RuleName, names },
      {
        errors: elsewhere.map(({ o, n }) => ({
          in: 'body' as const,
          pointer: `/organiser_ids/${n}`,
          detail: ruleSentence('campaign_co_organiser_elsewhere', { name: o.name, regency: place.regency }),
        })),
      },
    );
  }
}

/**
 * A campaign inside a facility lies in the facility's regency and is under an agreement with it on
 * the day held: recorded by the facility's Kanwil or by a BNN unit whose MoU was in force that day
 * with socialization in scope, covering the facility (an administrator records it with such an
 * organiser among the organisers). To a caller that is neither the facility's Kanwil nor a party to
 * an MoU covering it, the facility answers as one that does not exist.
 */
async function checkFacility(
  db: Executor,
  principal: Principal,
  place: Place & { facilityId: string },
  heldOn: string,
  organiserIds: string[],
): Promise<void> {
  const admin = principal.role === 'admin';
  const caller = principal.organisationId ?? NOBODY;
  const [facility] = await findFacilities(db, [place.facilityId]);
  const agreements = facility ? await facilityAgreements(db, facility.id, 'socialization', heldOn) : [];
  const known = admin || facility?.kanwilId === caller || agreements.some((a) => a.unitId === caller);
  if (
    !facility ||
    !known ||
    facility.provinceCode !== place.provinceCode ||
    !sameRegency(facility.regency, place.regency)
  ) {
    refuse('/facility_id', 'campaign_facility_id_names_facility_province');
  }
  const deciders = admin ? organiserIds : [caller];
  const agreed = (id: string) => id === facility.kanwilId || agreements.some((a) => a.unitId === id && a.inForce);
  if (deciders.some(agreed)) return;
  if (agreements.some((a) => deciders.includes(a.unitId) && a.inScope)) {
    refuse('/held_on', 'campaign_mou_with_facility_covering', { held_on: heldOn });
  }
  refuse('/facility_id', admin ? 'campaign_inside_needs_party_organiser' : 'campaign_inside_recorded_by_party');
}

/** A campaign is recorded once held: not on a day still to come at its place. */
function checkHeldOn(heldOn: string, provinceCode: string, now: Date): void {
  if (heldOn > localDate(now, provinceTimeZone(provinceCode))) {
    refuse('/held_on', 'campaign_held_on_still_come_campaign');
  }
}

export async function createCampaign(
  change: Change,
  principal: Principal,
  input: CampaignCreateInput,
  now: Date,
): Promise<CampaignView> {
  if (!writesOutside(principal.role)) throw forbidden();
  const place = {
    provinceCode: input.province_code,
    regency: tidyName(input.regency),
    facilityId: input.facility_id ?? null,
  };
  checkHeldOn(input.held_on, input.province_code, now);
  await checkOrganisers(change.tx, principal, place, input.organiser_ids, input.organiser_ids);
  if (place.facilityId) {
    await checkFacility(
      change.tx,
      principal,
      { ...place, facilityId: place.facilityId },
      input.held_on,
      input.organiser_ids,
    );
  }
  const [row] = await change.tx
    .insert(campaigns)
    .values({
      kind: input.kind,
      topic: input.topic,
      heldOn: input.held_on,
      provinceCode: place.provinceCode,
      regency: place.regency,
      venue: input.venue,
      facilityId: place.facilityId,
      audienceKind: input.audience_kind,
      audienceCount: input.audience_count,
      notes: input.notes || null,
      createdBy: principal.id,
    })
    .returning({ id: campaigns.id });
  if (!row) throw new Error('insert returned nothing');
  await change.tx
    .insert(campaignOrganisers)
    .values(input.organiser_ids.map((organisationId) => ({ campaignId: row.id, organisationId })));
  const view = await getCampaign(change.tx, principal, { kind: 'all' }, row.id);
  await change.audit({
    action: 'campaign.created',
    entityType: 'campaign',
    entityId: row.id,
    facilityId: place.facilityId,
    after: toCampaignDto(view),
  });
  return view;
}

/** A campaign is kept by administrators and the officers of its organisers. */
const mayManage = (principal: Principal, view: CampaignView) =>
  keeps(
    principal,
    view.organisers.map((o) => o.id),
  );

export async function updateCampaign(
  change: Change,
  principal: Principal,
  area: Area,
  id: string,
  expectedVersion: number,
  input: CampaignUpdateInput,
  now: Date,
): Promise<CampaignView> {
  const before = await getCampaign(change.tx, principal, area, id, true);
  if (!mayManage(principal, before)) throw forbidden();
  const c = before.campaign;
  if (c.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: c.version });
  const heldOn = input.held_on ?? c.heldOn;
  checkHeldOn(heldOn, c.provinceCode, now);
  const current = before.organisers.map((o) => o.id);
  const organiserIds = input.organiser_ids ?? current;
  const place = { provinceCode: c.provinceCode, regency: c.regency, facilityId: c.facilityId };
  if (input.organiser_ids) {
    const added = organiserIds.filter((o) => !current.includes(o));
    await checkOrganisers(change.tx, principal, place, organiserIds, added);
  }
  // The agreement is judged on the day held: again whenever the day or the organisers change.
  if (place.facilityId && (heldOn !== c.heldOn || input.organiser_ids)) {
    await checkFacility(change.tx, principal, { ...place, facilityId: place.facilityId }, heldOn, organiserIds);
  }
  const [row] = await change.tx
    .update(campaigns)
    .set({
      kind: input.kind ?? c.kind,
      topic: input.topic ?? c.topic,
      heldOn,
      venue: input.venue ?? c.venue,
      audienceKind: input.audience_kind ?? c.audienceKind,
      audienceCount: input.audience_count ?? c.audienceCount,
      notes: input.notes === undefined ? c.notes : input.notes || null,
      version: c.version + 1,
      updatedAt: change.now,
    })
    .where(and(eq(campaigns.id, id), eq(campaigns.version, expectedVersion)))
    .returning({ id: campaigns.id });
  if (!row) throw new Problem(412, 'precondition_failed', { current: '?' });
  if (input.organiser_ids) {
    await change.tx.delete(campaignOrganisers).where(eq(campaignOrganisers.campaignId, id));
    await change.tx
      .insert(campaignOrganisers)
      .values(organiserIds.map((organisationId) => ({ campaignId: id, organisationId })));
  }
  const after = await getCampaign(change.tx, principal, { kind: 'all' }, id);
  await change.audit({
    action: 'campaign.updated',
    entityType: 'campaign',
    entityId: id,
    facilityId: c.facilityId,
    before: toCampaignDto(before),
    after: toCampaignDto(after),
  });
  return after;
}

// ---------------------------------------------------------------------------------------------
// Totals

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

/**
 * Events and audience of the campaigns in reach that match, in all and per group: per organiser (a
 * joint event counts once for each of its organisers), per regency, or per month, quarter or year
 * of the local date it was held. Two grouped queries, whatever the number of campaigns.
 */
export async function campaignTotals(
  db: Executor,
  principal: Principal,
  area: Area,
  groupBy: TotalsGroupValue,
  filter: CampaignFilter,
): Promise<CampaignTotalsDto> {
  const where = and(visibleTo(principal, area), ...filterConditions(filter)) ?? sql`true`;
  const base = sql`SELECT "campaigns".* FROM campaigns WHERE ${where}`;
  const g = GROUP_KEYS[groupBy];
  const totals = await queryRows<{ audience_kind: AudienceKindValue; events: number; audience: string }>(
    db,
    sql`SELECT c.audience_kind, count(*)::int AS events, sum(c.audience_count)::text AS audience
          FROM (${base}) c GROUP BY c.audience_kind`,
  );
  const grouped = await queryRows<{
    key: string;
    label: string;
    province_code: string;
    audience_kind: AudienceKindValue;
    events: number;
    audience: string;
  }>(
    db,
    sql`SELECT ${g.key} AS key, ${g.label} AS label, min(c.province_code) AS province_code, c.audience_kind,
               count(DISTINCT c.id)::int AS events, sum(c.audience_count)::text AS audience
          FROM (${base}) c ${g.join}
         GROUP BY 1, c.audience_kind
         ORDER BY 1`,
  );
  const add = (tally: Tally, row: { audience_kind: AudienceKindValue; events: number; audience: string }) => {
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
    from: filter.from ?? null,
    to: filter.to ?? null,
    total,
    groups: [...groups.values()].sort((a, b) => b.events - a.events || a.key.localeCompare(b.key)),
  };
}
