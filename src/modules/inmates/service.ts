import { and, asc, eq, sql } from 'drizzle-orm';
import { type FacilityReach, reaches, reachFor } from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type ReadRecord, readNamed } from '../../core/named-read.ts';
import type { Db, Executor } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import { inReach, keysetOrder, startsWith, updatedSince } from '../../db/filters.ts';
import { newPseudonym } from '../../db/pseudonym.ts';
import { stampedKeysetOf } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound } from '../../http/problem.ts';
import { peoplePage, requireSightForFilter, throwFirst } from '../../http/register.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { getFacility, registerFacility } from '../facilities/service.ts';
import { type InmateRow, inmateAnswer, placementAnswer, toInmateDto } from './dto.ts';
import { inmateAdmitted } from './events.ts';
import { dateErrors, requireOpen } from './rules.ts';
import type { InmateFieldsOutput, InmateListInput, InmateUpdateInput } from './schemas.ts';
import { inmatePlacements, inmates } from './tables.ts';

// The inmates' register: its reads, and the commands that add and correct an entry. Admission's
// sequels (release, transfer) are in movements.ts, the import from SDP in imports.ts.

export type Facility = Awaited<ReturnType<typeof getFacility>>;

/** A facility's register, for someone who may keep it. */
export interface InmateRegister {
  principal: Principal;
  facility: Facility;
}

/** A person in reach, with the facility that holds them, for someone who may keep its register. */
export interface KeptInmate extends InmateRegister {
  reach: FacilityReach;
  inmate: InmateRow;
}

// A BNN officer reaches a register only under an MoU whose work needs the people in it.
const registerReach = (db: Executor, principal: Principal, now: Date) => reachFor(db, () => now, 'inmates')(principal);

/** `share` locks the row against a concurrent release or transfer until the caller's transaction ends. */
export async function getInmate(db: Executor, reach: FacilityReach, id: string, lock?: 'share'): Promise<InmateRow> {
  const query = db.select().from(inmates).where(eq(inmates.id, id));
  const [row] = lock ? await query.for('share') : await query;
  if (!row || !reaches(reach, row.facilityId)) throw notFound('inmate');
  return row;
}

/** The register of a facility in reach (404 outside reach, then 403 for a role that does not keep it). */
export async function keepInmateRegister(
  db: Executor,
  principal: Principal,
  facilityId: string,
  now: Date,
): Promise<InmateRegister> {
  const facility = await registerFacility(db, principal, await registerReach(db, principal, now), facilityId);
  return { principal, facility };
}

/** An inmate in reach, with the facility that holds them, for a write (404, then 403). */
export async function keepInmate(db: Executor, principal: Principal, inmateId: string, now: Date): Promise<KeptInmate> {
  const reach = await registerReach(db, principal, now);
  const inmate = await getInmate(db, reach, inmateId);
  const facility = await registerFacility(db, principal, reach, inmate.facilityId);
  return { principal, reach, inmate, facility };
}

/**
 * A page of the inmates in reach; with facilityId, of that facility (404 outside reach). Filtering
 * by name or number needs personal_data (403).
 */
export async function listInmates(
  db: Db,
  principal: Principal,
  q: InmateListInput,
  now: Date,
  facilityId?: string,
  record?: ReadRecord,
) {
  const reach = await registerReach(db, principal, now);
  if (facilityId) await getFacility(db, reach, facilityId);
  requireSightForFilter(principal, q.name, q.registration_number);
  // A re-sync is ordered by updated_at, else the list by id: each has its index.
  const keyset = stampedKeysetOf(q, q.updated_since ? 'updated_at' : undefined);
  const order = keysetOrder(
    inmates.id,
    keyset,
    q.updated_since ? { column: inmates.updatedAt, type: 'timestamptz' } : undefined,
  );
  const where = [inReach(inmates.facilityId, reach)];
  if (q.facility_id) where.push(eq(inmates.facilityId, q.facility_id));
  if (q.name) where.push(startsWith(inmates.name, q.name));
  if (q.registration_number) where.push(eq(inmates.registrationNumber, q.registration_number));
  if (q.status) where.push(eq(inmates.status, q.status));
  if (q.case_type) where.push(eq(inmates.caseType, q.case_type));
  if (q.block) where.push(eq(inmates.block, q.block));
  where.push(updatedSince(inmates.updatedAt, q.updated_since));
  where.push(order.after);
  const query = db
    .select({ row: inmates, at: order.at.as('at') })
    .from(inmates)
    .where(and(...where))
    .orderBy(...order.orderBy)
    .limit(keyset.limit + 1);
  const rows = await readNamed(
    db,
    query,
    { id: inmates.id, facilityId: inmates.facilityId, shown: keyset.limit },
    record,
  );
  return peoplePage(principal, 'inmates', rows, keyset, toInmateDto);
}

