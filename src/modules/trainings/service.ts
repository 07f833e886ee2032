import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, facilitiesUnderMous, NOBODY, reaches, recordsFacilityWork } from '../../core/access.ts';
import { daysBetween, localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { iso, isoNotNull } from '../../http/dto.ts';
import { type RuleName, reasonOf, reasons, ruleSentence } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { type FieldError, forbidden, notFound, Problem, refuse } from '../../http/problem.ts';
import { findFacilities } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { officers } from '../officers/tables.ts';
import { findOrganisation } from '../organisations/service.ts';
import type {
  ParticipantDto,
  ParticipantUpdateInput,
  TrainingCreateInput,
  TrainingDto,
  TrainingUpdateInput,
} from './schemas.ts';
import { trainingFacilities, trainingParticipants, trainings } from './tables.ts';

type TrainingRow = typeof trainings.$inferSelect;
type ParticipantRow = typeof trainingParticipants.$inferSelect;

const num = (value: string | null) => (value === null ? null : Number(value));

// ---------------------------------------------------------------------------------------------
// Trainings

// Subqueries name the outer table: drizzle leaves a lone table's columns unqualified.
const organiserName = sql<string>`coalesce(
  (SELECT o.name FROM organisations o WHERE o.id = "trainings"."organiser_organisation_id"),
  (SELECT f.name FROM facilities f WHERE f.id = "trainings"."organiser_facility_id"))`;
const facilityIds = sql<
  string[]
>`(SELECT coalesce(array_agg(tf.facility_id::text ORDER BY tf.facility_id), '{}')::text[]
  FROM training_facilities tf WHERE tf.training_id = "trainings"."id")`;
const participantCount = sql<number>`(SELECT count(*)::int FROM training_participants p WHERE p.training_id = "trainings"."id")`;
const selection = { training: trainings, organiserName, facilityIds, participants: participantCount };
export type TrainingView = {
  training: TrainingRow;
  organiserName: string;
  facilityIds: string[];
  participants: number;
};

export function toTrainingDto(view: TrainingView): TrainingDto {
  const t = view.training;
  return {
    id: t.id,
    title: t.title,
    topic: t.topic,
    organiser_type: t.organiserType,
    organiser_id: (t.organiserOrganisationId ?? t.organiserFacilityId) as string,
    organiser_name: view.organiserName,
    starts_on: t.startsOn,
    ends_on: t.endsOn,
    hours: Number(t.hours),
    venue: t.venue,
    mode: t.mode,
    facility_ids: view.facilityIds,
    trainers: t.trainers,
    capacity: t.capacity,
    pass_mark: Number(t.passMark),
    participants: view.participants,
    created_by: t.createdBy,
    version: t.version,
    created_at: isoNotNull(t.createdAt),
    updated_at: isoNotNull(t.updatedAt),
  };
}

/** A training is seen by whoever reaches one of its facilities, and by the officers of the BNN unit that runs it. */
function visibleTo(principal: Principal, reach: FacilityReach): SQL | undefined {
  if (reach.all) return undefined;
  const own =
    principal.role === 'bnn_officer'
      ? sql`${trainings.organiserOrganisationId} = ${principal.organisationId ?? NOBODY}`
      : sql`false`;
  if (reach.ids.length === 0) return own;
  return sql`(${own} OR EXISTS (SELECT 1 FROM training_facilities v
                 WHERE v.training_id = "trainings"."id" AND v.facility_id IN ${reach.ids}))`;
}

export async function getTraining(
  db: Executor,
  principal: Principal,
  reach: FacilityReach,
  id: string,
  lock = false,
): Promise<TrainingView> {
  const query = db
    .select(selection)
    .from(trainings)
    .where(and(eq(trainings.id, id), visibleTo(principal, reach)));
  // The lock serialises writers of one training: capacity is counted under it.
  const [row] = lock ? await query.for('update', { of: trainings }) : await query;
  if (!row) throw notFound('training');
  return row;
}

export interface TrainingFilter {
  facilityId?: string;
  topic?: TrainingRow['topic'];
  organiserId?: string;
  from?: string;
  to?: string;
  after?: string;
  limit: number;
}

export async function listTrainings(
  db: Executor,
  principal: Principal,
  reach: FacilityReach,
  filter: TrainingFilter,
): Promise<TrainingView[]> {
  const where: (SQL | undefined)[] = [visibleTo(principal, reach)];
  if (filter.facilityId) {
    where.push(
      sql`EXISTS (SELECT 1 FROM training_facilities f WHERE f.training_id = "trainings"."id" AND f.facility_id = ${filter.facilityId})`,
    );
  }
  if (filter.topic) where.push(eq(trainings.topic, filter.topic));
  if (filter.organiserId) {
    where.push(
      sql`(${trainings.organiserOrganisationId} = ${filter.organiserId} OR ${trainings.organiserFacilityId} = ${filter.organiserId})`,
    );
  }
  if (filter.from) where.push(sql`${trainings.endsOn} >= ${filter.from}::date`);
  if (filter.to) where.push(sql`${trainings.startsOn} <= ${filter.to}::date`);
  if (filter.after) where.push(gt(trainings.id, filter.after));
  return db
    .select(selection)
    .from(trainings)
    .where(and(...where))
    .orderBy(asc(trainings.id))
    .limit(filter.limit + 1);
}

/**
 * Who may change a training: an administrator; the officers of the BNN unit that runs it; for a
 * training run by a facility or the Kanwil (whose accounts only read), the staff and head of a
 * facility taking part. Participants of a training are kept by the same people and also by the
 * staff of any facility taking part, for their own officers (reach keeps them to those).
 */
function mayManage(principal: Principal, view: TrainingView, what: 'training' | 'participants'): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'bnn_officer':
      return view.training.organiserOrganisationId === principal.organisationId;
    case 'facility_staff':
    case 'facility_head': {
      const own = principal.facilityId;
      if (!own || !view.facilityIds.includes(own)) return false;
      if (what === 'participants') return true;
      // A facility's own training is kept by its staff; the Kanwil's by the staff of any facility in it.
      const t = view.training;
      return t.organiserType === 'kanwil' || (t.organiserType === 'facility' && t.organiserFacilityId === own);
    }
    default:
      return false;
  }
}

