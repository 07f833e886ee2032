import { asc, sql } from 'drizzle-orm';
import { instantIn, localDate, localTime } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, inIds, queryRows, type Tx } from '../../db/client.ts';
import { reasonOf, reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { Problem, refuse } from '../../http/problem.ts';
import type { ProgrammeRow, ProgrammeView } from './dto.ts';
import { bookingOf, sessionPlace, sessionScheduled } from './events.ts';
import { mouFor } from './programmes.ts';
import type { SessionCreateInput } from './schemas.ts';
import { rehabSessions } from './tables.ts';

// Booking sessions: the checks every booking makes, the clash finder, and the numbering.

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
 * Writes a booking unless it clashes: a 409 naming the session in the way, found before writing;
 * when a racing booking commits first, the database's exclusion constraint refuses, and the 409
 * names the winner, or gives `raced` when none is found any more.
 */
export async function clearOfClashes<T>(
  tx: Tx,
  programme: ProgrammeView,
  candidates: Candidate[],
  clash: { except?: string; inmateIds?: string[]; raced: Reason },
  write: () => Promise<T>,
): Promise<T> {
  const find = () => findConflict(tx, programme.programme, candidates, clash.except, clash.inmateIds);
  const first = await find();
  if (first) throw conflictProblem(first, programme.timezone);
  try {
    return await savepoint(tx, write);
  } catch (err) {
    if (!isExclusion(err)) throw err;
    const winner = await find();
    throw winner ? conflictProblem(winner, programme.timezone) : new Problem(409, 'conflict', { reason: clash.raced });
  }
}

type Reason = (typeof reasons)[keyof typeof reasons];

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
  return clearOfClashes(change.tx, programme, candidates, { raced: reasons.sessions_overlap }, async () => {
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
}

/** Tells of sessions just made: one event each, in time order. */
export async function tellScheduled(change: Change, ids: readonly string[]) {
  const rows = await change.tx
    .select()
    .from(rehabSessions)
    .where(inIds(rehabSessions.id, [...ids]))
    .orderBy(asc(rehabSessions.startsAt), asc(rehabSessions.id));
  for (const s of rows) {
    await sessionScheduled.emit(change, sessionPlace(s), {
      session_id: s.id,
      programme_id: s.programmeId,
      facility_id: s.facilityId,
      ...bookingOf(s),
      slot_id: s.slotId,
      recorded_afterwards: s.recordedAfterwards,
    });
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
