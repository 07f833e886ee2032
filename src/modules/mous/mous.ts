import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type FacilityReach, facilityReach, NOBODY, type Role } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import { reasons } from '../../http/messages.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, Problem, violated } from '../../http/problem.ts';
import { LocalDate } from '../../http/schemas.ts';
import { checkVersion, updateAtVersion, updateVersioned } from '../../http/versioned.ts';
import type { WriteResult } from '../../http/write.ts';
import { findFacilities } from '../facilities/service.ts';
import { findOrganisation } from '../organisations/service.ts';
import { organisations } from '../organisations/tables.ts';
import { type MouRow, toMouDto } from './dto.ts';
import { mouChanged, mouSigned, mouTerminated } from './events.ts';
import type { MouCreateInput, MouDto, MouListQuery, MouUpdateInput } from './schemas.ts';
import { mouStatus, mouToday } from './service.ts';
import { mouFacilities, mous } from './tables.ts';

// Agreements between a BNN unit and facilities: listed and read by those they concern; recorded,
// changed and ended by administrators and the unit's officers (and ended by a covered facility's
// head). A write command refuses a role on the principal alone and judges If-Match at once, then
// hands performWrite the work to do in its transaction: a 403 comes before a 428 or 412.

type Write<T> = (change: Change) => Promise<WriteResult<T>>;

function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!roles.includes(principal.role)) throw forbidden();
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

/**
 * Which MoUs a caller sees: a BNN officer those of their own unit (whatever their status);
 * anyone else those covering a facility they reach.
 */
function visibleTo(principal: Principal, reach: FacilityReach): SQL | undefined {
  if (principal.role === 'bnn_officer') return eq(mous.bnnUnitId, principal.organisationId ?? NOBODY);
  if (reach.all) return undefined;
  if (reach.ids.length === 0) return sql`false`;
  return sql`EXISTS (SELECT 1 FROM mou_facilities v WHERE v.mou_id = ${mous.id} AND v.facility_id IN ${reach.ids})`;
}

async function loadMou(db: Executor, principal: Principal, reach: FacilityReach, id: string, now: Date) {
  const [row] = await db
    .select(selectionAt(now))
    .from(mous)
    .innerJoin(organisations, eq(organisations.id, mous.bnnUnitId))
    .where(and(eq(mous.id, id), visibleTo(principal, reach)));
  if (!row) throw notFound('MoU');
  return row;
}

/** The expiring list's cursor: the last MoU's valid_until and id. */
const EXPIRING_CURSOR = /^\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}$/;

function decodeExpiringCursor(cursor: string | undefined): string[] | undefined {
  const after = decodeKeyCursor(cursor, EXPIRING_CURSOR);
  if (after && !LocalDate.safeParse(after[0]).success) throw new Problem(400, 'invalid_cursor');
  return after;
}

/**
 * The MoUs a caller sees, filtered. With expiring_within_days, only those in force today (the
 * status, in the unit's zone) that end within that many days, soonest end first.
 */
export async function listMous(db: Executor, principal: Principal, q: z.infer<typeof MouListQuery>, now: Date) {
  const days = q.expiring_within_days;
  const afterKey = days === undefined ? undefined : decodeExpiringCursor(q.cursor);
  const { after, limit } = days === undefined ? keysetOf(q) : { after: undefined, limit: q.limit };
  const reach = await facilityReach(db, principal, now);
  const where: (SQL | undefined)[] = [visibleTo(principal, reach)];
  if (q.status) where.push(sql`${mouStatus(now)} = ${q.status}`);
  if (q.bnn_unit_id) where.push(eq(mous.bnnUnitId, q.bnn_unit_id));
  if (q.facility_id) {
    where.push(
      sql`EXISTS (SELECT 1 FROM mou_facilities f WHERE f.mou_id = ${mous.id} AND f.facility_id = ${q.facility_id})`,
    );
  }
  if (q.scope) where.push(sql`${q.scope}::mou_scope = ANY (${mous.scope})`);
  if (days !== undefined) {
    where.push(sql`${mouStatus(now)} = 'active'`, sql`${mous.validUntil} <= ${mouToday(now)} + ${days}::int`);
  }
  where.push(updatedSince(mous.updatedAt, q.updated_since));
  if (after) where.push(gt(mous.id, after));
  if (afterKey) {
    const [until, id] = afterKey;
    where.push(sql`(${mous.validUntil}, ${mous.id}) > (${until}::date, ${id}::uuid)`);
  }
  const rows = await db
    .select(selectionAt(now))
    .from(mous)
    .innerJoin(organisations, eq(organisations.id, mous.bnnUnitId))
    .where(and(...where))
    .orderBy(...(days === undefined ? [asc(mous.id)] : [asc(mous.validUntil), asc(mous.id)]))
    .limit(limit + 1);
  if (days !== undefined) return keysetPage(rows, q.limit, (row) => [row.mou.validUntil, row.mou.id], toMouDto);
  return page(rows, q.limit, (row) => row.mou.id, toMouDto);
}

