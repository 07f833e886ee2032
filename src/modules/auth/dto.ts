import type { FacilityReach, Principal } from '../../core/access.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { ApiClientDto, ColleagueDto, UserDto } from './schemas.ts';
import type { apiClients, users } from './tables.ts';

// Rows to answers. No answer ever holds a password, a secret or their hashes: a new client's
// secret is added by the command that made it, that once.

export type UserRow = typeof users.$inferSelect;
export type ApiClientRow = typeof apiClients.$inferSelect;
export type ColleagueRow = Pick<UserRow, 'id' | 'displayName' | 'role'>;

export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    username: row.username,
    display_name: row.displayName,
    role: row.role,
    organisation_id: row.organisationId,
    facility_id: row.facilityId,
    active: row.active,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

export const toColleagueDto = (row: ColleagueRow): ColleagueDto => ({
  id: row.id,
  display_name: row.displayName,
  role: row.role,
});

export function toApiClientDto(row: ApiClientRow): ApiClientDto {
  return {
    id: row.id,
    client_id: row.clientId,
    name: row.name,
    scopes: row.scopes as ApiClientDto['scopes'],
    organisation_id: row.organisationId,
    active: row.active,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

/** The caller as the token names them, with the facilities in their reach (null: all). */
export const toMeDto = (p: Principal, reach: FacilityReach) => ({
  kind: p.kind,
  id: p.id,
  role: p.role,
  organisation_id: p.organisationId,
  facility_id: p.facilityId,
  scopes: p.scopes,
  facility_ids: reach.all ? null : reach.ids,
});
