import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { inReach, updatedSince } from '../../db/filters.ts';
import { type RuleName, reasonOf, ruleSentence } from '../../http/messages.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { type FieldError, forbidden, notFound, Problem, refuse } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { facilities } from '../facilities/tables.ts';
import { officers } from '../officers/tables.ts';
import {
  officersRead,
  type ParticipantRow,
  type ParticipantView,
  presentParticipant,
  type TrainingView,
  toParticipantDto,
} from './dto.ts';
import { certificateIssued } from './events.ts';
import type { ParticipantListQueryInput, ParticipantUpdateInput } from './schemas.ts';
import { trainingParticipants } from './tables.ts';
import { getTraining, mayManage, trainingReach, trainingToManage } from './trainings.ts';

/** Where a read of personal data is audited: the route's request knows who read. */
export type SeenBy = (people: { id: string; facility_id: string }[]) => Promise<void>;

const participantSelection = {
  participant: trainingParticipants,
  nip: officers.nip,
  name: officers.name,
  pseudonym: officers.pseudonym,
  timezone: facilities.timezone,
};
function participantsQuery(db: Executor) {
  return db
    .select(participantSelection)
    .from(trainingParticipants)
    .innerJoin(officers, eq(officers.id, trainingParticipants.officerId))
    .innerJoin(facilities, eq(facilities.id, trainingParticipants.facilityId));
}

/** Participants are people of a facility's register: only those of facilities in reach are seen; one page. */
export async function listParticipants(
  db: Executor,
  principal: Principal,
  now: Date,
  trainingId: string,
  q: ParticipantListQueryInput,
  seen: SeenBy,
) {
  const reach = await trainingReach(db, principal, now);
  const training = await getTraining(db, principal, reach, trainingId);
  const after = decodeCursor(q.cursor);
  const rows = await findParticipants(db, reach, training, { ...q, after });
  const answer = page(
    rows,
    q.limit,
    (v) => v.participant.id,
    (v) => presentParticipant(principal, v, training),
  );
  await seen(officersRead(rows.slice(0, q.limit)));
  return answer;
}

async function findParticipants(
  db: Executor,
  reach: FacilityReach,
  training: TrainingView,
  filter: { facility_id?: string; passed?: boolean; updated_since?: string; after?: string; limit: number },
): Promise<ParticipantView[]> {
  const where: (SQL | undefined)[] = [
    eq(trainingParticipants.trainingId, training.training.id),
    inReach(trainingParticipants.facilityId, reach),
    updatedSince(trainingParticipants.updatedAt, filter.updated_since),
  ];
  if (filter.facility_id) where.push(eq(trainingParticipants.facilityId, filter.facility_id));
  if (filter.passed !== undefined) {
    const passed = sql`${trainingParticipants.postTestScore} >= ${training.training.passMark}::numeric`;
    where.push(filter.passed ? passed : sql`NOT coalesce(${passed}, false)`);
  }
  if (filter.after) where.push(gt(trainingParticipants.id, filter.after));
  return participantsQuery(db)
    .where(and(...where))
    .orderBy(asc(trainingParticipants.id))
    .limit(filter.limit + 1);
}

/** One participant of a facility in reach, as the caller sees it. */
export async function readParticipant(
  db: Executor,
  principal: Principal,
  now: Date,
  trainingId: string,
  id: string,
  seen: SeenBy,
) {
  const reach = await trainingReach(db, principal, now);
  const training = await getTraining(db, principal, reach, trainingId);
  const view = await getParticipant(db, reach, training.training.id, id);
  await seen(officersRead([view]));
  return presentParticipant(principal, view, training);
}

async function getParticipant(
  db: Executor,
  reach: FacilityReach,
  trainingId: string,
  id: string,
  lock = false,
): Promise<ParticipantView> {
  const query = participantsQuery(db).where(
    and(eq(trainingParticipants.id, id), eq(trainingParticipants.trainingId, trainingId)),
  );
  const [row] = lock ? await query.for('update', { of: trainingParticipants }) : await query;
  if (!row || !reaches(reach, row.participant.facilityId)) throw notFound('training participant');
  return row;
}

/**
 * Adds officers to a training, all or nothing. Each must be an officer of a facility taking part
 * (and within the caller's reach), in service at some time during the training, and not already
 * a participant; any bad one makes a 422 naming each and why. Then capacity: 409 when over.
 */
