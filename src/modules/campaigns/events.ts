import { z } from 'zod';
import { type DefinedEvent, defineEvent } from '../../core/events.ts';
import { Id, LocalDate } from '../../http/schemas.ts';
import type { CampaignDto } from './schemas.ts';
import { audienceKind, campaignKind } from './tables.ts';

// What outside systems are told of P4GN campaigns (the catalogue: modules/events/catalogue.ts).
// Enums come from the tables, not schemas.ts, so the catalogue does not reorder the contract's components.

const CampaignData = z.object({
  campaign_id: Id,
  kind: z.enum(campaignKind.enumValues),
  held_on: LocalDate,
  province_code: z.string(),
  regency: z.string(),
  facility_id: Id.nullable(),
  audience_kind: z.enum(audienceKind.enumValues),
  audience_count: z.number().int(),
  organiser_ids: z.array(Id),
  version: z.number().int(),
});

export const campaignRecorded = defineEvent({
  type: 'campaign.recorded.v1',
  part: 'p4gn',
  summary: 'A campaign event (socialization, education, joint campaign) was recorded',
  data: CampaignData,
});

export const campaignChanged = defineEvent({
  type: 'campaign.changed.v1',
  part: 'p4gn',
  summary: 'A recorded campaign event was corrected: its state after the correction',
  data: CampaignData,
});

// biome-ignore lint/suspicious/noExplicitAny: events of every data shape
export const CAMPAIGN_EVENTS: readonly DefinedEvent<any>[] = [campaignRecorded, campaignChanged];

/** Where a campaign was held and who ran it; `formerOrganisers` are told of a correction that drops them. */
export function campaignPlace(c: CampaignDto, formerOrganisers: readonly string[] = []) {
  return {
    subject: { type: 'campaign', id: c.id },
    facilityIds: c.facility_id ? [c.facility_id] : [],
    organisationIds: [...c.organiser_ids, ...formerOrganisers],
    area: { provinceCode: c.province_code, regency: c.regency },
  };
}

export const campaignData = (c: CampaignDto): z.input<typeof CampaignData> => ({
  campaign_id: c.id,
  kind: c.kind,
  held_on: c.held_on,
  province_code: c.province_code,
  regency: c.regency,
  facility_id: c.facility_id,
  audience_kind: c.audience_kind,
  audience_count: c.audience_count,
  organiser_ids: c.organiser_ids,
  version: c.version,
});
