import { provinceName } from '../../core/provinces.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { OrganisationDto } from './schemas.ts';
import type { organisations } from './tables.ts';

// Rows to answers.

export type OrganisationRow = typeof organisations.$inferSelect;

export function toOrganisationDto(row: OrganisationRow): OrganisationDto {
  return {
    id: row.id,
    type: row.type,
    bnn_level: row.bnnLevel,
    name: row.name,
    province_code: row.provinceCode as OrganisationDto['province_code'],
    province_name: provinceName(row.provinceCode),
    regency: row.regency,
    timezone: row.timezone,
    parent_id: row.parentId,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}
