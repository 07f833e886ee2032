import { type SQL, sql } from 'drizzle-orm';
import { localDateSql } from './calendar/index.ts';
import { type Executor, queryRows } from './executor.ts';

// Who may see and do what: the caller's reach (facility, MoU scope and dates, province, area) and
// the role predicates. The one policy file; modules ask it, and keep only their own finer rules.

export type Role =
  | 'admin'
  | 'regional_viewer'
  | 'facility_staff'
  | 'facility_head'
  | 'bnn_officer'
  | 'regional_government_officer'
  | 'api_client';

/** Who is calling, as the access token says. What they may see is computed per request, here. */
export interface Principal {
  kind: 'user' | 'api_client';
  id: string;
  role: Role;
  organisationId: string | null;
  facilityId: string | null;
  scopes: string[];
}

/** The work an MoU may cover (its scope); a BNN unit reaches a facility only for the work in scope. */
export const MOU_SCOPES = ['rehabilitation', 'urine_testing', 'inspection', 'training', 'socialization'] as const;
export type MouScopeValue = (typeof MOU_SCOPES)[number];

/** An id no row has: stands in for a caller without an organisation or facility in a comparison. */
export const NOBODY = '00000000-0000-0000-0000-000000000000';

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
  now: Date,
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
      return { all: false, ids: await facilitiesUnderMous(db, principal.organisationId, now, purpose) };
    }
    // A regional government works outside the walls (P4GN): no prison's records.
    case 'regional_government_officer':
      return { all: false, ids: [] };
  }
}

