import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import {
  type FacilityReach,
  facilitiesUnderMous,
  facilityReach,
  NOBODY,
  PURPOSES,
  reaches,
  recordsFacilityWork,
} from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { reasons } from '../../http/messages.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, Problem, refuse } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { findFacilities } from '../facilities/service.ts';
import { findOrganisation } from '../organisations/service.ts';
import { presentTraining, type TrainingRow, type TrainingView, toTrainingDto } from './dto.ts';
import type { TrainingCreateInput, TrainingDto, TrainingListQueryInput, TrainingUpdateInput } from './schemas.ts';
import { trainingFacilities, trainings } from './tables.ts';

/** A BNN officer reaches a facility's trainings, officers and coverage under an MoU with training in scope. */
export const trainingReach = (db: Executor, principal: Principal, now: Date) =>
  facilityReach(db, principal, now, PURPOSES.trainings);

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

/** Trainings in reach, by filter; one page. */
export async function listTrainings(db: Executor, principal: Principal, now: Date, q: TrainingListQueryInput) {
  const reach = await trainingReach(db, principal, now);
  const after = decodeCursor(q.cursor);
  const where: (SQL | undefined)[] = [visibleTo(principal, reach)];
  if (q.facility_id) {
    where.push(
      sql`EXISTS (SELECT 1 FROM training_facilities f WHERE f.training_id = "trainings"."id" AND f.facility_id = ${q.facility_id})`,
    );
  }
  if (q.topic) where.push(eq(trainings.topic, q.topic));
  if (q.organiser_id) {
    where.push(
      sql`(${trainings.organiserOrganisationId} = ${q.organiser_id} OR ${trainings.organiserFacilityId} = ${q.organiser_id})`,
    );
  }
  if (q.from) where.push(sql`${trainings.endsOn} >= ${q.from}::date`);
  if (q.to) where.push(sql`${trainings.startsOn} <= ${q.to}::date`);
  where.push(updatedSince(trainings.updatedAt, q.updated_since));
  if (after) where.push(gt(trainings.id, after));
  const rows = await db
    .select(selection)
    .from(trainings)
    .where(and(...where))
    .orderBy(asc(trainings.id))
    .limit(q.limit + 1);
  return page(
    rows,
    q.limit,
    (v) => v.training.id,
    (v) => presentTraining(principal, v),
  );
}

/** One training in reach, as the caller sees it. */
export async function readTraining(db: Executor, principal: Principal, now: Date, id: string) {
  const view = await getTraining(db, principal, await trainingReach(db, principal, now), id);
  return presentTraining(principal, view);
}

/**
 * Who may change a training: an administrator; the officers of the BNN unit that runs it; for a
 * training run by a facility or the Kanwil (whose accounts only read), the staff and head of a
 * facility taking part. Participants of a training are kept by the same people and also by the
 * staff of any facility taking part, for their own officers (reach keeps them to those).
 */
export function mayManage(principal: Principal, view: TrainingView, what: 'training' | 'participants'): boolean {
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
 * A training to change, or whose participants to keep: loaded under its lock (404 out of reach),
 * then the caller's right to manage it (403). The lock serialises the writers of one training.
 */
export async function trainingToManage(
  change: Change,
  principal: Principal,
  id: string,
  what: 'training' | 'participants',
): Promise<{ reach: FacilityReach; training: TrainingView }> {
  const reach = await trainingReach(change.tx, principal, change.now);
  const training = await getTraining(change.tx, principal, reach, id, true);
  if (!mayManage(principal, training, what)) throw forbidden();
  return { reach, training };
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

/** Records a training; pass_mark defaults to the app's. */
export async function createTraining(
  change: Change,
  principal: Principal,
  input: TrainingCreateInput,
  defaultPassMark: number,
): Promise<TrainingDto> {
  if (!recordsFacilityWork(principal.role)) throw forbidden();
  const reach = await trainingReach(change.tx, principal, change.now);
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
  return presentTraining(principal, view);
}

export async function updateTraining(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: TrainingUpdateInput,
): Promise<TrainingDto> {
  const { reach, training: before } = await trainingToManage(change, principal, id, 'training');
  const t = before.training;
  checkVersion(t.version, expectedVersion);
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
  await updateVersioned(
    change.tx,
    trainings,
    t,
    {
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
    },
    change.now,
  );
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
  return presentTraining(principal, after);
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
