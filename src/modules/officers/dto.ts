import { isoNotNull } from '../../http/dto.ts';
import { presentPerson } from '../../http/personal-data.ts';
import type { Principal } from '../../http/principal.ts';
import type { OfficerDto } from './schemas.ts';
import type { officers } from './tables.ts';

// Rows to answers. The audit keeps the whole entry; a caller without personal_data sees no names.

export type OfficerRow = typeof officers.$inferSelect;

export function toOfficerDto(row: OfficerRow): OfficerDto {
  return {
    id: row.id,
    pseudonym: row.pseudonym,
    facility_id: row.facilityId,
    nip: row.nip,
    name: row.name,
    sex: row.sex,
    position: row.position,
    unit: row.unit,
    status: row.status,
    joined_on: row.joinedOn,
    left_on: row.leftOn,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

/** An officer as this caller may see them. */
export const officerAnswer = (principal: Principal, row: OfficerRow) =>
  presentPerson(principal, 'officers', toOfficerDto(row));
