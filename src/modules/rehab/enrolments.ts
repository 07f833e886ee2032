import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { localDate, localTime } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import { fieldSentence, reasonOf, reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { type FieldError, forbidden, notFound, Problem, refuse } from '../../http/problem.ts';
import { getInmate } from '../inmates/service.ts';
import { inmates } from '../inmates/tables.ts';
import { hasConfirmedPositive } from '../urine/service.ts';
import { leaveComingSessions } from './closing.ts';
import type { AttendancePutInput, EnrolmentCreateInput, EnrolmentUpdateInput } from './schemas.ts';
import { activeEnrolments, getProgramme, mayRun, type ProgrammeView } from './service.ts';
import { conflictProblem, getSession, type SessionView } from './sessions.ts';
import { rehabAttendance, rehabEnrolments, rehabSessions } from './tables.ts';

type EnrolmentRow = typeof rehabEnrolments.$inferSelect;

export interface Progress {
  sessions_held: number;
  attended: number;
  rate: number | null;
  last_session_attended: boolean | null;
  completion_rule_met: boolean;
}

/**
 * Progress of enrolments, in one query: of the sessions on each one's roster whose attendance is
 * recorded (held; cancelled ones never count), how many were attended (attended or late); and
 * whether they attended the programme's last session, once it is held. The rule: the rate at
 * least the programme's minimum and, when it asks, the last session attended.
 */
export async function progressOf(db: Executor, enrolmentIds: string[]): Promise<Map<string, Progress>> {
  const result = new Map<string, Progress>();
  if (enrolmentIds.length === 0) return result;
  const rows = await queryRows<{
    id: string;
    held: number;
    attended: number;
    last_held: boolean | null;
    last_attended: boolean;
    min_rate: string;
    requires_last: boolean;
  }>(
    db,
    sql`SELECT e.id::text AS id,
               count(s.id)::int AS held,
               count(a.enrolment_id) FILTER (WHERE a.status IN ('attended', 'late'))::int AS attended,
               last.attendance_version > 0 AS last_held,
               EXISTS (SELECT 1 FROM rehab_attendance la WHERE la.session_id = last.id AND la.enrolment_id = e.id
                          AND la.status IN ('attended', 'late')) AS last_attended,
               p.completion_min_rate::text AS min_rate, p.completion_requires_last AS requires_last
          FROM rehab_enrolments e
          JOIN rehab_programmes p ON p.id = e.programme_id
          LEFT JOIN LATERAL (SELECT ls.id, ls.attendance_version FROM rehab_sessions ls
                              WHERE ls.programme_id = e.programme_id AND ls.status = 'scheduled'
                              ORDER BY ls.starts_at DESC LIMIT 1) last ON true
          LEFT JOIN rehab_session_inmates r ON r.enrolment_id = e.id
          LEFT JOIN rehab_sessions s ON s.id = r.session_id AND s.status = 'scheduled' AND s.attendance_version > 0
          LEFT JOIN rehab_attendance a ON a.session_id = s.id AND a.enrolment_id = e.id
         WHERE e.id = ANY(${sql.param(enrolmentIds)}::uuid[])
         GROUP BY e.id, last.id, last.attendance_version, p.completion_min_rate, p.completion_requires_last`,
  );
  for (const row of rows) {
    const rate = row.held === 0 ? null : Math.round((row.attended / row.held) * 1000) / 1000;
    const lastAttended = row.last_held ? row.last_attended : null;
    const met =
      rate !== null && row.attended / row.held >= Number(row.min_rate) && (!row.requires_last || lastAttended === true);
    result.set(row.id, {
      sessions_held: row.held,
      attended: row.attended,
      rate,
      last_session_attended: lastAttended,
      completion_rule_met: met,
    });
  }
  return result;
}

const enrolmentSelection = { enrolment: rehabEnrolments, pseudonym: inmates.pseudonym, name: inmates.name };
export type EnrolmentView = { enrolment: EnrolmentRow; pseudonym: string; name: string };

export function toEnrolmentDto(view: EnrolmentView, progress: Progress | undefined) {
  const e = view.enrolment;
  return {
    id: e.id,
    programme_id: e.programmeId,
    facility_id: e.facilityId,
    inmate: { id: e.inmateId, pseudonym: view.pseudonym, name: view.name },
    status: e.status,
    reason: e.reason,
    enrolled_on: e.enrolledOn,
    ended_on: e.endedOn,
    end_note: e.endNote,
    progress: progress ?? {
      sessions_held: 0,
      attended: 0,
      rate: null,
      last_session_attended: null,
      completion_rule_met: false,
    },
    version: e.version,
    created_at: isoNotNull(e.createdAt),
    updated_at: isoNotNull(e.updatedAt),
  };
}

function enrolmentsQuery(db: Executor) {
  return db
    .select(enrolmentSelection)
    .from(rehabEnrolments)
    .innerJoin(inmates, eq(inmates.id, rehabEnrolments.inmateId));
}

export async function getEnrolment(
  db: Executor,
  reach: FacilityReach,
  id: string,
  lock = false,
): Promise<EnrolmentView> {
  const query = enrolmentsQuery(db).where(eq(rehabEnrolments.id, id));
  const [row] = lock ? await query.for('update', { of: rehabEnrolments }) : await query;
  if (!row || !reaches(reach, row.enrolment.facilityId)) throw notFound('rehab enrolment');
  return row;
}

export async function listEnrolments(
  db: Executor,
  programmeId: string,
  filter: { status?: EnrolmentRow['status']; after?: string; limit: number },
): Promise<EnrolmentView[]> {
  const where: SQL[] = [eq(rehabEnrolments.programmeId, programmeId)];
  if (filter.status) where.push(eq(rehabEnrolments.status, filter.status));
  if (filter.after) where.push(gt(rehabEnrolments.id, filter.after));
  return enrolmentsQuery(db)
    .where(and(...where))
    .orderBy(asc(rehabEnrolments.id))
    .limit(filter.limit + 1);
}

/**
 * Puts an active enrolment on every session of its programme still to come. An inmate already on
 * another session at one of those times is a 409 naming it; the database refuses the same in a race.
 */
async function joinComingSessions(change: Change, programme: ProgrammeView, e: EnrolmentRow, now: Date) {
  const [hit] = await queryRows<{ session_id: string; starts_at: Date; kind: string }>(
    change.tx,
    sql`SELECT r.session_id::text AS session_id, r.starts_at, 'inmate' AS kind
          FROM rehab_sessions s
          JOIN rehab_session_inmates r ON r.inmate_id = ${e.inmateId}
           AND tstzrange(r.starts_at, r.ends_at) && tstzrange(s.starts_at, s.ends_at)
         WHERE s.programme_id = ${programme.programme.id} AND s.status = 'scheduled'
           AND s.starts_at > ${now.toISOString()}::timestamptz
         ORDER BY r.starts_at LIMIT 1`,
  );
  if (hit) throw conflictProblem(hit, programme.timezone);
  await queryRows(
    change.tx,
    sql`INSERT INTO rehab_session_inmates (session_id, enrolment_id, inmate_id, facility_id, starts_at, ends_at)
        SELECT s.id, ${e.id}, ${e.inmateId}, ${e.facilityId}, s.starts_at, s.ends_at
          FROM rehab_sessions s
         WHERE s.programme_id = ${programme.programme.id} AND s.status = 'scheduled'
           AND s.starts_at > ${now.toISOString()}::timestamptz`,
  );
}

async function requirePlace(change: Change, programme: ProgrammeView) {
  if ((await activeEnrolments(change.tx, programme.programme.id)) >= programme.programme.capacity) {
    throw new Problem(409, 'conflict', {
      reason: reasonOf.programme_full(programme.programme.capacity),
    });
  }
}

/**
 * Enrols an inmate held at the programme's facility. Someone with neither a confirmed positive nor
 * a narcotics_user case type needs a reason. Active enrolments take a place and join the coming
 * sessions; awaiting ones wait.
 */
export async function enrol(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  programmeId: string,
  input: EnrolmentCreateInput,
  now: Date,
): Promise<EnrolmentView> {
  const programme = await getProgramme(change.tx, reach, programmeId, true);
  const p = programme.programme;
  if (!mayRun(principal, p)) throw forbidden();
  // Someone not held at this facility is a bad field here, not a missing page.
  // Locked against a release or transfer committing meanwhile, which would not see this enrolment to close it.
  const reachHere = { all: false as const, ids: [p.facilityId] };
  const inmate = await getInmate(change.tx, reachHere, input.inmate_id, 'share').catch((err) => {
    if (err instanceof Problem && err.status === 404) return undefined;
    throw err;
  });
  if (!inmate) refuse('/inmate_id', 'rehab_inmate_not_held');
  if (inmate.status !== 'detained' && inmate.status !== 'sentenced') {
    refuse('/inmate_id', 'rehab_inmate_not_held_now', { status: inmate.status });
  }
  const eligible = inmate.caseType === 'narcotics_user' || (await hasConfirmedPositive(change.tx, 'inmate', inmate.id));
  if (!eligible && !input.reason) {
    refuse('/reason', 'rehab_enrolment_reason_required');
  }
  if (input.status === 'active') await requirePlace(change, programme);
  const [row] = await change.tx
    .insert(rehabEnrolments)
    .values({
      programmeId: p.id,
      facilityId: p.facilityId,
      inmateId: inmate.id,
      status: input.status,
      reason: input.reason ?? null,
      enrolledOn: localDate(now, programme.timezone),
      activatedOn: input.status === 'active' ? localDate(now, programme.timezone) : null,
      createdBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  if (row.status === 'active') await joinComingSessions(change, programme, row, now);
  await change.audit({
    action: 'rehab.enrolled',
    entityType: 'rehab_enrolment',
    entityId: row.id,
    facilityId: p.facilityId,
    after: { ...row, inmate_pseudonym: inmate.pseudonym },
  });
  return { enrolment: row, pseudonym: inmate.pseudonym, name: inmate.name };
}

const MOVES: Record<string, EnrolmentRow['status'][]> = {
  active: ['awaiting'],
  completed: ['active'],
  withdrawn: ['awaiting', 'active'],
};

/** awaiting → active (a place, the coming sessions); active → completed (the rule is met); → withdrawn (a note). */
export async function changeEnrolment(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  id: string,
  expectedVersion: number,
  input: EnrolmentUpdateInput,
  now: Date,
): Promise<EnrolmentView> {
  const { programmeId } = (await getEnrolment(change.tx, reach, id)).enrolment;
  const programme = await getProgramme(change.tx, reach, programmeId, true);
  const before = await getEnrolment(change.tx, reach, id, true);
  const e = before.enrolment;
  if (!mayRun(principal, programme.programme)) throw forbidden();
  if (e.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: e.version });
  if (!MOVES[input.status]?.includes(e.status)) {
    throw new Problem(409, 'conflict', { reason: reasonOf.enrolment_move(e.status, input.status) });
  }
  if (input.status === 'withdrawn' && !input.note) {
    refuse('/note', 'rehab_withdrawal_note_required');
  }
  if (input.status === 'completed') {
    const progress = (await progressOf(change.tx, [id])).get(id);
    if (!progress?.completion_rule_met) {
      const min = Number(programme.programme.completionMinRate);
      refuse('/status', 'rehab_completion_rule_unmet', {
        attended: progress?.attended ?? 0,
        held: progress?.sessions_held ?? 0,
        percent: min * 100,
        last: programme.programme.completionRequiresLast,
      });
    }
  }
  if (input.status === 'active') await requirePlace(change, programme);
  const ending = input.status !== 'active';
  const [row] = await change.tx
    .update(rehabEnrolments)
    .set({
      status: input.status,
      endedOn: ending ? localDate(now, programme.timezone) : null,
      activatedOn: input.status === 'active' ? localDate(now, programme.timezone) : e.activatedOn,
      endNote: input.note ?? e.endNote,
      version: e.version + 1,
      updatedAt: change.now,
    })
    .where(eq(rehabEnrolments.id, id))
    .returning();
  if (!row) throw new Error('update returned nothing');
  if (input.status === 'active') await joinComingSessions(change, programme, row, now);
  else await leaveComingSessions(change.tx, [id], now);
  await change.audit({
    action: `rehab.enrolment_${input.status}`,
    entityType: 'rehab_enrolment',
    entityId: id,
    facilityId: e.facilityId,
    before: e,
    after: row,
  });
  return { ...before, enrolment: row };
}

// ---------------------------------------------------------------------------------------------
// Attendance

export async function attendanceOf(db: Executor, session: SessionView) {
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

/**
 * Records a session's attendance, the whole list at once: one row for each inmate on its roster,
 * no more and no fewer. A session still to come, or cancelled, takes none. Recording again
 * amends it: that needs If-Match with the attendance version, and is audited with before and after.
 */
export async function recordAttendance(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  sessionId: string,
  expectedVersion: number,
  input: AttendancePutInput,
  now: Date,
) {
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
  return after;
}

// ---------------------------------------------------------------------------------------------
// A person's schedule

export async function scheduleOf(db: Executor, reach: FacilityReach, inmateId: string, now: Date) {
  const inmate = await getInmate(db, reach, inmateId);
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
    inmate,
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
