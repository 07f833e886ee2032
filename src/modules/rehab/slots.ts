import { and, asc, eq, max } from 'drizzle-orm';
import { addDays, type HolidayCalendar, instantIn, isoWeekday, localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import { refuse } from '../../http/problem.ts';
import { book, type Candidate, checkRoomAndFacilitator, checkWithin, tellScheduled } from './booking.ts';
import { toSlotDto } from './dto.ts';
import { getProgramme, programmeToRun, rehabReach } from './programmes.ts';
import type { SlotCreateInput } from './schemas.ts';
import { facilityBlackoutDates, rehabSessions, rehabSlots } from './tables.ts';

/**
 * A weekly slot: the dated sessions it makes over the programme's days from `from` (default the
 * later of its start and today), in the facility's time zone, leaving out the facility's blackout
 * dates, the national holidays and the collective leave days (staff are off on both). All are
 * booked or none.
 */
export async function addSlot(
  change: Change,
  principal: Principal,
  programmeId: string,
  input: SlotCreateInput,
  calendar: HolidayCalendar,
) {
  const { now } = change;
  const programme = await programmeToRun(change, principal, programmeId);
  const p = programme.programme;
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
    const [top] = await change.tx
      .select({ n: max(rehabSessions.number) })
      .from(rehabSessions)
      .where(and(eq(rehabSessions.programmeId, p.id), eq(rehabSessions.status, 'scheduled')));
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
  await tellScheduled(change, ids);
  return toSlotDto(slot);
}

/** The weekly slots of a programme in reach. */
export async function listSlots(db: Executor, principal: Principal, now: Date, programmeId: string) {
  const programme = await getProgramme(db, await rehabReach(db, principal, now), programmeId);
  const rows = await db
    .select()
    .from(rehabSlots)
    .where(eq(rehabSlots.programmeId, programme.programme.id))
    .orderBy(asc(rehabSlots.id));
  return { data: rows.map(toSlotDto) };
}