/**
 * The organiser fits the facilities: a BNN unit whose MoUs in force cover training at every one of
 * them, the Kanwil of every one, or one of the facilities itself. And the caller may speak for it:
 * a BNN officer only for their own unit; anyone only for facilities (newly) added within their reach.
 */
async function checkTraining(
  db: Executor,
  principal: Principal,
  reach: FacilityReach,
  organiser: { type: TrainingRow['organiserType']; id: string },
  ids: string[],
  added: string[],
  now: Date,
): Promise<void> {
  const ownUnit = organiser.type === 'bnn_unit' && organiser.id === principal.organisationId;
  const speaksFor =
    principal.role === 'admin' || (principal.role === 'bnn_officer' ? ownUnit : organiser.type !== 'bnn_unit');
  if (!speaksFor) {
    refuse('/organiser_id', 'training_bnn_unit_s_trainings');
  }
  const found = await findFacilities(db, ids);
  const missing = added.filter((id) => !found.some((f) => f.id === id) || !reaches(reach, id));
  if (missing.length) {
    refuse('/facility_ids', 'training_facility_out_of_reach', { missing: missing.join(', ') });
  }
  if (organiser.type === 'facility') {
    if (!ids.includes(organiser.id)) {
      refuse('/organiser_id', 'training_facility_organises_trainings_for');
    }
    return;
  }
  const unit = await findOrganisation(db, organiser.id);
  if (organiser.type === 'kanwil') {
    const others = found.filter((f) => f.kanwilId !== organiser.id);
    if (unit?.type !== 'kanwil' || others.length) {
      refuse('/organiser_id', 'training_organiser_id_kanwil_every_facility');
    }
    return;
  }
  const covered = unit?.type === 'bnn' ? await facilitiesUnderMous(db, unit.id, now, 'training') : [];
  const outside = ids.filter((id) => !covered.includes(id));
  if (outside.length) {
    refuse('/facility_ids', 'training_bnn_unit_mou_force', { outside: outside.join(', ') });
  }
}

