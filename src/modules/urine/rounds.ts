import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type FacilityReach,
  facilitiesUnderMous,
  facilityReach,
  PURPOSES,
  reaches,
  recordsFacilityWork,
} from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { inReach, keysetOrder, updatedSince } from '../../db/filters.ts';
import { stampedKeysetOf, stampedPage } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, violated } from '../../http/problem.ts';
import { getFacility } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { findOrganisation } from '../organisations/service.ts';
import type { Cutoff, DrugClass } from './cutoffs.ts';
import { type RoundRow, toRoundDto } from './dto.ts';
import type { RoundCreateInput, RoundListQuery, RoundTopListQuery } from './request-schemas.ts';
import { urineRounds, urineTests } from './tables.ts';

/** The facilities a caller reaches for urine testing: a BNN officer only under an MoU with urine_testing in scope. */
export function urineReach(db: Executor, principal: Principal, now: Date): Promise<FacilityReach> {
  return facilityReach(db, principal, now, PURPOSES.urine);
}

/** Rounds, results and cases are recorded by facility staff and heads, administrators and BNN officers (403 otherwise). */
export function requireRecorder(principal: Principal): void {
  if (!recordsFacilityWork(principal.role)) throw forbidden();
}

export async function getRound(db: Executor, reach: FacilityReach, id: string): Promise<RoundRow> {
  const [row] = await db.select().from(urineRounds).where(eq(urineRounds.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('urine test round');
  return row;
}

/**
 * A round in reach (404 otherwise) and its facility, read at once, for a caller who may record
 * there (403 otherwise). The write routes call it before their transaction begins (see there).
 */
export async function roundToRecord(db: Executor, principal: Principal, roundId: string, now: Date) {
  const reach = await urineReach(db, principal, now);
  const [found] = await db
    .select({ round: urineRounds, facility: facilities })
    .from(urineRounds)
    .innerJoin(facilities, eq(facilities.id, urineRounds.facilityId))
    .where(eq(urineRounds.id, roundId));
  if (!found || !reaches(reach, found.round.facilityId)) throw notFound('urine test round');
  requireRecorder(principal);
  return { principal, ...found };
}

export type RoundTarget = Awaited<ReturnType<typeof roundToRecord>>;

/** A facility in reach (404 otherwise) where the caller may open rounds (403 otherwise); judged as above. */
export async function facilityToTest(db: Executor, principal: Principal, facilityId: string, now: Date) {
  const facility = await getFacility(db, await urineReach(db, principal, now), facilityId);
  requireRecorder(principal);
  return { principal, facility };
}

/**
 * Opens a round. Its cutoffs are those configured now, with the kit's own screen cutoffs for the
 * classes that depend on the kit; they stay with the round even if the configuration changes later.
 */
export async function openRound(
  change: Change,
  { principal, facility }: Awaited<ReturnType<typeof facilityToTest>>,
  input: RoundCreateInput,
  configured: Record<DrugClass, Cutoff>,
) {
  if (input.run_by_organisation_id) {
    const unit = await findOrganisation(change.tx, input.run_by_organisation_id);
    const covered =
      unit?.type === 'bnn' &&
      (await facilitiesUnderMous(change.tx, unit.id, change.now, 'urine_testing')).includes(facility.id);
    if (!covered) {
      throw violated('urine_run_by_organisation_id_bnn_unit_whose', {}, '/run_by_organisation_id');
    }
  }
  if (principal.role === 'bnn_officer' && input.run_by_organisation_id !== (principal.organisationId ?? undefined)) {
    throw violated('urine_bnn_officer_records_rounds', {}, '/run_by_organisation_id');
  }
  const cutoffs: Record<string, Cutoff> = {};
  for (const drug of input.kit.panel) {
    const kitScreen = input.kit.cutoffs?.[drug];
    cutoffs[drug] = { screen: kitScreen ?? configured[drug].screen, confirm: configured[drug].confirm };
  }
  const [row] = await change.tx
    .insert(urineRounds)
    .values({
      facilityId: facility.id,
      testedOn: input.tested_on,
      reason: input.reason,
      runByOrganisationId: input.run_by_organisation_id ?? null,
      subjects: input.subjects,
      kit: input.kit,
      cutoffs,
      note: input.note ?? null,
      createdBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'urine.round_opened',
    entityType: 'urine_round',
    entityId: row.id,
    facilityId: facility.id,
    after: row,
  });
  return toRoundDto(row, 0);
}

export async function testedIn(db: Executor, roundId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(urineTests)
    .where(eq(urineTests.roundId, roundId));
  return row?.n ?? 0;
}

/** One round in reach (404 otherwise), with the number of results so far. */
export async function readRound(db: Executor, principal: Principal, roundId: string, now: Date) {
  const round = await getRound(db, await urineReach(db, principal, now), roundId);
  return toRoundDto(round, await testedIn(db, round.id));
}

const testedCount = sql<number>`(SELECT count(*)::int FROM urine_tests t WHERE t.round_id = "urine_test_rounds"."id")`;

async function roundPage(db: Executor, reach: FacilityReach, q: z.infer<typeof RoundTopListQuery>) {
  // A date filter orders by the round's day, a re-sync by updated_at, else by id: each has its index.
  const keyset = stampedKeysetOf(q, q.from || q.to ? 'tested_on' : q.updated_since ? 'updated_at' : undefined);
  const order = keysetOrder(
    urineRounds.id,
    keyset,
    keyset.by === 'tested_on'
      ? { column: urineRounds.testedOn, type: 'date' }
      : keyset.by
        ? { column: urineRounds.updatedAt, type: 'timestamptz' }
        : undefined,
  );
  const where = [inReach(urineRounds.facilityId, reach)];
  if (q.facility_id) where.push(eq(urineRounds.facilityId, q.facility_id));
  if (q.reason) where.push(eq(urineRounds.reason, q.reason));
  if (q.from) where.push(sql`${urineRounds.testedOn} >= ${q.from}::date`);
  if (q.to) where.push(sql`${urineRounds.testedOn} <= ${q.to}::date`);
  where.push(updatedSince(urineRounds.updatedAt, q.updated_since));
  where.push(order.after);
  const rows = await db
    .select({ row: urineRounds, tested: testedCount, at: order.at })
    .from(urineRounds)
    .where(and(...where))
    .orderBy(...order.orderBy)
    .limit(keyset.limit + 1);
  return stampedPage(
    rows,
    keyset,
    (x) => ({ id: x.row.id, at: x.at }),
    (x) => toRoundDto(x.row, x.tested),
  );
}

/** Rounds of every facility in reach, or of one. */
export async function listRounds(db: Executor, principal: Principal, q: z.infer<typeof RoundTopListQuery>, now: Date) {
  return roundPage(db, await urineReach(db, principal, now), q);
}

/** Rounds of one facility in reach (404 otherwise). */
export async function listFacilityRounds(
  db: Executor,
  principal: Principal,
  facilityId: string,
  q: z.infer<typeof RoundListQuery>,
  now: Date,
) {
  const reach = await urineReach(db, principal, now);
  await getFacility(db, reach, facilityId);
  return roundPage(db, reach, { ...q, facility_id: facilityId });
}
