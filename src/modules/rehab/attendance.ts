import { eq, sql } from 'drizzle-orm';
import { localTime } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import { fieldSentence, reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { type FieldError, forbidden, Problem, refuse } from '../../http/problem.ts';
import { getInmate } from '../inmates/service.ts';
import { type AttendanceAnswer, presentAttendance, type SeenBy, type SessionView } from './dto.ts';
import { getProgramme, mayRun, rehabReach } from './programmes.ts';
import type { AttendancePutInput } from './schemas.ts';
import { getSession } from './sessions.ts';
import { rehabAttendance, rehabSessions } from './tables.ts';

// ---------------------------------------------------------------------------------------------
// Attendance

export async function attendanceOf(db: Executor, session: SessionView): Promise<AttendanceAnswer> {
  const rows = await queryRows<{
    enrolment_id: string;
    inmate_id: string;
    pseudonym: string;
    name: string;
    status: 'attended' | 'late' | 'excused' | 'absent' | 'refused' | null;
    reason: 'sick' | 'refused' | 'clash' | 'court' | 'released' | 'other' | null;
    note: string | null;
  }>(
    db,
    sql`SELECT r.enrolment_id::text AS enrolment_id, r.inmate_id::text AS inmate_id, i.pseudonym, i.name,
               a.status, a.reason, a.note
          FROM rehab_session_inmates r
          JOIN inmates i ON i.id = r.inmate_id
          LEFT JOIN rehab_attendance a ON a.session_id = r.session_id AND a.enrolment_id = r.enrolment_id
         WHERE r.session_id = ${session.session.id}
         ORDER BY r.enrolment_id`,
  );
  const s = session.session;
  return {
    session_id: s.id,
    version: s.attendanceVersion,
    recorded_by: s.attendanceRecordedBy,
    recorded_at: s.attendanceRecordedAt ? isoNotNull(s.attendanceRecordedAt) : null,
    records: rows.map((r) => ({
      enrolment_id: r.enrolment_id,
      inmate: { id: r.inmate_id, pseudonym: r.pseudonym, name: r.name },
      status: r.status,
      reason: r.reason,
      note: r.note,
    })),
  };
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
  const reach = await rehabReach(change.tx, principal, now);
  const { programmeId } = (await getSession(change.tx, reach, sessionId)).session;
  // Under the programme's lock: a session turning held fixes its number while others are renumbered.
  const programme = await getProgramme(change.tx, reach, programmeId, true);
  const session = await getSession(change.tx, reach, sessionId, true);
  const s = session.session;
  if (!mayRun(principal, programme.programme)) throw forbidden();
  if (s.status === 'cancelled') throw new Problem(409, 'conflict', { reason: reasons.session_cancelled });
  if (s.startsAt > now) {
    refuse('/records', 'rehab_attendance_before_start', { starts: localTime(s.startsAt, session.timezone) });
  }
  if (expectedVersion !== s.attendanceVersion) {
    throw new Problem(412, 'precondition_failed', { current: s.attendanceVersion });
  }
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
  const strip = (a: typeof before) => ({
    version: a.version,
    records: a.records.map(({ inmate, ...rest }) => ({ ...rest, inmate_id: inmate.id })),
  });
  await change.audit({
    action: s.attendanceVersion > 0 ? 'rehab.attendance_amended' : 'rehab.attendance_recorded',
    entityType: 'rehab_session',
    entityId: sessionId,
    facilityId: s.facilityId,
    before: s.attendanceVersion > 0 ? strip(before) : null,
    after: strip(after),
  });
  return presentAttendance(principal, after);
}

// ---------------------------------------------------------------------------------------------
// A person's schedule

/** A person's coming sessions, in each facility's local time. */
export async function scheduleOf(db: Executor, principal: Principal, now: Date, inmateId: string) {
  const inmate = await getInmate(db, await rehabReach(db, principal, now), inmateId);
  const rows = await queryRows<{
    session_id: string;
    programme_id: string;
    programme_title: string;
    starts_at: Date;
    ends_at: Date;
    room: string;
    timezone: string;
  }>(
    db,
    sql`SELECT s.id::text AS session_id, p.id::text AS programme_id, p.title AS programme_title,
               s.starts_at, s.ends_at, s.room, f.timezone::text AS timezone
          FROM rehab_session_inmates r
          JOIN rehab_sessions s ON s.id = r.session_id
          JOIN rehab_programmes p ON p.id = s.programme_id
          JOIN facilities f ON f.id = s.facility_id
         WHERE r.inmate_id = ${inmate.id} AND s.status = 'scheduled' AND s.ends_at > ${now.toISOString()}::timestamptz
         ORDER BY s.starts_at
         LIMIT 200`,
  );
  return {
    inmate_id: inmate.id,
    data: rows.map((r) => ({
      session_id: r.session_id,
      programme_id: r.programme_id,
      programme_title: r.programme_title,
      starts_at: localTime(new Date(r.starts_at), r.timezone),
      ends_at: localTime(new Date(r.ends_at), r.timezone),
      room: r.room,
    })),
  };
}
