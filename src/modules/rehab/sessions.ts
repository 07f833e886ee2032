import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { dayStart, instantIn, localDate, localTime } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows, type Tx } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import { reasonOf, reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, Problem, refuse } from '../../http/problem.ts';
import { facilities } from '../facilities/tables.ts';
import type { SessionCreateInput, SessionUpdateInput } from './schemas.ts';
import { getProgramme, mayRun, mouFor, type ProgrammeView } from './service.ts';
import { rehabProgrammes, rehabRoster, rehabSessions } from './tables.ts';

type ProgrammeRow = typeof rehabProgrammes.$inferSelect;
type SessionRow = typeof rehabSessions.$inferSelect;

// Dated sessions: booking, numbering, moves and cancellations.

const expectedCount = sql<number>`(SELECT count(*)::int FROM rehab_session_inmates r
  WHERE r.session_id = "rehab_sessions"."id")`;
const sessionSelection = {
  session: rehabSessions,
  number: rehabSessions.number,
  expected: expectedCount,
  timezone: facilities.timezone,
  curriculum: rehabProgrammes.curriculum,
};
export type SessionView = {
  session: SessionRow;
  number: number | null;
  expected: number;
  timezone: string;
  curriculum: ProgrammeRow['curriculum'];
};

export function toSessionDto(view: SessionView) {
  const s = view.session;
  return {
    id: s.id,
    programme_id: s.programmeId,
    facility_id: s.facilityId,
    slot_id: s.slotId,
    number: view.number,
    curriculum_title: view.number ? (view.curriculum[view.number - 1]?.title ?? null) : null,
    starts_at: localTime(s.startsAt, view.timezone),
    ends_at: localTime(s.endsAt, view.timezone),
    room: s.room,
    facilitator_id: s.facilitatorId,
    status: s.status,
    cancel_reason: s.cancelReason,
    held: s.attendanceVersion > 0,
    recorded_afterwards: s.recordedAfterwards,
    expected: view.expected,
    version: s.version,
    created_at: isoNotNull(s.createdAt),
    updated_at: isoNotNull(s.updatedAt),
  };
}

function sessionsQuery(db: Executor) {
  return db
    .select(sessionSelection)
    .from(rehabSessions)
    .innerJoin(facilities, eq(facilities.id, rehabSessions.facilityId))
    .innerJoin(rehabProgrammes, eq(rehabProgrammes.id, rehabSessions.programmeId));
}

export async function getSession(db: Executor, reach: FacilityReach, id: string, lock = false): Promise<SessionView> {
  const query = sessionsQuery(db).where(eq(rehabSessions.id, id));
  const [row] = lock ? await query.for('update', { of: rehabSessions }) : await query;
  if (!row || !reaches(reach, row.session.facilityId)) throw notFound('rehab session');
  return row;
}

/** A programme's sessions in time order; the cursor is the last session's id. */
export async function listSessions(
  db: Executor,
  programme: ProgrammeView,
  filter: { from?: string; to?: string; status?: SessionRow['status']; after?: string; limit: number },
): Promise<SessionView[]> {
  const tz = programme.timezone;
  const where: SQL[] = [eq(rehabSessions.programmeId, programme.programme.id)];
  if (filter.from) where.push(sql`${rehabSessions.startsAt} >= ${dayStart(filter.from, tz).toISOString()}`);
  if (filter.to) {
    where.push(
      sql`${rehabSessions.startsAt} < ${dayStart(filter.to, tz).toISOString()}::timestamptz + interval '1 day'`,
    );
  }
  if (filter.status) where.push(eq(rehabSessions.status, filter.status));
  if (filter.after) {
    where.push(
      sql`(${rehabSessions.startsAt}, ${rehabSessions.id}) > (SELECT a.starts_at, a.id FROM rehab_sessions a WHERE a.id = ${filter.after})`,
    );
  }
  return sessionsQuery(db)
    .where(and(...where))
    .orderBy(asc(rehabSessions.startsAt), asc(rehabSessions.id))
    .limit(filter.limit + 1);
}

export interface Candidate {
  startsAt: Date;
  endsAt: Date;
  room: string;
  facilitatorId: string;
}

/**
 * Numbers a programme's open sessions (not cancelled, attendance not recorded) in time order,
 * each following the last held session before it: a held session keeps its number, so writing
 * one up afterwards, cancelling or moving another never renumbers what was held. A renumbered
 * session's version moves, so a client holding its old number (and ETag) is told it is stale;
 * the sessions this write has just made or changed (`written`) already carry their new version.
 */
