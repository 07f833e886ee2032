import { isoNotNull } from '../../http/dto.ts';
import { presentPerson } from '../../http/personal-data.ts';
import type { Principal } from '../../http/principal.ts';
import type { InmateDto } from './schemas.ts';
import type { inmatePlacements, inmates } from './tables.ts';

// Rows to answers. The audit keeps the whole entry; a caller without personal_data sees no names.

export type InmateRow = typeof inmates.$inferSelect;
type PlacementRow = typeof inmatePlacements.$inferSelect;

export function toInmateDto(row: InmateRow): InmateDto {
  return {
    id: row.id,
    pseudonym: row.pseudonym,
    facility_id: row.facilityId,
    registration_number: row.registrationNumber,
    name: row.name,
    sex: row.sex,
    birth_date: row.birthDate,
    case_type: row.caseType,
    admission_date: row.admissionDate,
    expected_release_date: row.expectedReleaseDate,
    block: row.block,
    cell: row.cell,
    status: row.status,
    released_on: row.releasedOn,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

/** An entry as this caller may see it. */
export const inmateAnswer = (principal: Principal, row: InmateRow) =>
  presentPerson(principal, 'inmates', toInmateDto(row));

/** A stay, as this caller may see it. */
export const placementAnswer = (principal: Principal, p: PlacementRow) =>
  presentPerson(principal, 'inmate_placements', {
    facility_id: p.facilityId,
    registration_number: p.registrationNumber,
    from_date: p.fromDate,
    until_date: p.untilDate,
    end_reason: p.endReason,
  });