export async function addParticipants(change: Change, principal: Principal, trainingId: string, officerIds: string[]) {
  const { reach, training } = await trainingToManage(change, principal, trainingId, 'participants');
  const t = training.training;
  const found = await change.tx
    .select({
      id: officers.id,
      facilityId: officers.facilityId,
      joinedOn: officers.joinedOn,
      leftOn: officers.leftOn,
      status: officers.status,
    })
    .from(officers)
    .where(inArray(officers.id, officerIds));
  const byId = new Map(found.map((o) => [o.id, o]));
  const already = new Set(
    (
      await change.tx
        .select({ officerId: trainingParticipants.officerId })
        .from(trainingParticipants)
        .where(
          and(eq(trainingParticipants.trainingId, trainingId), inArray(trainingParticipants.officerId, officerIds)),
        )
    ).map((r) => r.officerId),
  );
  const errors: FieldError[] = [];
  const refusal = (id: string): RuleName | undefined => {
    const o = byId.get(id);
    // Unknown, out of reach, or of another facility: the same answer, so that nothing leaks.
    if (!o || !reaches(reach, o.facilityId) || !training.facilityIds.includes(o.facilityId)) {
      return 'training_participant_not_taking_part';
    }
    if (o.joinedOn > t.endsOn || (o.leftOn !== null && o.leftOn < t.startsOn) || o.status === 'inactive') {
      return 'training_participant_not_in_service';
    }
    return already.has(id) ? 'training_participant_already' : undefined;
  };
  officerIds.forEach((id, i) => {
    const rule = refusal(id);
    if (rule) errors.push({ in: 'body', pointer: `/officer_ids/${i}`, detail: ruleSentence(rule) });
  });
  if (errors.length) {
    throw new Problem(
      422,
      'rule_violated',
      { rule: 'training_participants_refused' satisfies RuleName, count: errors.length },
      { errors },
    );
  }
  // Counted after the lock, in a statement of its own: the locking read's snapshot predates a batch that just committed.
  const [taken] = await change.tx
    .select({ n: sql<number>`count(*)::int` })
    .from(trainingParticipants)
    .where(eq(trainingParticipants.trainingId, trainingId));
  const places = taken?.n ?? 0;
  if (places + officerIds.length > t.capacity) {
    throw new Problem(409, 'conflict', {
      reason: reasonOf.training_full(t.capacity, places, officerIds.length),
    });
  }
  const rows = await change.tx
    .insert(trainingParticipants)
    .values(
      officerIds.map((officerId) => ({ trainingId, officerId, facilityId: byId.get(officerId)?.facilityId as string })),
    )
    .returning({
      id: trainingParticipants.id,
      officerId: trainingParticipants.officerId,
      facilityId: trainingParticipants.facilityId,
    });
  const byFacility = new Map<string, { id: string; officer_id: string }[]>();
  for (const r of rows) {
    byFacility.set(r.facilityId, [...(byFacility.get(r.facilityId) ?? []), { id: r.id, officer_id: r.officerId }]);
  }
  for (const [facilityId, added] of byFacility) {
    await change.audit({
      action: 'training.participants_added',
      entityType: 'training',
      entityId: trainingId,
      facilityId,
      after: { participants: added },
    });
  }
  const ids = rows.map((r) => r.id);
  const views = await participantsQuery(change.tx)
    .where(inArray(trainingParticipants.id, ids))
    .orderBy(asc(trainingParticipants.id));
  const after = await getTraining(change.tx, principal, { all: true }, trainingId);
  return { data: views.map((v) => presentParticipant(principal, v, after)) };
}

/**
 * A participant to write: the training first, under its lock (it orders this write with a change
 * of its pass mark or dates), then the participant under its own; 404 for either out of reach,
 * then 403 for a caller who does not keep the training's participants.
 */
async function participantToManage(change: Change, principal: Principal, trainingId: string, id: string) {
  const reach = await trainingReach(change.tx, principal, change.now);
  const training = await getTraining(change.tx, principal, reach, trainingId, true);
  const before = await getParticipant(change.tx, reach, trainingId, id, true);
  if (!mayManage(principal, training, 'participants')) throw forbidden();
  return { training, before };
}