function checkDates(startsOn: string, endsOn: string): void {
  if (endsOn < startsOn) {
    refuse('/ends_on', 'training_ends_on_before_starts_on');
  }
}

export async function createTraining(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  input: TrainingCreateInput,
  defaultPassMark: number,
): Promise<TrainingView> {
  if (!recordsFacilityWork(principal.role)) throw forbidden();
  checkDates(input.starts_on, input.ends_on);
  const organiser = { type: input.organiser_type, id: input.organiser_id };
  await checkTraining(change.tx, principal, reach, organiser, input.facility_ids, input.facility_ids, change.now);
  const [row] = await change.tx
    .insert(trainings)
    .values({
      title: input.title,
      topic: input.topic,
      organiserType: input.organiser_type,
      organiserOrganisationId: input.organiser_type === 'facility' ? null : input.organiser_id,
      organiserFacilityId: input.organiser_type === 'facility' ? input.organiser_id : null,
      startsOn: input.starts_on,
      endsOn: input.ends_on,
      hours: String(input.hours),
      venue: input.venue,
      mode: input.mode,
      trainers: input.trainers,
      capacity: input.capacity,
      passMark: String(input.pass_mark ?? defaultPassMark),
      createdBy: principal.id,
    })
    .returning({ id: trainings.id });
  if (!row) throw new Error('insert returned nothing');
  await change.tx
    .insert(trainingFacilities)
    .values(input.facility_ids.map((facilityId) => ({ trainingId: row.id, facilityId })));
  const view = await getTraining(change.tx, principal, { all: true }, row.id);
  await auditTraining(change, 'training.created', view, null);
  return view;
}

export async function updateTraining(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  id: string,
  expectedVersion: number,
  input: TrainingUpdateInput,
): Promise<TrainingView> {
  const before = await getTraining(change.tx, principal, reach, id, true);
  if (!mayManage(principal, before, 'training')) throw forbidden();
  const t = before.training;
  if (t.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: t.version });
  const startsOn = input.starts_on ?? t.startsOn;
  const endsOn = input.ends_on ?? t.endsOn;
  checkDates(startsOn, endsOn);
  const ids = input.facility_ids ?? before.facilityIds;
  const removed = before.facilityIds.filter((f) => !ids.includes(f));
  const added = ids.filter((f) => !before.facilityIds.includes(f));
  if (removed.some((f) => !reaches(reach, f))) {
    refuse('/facility_ids', 'training_facilities_within_reach_taken');
  }
  if (input.facility_ids) {
    const organiser = {
      type: t.organiserType,
      id: (t.organiserOrganisationId ?? t.organiserFacilityId) as string,
    };
    await checkTraining(change.tx, principal, reach, organiser, ids, added, change.now);
  }
  const [facts] = await queryRows<{
    participants: number;
    scored: number;
    certified: number;
    attended_outside: number;
    over_hours: number;
    in_removed: number;
  }>(
    change.tx,
    sql`SELECT count(*)::int AS participants,
               count(*) FILTER (WHERE post_test_score IS NOT NULL)::int AS scored,
               count(*) FILTER (WHERE certificate_number IS NOT NULL)::int AS certified,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(attended_days) d
                                             WHERE d < ${startsOn}::date OR d > ${endsOn}::date))::int AS attended_outside,
               count(*) FILTER (WHERE attended_hours > ${input.hours ?? Number(t.hours)})::int AS over_hours,
               count(*) FILTER (WHERE facility_id::text = ANY(${sql.param(removed)}::text[]))::int AS in_removed
          FROM training_participants WHERE training_id = ${id}`,
  );
  const capacity = input.capacity ?? t.capacity;
  if (facts && capacity < facts.participants) {
    refuse('/capacity', 'training_capacity_fall_below_participants', { participants: facts.participants });
  }
  if (facts?.attended_outside) {
    refuse('/starts_on', 'training_new_dates_would_leave');
  }
  if (facts?.over_hours) {
    refuse('/hours', 'training_hours_fall_below_hours');
  }
  if (facts?.in_removed) {
    refuse('/facility_ids', 'training_facility_whose_officers_already');
  }
  const passMark = input.pass_mark === undefined ? t.passMark : String(input.pass_mark);
  if (Number(passMark) !== Number(t.passMark) && facts?.scored) {
    refuse('/pass_mark', 'training_pass_mark_cannot_change_once');
  }
  if (facts?.certified && (input.hours !== undefined || input.starts_on || input.ends_on || input.topic)) {
    throw new Problem(409, 'conflict', {
      reason: reasons.certificates_issued,
    });
  }
  const [row] = await change.tx
    .update(trainings)
    .set({
      title: input.title ?? t.title,
      topic: input.topic ?? t.topic,
      startsOn,
      endsOn,
      hours: input.hours === undefined ? t.hours : String(input.hours),
      venue: input.venue ?? t.venue,
      mode: input.mode ?? t.mode,
      trainers: input.trainers ?? t.trainers,
      capacity,
      passMark,
      version: t.version + 1,
      updatedAt: change.now,
    })
    .where(and(eq(trainings.id, id), eq(trainings.version, expectedVersion)))
    .returning({ id: trainings.id });
  if (!row) throw new Problem(412, 'precondition_failed', { current: '?' });
  if (removed.length) {
    await change.tx
      .delete(trainingFacilities)
      .where(and(eq(trainingFacilities.trainingId, id), inArray(trainingFacilities.facilityId, removed)));
  }
  if (added.length) {
    await change.tx.insert(trainingFacilities).values(added.map((facilityId) => ({ trainingId: id, facilityId })));
  }
  const after = await getTraining(change.tx, principal, { all: true }, id);
  await auditTraining(change, 'training.updated', after, toTrainingDto(before));
  return after;
}

