import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { reasonOf } from '../../http/messages.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, Problem, refuse } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { getInmate } from '../inmates/service.ts';
import { inmates } from '../inmates/tables.ts';
import { hasConfirmedPositive } from '../urine/service.ts';
import { conflictProblem } from './booking.ts';
import { leaveComingSessions } from './closing.ts';
import {
  type EnrolmentRow,
  type EnrolmentView,
  type ProgrammeView,
  type Progress,
  presentEnrolment,
  type SeenBy,
} from './dto.ts';
import { tellEnrolment } from './events.ts';
import { activeEnrolments, getProgramme, programmeToRun, recordToRun, rehabReach } from './programmes.ts';
import type { EnrolmentCreateInput, EnrolmentListQueryInput, EnrolmentUpdateInput } from './schemas.ts';
import { rehabEnrolments } from './tables.ts';

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

/** An enrolment to change, under its programme's lock and its own (recordToRun). */
async function enrolmentToRun(change: Change, principal: Principal, id: string) {
  const { programme, record } = await recordToRun(
    change,
    principal,
    (reach, lock) => getEnrolment(change.tx, reach, id, lock),
    (v) => v.enrolment.programmeId,
  );
  return { programme, enrolment: record };
}

/** Enrolments with their progress (one query for all); the inmates named are audited as read. */
async function presentEnrolments(db: Executor, principal: Principal, views: EnrolmentView[], seen: SeenBy) {
  const progress = await progressOf(
    db,
    views.map((v) => v.enrolment.id),
  );
  await seen(views.map((v) => ({ id: v.enrolment.inmateId, facility_id: v.enrolment.facilityId })));
  return views.map((v) => presentEnrolment(principal, v, progress.get(v.enrolment.id)));
}

/** A programme's enrolments with their progress; one page. */
export async function listEnrolments(
  db: Executor,
  principal: Principal,
  now: Date,
  programmeId: string,
  q: EnrolmentListQueryInput,
  seen: SeenBy,
) {
  const programme = await getProgramme(db, await rehabReach(db, principal, now), programmeId);
  const after = decodeCursor(q.cursor);
  const where: (SQL | undefined)[] = [
    eq(rehabEnrolments.programmeId, programme.programme.id),
    updatedSince(rehabEnrolments.updatedAt, q.updated_since),
  ];
  if (q.status) where.push(eq(rehabEnrolments.status, q.status));
  if (after) where.push(gt(rehabEnrolments.id, after));
  const rows = await enrolmentsQuery(db)
    .where(and(...where))
    .orderBy(asc(rehabEnrolments.id))
    .limit(q.limit + 1);
  const answer = page(
    rows,
    q.limit,
    (v) => v.enrolment.id,
    (v) => v,
  );
  return { data: await presentEnrolments(db, principal, answer.data, seen), next_cursor: answer.next_cursor };
}

/** One enrolment in reach, with its progress. */
export async function readEnrolment(db: Executor, principal: Principal, now: Date, id: string, seen: SeenBy) {
  const view = await getEnrolment(db, await rehabReach(db, principal, now), id);
  const [dto] = await presentEnrolments(db, principal, [view], seen);
  return dto as NonNullable<typeof dto>;
}

/** An enrolment just written, with its progress, as the caller sees it. */
async function answerOf(change: Change, principal: Principal, view: EnrolmentView) {
  const progress = (await progressOf(change.tx, [view.enrolment.id])).get(view.enrolment.id);
  return presentEnrolment(principal, view, progress);
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
export async function enrol(change: Change, principal: Principal, programmeId: string, input: EnrolmentCreateInput) {
  const { now } = change;
  const programme = await programmeToRun(change, principal, programmeId);
  const p = programme.programme;
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
  await tellEnrolment(change, row, null, row.status);
  return answerOf(change, principal, { enrolment: row, pseudonym: inmate.pseudonym, name: inmate.name });
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
  id: string,
  expectedVersion: number,
  input: EnrolmentUpdateInput,
) {
  const { now } = change;
  const { programme, enrolment: before } = await enrolmentToRun(change, principal, id);
  const e = before.enrolment;
  checkVersion(e.version, expectedVersion);
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
  // Under the enrolment's lock its version cannot have moved.
  const row = await updateVersioned(
    change.tx,
    rehabEnrolments,
    e,
    {
      status: input.status,
      endedOn: ending ? localDate(now, programme.timezone) : null,
      activatedOn: input.status === 'active' ? localDate(now, programme.timezone) : e.activatedOn,
      endNote: input.note ?? e.endNote,
    },
    change.now,
  );
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
  // The coming sessions it joined or left are told by this one event, not one a session.
  await tellEnrolment(change, row, e.status, row.status);
  return answerOf(change, principal, { ...before, enrolment: row });
}