/** A participant holding a certificate is frozen (by the database too). */
function refuseIfCertified(p: ParticipantRow): void {
  if (p.certificateNumber) {
    throw new Problem(409, 'conflict', { reason: reasonOf.certificate_issued(p.certificateNumber) });
  }
}

/**
 * Records attendance (per day, or hours in all) and scores. Nothing is recorded before the
 * training starts in the participant's facility; days lie within the training and not ahead of today.
 */
export async function updateParticipant(
  change: Change,
  principal: Principal,
  trainingId: string,
  id: string,
  expectedVersion: number,
  input: ParticipantUpdateInput,
) {
  const { training, before } = await participantToManage(change, principal, trainingId, id);
  const p = before.participant;
  checkVersion(p.version, expectedVersion);
  refuseIfCertified(p);
  const t = training.training;
  const today = localDate(change.now, before.timezone);
  if (today < t.startsOn) {
    refuse('/', 'training_not_started', { starts_on: t.startsOn });
  }
  if (input.attended_days && input.attended_hours !== undefined && input.attended_hours !== null) {
    refuse('/attended_hours', 'training_give_attendance_per_day');
  }
  input.attended_days?.forEach((day, i) => {
    const pointer = `/attended_days/${i}`;
    if (day < t.startsOn) refuse(pointer, 'training_day_before_start', { day });
    if (day > t.endsOn) refuse(pointer, 'training_day_after_end', { day });
    if (day > today) refuse(pointer, 'training_day_in_future', { day });
  });
  if (input.attended_hours != null && input.attended_hours > Number(t.hours)) {
    refuse('/attended_hours', 'training_attended_hours_exceeds_training_s', { hours: Number(t.hours) });
  }
  // Per day and in total exclude each other: giving one clears the other.
  const days =
    input.attended_days !== undefined ? input.attended_days : input.attended_hours != null ? null : p.attendedDays;
  const hours =
    input.attended_hours !== undefined
      ? input.attended_hours === null
        ? null
        : String(input.attended_hours)
      : input.attended_days
        ? null
        : p.attendedHours;
  const score = (given: number | null | undefined, kept: string | null) =>
    given === undefined ? kept : given === null ? null : String(given);
  const row = await updateVersioned(
    change.tx,
    trainingParticipants,
    p,
    {
      attendedDays: days,
      attendedHours: hours,
      preTestScore: score(input.pre_test_score, p.preTestScore),
      postTestScore: score(input.post_test_score, p.postTestScore),
    },
    change.now,
  );
  const view = { ...before, participant: row };
  await change.audit({
    action: 'training.participant_updated',
    entityType: 'training_participant',
    entityId: id,
    facilityId: p.facilityId,
    before: toParticipantDto(before, t),
    after: toParticipantDto(view, t),
  });
  return presentParticipant(principal, view, training);
}

/** Issues the certificate of a participant who passed: once, with a number from the national sequence. */
export async function issueCertificate(change: Change, principal: Principal, trainingId: string, id: string) {
  const { training, before } = await participantToManage(change, principal, trainingId, id);
  refuseIfCertified(before.participant);
  const t = training.training;
  if (!toParticipantDto(before, t).passed) {
    refuse('/', 'training_participant_who_passed_post', { pass_mark: Number(t.passMark) });
  }
  const year = t.endsOn.slice(0, 4);
  // Under the participant's lock its version cannot have moved.
  const row = await updateVersioned(
    change.tx,
    trainingParticipants,
    before.participant,
    {
      certificateNumber: sql`${`BERSINAR/PLT/${year}/`} || lpad(nextval('training_certificate_seq')::text, 6, '0')`,
      certificateIssuedAt: change.now,
    },
    change.now,
  );
  const view = { ...before, participant: row };
  await change.audit({
    action: 'training.certificate_issued',
    entityType: 'training_participant',
    entityId: id,
    facilityId: row.facilityId,
    before: toParticipantDto(before, t),
    after: toParticipantDto(view, t),
  });
  // The certificate's number stays in the record: the event names the officer by id only.
  await certificateIssued.emit(
    change,
    {
      subject: { type: 'training_participant', id },
      facilityIds: [row.facilityId],
      people: [{ type: 'officer', id: row.officerId }],
    },
    {
      training_id: t.id,
      participant_id: id,
      facility_id: row.facilityId,
      issued_at: (row.certificateIssuedAt ?? change.now).toISOString(),
    },
  );
  return presentParticipant(principal, view, training);
}
