import { and, asc, count, eq, gt, gte, inArray, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, facilityReach, PURPOSES, reaches } from '../../core/access.ts';
import { addDays, dayStart } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { inReach, updatedSince } from '../../db/filters.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, refuse } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { users } from '../auth/tables.ts';
import { facilities } from '../facilities/tables.ts';
import { mouStatus } from '../mous/service.ts';
import { mous } from '../mous/tables.ts';
import { organisations } from '../organisations/tables.ts';
import { type ProgrammeRow, type ProgrammeView, toProgrammeDto } from './dto.ts';
import type { ProgrammeCreateInput, ProgrammeListQueryInput, ProgrammeUpdateInput } from './schemas.ts';
import { rehabEnrolments, rehabFacilitators, rehabProgrammes, rehabSessions } from './tables.ts';

/** A BNN officer reaches a facility's programmes only under an MoU in force with rehabilitation in scope. */
export const rehabReach = (db: Executor, principal: Principal, now: Date) =>
  facilityReach(db, principal, now, PURPOSES.rehab);

/** Who runs a programme: an administrator, or an officer of the BNN unit whose MoU it is under. */
export function mayRun(principal: Principal, programme: ProgrammeRow): boolean {
  return (
    principal.role === 'admin' || (principal.role === 'bnn_officer' && principal.organisationId === programme.bnnUnitId)
  );
}

// ---------------------------------------------------------------------------------------------
// Programmes

// Subqueries name the outer table: drizzle leaves a lone table's columns unqualified.
const facilitatorList = sql<{ user_id: string; role: 'lead' | 'regular' | 'cover' }[]>`(
  SELECT coalesce(json_agg(json_build_object('user_id', f.user_id, 'role', f.role) ORDER BY f.role, f.user_id), '[]')
    FROM rehab_programme_facilitators f WHERE f.programme_id = "rehab_programmes"."id")`;
const activeCount = sql<number>`(SELECT count(*)::int FROM rehab_enrolments e
  WHERE e.programme_id = "rehab_programmes"."id" AND e.status = 'active')`;
const programmeSelection = {
  programme: rehabProgrammes,
  facilitators: facilitatorList,
  active: activeCount,
  timezone: facilities.timezone,
};
function programmesQuery(db: Executor) {
  return db
    .select(programmeSelection)
    .from(rehabProgrammes)
    .innerJoin(facilities, eq(facilities.id, rehabProgrammes.facilityId));
}

export async function getProgramme(
  db: Executor,
  reach: FacilityReach,
  id: string,
  lock = false,
): Promise<ProgrammeView> {
  const query = programmesQuery(db).where(eq(rehabProgrammes.id, id));
  // The lock orders the writers of one programme: capacity and the schedule are judged under it.
  const [row] = lock ? await query.for('update', { of: rehabProgrammes }) : await query;
  if (!row || !reaches(reach, row.programme.facilityId)) throw notFound('rehab programme');
  return row;
}

/**
 * A programme to run (its sessions, enrolments, slots or itself): loaded under its lock, 404 out
 * of reach, then 403 for a caller who does not run it.
 */
export async function programmeToRun(change: Change, principal: Principal, id: string): Promise<ProgrammeView> {
  const reach = await rehabReach(change.tx, principal, change.now);
  const programme = await getProgramme(change.tx, reach, id, true);
  if (!mayRun(principal, programme.programme)) throw forbidden();
  return programme;
}

/**
 * A session or enrolment to change, with its programme: the record found in reach (404) names its
 * programme, which is locked first, then the record, the order every writer takes them in; then
 * 403 for a caller who does not run the programme.
 */
