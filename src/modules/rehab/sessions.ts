import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { dayStart, localTime } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import { reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, Problem } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { getFacility } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import {
  book,
  candidateOf,
  checkRoomAndFacilitator,
  checkWithin,
  clearOfClashes,
  renumber,
  tellScheduled,
} from './booking.ts';
import { type SessionRow, type SessionView, toSessionDto } from './dto.ts';
import { bookingOf, sessionCancelled, sessionMoved, sessionPlace } from './events.ts';
import { getProgramme, programmeToRun, recordToRun, rehabReach } from './programmes.ts';
import type {
  FacilitySessionListQueryInput,
  SessionCreateInput,
  SessionListQueryInput,
  SessionUpdateInput,
} from './schemas.ts';
import { rehabProgrammes, rehabRoster, rehabSessions } from './tables.ts';

// Dated sessions: one command per operation, with the lock order every writer keeps.

const expectedCount = sql<number>`(SELECT count(*)::int FROM rehab_session_inmates r
  WHERE r.session_id = "rehab_sessions"."id")`;
const sessionSelection = {
  session: rehabSessions,
  number: rehabSessions.number,
  expected: expectedCount,
  timezone: facilities.timezone,
  curriculum: rehabProgrammes.curriculum,
};
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

/** A session to change, under its programme's lock and its own (recordToRun). */
export async function sessionToRun(change: Change, principal: Principal, id: string) {
  const { programme, record } = await recordToRun(
    change,
    principal,
    (reach, lock) => getSession(change.tx, reach, id, lock),
    (v) => v.session.programmeId,
  );
  return { programme, session: record };
}

/** A cursor names the last session seen by its start and id, its place in time order. */
const SESSION_CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\|[0-9a-f-]{36}$/;

/** A programme's sessions in time order, one page. */
export async function listSessions(
  db: Executor,
  principal: Principal,
  now: Date,
  programmeId: string,
  q: SessionListQueryInput,
) {
  const programme = await getProgramme(db, await rehabReach(db, principal, now), programmeId);
  const after = decodeKeyCursor(q.cursor, SESSION_CURSOR);
  const rows = await findSessions(db, [eq(rehabSessions.programmeId, programme.programme.id)], programme.timezone, {
    ...q,
    after,
  });
  return keysetPage(rows, q.limit, (v) => [v.session.startsAt.toISOString(), v.session.id], toSessionDto);
}

/** Sessions of a scope (a programme, a facility) by local dates in its zone `tz`, from `after` on. */
async function findSessions(
  db: Executor,
  scope: SQL[],
  tz: string,
  filter: {
    from?: string;
    to?: string;
    status?: SessionRow['status'];
    updated_since?: string;
    after?: string[];
    limit: number;
  },
): Promise<SessionView[]> {
  const where: (SQL | undefined)[] = [...scope, updatedSince(rehabSessions.updatedAt, filter.updated_since)];
  if (filter.from) where.push(sql`${rehabSessions.startsAt} >= ${dayStart(filter.from, tz).toISOString()}`);
  if (filter.to) {
    where.push(
      sql`${rehabSessions.startsAt} < ${dayStart(filter.to, tz).toISOString()}::timestamptz + interval '1 day'`,
    );
  }
  if (filter.status) where.push(eq(rehabSessions.status, filter.status));
  if (filter.after) {
    const [startsAt, id] = filter.after;
    where.push(sql`(${rehabSessions.startsAt}, ${rehabSessions.id}) > (${startsAt}::timestamptz, ${id}::uuid)`);
  }
  return sessionsQuery(db)
    .where(and(...where))
    .orderBy(asc(rehabSessions.startsAt), asc(rehabSessions.id))
    .limit(filter.limit + 1);
}

/**
 * A facility's sessions between two local dates, both included, across every programme there, in
 * time order, one page. The facility out of reach is a 404, as for any of its records.
 */
