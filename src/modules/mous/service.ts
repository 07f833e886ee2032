import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { FacilityReach } from '../../core/access.ts';
import { localDateSql } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { iso, isoNotNull } from '../../http/dto.ts';
import { reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, Problem, violated } from '../../http/problem.ts';
import { checkVersion, updateAtVersion, updateVersioned } from '../../http/versioned.ts';
import { findFacilities } from '../facilities/service.ts';
import { findOrganisation } from '../organisations/service.ts';
import { organisations } from '../organisations/tables.ts';
import type { MouCreateInput, MouDto, MouScopeValue, MouUpdateInput } from './schemas.ts';
import { mouFacilities, mous } from './tables.ts';

type MouStatusValue = MouDto['status'];

/** An MoU's status at `now`: the unit's local date that day decides whether it is in force. */
export function mouStatus(now: Date) {
  const today = localDateSql(now, sql`${organisations.timezone}`);
  return sql<MouStatusValue>`CASE
  WHEN ${mous.terminatedAt} IS NOT NULL THEN 'terminated'
  WHEN ${mous.signedOn} IS NULL OR ${today} < ${mous.validFrom} THEN 'draft'
  WHEN ${today} > ${mous.validUntil} THEN 'expired'
  ELSE 'active' END`;
}
const facilityIds = sql<
  string[]
>`(SELECT coalesce(array_agg(mf.facility_id::text ORDER BY mf.facility_id), '{}')::text[]
  FROM mou_facilities mf WHERE mf.mou_id = "mous"."id")`;

const selectionAt = (now: Date) => ({
  mou: mous,
  bnnUnitName: organisations.name,
  status: mouStatus(now),
  facilityIds,
});
type Row = { mou: typeof mous.$inferSelect; bnnUnitName: string; status: MouStatusValue; facilityIds: string[] };

export function toMouDto(row: Row): MouDto {
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

/**
 * Which MoUs a caller sees: a BNN officer those of their own unit (whatever their status);
 * anyone else those covering a facility they reach.
 */
function visibleTo(principal: Principal, reach: FacilityReach): SQL | undefined {
  if (principal.role === 'bnn_officer')
    return eq(mous.bnnUnitId, principal.organisationId ?? '00000000-0000-0000-0000-000000000000');
  if (reach.all) return undefined;
  if (reach.ids.length === 0) return sql`false`;
  return sql`EXISTS (SELECT 1 FROM mou_facilities v WHERE v.mou_id = ${mous.id} AND v.facility_id IN ${reach.ids})`;
}

export async function getMou(
  db: Executor,
  principal: Principal,
  reach: FacilityReach,
  id: string,
  now: Date,
): Promise<Row> {
  const [row] = await db
    .select(selectionAt(now))
    .from(mous)
    .innerJoin(organisations, eq(organisations.id, mous.bnnUnitId))
    .where(and(eq(mous.id, id), visibleTo(principal, reach)));
  if (!row) throw notFound('MoU');
  return row;
}

export interface MouFilter {
  status?: MouStatusValue;
  bnnUnitId?: string;
  facilityId?: string;
  scope?: MouScopeValue;
  after?: string;
  limit: number;
}

export async function listMous(
  db: Executor,
  principal: Principal,
  reach: FacilityReach,
  filter: MouFilter,
  now: Date,
): Promise<Row[]> {
  const where: (SQL | undefined)[] = [visibleTo(principal, reach)];
  if (filter.status) where.push(sql`${mouStatus(now)} = ${filter.status}`);
  if (filter.bnnUnitId) where.push(eq(mous.bnnUnitId, filter.bnnUnitId));
  if (filter.facilityId) {
    where.push(
      sql`EXISTS (SELECT 1 FROM mou_facilities f WHERE f.mou_id = ${mous.id} AND f.facility_id = ${filter.facilityId})`,
    );
  }
  if (filter.scope) where.push(sql`${filter.scope}::mou_scope = ANY (${mous.scope})`);
  if (filter.after) where.push(gt(mous.id, filter.after));
  return db
    .select(selectionAt(now))
    .from(mous)
    .innerJoin(organisations, eq(organisations.id, mous.bnnUnitId))
    .where(and(...where))
    .orderBy(asc(mous.id))
    .limit(filter.limit + 1);
}

/**
 * An MoU gives a BNN unit its reach, so a unit's own officers may draft one but not bring it into
 * force: an administrator records the signature, and only an administrator changes a signed MoU's terms.
 */
function signatureIsAdmins() {
  return violated('mou_signature_by_admin', {}, '/signed_on');
}

/** Only an administrator, or an officer of the unit itself, speaks for a BNN unit. */
function mayActFor(principal: Principal, bnnUnitId: string): boolean {
  return principal.role === 'admin' || (principal.role === 'bnn_officer' && principal.organisationId === bnnUnitId);
}

/**
 * The rules of an agreement: a BNN unit; facilities that exist; a BNNP or BNNK only for facilities
 * in its own province (a BNNK's regency lies inside its province); valid_until after valid_from.
 */
async function checkAgreement(
  db: Executor,
  unitId: string,
  ids: string[],
  validFrom: string,
  validUntil: string,
): Promise<void> {
  if (validUntil <= validFrom) {
    throw violated('mou_valid_until_after_valid_from', {}, '/valid_until');
  }
  const unit = await findOrganisation(db, unitId);
  if (unit?.type !== 'bnn') {
    throw violated('mou_bnn_unit_id_name_bnn_unit', {}, '/bnn_unit_id');
  }
  const found = await findFacilities(db, ids);
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) {
    throw violated('mou_facility_unknown', { missing: missing.join(', ') }, '/facility_ids');
  }
  if (unit.bnnLevel !== 'national') {
    const outside = found.filter((f) => f.provinceCode !== unit.provinceCode);
    if (outside.length) {
      const names = outside.map((f) => f.name).join(', ');
      throw violated('mou_sign_for_facilities_own', { name: unit.name, names }, '/facility_ids');
    }
  }
}