export async function recordToRun<T>(
  change: Change,
  principal: Principal,
  load: (reach: FacilityReach, lock: boolean) => Promise<T>,
  programmeOf: (record: T) => string,
): Promise<{ programme: ProgrammeView; record: T }> {
  const reach = await rehabReach(change.tx, principal, change.now);
  const programmeId = programmeOf(await load(reach, false));
  const programme = await getProgramme(change.tx, reach, programmeId, true);
  const record = await load(reach, true);
  if (!mayRun(principal, programme.programme)) throw forbidden();
  return { programme, record };
}

/** Programmes in reach, by filter; one page. */
export async function listProgrammes(db: Executor, principal: Principal, now: Date, q: ProgrammeListQueryInput) {
  const reach = await rehabReach(db, principal, now);
  const after = decodeCursor(q.cursor);
  const rows = await findProgrammes(db, reach, q, after);
  return page(rows, q.limit, (v) => v.programme.id, toProgrammeDto);
}

async function findProgrammes(
  db: Executor,
  reach: FacilityReach,
  q: ProgrammeListQueryInput,
  after: string | undefined,
): Promise<ProgrammeView[]> {
  const where: (SQL | undefined)[] = [inReach(rehabProgrammes.facilityId, reach)];
  if (q.facility_id) where.push(eq(rehabProgrammes.facilityId, q.facility_id));
  if (q.modality) where.push(eq(rehabProgrammes.modality, q.modality));
  if (q.active_on) {
    where.push(sql`${q.active_on}::date BETWEEN ${rehabProgrammes.startsOn} AND ${rehabProgrammes.endsOn}`);
  }
  where.push(updatedSince(rehabProgrammes.updatedAt, q.updated_since));
  if (after) where.push(gt(rehabProgrammes.id, after));
  return programmesQuery(db)
    .where(and(...where))
    .orderBy(asc(rehabProgrammes.id))
    .limit(q.limit + 1);
}

/** One programme in reach. */
export async function readProgramme(db: Executor, principal: Principal, now: Date, id: string) {
  return toProgrammeDto(await getProgramme(db, await rehabReach(db, principal, now), id));
}

/** The MoU a programme runs under, with whether it is in force at `now` and covers the facility for rehabilitation. */
export async function mouFor(db: Executor, mouId: string, facilityId: string, now: Date) {
  const [row] = await db
    .select({
      mou: mous,
      status: mouStatus(now),
      covers: sql<boolean>`EXISTS (SELECT 1 FROM mou_facilities mf
        WHERE mf.mou_id = ${mous.id} AND mf.facility_id = ${facilityId})`,
    })
    .from(mous)
    .innerJoin(organisations, eq(organisations.id, mous.bnnUnitId))
    .where(eq(mous.id, mouId));
  return row;
}

function mouMustCover(
  mou: Awaited<ReturnType<typeof mouFor>>,
  principal: Principal,
): asserts mou is NonNullable<Awaited<ReturnType<typeof mouFor>>> {
  if (!mou || (principal.role === 'bnn_officer' && mou.mou.bnnUnitId !== principal.organisationId)) {
    refuse('/mou_id', 'rehab_mou_not_yours');
  }
  if (mou.status !== 'active' || !mou.mou.scope.includes('rehabilitation') || !mou.covers) {
    refuse('/mou_id', 'rehab_mou_not_covering');
  }
}