/** The facilities under a BNN unit's MoUs in force on the clock's day, with one of `purpose` in scope when given. */
export async function facilitiesUnderMous(
  db: Executor,
  unitId: string,
  now: Date,
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
           AND ${localDateSql(now, sql`o.timezone`)} BETWEEN m.valid_from AND m.valid_until
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

/**
 * The BNN units with a signed MoU covering a facility, each with whether one of them has `purpose`
 * in scope at all, and whether such an MoU was in force on `day`, a local date at the facility:
 * `day` between valid_from and valid_until and not terminated on or before it. Unlike
 * facilitiesUnderMous this judges a day in the past (when a campaign was held), not today.
 */
export async function facilityAgreements(
  db: Executor,
  facilityId: string,
  purpose: MouScopeValue,
  day: string,
): Promise<{ unitId: string; inScope: boolean; inForce: boolean }[]> {
  const rows = await queryRows<{ unit_id: string; in_scope: boolean; in_force: boolean }>(
    db,
    sql`SELECT m.bnn_unit_id::text AS unit_id,
               bool_or(${purpose}::mou_scope = ANY (m.scope)) AS in_scope,
               bool_or(${purpose}::mou_scope = ANY (m.scope)
                       AND ${day}::date BETWEEN m.valid_from AND m.valid_until
                       AND (m.terminated_at IS NULL OR ${localDateSql(sql`m.terminated_at`, sql`f.timezone`)} > ${day}::date))
                 AS in_force
          FROM mous m
          JOIN mou_facilities mf ON mf.mou_id = m.id
          JOIN facilities f ON f.id = mf.facility_id
         WHERE mf.facility_id = ${facilityId} AND m.signed_on IS NOT NULL
         GROUP BY m.bnn_unit_id`,
  );
  return rows.map((r) => ({ unitId: r.unit_id, inScope: r.in_scope, inForce: r.in_force }));
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

/**
 * What a BNN officer's MoU must have in scope to reach each part of the record. A register needs
 * one of the kinds of work that need the people in it.
 */
export const PURPOSES = {
  inspections: 'inspection',
  urine: 'urine_testing',
  trainings: 'training',
  rehab: 'rehabilitation',
  inmates: ['rehabilitation', 'urine_testing', 'inspection'],
  officers: ['urine_testing', 'training', 'inspection'],
} as const satisfies Record<string, MouScopeValue | readonly MouScopeValue[]>;

/** The reach a part of the record's routes use: `reachFor(db, clock, 'urine')(principal)`. */
export function reachFor(db: Executor, clock: () => Date, part: keyof typeof PURPOSES) {
  return (principal: Principal): Promise<FacilityReach> => facilityReach(db, principal, clock(), PURPOSES[part]);
}

// ---------------------------------------------------------------------------------------------
// Areas: where an organisation works outside the walls (P4GN campaigns, rakor, KOTAN).

/** The whole country, a province, or one regency or city of a province. */
export type Area =
  | { kind: 'all' }
  | { kind: 'province'; provinceCode: string }
  | { kind: 'regency'; provinceCode: string; regency: string }
  | { kind: 'none' };

export interface AreaOwner {
  type: 'ministry' | 'kanwil' | 'bnn' | 'regional_government';
  bnnLevel: 'national' | 'province' | 'district' | null;
  provinceCode: string | null;
  regency: string | null;
}

/**
 * An organisation's own area: the ministry and BNN RI the country; a Kanwil, a BNNP and a
 * provincial government their province; a BNNK and a regency or city government their regency.
 */
export function areaOf(org: AreaOwner): Area {
  if (org.type === 'ministry' || (org.type === 'bnn' && org.bnnLevel === 'national')) return { kind: 'all' };
  if (!org.provinceCode) return { kind: 'none' };
  const local = (org.type === 'bnn' && org.bnnLevel === 'district') || org.type === 'regional_government';
  if (local && org.regency) return { kind: 'regency', provinceCode: org.provinceCode, regency: org.regency };
  return { kind: 'province', provinceCode: org.provinceCode };
}

/** Regencies and cities are compared by name, ignoring case and spacing ("Kota Kupang" is not "Kupang"). */
export const sameRegency = (a: string | null, b: string | null): boolean =>
  a !== null && b !== null && normaliseRegency(a) === normaliseRegency(b);
export const tidyName = (name: string): string => name.trim().replace(/\s+/g, ' ');
export const normaliseRegency = (name: string): string => tidyName(name).toLowerCase();

/** Whether a place (a province and, for most records, a regency) lies within an area. */
export function withinArea(area: Area, place: { provinceCode: string; regency: string | null }): boolean {
  switch (area.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'province':
      return area.provinceCode === place.provinceCode;
    case 'regency':
      return area.provinceCode === place.provinceCode && sameRegency(area.regency, place.regency);
  }
}

/** The same test in SQL, over a record's province and regency columns. */
export function areaCondition(area: Area, province: SQL, regency: SQL): SQL {
  switch (area.kind) {
    case 'all':
      return sql`true`;
    case 'none':
      return sql`false`;
    case 'province':
      return sql`${province} = ${area.provinceCode}`;
    case 'regency':
      // Records keep their regency trimmed with single spaces (tidyName), so lower() is enough here.
      return sql`(${province} = ${area.provinceCode} AND lower(${regency}) = ${normaliseRegency(area.regency)})`;
  }
}

/**
 * What a caller reads outside the walls, besides the records their organisation takes part in:
 * administrators and national API clients everything; Kanwil and BNNP viewers, and API clients of
 * an organisation, their province; BNN officers and regional government officers their
 * organisation's own area. Facility staff and heads read no area (campaigns in their facility aside).
 */
export async function readArea(db: Executor, principal: Principal): Promise<Area> {
  switch (principal.role) {
    case 'admin':
      return { kind: 'all' };
    case 'facility_staff':
    case 'facility_head':
      return { kind: 'none' };
    case 'api_client':
      if (!principal.organisationId) return { kind: 'all' };
      return provinceArea(db, principal.organisationId);
    case 'regional_viewer':
      return provinceArea(db, principal.organisationId);
    case 'bnn_officer':
    case 'regional_government_officer':
      return organisationArea(db, principal.organisationId);
  }
}

/** The area of the caller's own organisation, where BNN and regional government officers write. */
export async function organisationArea(db: Executor, organisationId: string | null): Promise<Area> {
  if (!organisationId) return { kind: 'none' };
  const [org] = await queryRows<{
    type: AreaOwner['type'];
    bnn_level: AreaOwner['bnnLevel'];
    province_code: string | null;
    regency: string | null;
  }>(db, sql`SELECT type, bnn_level, province_code, regency FROM organisations WHERE id = ${organisationId}`);
  if (!org) return { kind: 'none' };
  return areaOf({ type: org.type, bnnLevel: org.bnn_level, provinceCode: org.province_code, regency: org.regency });
}

async function provinceArea(db: Executor, organisationId: string | null): Promise<Area> {
  if (!organisationId) return { kind: 'none' };
  const [org] = await queryRows<{ province_code: string | null }>(
    db,
    sql`SELECT province_code FROM organisations WHERE id = ${organisationId}`,
  );
  return org?.province_code ? { kind: 'province', provinceCode: org.province_code } : { kind: 'none' };
}

// ---------------------------------------------------------------------------------------------
// Roles: what each may do at all. Reach (above) then says where.

/**
 * Who records the work inside a facility (inspections, urine tests, trainings): its staff and head,
 * administrators, and BNN officers, whose MoU must cover that work at that facility.
 */
export function recordsFacilityWork(role: Role): boolean {
  return role === 'admin' || role === 'facility_staff' || role === 'facility_head' || role === 'bnn_officer';
}

/** Facility staff and heads keep their own facility's registers; administrators any. */
export function keepsRegister(role: Role): boolean {
  return role === 'admin' || role === 'facility_staff' || role === 'facility_head';
}

/** KOTAN is read by everyone but facility staff and heads, whose work is inside the walls. */
export function mayReadKotan(principal: Principal): boolean {
  return principal.role !== 'facility_staff' && principal.role !== 'facility_head';
}

/** Rakor and action plans are working papers of the agencies: API clients and facility roles do not read them. */
export function mayReadMeetings(principal: Principal): boolean {
  return !['api_client', 'facility_staff', 'facility_head'].includes(principal.role);
}

/** Who records work outside the walls: administrators, BNN officers and regional government officers. */
export function writesOutside(role: Role): boolean {
  return role === 'admin' || role === 'bnn_officer' || role === 'regional_government_officer';
}

/**
 * Whether the caller keeps a record outside the walls (a campaign, a meeting, an assessment):
 * administrators, and the officers who record such work for one of the organisations named.
 */
export function keeps(principal: Principal, organisationIds: string | readonly string[]): boolean {
  if (principal.role === 'admin') return true;
  if (!writesOutside(principal.role) || !principal.organisationId) return false;
  return typeof organisationIds === 'string'
    ? organisationIds === principal.organisationId
    : organisationIds.includes(principal.organisationId);
}
