import { and, asc, eq, gt } from 'drizzle-orm';
import { localTime } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { fieldSentence, reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { type FieldError, Problem, refuse } from '../../http/problem.ts';
import { checkVersion } from '../../http/versioned.ts';
import { facilities } from '../facilities/tables.ts';
import { getInmate } from '../inmates/service.ts';
import { inmates } from '../inmates/tables.ts';
import {
  type AttendanceAnswer,
  auditedRecords,
  presentAttendance,
  type SeenBy,
  type SessionView,
  toAttendanceAnswer,
  toScheduleItem,
} from './dto.ts';
import { tellAttendance } from './events.ts';
import { rehabReach } from './programmes.ts';
import type { AttendancePutInput } from './schemas.ts';
import { getSession, sessionToRun } from './sessions.ts';
import { rehabAttendance, rehabProgrammes, rehabRoster, rehabSessions } from './tables.ts';

// ---------------------------------------------------------------------------------------------
// Attendance

export async function attendanceOf(db: Executor, session: SessionView): Promise<AttendanceAnswer> {
  const rows = await db
    .select({
      enrolmentId: rehabRoster.enrolmentId,
      inmateId: rehabRoster.inmateId,
      pseudonym: inmates.pseudonym,
      name: inmates.name,
      status: rehabAttendance.status,
      reason: rehabAttendance.reason,
      note: rehabAttendance.note,
    })
    .from(rehabRoster)
    .innerJoin(inmates, eq(inmates.id, rehabRoster.inmateId))
    .leftJoin(
      rehabAttendance,
      and(
        eq(rehabAttendance.sessionId, rehabRoster.sessionId),
        eq(rehabAttendance.enrolmentId, rehabRoster.enrolmentId),
      ),
    )
    .where(eq(rehabRoster.sessionId, session.session.id))
    .orderBy(asc(rehabRoster.enrolmentId));
  return toAttendanceAnswer(session.session, rows);
}

/** A session's attendance list; the inmates named are audited as read. */
export async function readAttendance(db: Executor, principal: Principal, now: Date, sessionId: string, seen: SeenBy) {
  const session = await getSession(db, await rehabReach(db, principal, now), sessionId);
  const answer = await attendanceOf(db, session);
  await seen(answer.records.map((x) => ({ id: x.inmate.id, facility_id: session.session.facilityId })));
  return presentAttendance(principal, answer);
}

/**
 * Records a session's attendance, the whole list at once: one row for each inmate on its roster,
 * no more and no fewer. A session still to come, or cancelled, takes none. Recording again
 * amends it: that needs If-Match with the attendance version, and is audited with before and after.
 */
export async function recordAttendance(
  change: Change,
  principal: Principal,
  sessionId: string,
  expectedVersion: number,
  input: AttendancePutInput,
) {
  const { now } = change;
  // Under the programme's lock: a session turning held fixes its number while others are renumbered.
  const { session } = await sessionToRun(change, principal, sessionId);
  const s = session.session;
  if (s.status === 'cancelled') throw new Problem(409, 'conflict', { reason: reasons.session_cancelled });
  if (s.startsAt > now) {
    refuse('/records', 'rehab_attendance_before_start', { starts: localTime(s.startsAt, session.timezone) });
  }
  // The attendance carries a version of its own, the ETag of its list.
  checkVersion(s.attendanceVersion, expectedVersion);
  const before = await attendanceOf(change.tx, session);
  const roster = new Set(before.records.map((r) => r.enrolment_id));
  const errors: FieldError[] = [];
  input.records.forEach((r, i) => {
    if (!roster.has(r.enrolment_id)) {
      errors.push({ in: 'body', pointer: `/records/${i}/enrolment_id`, detail: fieldSentence('not_on_session') });
    }
  });
  const given = new Set(input.records.map((r) => r.enrolment_id));
  const missing = [...roster].filter((id) => !given.has(id));
  if (missing.length) {
    errors.push({
      in: 'body',
      pointer: '/records',
      detail: fieldSentence('enrolments_missing', { missing: missing.join(', ') }),
    });
  }
  if (errors.length) {
    throw new Problem(
      422,
      'rule_violated',
      {
        en: 'The list must hold exactly one row for each inmate on the session; nothing was recorded.',
        id: 'Daftar harus berisi tepat satu baris untuk setiap WBP pada sesi ini; tidak ada yang dicatat.',
      },
      { errors },
    );
  }
  const byEnrolment = new Map(before.records.map((r) => [r.enrolment_id, r.inmate.id]));
  await change.tx.delete(rehabAttendance).where(eq(rehabAttendance.sessionId, sessionId));
  if (input.records.length) {
    await change.tx.insert(rehabAttendance).values(
      input.records.map((r) => ({
        sessionId,
        enrolmentId: r.enrolment_id,
        inmateId: byEnrolment.get(r.enrolment_id) as string,
        facilityId: s.facilityId,
        status: r.status,
        reason: r.reason ?? null,
        note: r.note ?? null,
        recordedBy: principal.id,
      })),
    );
  }
  const [updated] = await change.tx
    .update(rehabSessions)
    .set({
      attendanceVersion: s.attendanceVersion + 1,
      attendanceRecordedBy: principal.id,
      attendanceRecordedAt: change.now,
      updatedAt: change.now,
    })
    .where(eq(rehabSessions.id, sessionId))
    .returning();
  const after = await attendanceOf(change.tx, { ...session, session: updated ?? s });
  const strip = (a: typeof before) => ({ version: a.version, records: auditedRecords(a.records) });
  await change.audit({
    action: s.attendanceVersion > 0 ? 'rehab.attendance_amended' : 'rehab.attendance_recorded',
    entityType: 'rehab_session',
    entityId: sessionId,
    facilityId: s.facilityId,
    before: s.attendanceVersion > 0 ? strip(before) : null,
    after: strip(after),
  });
  await tellAttendance(change, updated ?? s, after.records);
  return presentAttendance(principal, after);
}

// ---------------------------------------------------------------------------------------------
// A person's schedule

/** A person's coming sessions, in each facility's local time. */
export async function scheduleOf(db: Executor, principal: Principal, now: Date, inmateId: string) {
  const inmate = await getInmate(db, await rehabReach(db, principal, now), inmateId);
  const rows = await db
    .select({
      sessionId: rehabSessions.id,
      programmeId: rehabProgrammes.id,
      programmeTitle: rehabProgrammes.title,
      startsAt: rehabSessions.startsAt,
      endsAt: rehabSessions.endsAt,
      room: rehabSessions.room,
      timezone: facilities.timezone,
    })
    .from(rehabRoster)
    .innerJoin(rehabSessions, eq(rehabSessions.id, rehabRoster.sessionId))
    .innerJoin(rehabProgrammes, eq(rehabProgrammes.id, rehabSessions.programmeId))
    .innerJoin(facilities, eq(facilities.id, rehabSessions.facilityId))
    .where(
      and(eq(rehabRoster.inmateId, inmate.id), eq(rehabSessions.status, 'scheduled'), gt(rehabSessions.endsAt, now)),
    )
    .orderBy(asc(rehabSessions.startsAt))
    .limit(200);
  return { inmate_id: inmate.id, data: rows.map(toScheduleItem) };
}