export async function renumber(db: Executor, programmeId: string, written: readonly string[] = []) {
  await queryRows(
    db,
    sql`WITH o AS (SELECT id, number, attendance_version > 0 AS held,
                          row_number() OVER (ORDER BY starts_at, id)::int AS pos
                     FROM rehab_sessions WHERE programme_id = ${programmeId} AND status = 'scheduled'),
             a AS (SELECT o.*, max(CASE WHEN held THEN pos END) OVER (ORDER BY pos) AS anchor FROM o),
             n AS (SELECT a.id, coalesce(h.number, 0) + a.pos - coalesce(a.anchor, 0) AS number
                     FROM a LEFT JOIN a h ON h.pos = a.anchor WHERE NOT a.held)
        UPDATE rehab_sessions s SET number = n.number, updated_at = now(),
               version = s.version + CASE WHEN s.id = ANY(${sql.param([...written])}::uuid[]) THEN 0 ELSE 1 END
          FROM n
         WHERE s.id = n.id AND s.attendance_version = 0 AND s.number IS DISTINCT FROM n.number`,
  );
}

/**
 * The first booking a candidate would collide with: the same room at the facility, the same
 * facilitator anywhere, or an inmate enrolled (active) in this programme already on another
 * session at that time. One set-based query for every candidate.
 */
export async function findConflict(
  db: Executor,
  programme: ProgrammeRow,
  candidates: Candidate[],
  except?: string,
  inmateIds?: string[],
): Promise<{ i: number; session_id: string; kind: string; starts_at: Date } | undefined> {
  const col = <T>(pick: (c: Candidate, i: number) => T) => sql.param(candidates.map(pick));
  const other = except ?? '00000000-0000-0000-0000-000000000000';
  const [hit] = await queryRows<{ i: number; session_id: string; kind: string; starts_at: Date }>(
    db,
    sql`WITH c AS (
          SELECT * FROM unnest(${col((_, i) => i)}::int[], ${col((c) => c.startsAt.toISOString())}::timestamptz[],
                               ${col((c) => c.endsAt.toISOString())}::timestamptz[], ${col((c) => c.room)}::text[],
                               ${col((c) => c.facilitatorId)}::uuid[]) AS c(i, starts_at, ends_at, room, facilitator_id))
        (SELECT c.i, s.id AS session_id, 'room ' || s.room AS kind, s.starts_at FROM c
           JOIN rehab_sessions s ON s.facility_id = ${programme.facilityId} AND s.room = c.room AND s.status = 'scheduled'
            AND tstzrange(s.starts_at, s.ends_at) && tstzrange(c.starts_at, c.ends_at) AND s.id <> ${other}
         UNION ALL
         SELECT c.i, s.id, 'facilitator', s.starts_at FROM c
           JOIN rehab_sessions s ON s.facilitator_id = c.facilitator_id AND s.status = 'scheduled'
            AND tstzrange(s.starts_at, s.ends_at) && tstzrange(c.starts_at, c.ends_at) AND s.id <> ${other}
         UNION ALL
         SELECT c.i, r.session_id, 'inmate ' || r.inmate_id, r.starts_at FROM c
           JOIN rehab_session_inmates r ON r.session_id <> ${other}
            AND ${
              inmateIds
                ? sql`r.inmate_id = ANY(${sql.param(inmateIds)}::uuid[])`
                : sql`r.inmate_id IN (SELECT e.inmate_id FROM rehab_enrolments e
                                       WHERE e.programme_id = ${programme.id} AND e.status = 'active')`
            }
            AND tstzrange(r.starts_at, r.ends_at) && tstzrange(c.starts_at, c.ends_at))
        ORDER BY i LIMIT 1`,
  );
  return hit;
}

export function conflictProblem(hit: { session_id: string; kind: string; starts_at: Date | string }, timezone: string) {
  return new Problem(409, 'conflict', {
    reason: reasonOf.booked(hit.kind, hit.session_id, localTime(new Date(hit.starts_at), timezone)),
  });
}

/** Runs `fn` in a savepoint, so that a refused statement leaves the transaction usable. */
export async function savepoint<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await tx.execute(sql`SAVEPOINT booking`);
  try {
    const result = await fn();
    await tx.execute(sql`RELEASE SAVEPOINT booking`);
    return result;
  } catch (err) {
    await tx.execute(sql`ROLLBACK TO SAVEPOINT booking`);
    throw err;
  }
}

export const isExclusion = (err: unknown) => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23P01') return true;
  }
  return false;
};

