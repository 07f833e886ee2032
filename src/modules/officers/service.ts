import { and, eq } from 'drizzle-orm';
import { type FacilityReach, reaches, reachFor } from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type ReadRecord, readNamed } from '../../core/named-read.ts';
import type { Db, Executor } from '../../db/client.ts';
import { inReach, keysetOrder, startsWith, updatedSince } from '../../db/filters.ts';
import { newPseudonym } from '../../db/pseudonym.ts';
import { stampedKeysetOf } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound } from '../../http/problem.ts';
import { peoplePage, requireSightForFilter, throwFirst } from '../../http/register.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { getFacility, registerFacility } from '../facilities/service.ts';
import { type OfficerRow, officerAnswer, toOfficerDto } from './dto.ts';
import { officerErrors } from './rules.ts';
import type { OfficerFieldsOutput, OfficerListInput, OfficerUpdateInput } from './schemas.ts';
import { officers } from './tables.ts';

// The officers' register: its reads, and the commands that add and update an officer. The
// import is in imports.ts.

export type Facility = Awaited<ReturnType<typeof getFacility>>;

/** A facility's register, for someone who may keep it. */
export interface OfficerRegister {
  principal: Principal;
  facility: Facility;
}

/** An officer in reach, with their facility, for someone who may keep its register. */
export interface KeptOfficer extends OfficerRegister {
  officer: OfficerRow;
}

// A BNN officer reaches a register only under an MoU whose work needs the people in it.
const registerReach = (db: Executor, principal: Principal, now: Date) => reachFor(db, () => now, 'officers')(principal);

async function getOfficer(db: Executor, reach: FacilityReach, id: string): Promise<OfficerRow> {
  const [row] = await db.select().from(officers).where(eq(officers.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('officer');
  return row;
}

/** The register of a facility in reach (404 outside reach, then 403 for a role that does not keep it). */
export async function keepOfficerRegister(
  db: Executor,
  principal: Principal,
  facilityId: string,
  now: Date,
): Promise<OfficerRegister> {
  const facility = await registerFacility(db, principal, await registerReach(db, principal, now), facilityId);
  return { principal, facility };
}

/** An officer in reach, with their facility, for a write (404, then 403). */
export async function keepOfficer(
  db: Executor,
  principal: Principal,
  officerId: string,
  now: Date,
): Promise<KeptOfficer> {
  const reach = await registerReach(db, principal, now);
  const officer = await getOfficer(db, reach, officerId);
  const facility = await registerFacility(db, principal, reach, officer.facilityId);
  return { principal, officer, facility };
}

/**
 * A page of the officers in reach; with facilityId, of that facility (404 outside reach).
 * Filtering by name or NIP needs personal_data (403).
 */
export async function listOfficers(
  db: Db,
  principal: Principal,
  q: OfficerListInput,
  now: Date,
  facilityId?: string,
  record?: ReadRecord,
) {
  const reach = await registerReach(db, principal, now);
  if (facilityId) await getFacility(db, reach, facilityId);
  requireSightForFilter(principal, q.name, q.nip);
  // A re-sync is ordered by updated_at, else the list by id: each has its index.
  const keyset = stampedKeysetOf(q, q.updated_since ? 'updated_at' : undefined);
  const order = keysetOrder(
    officers.id,
    keyset,
    q.updated_since ? { column: officers.updatedAt, type: 'timestamptz' } : undefined,
  );
  const where = [inReach(officers.facilityId, reach)];
  if (q.facility_id) where.push(eq(officers.facilityId, q.facility_id));
  if (q.name) where.push(startsWith(officers.name, q.name));
  if (q.nip) where.push(eq(officers.nip, q.nip));
  if (q.status) where.push(eq(officers.status, q.status));
  if (q.unit) where.push(eq(officers.unit, q.unit));
  where.push(updatedSince(officers.updatedAt, q.updated_since));
  where.push(order.after);
  const query = db
    .select({ row: officers, at: order.at.as('at') })
    .from(officers)
    .where(and(...where))
    .orderBy(...order.orderBy)
    .limit(keyset.limit + 1);
  const rows = await readNamed(
    db,
    query,
    { id: officers.id, facilityId: officers.facilityId, shown: keyset.limit },
    record,
  );
  return peoplePage(principal, 'officers', rows, keyset, toOfficerDto);
}

/** One officer in reach (404 otherwise). */
export async function readOfficer(db: Executor, principal: Principal, officerId: string, now: Date) {
  return officerAnswer(principal, await getOfficer(db, await registerReach(db, principal, now), officerId));
}

/** Adds an officer; the NIP is unique nationally (409), the dates by the facility's calendar (422). */
export async function createOfficer(
  change: Change,
  { principal, facility }: OfficerRegister,
  input: OfficerFieldsOutput,
) {
  throwFirst(officerErrors(input, localDate(change.now, facility.timezone)));
  const [row] = await change.tx
    .insert(officers)
    .values({
      pseudonym: newPseudonym('PTG'),
      facilityId: facility.id,
      nip: input.nip,
      name: input.name,
      sex: input.sex,
      position: input.position,
      unit: input.unit,
      status: input.status,
      joinedOn: input.joined_on,
      leftOn: input.left_on ?? null,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'officer.created',
    entityType: 'officer',
    entityId: row.id,
    facilityId: facility.id,
    after: toOfficerDto(row),
  });
  return officerAnswer(principal, row);
}

/** Updates an officer at the version read (412); a status that has left needs its day (422). */
export async function updateOfficer(
  change: Change,
  { principal, facility, officer: before }: KeptOfficer,
  expectedVersion: number,
  input: OfficerUpdateInput,
) {
  checkVersion(before.version, expectedVersion);
  const next = {
    name: input.name ?? before.name,
    sex: input.sex ?? before.sex,
    position: input.position ?? before.position,
    unit: input.unit ?? before.unit,
    status: input.status ?? before.status,
    joinedOn: input.joined_on ?? before.joinedOn,
    leftOn: input.left_on === undefined ? before.leftOn : input.left_on,
  };
  throwFirst(
    officerErrors(
      { status: next.status, joined_on: next.joinedOn, left_on: next.leftOn },
      localDate(change.now, facility.timezone),
    ),
  );
  const row = await updateVersioned(change.tx, officers, before, next, change.now);
  await change.audit({
    action: 'officer.updated',
    entityType: 'officer',
    entityId: before.id,
    facilityId: before.facilityId,
    before: toOfficerDto(before),
    after: toOfficerDto(row),
  });
  return officerAnswer(principal, row);
}