export async function createProgramme(change: Change, principal: Principal, input: ProgrammeCreateInput) {
  if (principal.role !== 'admin' && principal.role !== 'bnn_officer') throw forbidden();
  const reach = await rehabReach(change.tx, principal, change.now);
  if (!reaches(reach, input.facility_id)) {
    refuse('/facility_id', 'rehab_facility_out_of_reach');
  }
  const mou = await mouFor(change.tx, input.mou_id, input.facility_id, change.now);
  mouMustCover(mou, principal);
  if (input.ends_on < input.starts_on) refuse('/ends_on', 'rehab_programme_ends_before_start');
  if (input.starts_on < mou.mou.validFrom || input.ends_on > mou.mou.validUntil) {
    refuse('/ends_on', 'rehab_programme_outside_mou', { from: mou.mou.validFrom, until: mou.mou.validUntil });
  }
  const ids = input.facilitators.map((f) => f.user_id);
  const staff = await change.tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        inArray(users.id, ids),
        eq(users.role, 'bnn_officer'),
        eq(users.organisationId, mou.mou.bnnUnitId),
        eq(users.active, true),
      ),
    );
  const strangers = ids.filter((id) => !staff.some((s) => s.id === id));
  if (strangers.length) {
    refuse('/facilitators', 'rehab_facilitators_not_of_unit', { strangers: strangers.join(', ') });
  }
  const [row] = await change.tx
    .insert(rehabProgrammes)
    .values({
      facilityId: input.facility_id,
      mouId: input.mou_id,
      bnnUnitId: mou.mou.bnnUnitId,
      title: input.title,
      modality: input.modality,
      curriculum: input.curriculum,
      startsOn: input.starts_on,
      endsOn: input.ends_on,
      capacity: input.capacity,
      rooms: input.rooms,
      completionMinRate: String(input.completion_min_rate),
      completionRequiresLast: input.completion_requires_last,
      createdBy: principal.id,
    })
    .returning({ id: rehabProgrammes.id });
  if (!row) throw new Error('insert returned nothing');
  await change.tx
    .insert(rehabFacilitators)
    .values(input.facilitators.map((f) => ({ programmeId: row.id, userId: f.user_id, role: f.role })));
  const view = await getProgramme(change.tx, { all: true }, row.id);
  await change.audit({
    action: 'rehab.programme_created',
    entityType: 'rehab_programme',
    entityId: row.id,
    facilityId: input.facility_id,
    after: toProgrammeDto(view),
  });
  return toProgrammeDto(view);
}

export async function updateProgramme(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: ProgrammeUpdateInput,
) {
  const before = await programmeToRun(change, principal, id);
  const p = before.programme;
  checkVersion(p.version, expectedVersion);
  const capacity = input.capacity ?? p.capacity;
  const active = await activeEnrolments(change.tx, id);
  if (capacity < active) {
    refuse('/capacity', 'rehab_capacity_below_active', { active });
  }
  const endsOn = input.ends_on ?? p.endsOn;
  if (input.ends_on) {
    const mou = await mouFor(change.tx, p.mouId, p.facilityId, change.now);
    if (endsOn < p.startsOn || (mou && endsOn > mou.mou.validUntil)) {
      refuse('/ends_on', 'rehab_programme_end_outside');
    }
    const [late] = await change.tx
      .select({ id: rehabSessions.id })
      .from(rehabSessions)
      .where(
        and(
          eq(rehabSessions.programmeId, id),
          eq(rehabSessions.status, 'scheduled'),
          gte(rehabSessions.startsAt, dayStart(addDays(endsOn, 1), before.timezone)),
        ),
      )
      .limit(1);
    if (late) {
      refuse('/ends_on', 'rehab_session_after_new_end', { session: late.id });
    }
  }
  await updateVersioned(change.tx, rehabProgrammes, p, { title: input.title ?? p.title, capacity, endsOn }, change.now);
  const after = await getProgramme(change.tx, { all: true }, id);
  await change.audit({
    action: 'rehab.programme_updated',
    entityType: 'rehab_programme',
    entityId: id,
    facilityId: p.facilityId,
    before: toProgrammeDto(before),
    after: toProgrammeDto(after),
  });
  return toProgrammeDto(after);
}

/**
 * Active enrolments of a programme, counted in a statement of its own after the programme's lock:
 * the locking read's snapshot may predate an enrolment committed while it waited.
 */
export async function activeEnrolments(db: Executor, programmeId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(rehabEnrolments)
    .where(and(eq(rehabEnrolments.programmeId, programmeId), eq(rehabEnrolments.status, 'active')));
  return row?.n ?? 0;
}