export async function listFacilitySessions(
  db: Executor,
  principal: Principal,
  now: Date,
  q: FacilitySessionListQueryInput,
) {
  const facility = await getFacility(db, await rehabReach(db, principal, now), q.facility_id);
  const after = decodeKeyCursor(q.cursor, SESSION_CURSOR);
  const where = [eq(rehabSessions.facilityId, facility.id)];
  if (q.programme_id) where.push(eq(rehabSessions.programmeId, q.programme_id));
  const rows = await findSessions(db, where, facility.timezone, { ...q, after });
  return keysetPage(rows, q.limit, (v) => [v.session.startsAt.toISOString(), v.session.id], toSessionDto);
}

/** One session in reach. */
export async function readSession(db: Executor, principal: Principal, now: Date, id: string) {
  return toSessionDto(await getSession(db, await rehabReach(db, principal, now), id));
}

export async function addSession(change: Change, principal: Principal, programmeId: string, input: SessionCreateInput) {
  const { now } = change;
  const programme = await programmeToRun(change, principal, programmeId);
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
  await tellScheduled(change, [view.session.id]);
  return toSessionDto(view);
}

/** A session still open to change: scheduled, its attendance not yet recorded. */
function requireOpen(s: SessionRow) {
  if (s.status === 'cancelled') throw new Problem(409, 'conflict', { reason: reasons.session_cancelled });
  if (s.attendanceVersion > 0) throw new Problem(409, 'conflict', { reason: reasons.session_held });
}

export async function moveSession(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: SessionUpdateInput,
) {
  const { now } = change;
  const { programme, session: before } = await sessionToRun(change, principal, id);
  const s = before.session;
  const { programmeId } = s;
  checkVersion(s.version, expectedVersion);
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
  const clash = { except: id, raced: reasons.concurrent_booking };
  await clearOfClashes(change.tx, programme, [next], clash, async () => {
    await updateVersioned(
      change.tx,
      rehabSessions,
      s,
      { startsAt: next.startsAt, endsAt: next.endsAt, room: next.room, facilitatorId: next.facilitatorId },
      change.now,
    );
    await change.tx
      .update(rehabRoster)
      .set({ startsAt: next.startsAt, endsAt: next.endsAt })
      .where(eq(rehabRoster.sessionId, id));
    await renumber(change.tx, programmeId, [id]);
  });
  const after = await getSession(change.tx, { all: true }, id);
  await change.audit({
    action: 'rehab.session_moved',
    entityType: 'rehab_session',
    entityId: id,
    facilityId: s.facilityId,
    before: toSessionDto(before),
    after: toSessionDto(after),
  });
  const a = after.session;
  const was = bookingOf(s);
  const is = bookingOf(a);
  // Asked to stay where it is, it has not moved: nothing to tell.
  if (JSON.stringify(was) !== JSON.stringify(is)) {
    await sessionMoved.emit(change, sessionPlace(a), {
      session_id: id,
      programme_id: programmeId,
      facility_id: a.facilityId,
      before: was,
      after: is,
    });
  }
  return toSessionDto(after);
}

/** A cancelled session frees its room, facilitator and inmates, and does not count as held. */
export async function cancelSession(change: Change, principal: Principal, id: string, reason: string) {
  const { session: before } = await sessionToRun(change, principal, id);
  const { programmeId } = before.session;
  requireOpen(before.session);
  await change.tx.delete(rehabRoster).where(eq(rehabRoster.sessionId, id));
  // Under the session's lock its version cannot have moved.
  await updateVersioned(
    change.tx,
    rehabSessions,
    before.session,
    { status: 'cancelled', cancelReason: reason, number: null },
    change.now,
  );
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
  // Its roster is gone with it: the cancellation tells of that, no enrolment changed.
  const c = after.session;
  await sessionCancelled.emit(change, sessionPlace(c), {
    session_id: id,
    programme_id: programmeId,
    facility_id: c.facilityId,
    starts_at: c.startsAt.toISOString(),
    ends_at: c.endsAt.toISOString(),
  });
  return toSessionDto(after);
}