// One event per facility taking part, so that each facility's trail shows its trainings.
async function auditTraining(change: Change, action: string, after: TrainingView, before: TrainingDto | null) {
  const touched = new Set([...after.facilityIds, ...(before?.facility_ids ?? [])]);
  for (const facilityId of touched) {
    await change.audit({
      action,
      entityType: 'training',
      entityId: after.training.id,
      facilityId,
      before,
      after: toTrainingDto(after),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Participants

const participantSelection = {
  participant: trainingParticipants,
  nip: officers.nip,
  name: officers.name,
  pseudonym: officers.pseudonym,
  timezone: facilities.timezone,
};
export type ParticipantView = {
  participant: ParticipantRow;
  nip: string;
  name: string;
  pseudonym: string;
  timezone: string;
};

/** Days from starts_on to ends_on, both counted. */
function daysOf(training: TrainingRow): number {
  return daysBetween(training.startsOn, training.endsOn) + 1;
}

/** Attendance and the pass are derived, never stored: a per-day record gives hours in proportion. */
export function toParticipantDto(view: ParticipantView, training: TrainingRow): ParticipantDto {
  const p = view.participant;
  const hours = Number(training.hours);
  const attendedHours =
    p.attendedDays !== null
      ? Math.round(((hours * p.attendedDays.length) / daysOf(training)) * 10) / 10
      : num(p.attendedHours);
  const post = num(p.postTestScore);
  return {
    id: p.id,
    training_id: p.trainingId,
    facility_id: p.facilityId,
    officer: { id: p.officerId, pseudonym: view.pseudonym, nip: view.nip, name: view.name },
    attended_days: p.attendedDays ? [...p.attendedDays].sort() : null,
    attended_hours: attendedHours,
    attendance_rate: attendedHours === null ? null : Math.round((attendedHours / hours) * 1000) / 1000,
    pre_test_score: num(p.preTestScore),
    post_test_score: post,
    passed: post === null ? null : post >= Number(training.passMark),
    certificate_number: p.certificateNumber,
    certificate_issued_at: iso(p.certificateIssuedAt),
    version: p.version,
    created_at: isoNotNull(p.createdAt),
    updated_at: isoNotNull(p.updatedAt),
  };
}

function participantsQuery(db: Executor) {
  return db
    .select(participantSelection)
    .from(trainingParticipants)
    .innerJoin(officers, eq(officers.id, trainingParticipants.officerId))
    .innerJoin(facilities, eq(facilities.id, trainingParticipants.facilityId));
}

/** Participants are people of a facility's register: only those of facilities in reach are seen. */
export async function listParticipants(
  db: Executor,
  reach: FacilityReach,
  training: TrainingView,
  filter: { facilityId?: string; passed?: boolean; after?: string; limit: number },
): Promise<ParticipantView[]> {
  if (!reach.all && reach.ids.length === 0) return [];
  const where: SQL[] = [eq(trainingParticipants.trainingId, training.training.id)];
  if (!reach.all) where.push(inArray(trainingParticipants.facilityId, reach.ids));
  if (filter.facilityId) where.push(eq(trainingParticipants.facilityId, filter.facilityId));
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

export async function getParticipant(
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
export async function addParticipants(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  trainingId: string,
  officerIds: string[],
): Promise<ParticipantView[]> {
  const training = await getTraining(change.tx, principal, reach, trainingId, true);
  if (!mayManage(principal, training, 'participants')) throw forbidden();
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
  return participantsQuery(change.tx)
    .where(inArray(trainingParticipants.id, ids))
    .orderBy(asc(trainingParticipants.id));
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
  reach: FacilityReach,
  trainingId: string,
  id: string,
  expectedVersion: number,
  input: ParticipantUpdateInput,
  now: Date,
): Promise<{ view: ParticipantView; training: TrainingView }> {
  // The training's lock orders this write with a change of its pass mark or dates.
  const training = await getTraining(change.tx, principal, reach, trainingId, true);
  const before = await getParticipant(change.tx, reach, trainingId, id, true);
  if (!mayManage(principal, training, 'participants')) throw forbidden();
  const p = before.participant;
  if (p.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: p.version });
  refuseIfCertified(p);
  const t = training.training;
  const today = localDate(now, before.timezone);
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
  const [row] = await change.tx
    .update(trainingParticipants)
    .set({
      attendedDays: days,
      attendedHours: hours,
      preTestScore: score(input.pre_test_score, p.preTestScore),
      postTestScore: score(input.post_test_score, p.postTestScore),
      version: p.version + 1,
      updatedAt: change.now,
    })
    .where(and(eq(trainingParticipants.id, id), eq(trainingParticipants.version, expectedVersion)))
    .returning();
  if (!row) throw new Problem(412, 'precondition_failed', { current: '?' });
  const view = { ...before, participant: row };
  await change.audit({
    action: 'training.participant_updated',
    entityType: 'training_participant',
    entityId: id,
    facilityId: p.facilityId,
    before: toParticipantDto(before, t),
    after: toParticipantDto(view, t),
  });
  return { view, training };
}

/** Issues the certificate of a participant who passed: once, with a number from the national sequence. */
export async function issueCertificate(
  change: Change,
  principal: Principal,
  reach: FacilityReach,
  trainingId: string,
  id: string,
): Promise<{ view: ParticipantView; training: TrainingView }> {
  // The training's lock orders this write with a change of its pass mark or dates.
  const training = await getTraining(change.tx, principal, reach, trainingId, true);
  const before = await getParticipant(change.tx, reach, trainingId, id, true);
  if (!mayManage(principal, training, 'participants')) throw forbidden();
  refuseIfCertified(before.participant);
  const t = training.training;
  if (!toParticipantDto(before, t).passed) {
    refuse('/', 'training_participant_who_passed_post', { pass_mark: Number(t.passMark) });
  }
  const year = t.endsOn.slice(0, 4);
  const [row] = await change.tx
    .update(trainingParticipants)
    .set({
      certificateNumber: sql`${`BERSINAR/PLT/${year}/`} || lpad(nextval('training_certificate_seq')::text, 6, '0')`,
      certificateIssuedAt: change.now,
      version: before.participant.version + 1,
      updatedAt: change.now,
    })
    .where(eq(trainingParticipants.id, id))
    .returning();
  if (!row) throw new Error('update returned nothing');
  const view = { ...before, participant: row };
  await change.audit({
    action: 'training.certificate_issued',
    entityType: 'training_participant',
    entityId: id,
    facilityId: row.facilityId,
    before: toParticipantDto(before, t),
    after: toParticipantDto(view, t),
  });
  return { view, training };
}