/**
 * Books candidates as sessions: a clear 409 naming the session in the way, found before writing;
 * and when a racing booking commits first, the database's exclusion constraint refuses, and the
 * 409 names the winner. Then puts the programme's active enrolments on the sessions still to come.
 */
export async function book(
  change: Change,
  principal: Principal,
  programme: ProgrammeView,
  candidates: Candidate[],
  slotId: string | null,
  now: Date,
): Promise<string[]> {
  const p = programme.programme;
  const refuse = async () => {
    const hit = await findConflict(change.tx, p, candidates);
    return hit
      ? conflictProblem(hit, programme.timezone)
      : new Problem(409, 'conflict', { reason: reasons.sessions_overlap });
  };
  const first = await findConflict(change.tx, p, candidates);
  if (first) throw conflictProblem(first, programme.timezone);
  try {
    return await savepoint(change.tx, async () => {
      const rows = await change.tx
        .insert(rehabSessions)
        .values(
          candidates.map((c) => ({
            programmeId: p.id,
            facilityId: p.facilityId,
            slotId,
            startsAt: c.startsAt,
            endsAt: c.endsAt,
            room: c.room,
            facilitatorId: c.facilitatorId,
            createdBy: principal.id,
          })),
        )
        .returning({ id: rehabSessions.id });
      const ids = rows.map((r) => r.id);
      await queryRows(
        change.tx,
        sql`INSERT INTO rehab_session_inmates (session_id, enrolment_id, inmate_id, facility_id, starts_at, ends_at)
            SELECT s.id, e.id, e.inmate_id, e.facility_id, s.starts_at, s.ends_at
              FROM rehab_sessions s JOIN rehab_enrolments e ON e.programme_id = s.programme_id AND e.status = 'active'
             WHERE s.id = ANY(${sql.param(ids)}::uuid[]) AND s.starts_at > ${now.toISOString()}::timestamptz`,
      );
      await renumber(change.tx, p.id, ids);
      return ids;
    });
  } catch (err) {
    if (isExclusion(err)) throw await refuse();
    throw err;
  }
}

/**
 * Session times must fall within the programme's dates, and the MoU (in force at `now`) must still
 * be in force then. Sessions are booked ahead; one already held (`held`) is written up through its own route.
 */
export async function checkWithin(
  db: Executor,
  programme: ProgrammeView,
  candidates: Candidate[],
  pointer: string,
  now: Date,
  held = false,
) {
  const p = programme.programme;
  if (!held && candidates.some((c) => c.startsAt <= now)) {
    refuse(pointer, 'rehab_session_in_past');
  }
  const mou = await mouFor(db, p.mouId, p.facilityId, now);
  const until = mou?.status === 'active' ? mou.mou.validUntil : null;
  for (const c of candidates) {
    const day = localDate(c.startsAt, programme.timezone);
    if (day < p.startsOn || day > p.endsOn) {
      refuse(pointer, 'rehab_day_outside_programme', { day, from: p.startsOn, until: p.endsOn });
    }
    if (!until || day > until) {
      refuse(pointer, 'rehab_mou_not_in_force_on', { day });
    }
  }
}

export function checkRoomAndFacilitator(programme: ProgrammeView, room: string, facilitatorId: string) {
  if (!programme.programme.rooms.includes(room)) {
    refuse('/room', 'rehab_room_unknown', { rooms: programme.programme.rooms.join(', ') });
  }
  if (!programme.facilitators.some((f) => f.user_id === facilitatorId)) {
    refuse('/facilitator_id', 'rehab_facilitator_unknown');
  }
}

export function candidateOf(input: SessionCreateInput, timezone: string): Candidate {
  const startsAt = instantIn(input.starts_at, timezone);
  // A wall-clock time must name a real moment of that day (no 30 February, no 24:30).
  const local = /([zZ]|[+-]\d{2}:\d{2})$/.test(input.starts_at) ? undefined : input.starts_at.slice(0, 16);
  if (Number.isNaN(startsAt.getTime()) || (local && localTime(startsAt, timezone).slice(0, 16) !== local)) {
    refuse('/starts_at', 'rehab_time_does_not_exist', { time: input.starts_at });
  }
  return {
    startsAt,
    endsAt: new Date(startsAt.getTime() + input.duration_minutes * 60_000),
    room: input.room,
    facilitatorId: input.facilitator_id,
  };
}

