import { iso, isoNotNull } from '../../http/dto.ts';
import type { MouDto } from './schemas.ts';
import type { mous } from './tables.ts';

// Rows to answers: an MoU with its unit's name, its status on the day and the facilities it covers.

export type MouStatusValue = MouDto['status'];
export type MouRow = {
  mou: typeof mous.$inferSelect;
  bnnUnitName: string;
  status: MouStatusValue;
  facilityIds: string[];
};

export function toMouDto(row: MouRow): MouDto {
  const m = row.mou;
  return {
    id: m.id,
    number: m.number,
    title: m.title,
    bnn_unit_id: m.bnnUnitId,
    bnn_unit_name: row.bnnUnitName,
    facility_ids: row.facilityIds,
    scope: m.scope,
    signed_on: m.signedOn,
    valid_from: m.validFrom,
    valid_until: m.validUntil,
    status: row.status,
    terminated_at: iso(m.terminatedAt),
    termination_reason: m.terminationReason,
    version: m.version,
    created_at: isoNotNull(m.createdAt),
    updated_at: isoNotNull(m.updatedAt),
  };
}
