import { and, eq, sql } from 'drizzle-orm';
import { reaches } from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { reasons } from '../../http/messages.ts';
import { Problem, violated } from '../../http/problem.ts';
import { throwFirst } from '../../http/register.ts';
import { updateAtVersion } from '../../http/versioned.ts';
import { findFacilities } from '../facilities/service.ts';
import { closeEnrolmentsFor } from '../rehab/closing.ts';
import { inmateAnswer, toInmateDto } from './dto.ts';
import { inmateReleased, inmateTransferred } from './events.ts';
import { dateErrors, requireHeld } from './rules.ts';
import type { InmateReleaseInput, InmateTransferInput } from './schemas.ts';
import type { KeptInmate } from './service.ts';
import { inmatePlacements, inmates } from './tables.ts';

// Where a person is held: admission opens a stay (service.ts); release and transfer close it.
// Each closes the person's rehabilitation enrolments too.

async function openStay(change: Change, inmateId: string) {
  const [stay] = await change.tx
    .select({ fromDate: inmatePlacements.fromDate })
    .from(inmatePlacements)
    .where(and(eq(inmatePlacements.inmateId, inmateId), sql`${inmatePlacements.untilDate} IS NULL`));
  return stay;
}

async function closePlacement(change: Change, inmateId: string, until: string, reason: string) {
  await change.tx
    .update(inmatePlacements)
    .set({ untilDate: until, endReason: reason })
    .where(and(eq(inmatePlacements.inmateId, inmateId), sql`${inmatePlacements.untilDate} IS NULL`));
}

/** Closes the stay: released, or deceased with that reason. Not before admission nor in the future (422). */
export async function releaseInmate(
  change: Change,
  { principal, facility, inmate: before }: KeptInmate,
  input: InmateReleaseInput,
  now: Date,
) {
  requireHeld(before);
  throwFirst(
    dateErrors(
      { admission_date: before.admissionDate, released_on: input.released_on },
      localDate(now, facility.timezone),
    ),
  );
  const status = input.reason === 'deceased' ? 'deceased' : 'released';
  const row = await updateAtVersion(change.tx, inmates, before, { status, releasedOn: input.released_on }, change.now);
  if (!row) throw new Problem(409, 'conflict', { reason: reasons.record_changed });
  await closePlacement(change, before.id, input.released_on, input.reason);
  await closeEnrolmentsFor(change, [{ inmateId: before.id, on: input.released_on }], 'released', now, input.reason);
  await change.audit({
    action: status === 'deceased' ? 'inmate.deceased' : 'inmate.released',
    entityType: 'inmate',
    entityId: before.id,
    facilityId: before.facilityId,
    before: toInmateDto(before),
    after: { ...toInmateDto(row), reason: input.reason, note: input.note ?? null },
  });
  await inmateReleased.emit(
    change,
    {
      subject: { type: 'inmate', id: before.id },
      facilityIds: [before.facilityId],
      people: [{ type: 'inmate', id: before.id }],
    },
    { inmate_id: before.id, facility_id: before.facilityId, released_on: input.released_on, reason: input.reason },
  );
  return inmateAnswer(principal, row);
}

/**
 * Moves a person to another facility, which then holds them. The stay at the old facility is
 * closed and a new one opened, so the history shows where they were and when. The receiving
 * facility must be one the caller reaches too: in practice, administrators move people.
 */
export async function transferInmate(
  change: Change,
  { principal, reach, facility: from, inmate: before }: KeptInmate,
  input: InmateTransferInput,
  now: Date,
) {
  const [target] = await findFacilities(change.tx, [input.to_facility_id]);
  const to = target && reaches(reach, target.id) ? target : undefined;
  requireHeld(before);
  if (!to) {
    throw violated('inmate_transfer_target_out_of_reach', {}, '/to_facility_id');
  }
  if (to.id === from.id) {
    throw violated('inmate_person_already_held_at', {}, '/to_facility_id');
  }
  const lastStay = await openStay(change, before.id);
  const today = localDate(now, from.timezone);
  if (input.transferred_on > today || (lastStay && input.transferred_on < lastStay.fromDate)) {
    throw violated('inmate_transferred_on_fall_within_current', {}, '/transferred_on');
  }
  const registrationNumber = input.registration_number ?? before.registrationNumber;
  const row = await updateAtVersion(
    change.tx,
    inmates,
    before,
    {
      facilityId: to.id,
      registrationNumber,
      block: null,
      cell: null,
    },
    change.now,
  );
  if (!row) throw new Problem(409, 'conflict', { reason: reasons.record_changed });
  await closePlacement(change, before.id, input.transferred_on, 'transferred');
  await closeEnrolmentsFor(change, [{ inmateId: before.id, on: input.transferred_on }], 'transferred', now);
  await change.tx
    .insert(inmatePlacements)
    .values({ inmateId: before.id, facilityId: to.id, registrationNumber, fromDate: input.transferred_on });
  // Both facilities' trails show the move.
  for (const facilityId of [from.id, to.id]) {
    await change.audit({
      action: 'inmate.transferred',
      entityType: 'inmate',
      entityId: before.id,
      facilityId,
      before: toInmateDto(before),
      after: { ...toInmateDto(row), from_facility_id: from.id, note: input.note ?? null },
    });
  }
  await inmateTransferred.emit(
    change,
    {
      subject: { type: 'inmate', id: before.id },
      facilityIds: [from.id, to.id],
      people: [{ type: 'inmate', id: before.id }],
    },
    {
      inmate_id: before.id,
      from_facility_id: from.id,
      to_facility_id: to.id,
      transferred_on: input.transferred_on,
    },
  );
  return inmateAnswer(principal, row);
}
