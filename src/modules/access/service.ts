import type { Executor } from '../../db/client.ts';
import { queryRows, sql } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import type { MouScopeValue } from '../mous/schemas.ts';

/** The facilities a caller may see: all of them, or these. Outside it, a record answers 404. */
export type FacilityReach = { all: true } | { all: false; ids: string[] };

/**
 * The one place that decides which facilities a caller reaches, and for what:
 * admin and national API clients all; Kanwil/BNNP viewers (and API clients of an organisation)
 * their province; facility staff and heads their facility; BNN officers the facilities under
 * their unit's active MoUs, and, when `purpose` is given, only MoUs with one of those in scope.
 */
export async function facilityReach(
  db: Executor,
  principal: Principal,
  purpose?: MouScopeValue | readonly MouScopeValue[],
): Promise<FacilityReach> {
  switch (principal.role) {
    case 'admin':
      return { all: true };
    case 'facility_staff':
    case 'facility_head':
      return { all: false, ids: principal.facilityId ? [principal.facilityId] : [] };
    case 'api_client':
      if (!principal.organisationId) return { all: true };
      return provinceReach(db, principal.organisationId);
    case 'regional_viewer':
      return provinceReach(db, principal.organisationId);
    case 'bnn_officer': {
      if (!principal.organisationId) return { all: false, ids: [] };
      return { all: false, ids: await facilitiesUnderMous(db, principal.organisationId, purpose) };
    }
  }
}

/** The facilities under a BNN unit's MoUs in force today, with one of `purpose` in scope when given. */
export async function facilitiesUnderMous(
  db: Executor,
  unitId: string,
  purpose?: MouScopeValue | readonly MouScopeValue[],
): Promise<string[]> {
  const purposes = purpose === undefined ? null : Array.isArray(purpose) ? [...purpose] : [purpose];
  const rows = await queryRows<{ facility_id: string }>(
    db,
    sql`SELECT DISTINCT mf.facility_id
          FROM mous m
          JOIN organisations o ON o.id = m.bnn_unit_id
          JOIN mou_facilities mf ON mf.mou_id = m.id
         WHERE m.bnn_unit_id = ${unitId}
           AND m.terminated_at IS NULL AND m.signed_on IS NOT NULL
           AND (now() AT TIME ZONE o.timezone::text)::date BETWEEN m.valid_from AND m.valid_until
           ${
             purposes
               ? sql`AND m.scope && ARRAY[${sql.join(
                   purposes.map((p) => sql`${p}`),
                   sql`, `,
                 )}]::mou_scope[]`
               : sql``
           }`,
  );
  return rows.map((r) => r.facility_id);
}

async function provinceReach(db: Executor, organisationId: string | null): Promise<FacilityReach> {
  if (!organisationId) return { all: false, ids: [] };
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT f.id FROM facilities f
         WHERE f.province_code = (SELECT o.province_code FROM organisations o WHERE o.id = ${organisationId})`,
  );
  return { all: false, ids: rows.map((r) => r.id) };
}

export function reaches(reach: FacilityReach, facilityId: string): boolean {
  return reach.all || reach.ids.includes(facilityId);
}

/** What a BNN officer's MoU must cover to reach a register: the work that needs the people in it. */
export const REGISTER_PURPOSES = {
  inmates: ['rehabilitation', 'urine_testing', 'inspection'],
  officers: ['urine_testing', 'training', 'inspection'],
} as const satisfies Record<string, readonly MouScopeValue[]>;