export async function createMou(change: Change, principal: Principal, input: MouCreateInput): Promise<string> {
  if (!mayActFor(principal, input.bnn_unit_id)) {
    throw violated('mou_you_record_agreements_own', {}, '/bnn_unit_id');
  }
  if (principal.role === 'bnn_officer' && input.signed_on) throw signatureIsAdmins();
  await checkAgreement(change.tx, input.bnn_unit_id, input.facility_ids, input.valid_from, input.valid_until);
  const [row] = await change.tx
    .insert(mous)
    .values({
      number: input.number,
      title: input.title,
      bnnUnitId: input.bnn_unit_id,
      scope: input.scope,
      signedOn: input.signed_on ?? null,
      validFrom: input.valid_from,
      validUntil: input.valid_until,
    })
    .returning({ id: mous.id });
  if (!row) throw new Error('insert returned nothing');
  await change.tx.insert(mouFacilities).values(input.facility_ids.map((facilityId) => ({ mouId: row.id, facilityId })));
  await auditMou(change, 'mou.created', row.id, input.facility_ids, null);
  return row.id;
}

export async function updateMou(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  id: string,
  expectedVersion: number,
  input: MouUpdateInput,
): Promise<void> {
  const before = await getMou(change.tx, principal, reach, id, change.now);
  if (!mayActFor(principal, before.mou.bnnUnitId)) throw new Problem(403, 'forbidden');
  checkVersion(before.mou.version, expectedVersion);
  if (before.status === 'terminated') throw new Problem(409, 'conflict', { reason: reasons.mou_terminated });
  if (principal.role === 'bnn_officer') {
    const termsChange = input.facility_ids || input.scope || input.valid_from || input.valid_until;
    if (input.signed_on !== undefined || (before.mou.signedOn && termsChange)) throw signatureIsAdmins();
  }
  const ids = input.facility_ids ?? before.facilityIds;
  const validFrom = input.valid_from ?? before.mou.validFrom;
  const validUntil = input.valid_until ?? before.mou.validUntil;
  await checkAgreement(change.tx, before.mou.bnnUnitId, ids, validFrom, validUntil);
  const set = {
    title: input.title ?? before.mou.title,
    scope: input.scope ?? before.mou.scope,
    signedOn: input.signed_on === undefined ? before.mou.signedOn : input.signed_on,
    validFrom,
    validUntil,
  };
  await updateVersioned(change.tx, mous, before.mou, set, change.now);
  if (input.facility_ids) {
    await change.tx.delete(mouFacilities).where(eq(mouFacilities.mouId, id));
    await change.tx.insert(mouFacilities).values(ids.map((facilityId) => ({ mouId: id, facilityId })));
  }
  await auditMou(change, 'mou.updated', id, ids, toMouDto(before));
}

/** The unit's officers, an administrator, or the head of a covered facility may end an MoU. */
export async function terminateMou(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  id: string,
  reason: string,
): Promise<void> {
  const before = await getMou(change.tx, principal, reach, id, change.now);
  const headOfCovered =
    principal.role === 'facility_head' && !!principal.facilityId && before.facilityIds.includes(principal.facilityId);
  if (!mayActFor(principal, before.mou.bnnUnitId) && !headOfCovered) throw new Problem(403, 'forbidden');
  if (before.status === 'terminated') throw new Problem(409, 'conflict', { reason: reasons.mou_already_terminated });
  const set = { terminatedAt: change.now, terminationReason: reason };
  const ended = await updateAtVersion(change.tx, mous, before.mou, set, change.now);
  if (!ended) throw new Problem(409, 'conflict', { reason: reasons.mou_changed });
  await auditMou(change, 'mou.terminated', id, before.facilityIds, toMouDto(before));
}

// One event per covered facility, so that each facility's audit trail shows its agreements.
async function auditMou(change: Change, action: string, id: string, facilityIdsOf: string[], before: MouDto | null) {
  const [after] = await change.tx
    .select(selectionAt(change.now))
    .from(mous)
    .innerJoin(organisations, eq(organisations.id, mous.bnnUnitId))
    .where(eq(mous.id, id));
  const afterDto = after ? toMouDto(after) : null;
  const touched = new Set([...facilityIdsOf, ...(before?.facility_ids ?? [])]);
  for (const facilityId of touched) {
    await change.audit({ action, entityType: 'mou', entityId: id, facilityId, before, after: afterDto });
  }
}
