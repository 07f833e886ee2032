import { isoNotNull } from '../../http/dto.ts';
import type { CampaignDto } from './schemas.ts';
import type { campaigns } from './tables.ts';

/** A campaign as loaded: its row and its organisers, named. */
export type CampaignView = { campaign: typeof campaigns.$inferSelect; organisers: { id: string; name: string }[] };

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