export async function readMou(db: Executor, principal: Principal, id: string, now: Date): Promise<MouDto> {
  const reach = await facilityReach(db, principal, now);
  return toMouDto(await loadMou(db, principal, reach, id, now));
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

export function createMou(principal: Principal, input: MouCreateInput): Write<MouDto> {
  requireRole(principal, 'admin', 'bnn_officer');
  return async (change) => {
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
    await change.tx
      .insert(mouFacilities)
      .values(input.facility_ids.map((facilityId) => ({ mouId: row.id, facilityId })));
    const body = await auditMou(change, 'mou.created', row.id, input.facility_ids, null);
    await tellTerms(change, null, body);
    return { status: 201, body, headers: { location: `/v1/mous/${row.id}` } };
  };
}

/** `version` reads If-Match, once the role has passed. */
export function updateMou(
  principal: Principal,
  id: string,
  version: () => number,
  input: MouUpdateInput,
): Write<MouDto> {
  requireRole(principal, 'admin', 'bnn_officer');
  const expected = version();
  return async (change) => {
    const reach = await facilityReach(change.tx, principal, change.now);
    const before = await loadMou(change.tx, principal, reach, id, change.now);
    if (!mayActFor(principal, before.mou.bnnUnitId)) throw forbidden();
    checkVersion(before.mou.version, expected);
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
    const body = await auditMou(change, 'mou.updated', id, ids, toMouDto(before));
    await tellTerms(change, toMouDto(before), body);
    return { status: 200, body };
  };
}

/** The unit's officers, an administrator, or the head of a covered facility may end an MoU. */
export function terminateMou(principal: Principal, id: string, reason: string): Write<MouDto> {
  requireRole(principal, 'admin', 'bnn_officer', 'facility_head');
  return async (change) => {
    const reach = await facilityReach(change.tx, principal, change.now);
    const before = await loadMou(change.tx, principal, reach, id, change.now);
    const headOfCovered =
      principal.role === 'facility_head' && !!principal.facilityId && before.facilityIds.includes(principal.facilityId);
    if (!mayActFor(principal, before.mou.bnnUnitId) && !headOfCovered) throw forbidden();
    if (before.status === 'terminated') throw new Problem(409, 'conflict', { reason: reasons.mou_already_terminated });
    const set = { terminatedAt: change.now, terminationReason: reason };
    const ended = await updateAtVersion(change.tx, mous, before.mou, set, change.now);
    if (!ended) throw new Problem(409, 'conflict', { reason: reasons.mou_changed });
    const body = await auditMou(change, 'mou.terminated', id, before.facilityIds, toMouDto(before));
    await mouTerminated.emit(change, placeOf(body), {
      mou_id: id,
      bnn_unit_id: body.bnn_unit_id,
      terminated_at: change.now.toISOString(),
    });
    return { status: 200, body };
  };
}

/**
 * One event per covered facility, so that each facility's audit trail shows its agreements. The
 * MoU as written is also the write's answer: the caller may act for it, so it sees it too.
 */
async function auditMou(
  change: Change,
  action: string,
  id: string,
  facilityIdsOf: string[],
  before: MouDto | null,
): Promise<MouDto> {
  const [after]: MouRow[] = await change.tx
    .select(selectionAt(change.now))
    .from(mous)
    .innerJoin(organisations, eq(organisations.id, mous.bnnUnitId))
    .where(eq(mous.id, id));
  if (!after) throw notFound('MoU');
  const afterDto = toMouDto(after);
  const touched = new Set([...facilityIdsOf, ...(before?.facility_ids ?? [])]);
  for (const facilityId of touched) {
    await change.audit({ action, entityType: 'mou', entityId: id, facilityId, before, after: afterDto });
  }
  return afterDto;
}

/** Who is told of an MoU's events: its BNN unit and the facilities it covers (or covered). */
function placeOf(mou: MouDto, formerFacilityIds: string[] = []) {
  return {
    subject: { type: 'mou', id: mou.id },
    organisationIds: [mou.bnn_unit_id],
    facilityIds: [...new Set([...mou.facility_ids, ...formerFacilityIds])],
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();

/**
 * Tells of a signature (the first signed_on) and of changed terms. The facilities an MoU no
 * longer covers are told too, since the change ends what it gave them.
 */
async function tellTerms(change: Change, before: MouDto | null, after: MouDto): Promise<void> {
  const terms = {
    mou_id: after.id,
    bnn_unit_id: after.bnn_unit_id,
    facility_ids: after.facility_ids,
    scope: after.scope,
    valid_from: after.valid_from,
    valid_until: after.valid_until,
  };
  if (after.signed_on && !before?.signed_on) {
    await mouSigned.emit(change, placeOf(after), { ...terms, signed_on: after.signed_on });
  }
  if (!before) return;
  const changed = [
    ...(sameSet(before.facility_ids, after.facility_ids) ? [] : (['facility_ids'] as const)),
    ...(sameSet(before.scope, after.scope) ? [] : (['scope'] as const)),
    ...(before.valid_from === after.valid_from ? [] : (['valid_from'] as const)),
    ...(before.valid_until === after.valid_until ? [] : (['valid_until'] as const)),
    ...(before.signed_on && before.signed_on !== after.signed_on ? (['signed_on'] as const) : []),
  ];
  if (changed.length === 0) return;
  const removed = before.facility_ids.filter((id) => !after.facility_ids.includes(id));
  await mouChanged.emit(change, placeOf(after, removed), {
    ...terms,
    signed_on: after.signed_on,
    changed,
    removed_facility_ids: removed,
  });
}