export async function addSession(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  programmeId: string,
  input: SessionCreateInput,
  now: Date,
): Promise<SessionView> {
  const programme = await getProgramme(change.tx, reach, programmeId, true);
  if (!mayRun(principal, programme.programme)) throw forbidden();
  checkRoomAndFacilitator(programme, input.room, input.facilitator_id);
  const candidate = candidateOf(input, programme.timezone);
  await checkWithin(change.tx, programme, [candidate], '/starts_at', now);
  const [id] = await book(change, principal, programme, [candidate], null, now);
  const view = await getSession(change.tx, { all: true }, id as string);
  await change.audit({
    action: 'rehab.session_added',
    entityType: 'rehab_session',
    entityId: view.session.id,
    facilityId: view.session.facilityId,
    after: toSessionDto(view),
  });
  return view;
}

/** A session still open to change: scheduled, its attendance not yet recorded. */
function requireOpen(s: SessionRow) {
  if (s.status === 'cancelled') throw new Problem(409, 'conflict', { reason: reasons.session_cancelled });
  if (s.attendanceVersion > 0) throw new Problem(409, 'conflict', { reason: reasons.session_held });
}

export async function moveSession(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  id: string,
  expectedVersion: number,
  input: SessionUpdateInput,
  now: Date,
): Promise<SessionView> {
  // The programme first, then the session: every writer takes the locks in that order.
  const { programmeId } = (await getSession(change.tx, reach, id)).session;
  const programme = await getProgramme(change.tx, reach, programmeId, true);
  const before = await getSession(change.tx, reach, id, true);
  const s = before.session;
  if (!mayRun(principal, programme.programme)) throw forbidden();
  if (s.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: s.version });
  requireOpen(s);
  const tz = programme.timezone;
  const next = candidateOf(
    {
      starts_at: input.starts_at ?? localTime(s.startsAt, tz),
      duration_minutes: input.duration_minutes ?? Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000),
      room: input.room ?? s.room,
      facilitator_id: input.facilitator_id ?? s.facilitatorId,
    },
    tz,
  );
  checkRoomAndFacilitator(programme, next.room, next.facilitatorId);
  await checkWithin(change.tx, programme, [next], '/starts_at', now);
  const hit = await findConflict(change.tx, programme.programme, [next], id);
  if (hit) throw conflictProblem(hit, tz);
  try {
    await savepoint(change.tx, async () => {
      await change.tx
        .update(rehabSessions)
        .set({
          startsAt: next.startsAt,
          endsAt: next.endsAt,
          room: next.room,
          facilitatorId: next.facilitatorId,
          version: s.version + 1,
          updatedAt: change.now,
        })
        .where(eq(rehabSessions.id, id));
      await change.tx
        .update(rehabRoster)
        .set({ startsAt: next.startsAt, endsAt: next.endsAt })
        .where(eq(rehabRoster.sessionId, id));
      await renumber(change.tx, programmeId, [id]);
    });
  } catch (err) {
    if (!isExclusion(err)) throw err;
    const winner = await findConflict(change.tx, programme.programme, [next], id);
    throw winner ? conflictProblem(winner, tz) : new Problem(409, 'conflict', { reason: reasons.concurrent_booking });
  }
  const after = await getSession(change.tx, { all: true }, id);
  await change.audit({
    action: 'rehab.session_moved',
    entityType: 'rehab_session',
    entityId: id,
    facilityId: s.facilityId,
    before: toSessionDto(before),
    after: toSessionDto(after),
  });
  return after;
}

/** A cancelled session frees its room, facilitator and inmates, and does not count as held. */
export async function cancelSession(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  id: string,
  reason: string,
): Promise<SessionView> {
  const { programmeId } = (await getSession(change.tx, reach, id)).session;
  const programme = await getProgramme(change.tx, reach, programmeId, true);
  const before = await getSession(change.tx, reach, id, true);
  if (!mayRun(principal, programme.programme)) throw forbidden();
  requireOpen(before.session);
  await change.tx.delete(rehabRoster).where(eq(rehabRoster.sessionId, id));
  await change.tx
    .update(rehabSessions)
    .set({
      status: 'cancelled',
      cancelReason: reason,
      number: null,
      version: before.session.version + 1,
      updatedAt: change.now,
    })
    .where(eq(rehabSessions.id, id));
  await renumber(change.tx, programmeId);
  const after = await getSession(change.tx, { all: true }, id);
  await change.audit({
    action: 'rehab.session_cancelled',
    entityType: 'rehab_session',
    entityId: id,
    facilityId: before.session.facilityId,
    before: toSessionDto(before),
    after: toSessionDto(after),
  });
  return after;
}
