import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { type Area, readArea, tidyName, writesOutside } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { toCampaignDto } from './dto.ts';
import { campaignChanged, campaignData, campaignPlace, campaignRecorded } from './events.ts';
import { campaignPage, loadCampaign } from './load.ts';
import { checkFacility, checkHeldOn, checkOrganisers, mayManage } from './rules.ts';
import type { CampaignCreateInput, CampaignDto, CampaignListQuery, CampaignUpdateInput } from './schemas.ts';
import { campaignOrganisers, campaigns } from './tables.ts';

// Campaign events: recorded, corrected, read one at a time or listed.

export async function listCampaigns(db: Executor, principal: Principal, q: z.infer<typeof CampaignListQuery>) {
  const after = decodeCursor(q.cursor);
  const rows = await campaignPage(db, principal, await readArea(db, principal), q, after, q.limit);
  return page(rows, q.limit, (v) => v.campaign.id, toCampaignDto);
}

export async function readCampaign(db: Executor, principal: Principal, id: string): Promise<CampaignDto> {
  return toCampaignDto(await loadCampaign(db, principal, await readArea(db, principal), id));
}

export async function createCampaign(
  change: Change,
  principal: Principal,
  input: CampaignCreateInput,
  now: Date,
): Promise<CampaignDto> {
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
  const after = toCampaignDto(await loadCampaign(change.tx, principal, { kind: 'all' }, row.id));
  await change.audit({
    action: 'campaign.created',
    entityType: 'campaign',
    entityId: row.id,
    facilityId: place.facilityId,
    after,
  });
  await campaignRecorded.emit(change, campaignPlace(after), campaignData(after));
  return after;
}

export async function updateCampaign(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: CampaignUpdateInput,
  now: Date,
): Promise<CampaignDto> {
  const area: Area = await readArea(change.tx, principal);
  const before = await loadCampaign(change.tx, principal, area, id, true);
  if (!mayManage(principal, before)) throw forbidden();
  const c = before.campaign;
  checkVersion(c.version, expectedVersion);
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
  await updateVersioned(
    change.tx,
    campaigns,
    c,
    {
      kind: input.kind ?? c.kind,
      topic: input.topic ?? c.topic,
      heldOn,
      venue: input.venue ?? c.venue,
      audienceKind: input.audience_kind ?? c.audienceKind,
      audienceCount: input.audience_count ?? c.audienceCount,
      notes: input.notes === undefined ? c.notes : input.notes || null,
    },
    change.now,
  );
  if (input.organiser_ids) {
    await change.tx.delete(campaignOrganisers).where(eq(campaignOrganisers.campaignId, id));
    await change.tx
      .insert(campaignOrganisers)
      .values(organiserIds.map((organisationId) => ({ campaignId: id, organisationId })));
  }
  const after = toCampaignDto(await loadCampaign(change.tx, principal, { kind: 'all' }, id));
  await change.audit({
    action: 'campaign.updated',
    entityType: 'campaign',
    entityId: id,
    facilityId: c.facilityId,
    before: toCampaignDto(before),
    after,
  });
  await campaignChanged.emit(change, campaignPlace(after, current), campaignData(after));
  return after;
}
