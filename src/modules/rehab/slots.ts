import { asc, eq, sql } from 'drizzle-orm';
import type { FacilityReach } from '../../core/access.ts';
import { addDays, type HolidayCalendar, instantIn, isoWeekday, localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, refuse } from '../../http/problem.ts';
import type { SlotCreateInput } from './schemas.ts';
import { getProgramme, mayRun } from './service.ts';
import { book, type Candidate, checkRoomAndFacilitator, checkWithin } from './sessions.ts';
import { facilityBlackoutDates, rehabSlots } from './tables.ts';

type SlotRow = typeof rehabSlots.$inferSelect;

/**
 * A weekly slot: the dated sessions it makes over the programme's days from `from` (default the
 * later of its start and today), in the facility's time zone, leaving out the facility's blackout
 * dates, the national holidays and the collective leave days (staff are off on both). All are
 * booked or none.
 */
export async function addSlot(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  programmeId: string,
  input: SlotCreateInput,
  calendar: HolidayCalendar,
  now: Date,
): Promise<SlotRow> {
  const programme = await getProgramme(change.tx, reach, programmeId, true);
  const p = programme.programme;
  if (!mayRun(principal, p)) throw forbidden();
  checkRoomAndFacilitator(programme, input.room, input.facilitator_id);
  const today = localDate(now, programme.timezone);
  const from = input.from ?? (p.startsOn > today ? p.startsOn : today);
  if (from < today) refuse('/from', 'rehab_slot_from_past');
  const blackouts = await change.tx
    .select({ day: facilityBlackoutDates.day })
    .from(facilityBlackoutDates)
    .where(eq(facilityBlackoutDates.facilityId, p.facilityId));
  const off = new Set(blackouts.map((b) => b.day));
  const candidates: Candidate[] = [];
  for (let day = from < p.startsOn ? p.startsOn : from; day <= p.endsOn; day = addDays(day, 1)) {
    if (isoWeekday(day) !== input.weekday || off.has(day) || calendar.isDayOff(day)) continue;
    const startsAt = instantIn(`${day}T${input.start_time}:00`, programme.timezone);
    if (startsAt <= now) continue;
    candidates.push({
      startsAt,
      endsAt: new Date(startsAt.getTime() + input.duration_minutes * 60_000),
      room: input.room,
      facilitatorId: input.facilitator_id,
    });
  }
  if (!input.beyond_curriculum && candidates.length) {
    // A slot stops at the curriculum's last item: the sessions already numbered come first.
    const [top] = await queryRows<{ n: number }>(
      change.tx,
      sql`SELECT coalesce(max(number), 0)::int AS n FROM rehab_sessions
           WHERE programme_id = ${p.id} AND status = 'scheduled'`,
    );
    const left = p.curriculum.length - (top?.n ?? 0);
    if (left <= 0) {
      refuse('/beyond_curriculum', 'rehab_curriculum_full', { items: p.curriculum.length });
    }
    candidates.splice(left);
  }
  if (candidates.length === 0) {
    refuse('/weekday', 'rehab_slot_no_day');
  }
  await checkWithin(change.tx, programme, candidates, '/weekday', now);
  const [slot] = await change.tx
    .insert(rehabSlots)
    .values({
      programmeId: p.id,
      facilityId: p.facilityId,
      weekday: input.weekday,
      startTime: input.start_time,
      durationMinutes: input.duration_minutes,
      room: input.room,
      facilitatorId: input.facilitator_id,
      sessions: candidates.length,
      createdBy: principal.id,
    })
    .returning();
  if (!slot) throw new Error('insert returned nothing');
  const ids = await book(change, principal, programme, candidates, slot.id, now);
  await change.audit({
    action: 'rehab.slot_added',
    entityType: 'rehab_programme',
    entityId: p.id,
    facilityId: p.facilityId,
    after: { slot, session_ids: ids },
  });
  return slot;
}

export async function listSlots(db: Executor, programmeId: string): Promise<SlotRow[]> {
  return db.select().from(rehabSlots).where(eq(rehabSlots.programmeId, programmeId)).orderBy(asc(rehabSlots.id));
}

export function toSlotDto(slot: SlotRow) {
  return {
    id: slot.id,
    programme_id: slot.programmeId,
    weekday: slot.weekday,
    start_time: slot.startTime,
    duration_minutes: slot.durationMinutes,
    room: slot.room,
    facilitator_id: slot.facilitatorId,
    sessions: slot.sessions,
    created_at: isoNotNull(slot.createdAt),
  };
}