/** One person in reach (404 otherwise), with where they were held, oldest stay first. */
export async function readInmate(db: Executor, principal: Principal, inmateId: string, now: Date) {
  const row = await getInmate(db, await registerReach(db, principal, now), inmateId);
  const stays = await db
    .select()
    .from(inmatePlacements)
    .where(eq(inmatePlacements.inmateId, row.id))
    .orderBy(asc(inmatePlacements.fromDate), asc(inmatePlacements.createdAt));
  return { ...inmateAnswer(principal, row), placements: stays.map((p) => placementAnswer(principal, p)) };
}

/** Admits a person: the entry and their first stay. Dates by the facility's calendar (422). */
export async function createInmate(change: Change, { principal, facility }: InmateRegister, input: InmateFieldsOutput) {
  throwFirst(dateErrors(input, localDate(change.now, facility.timezone)));
  const id = uuidv7();
  const [row] = await change.tx
    .insert(inmates)
    .values({
      id,
      pseudonym: newPseudonym('WBP'),
      facilityId: facility.id,
      registrationNumber: input.registration_number,
      name: input.name,
      sex: input.sex,
      birthDate: input.birth_date,
      caseType: input.case_type,
      admissionDate: input.admission_date,
      expectedReleaseDate: input.expected_release_date ?? null,
      block: input.block ?? null,
      cell: input.cell ?? null,
      status: input.status,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.tx.insert(inmatePlacements).values({
    inmateId: id,
    facilityId: facility.id,
    registrationNumber: input.registration_number,
    fromDate: input.admission_date,
  });
  await change.audit({
    action: 'inmate.created',
    entityType: 'inmate',
    entityId: id,
    facilityId: facility.id,
    after: toInmateDto(row),
  });
  await inmateAdmitted.emit(
    change,
    { subject: { type: 'inmate', id }, facilityIds: [facility.id], people: [{ type: 'inmate', id }] },
    { inmate_id: id, facility_id: facility.id, admission_date: row.admissionDate, status: input.status },
  );
  return inmateAnswer(principal, row);
}

/** Corrects an entry at the version read (412), while the person is held (409); dates checked (422). */
export async function updateInmate(
  change: Change,
  { principal, facility, inmate: before }: KeptInmate,
  expectedVersion: number,
  input: InmateUpdateInput,
) {
  checkVersion(before.version, expectedVersion);
  requireOpen(before);
  const next = {
    registrationNumber: input.registration_number ?? before.registrationNumber,
    name: input.name ?? before.name,
    sex: input.sex ?? before.sex,
    birthDate: input.birth_date ?? before.birthDate,
    caseType: input.case_type ?? before.caseType,
    expectedReleaseDate:
      input.expected_release_date === undefined ? before.expectedReleaseDate : input.expected_release_date,
    block: input.block === undefined ? before.block : input.block,
    cell: input.cell === undefined ? before.cell : input.cell,
    status: input.status ?? before.status,
  };
  throwFirst(
    dateErrors(
      {
        birth_date: next.birthDate,
        admission_date: before.admissionDate,
        expected_release_date: next.expectedReleaseDate,
      },
      localDate(change.now, facility.timezone),
    ),
  );
  const row = await updateVersioned(change.tx, inmates, before, next, change.now);
  if (next.registrationNumber !== before.registrationNumber) {
    await change.tx
      .update(inmatePlacements)
      .set({ registrationNumber: next.registrationNumber })
      .where(and(eq(inmatePlacements.inmateId, before.id), sql`${inmatePlacements.untilDate} IS NULL`));
  }
  await change.audit({
    action: 'inmate.updated',
    entityType: 'inmate',
    entityId: before.id,
    facilityId: before.facilityId,
    before: toInmateDto(before),
    after: toInmateDto(row),
  });
  return inmateAnswer(principal, row);
}
