import { provinceName } from '../../core/provinces.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { FacilityDto } from './schemas.ts';
import type { facilities } from './tables.ts';

// Rows to answers.

export type FacilityRow = typeof facilities.$inferSelect;

export function toFacilityDto(row: FacilityRow): FacilityDto {
  return {
    id: row.id,
    type: row.type,
    class: row.class,
    name: row.name,
    province_code: row.provinceCode as FacilityDto['province_code'],
    province_name: provinceName(row.provinceCode) ?? row.provinceCode,
    regency: row.regency,
    capacity: row.capacity,
    timezone: row.timezone,
    kanwil_id: row.kanwilId,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}
