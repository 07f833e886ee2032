import { and, eq, gte, isNull, lte, or } from 'drizzle-orm';
import { addDays, localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { inIds } from '../../db/client.ts';
import { fieldSentence, reasons } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { type FieldError, Problem, refuse } from '../../http/problem.ts';
import { attendanceOf } from './attendance.ts';
import {
  candidateOf,
  checkRoomAndFacilitator,
  checkWithin,
  clearOfClashes,
  renumber,
  tellScheduled,
} from './booking.ts';
import { auditedRecords, presentAttendance, toSessionDto } from './dto.ts';
import { tellAttendance } from './events.ts';
import { programmeToRun } from './programmes.ts';
import type { HeldSessionCreateInput } from './schemas.ts';
import { getSession } from './sessions.ts';
import { rehabAttendance, rehabEnrolments, rehabRoster, rehabSessions } from './tables.ts';

/**
 * Writes up a session already held (moved at short notice, or an extra one), with its attendance:
 * within the window, never ahead of time, its roster the enrolments active on its local day.
 * Double bookings are refused as for a booking. Its number is the curriculum item given, else the
 * one after the last session before it; it is then held, so it keeps that number, and the open
 * sessions after it follow on.
 */
export async function recordHeldSession(
  change: Change,
  principal: Principal,
  programmeId: string,
  input: HeldSessionCreateInput,
  windowDays: number,
) {
  const { now } = change;
  const programme = await programmeToRun(change, principal, programmeId);
  const p = programme.programme;
  const tz = programme.timezone;
  checkRoomAndFacilitator(programme, input.room, input.facilitator_id);
  const candidate = candidateOf(input, tz);
  if (candidate.startsAt > now) {
    refuse('/starts_at', 'rehab_held_session_not_begun');
  }
  const day = localDate(candidate.startsAt, tz);
  const earliest = addDays(localDate(now, tz), -windowDays);
  if (day < earliest) {
    refuse('/starts_at', 'rehab_held_session_too_old', { earliest, days: windowDays });
  }
  await checkWithin(change.tx, programme, [candidate], '/starts_at', now, true);
  if (input.curriculum_item && input.curriculum_item > p.curriculum.length) {
    refuse('/curriculum_item', 'rehab_curriculum_item_unknown', { items: p.curriculum.length });
  }

  const ids = input.attendance.map((a) => a.enrolment_id);
  const active = await change.tx
    .select({ id: rehabEnrolments.id, inmateId: rehabEnrolments.inmateId })
    .from(rehabEnrolments)
    .where(
      and(
        eq(rehabEnrolments.programmeId, p.id),
        inIds(rehabEnrolments.id, ids),
        lte(rehabEnrolments.activatedOn, day),
        or(isNull(rehabEnrolments.endedOn), gte(rehabEnrolments.endedOn, day)),
      ),
    );
  const inmateOf = new Map(active.map((e) => [e.id, e.inmateId]));
  const errors: FieldError[] = [];
  input.attendance.forEach((a, i) => {
    if (!inmateOf.has(a.enrolment_id)) {
      errors.push({
        in: 'body',
        pointer: `/attendance/${i}/enrolment_id`,
        detail: fieldSentence('not_active_enrolment', { day }),
      });
    }
  });
  if (errors.length) {
    throw new Problem(
      422,
      'rule_violated',
      {
        en: `The attendance lists only enrolments of the programme active on ${day}; nothing was recorded.`,
        id: `Daftar hadir hanya memuat peserta program yang aktif pada ${day}; tidak ada yang dicatat.`,
      },
      { errors },
    );
  }
  const inmateIds = [...inmateOf.values()];
  const clash = { inmateIds, raced: reasons.concurrent_booking };
  const id = await clearOfClashes(change.tx, programme, [candidate], clash, async () => {
    const [row] = await change.tx
      .insert(rehabSessions)
      .values({
        programmeId: p.id,
        facilityId: p.facilityId,
        startsAt: candidate.startsAt,
        endsAt: candidate.endsAt,
        room: candidate.room,
        facilitatorId: candidate.facilitatorId,
        recordedAfterwards: true,
        createdBy: principal.id,
      })
      .returning({ id: rehabSessions.id });
    if (!row) throw new Error('insert returned nothing');
    await change.tx.insert(rehabRoster).values(
      input.attendance.map((a) => ({
        sessionId: row.id,
        enrolmentId: a.enrolment_id,
        inmateId: inmateOf.get(a.enrolment_id) as string,
        facilityId: p.facilityId,
        startsAt: candidate.startsAt,
        endsAt: candidate.endsAt,
      })),
    );
    return row.id;
  });
  // Numbered as an open session first (the one after the last before it), unless an item is given;
  // then held, which fixes the number, and the open sessions after it follow on.
  await renumber(change.tx, p.id, [id]);
  await change.tx.insert(rehabAttendance).values(
    input.attendance.map((a) => ({
      sessionId: id,
      enrolmentId: a.enrolment_id,
      inmateId: inmateOf.get(a.enrolment_id) as string,
      facilityId: p.facilityId,
      status: a.status,
      reason: a.reason ?? null,
      note: a.note ?? null,
      recordedBy: principal.id,
    })),
  );
  await change.tx
    .update(rehabSessions)
    .set({
      ...(input.curriculum_item ? { number: input.curriculum_item } : {}),
      attendanceVersion: 1,
      attendanceRecordedBy: principal.id,
      attendanceRecordedAt: change.now,
    })
    .where(eq(rehabSessions.id, id));
  await renumber(change.tx, p.id, [id]);

  const view = await getSession(change.tx, { all: true }, id);
  const attendance = await attendanceOf(change.tx, view);
  await change.audit({
    action: 'rehab.session_recorded',
    entityType: 'rehab_session',
    entityId: id,
    facilityId: p.facilityId,
    after: {
      ...toSessionDto(view),
      attendance: auditedRecords(attendance.records),
    },
  });
  // Made and held at once: told as booked, then its attendance as recorded.
  await tellScheduled(change, [id]);
  await tellAttendance(change, view.session, attendance.records);
  return { ...toSessionDto(view), attendance: presentAttendance(principal, attendance) };
}
