import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { dayStartSql } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, inIds, queryRows } from '../../db/client.ts';
import { reasonOf } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { Problem, violated } from '../../http/problem.ts';
import type { facilities } from '../facilities/tables.ts';
import { inmates } from '../inmates/tables.ts';
import { officers } from '../officers/tables.ts';
import { type RoundRow, toDrawsDto } from './dto.ts';
import { urineRoundClosed } from './events.ts';
import { OUTCOMES, type Outcome } from './outcome.ts';
import type { DrawInput, NotTestedInput } from './request-schemas.ts';
import { getRound, type RoundTarget, urineReach } from './rounds.ts';
import { urineDrawEntries, urineDraws } from './tables.ts';

type Facility = typeof facilities.$inferSelect;

/** The same seed over the same population gives the same lists: the draw can be checked by anyone. */
export function shuffle<T>(items: readonly T[], seed: string): T[] {
  const rng = xoroshiro128plus(Number.parseInt(createHash('sha256').update(seed).digest('hex').slice(0, 8), 16));
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Who may be drawn: people held (inmates) or serving (officers) at the facility, matching the
 * filters, and not tested anywhere in the `excludeDays` before the round's day; in id order.
 */
async function population(db: Executor, facility: Facility, round: RoundRow, input: DrawInput, excludeDays: number) {
  const since = dayStartSql(sql`${round.testedOn}::date - ${excludeDays}::int`, sql`${facility.timezone}`);
  const recent = (type: string, id: unknown) =>
    sql`NOT EXISTS (SELECT 1 FROM urine_tests t WHERE t.subject_type = ${type} AND t.subject_id = ${id} AND t.collected_at >= ${since})`;
  if (input.subject_type === 'inmate') {
    const where = [eq(inmates.facilityId, facility.id), inArray(inmates.status, ['detained', 'sentenced'])];
    if (input.block) where.push(eq(inmates.block, input.block));
    if (input.case_type) where.push(eq(inmates.caseType, input.case_type));
    where.push(recent('inmate', inmates.id));
    return db
      .select({ id: inmates.id })
      .from(inmates)
      .where(and(...where))
      .orderBy(asc(inmates.id));
  }
  const where = [eq(officers.facilityId, facility.id), eq(officers.status, 'active')];
  if (input.unit) where.push(eq(officers.unit, input.unit));
  where.push(recent('officer', officers.id));
  return db
    .select({ id: officers.id })
    .from(officers)
    .where(and(...where))
    .orderBy(asc(officers.id));
}

/** Draws who is tested in a round, with reserves; one draw per subject type (409). Answers the round's draws. */
export async function drawRound(
  change: Change,
  { facility, round, principal }: RoundTarget,
  input: DrawInput,
  excludeDays: number,
) {
  if (!(round.subjects === 'both' || round.subjects === `${input.subject_type}s`)) {
    throw violated('urine_round_subjects_only', { subjects: round.subjects }, '/subject_type');
  }
  const [earlier] = await change.tx
    .select({ id: urineDraws.id })
    .from(urineDraws)
    .where(and(eq(urineDraws.roundId, round.id), eq(urineDraws.subjectType, input.subject_type)));
  if (earlier) throw new Problem(409, 'conflict', { reason: reasonOf.round_has_draw(input.subject_type) });
  const excluded = input.exclude_tested_within_days ?? excludeDays;
  const people = (await population(change.tx, facility, round, input, excluded)).map((p) => p.id);
  const size = input.size ?? Math.ceil((people.length * (input.percent ?? 0)) / 100);
  if (size < 1 || size > people.length) {
    throw violated(
      'urine_draw_asks_for_population',
      { size, length: people.length },
      input.size !== undefined ? '/size' : '/percent',
    );
  }
  const reserves = Math.min(input.reserve_size ?? Math.max(1, Math.ceil(size / 5)), people.length - size);
  const seed = input.seed ?? randomBytes(8).toString('hex');
  const order = shuffle(people, seed);
  const params = { ...input, seed: undefined, exclude_tested_within_days: excluded, size, reserve_size: reserves };
  const [draw] = await change.tx
    .insert(urineDraws)
    .values({
      roundId: round.id,
      facilityId: facility.id,
      subjectType: input.subject_type,
      seed,
      params,
      populationSize: people.length,
      createdBy: principal.id,
    })
    .returning();
  if (!draw) throw new Error('insert returned nothing');
  const entries = order.slice(0, size + reserves).map((subjectId, index) => ({
    drawId: draw.id,
    roundId: round.id,
    facilityId: facility.id,
    subjectType: input.subject_type,
    subjectId,
    list: index < size ? ('main' as const) : ('reserve' as const),
    position: index < size ? index + 1 : index - size + 1,
    status: index < size ? ('selected' as const) : ('standby' as const),
  }));
  for (let start = 0; start < entries.length; start += 1_000) {
    await change.tx.insert(urineDrawEntries).values(entries.slice(start, start + 1_000));
  }
  await change.audit({
    action: 'urine.drawn',
    entityType: 'urine_round',
    entityId: round.id,
    facilityId: facility.id,
    after: { seed, params, population: people.length },
  });
  return loadDraws(change.tx, round.id);
}

/** The draws of a round with their entries. */
export async function loadDraws(db: Executor, roundId: string) {
  const draws = await db
    .select()
    .from(urineDraws)
    .where(eq(urineDraws.roundId, roundId))
    .orderBy(asc(urineDraws.subjectType));
  const entries = draws.length
    ? await db
        .select()
        .from(urineDrawEntries)
        .where(
          inArray(
            urineDrawEntries.drawId,
            draws.map((d) => d.id),
          ),
        )
        .orderBy(asc(urineDrawEntries.list), asc(urineDrawEntries.position))
    : [];
  return toDrawsDto(draws, entries);
}

/** The draws of a round in reach (404 otherwise). */
export async function readDraws(db: Executor, principal: Principal, roundId: string, now: Date) {
  const round = await getRound(db, await urineReach(db, principal, now), roundId);
  return loadDraws(db, round.id);
}

/** Results of drawn people mark them tested. */
export async function markTested(
  change: Change,
  roundId: string,
  subjects: { type: 'inmate' | 'officer'; id: string }[],
) {
  for (const type of ['inmate', 'officer'] as const) {
    const ids = subjects.filter((s) => s.type === type).map((s) => s.id);
    if (!ids.length) continue;
    await change.tx
      .update(urineDrawEntries)
      .set({ status: 'tested', updatedAt: change.now })
      .where(
        and(
          eq(urineDrawEntries.roundId, roundId),
          eq(urineDrawEntries.subjectType, type),
          inIds(urineDrawEntries.subjectId, ids),
        ),
      );
  }
}

/**
 * Someone drawn was not tested, and why. Anyone but a refuser is replaced by the next reserve in
 * order; a refusal is recorded as a refused test by the caller (it counts, never as a negative).
 */
export async function markNotTested(change: Change, round: RoundRow, input: NotTestedInput) {
  const [entry] = await change.tx
    .select()
    .from(urineDrawEntries)
    .where(
      and(
        eq(urineDrawEntries.roundId, round.id),
        eq(urineDrawEntries.subjectType, input.subject_type),
        eq(urineDrawEntries.subjectId, input.subject_id),
      ),
    )
    .for('update');
  if (!entry) throw violated('urine_person_was_drawn_round', {}, '/subject_id');
  if (entry.status !== 'selected' && !(input.reason === 'refused' && entry.status === 'tested')) {
    throw new Problem(409, 'conflict', { reason: reasonOf.draw_status(entry.status) });
  }
  await change.tx
    .update(urineDrawEntries)
    .set({ status: 'not_tested', notTestedReason: input.reason, updatedAt: change.now })
    .where(eq(urineDrawEntries.id, entry.id));
  let replacement: string | null = null;
  if (input.reason !== 'refused') {
    const [next] = await change.tx
      .select()
      .from(urineDrawEntries)
      .where(and(eq(urineDrawEntries.drawId, entry.drawId), eq(urineDrawEntries.status, 'standby')))
      .orderBy(asc(urineDrawEntries.position))
      .limit(1)
      .for('update');
    if (next) {
      await change.tx
        .update(urineDrawEntries)
        .set({ status: 'selected', replacesEntryId: entry.id, updatedAt: change.now })
        .where(eq(urineDrawEntries.id, next.id));
      replacement = next.subjectId;
    }
  }
  await change.audit({
    action: 'urine.not_tested',
    entityType: 'urine_round',
    entityId: round.id,
    facilityId: round.facilityId,
    after: { subject_type: input.subject_type, subject_id: input.subject_id, reason: input.reason, replacement },
  });
}

/**
 * The module has no explicit close: a round is complete once every subject type it covers has been
 * drawn and nobody drawn is still waiting to be tested; told once. A round tested without a draw
 * never completes. Called after the write's audit, whose chain lock every write holds until it
 * commits: two writers to one round come here one at a time, the second seeing the first's rows.
 */
export async function closeIfComplete(change: Change, round: RoundRow): Promise<void> {
  const [state] = await queryRows<{ draws: number; waiting: boolean; not_tested: number }>(
    change.tx,
    sql`SELECT (SELECT count(*)::int FROM urine_draws WHERE round_id = ${round.id}) AS draws,
               EXISTS (SELECT 1 FROM urine_draw_entries WHERE round_id = ${round.id} AND status = 'selected') AS waiting,
               (SELECT count(*)::int FROM urine_draw_entries WHERE round_id = ${round.id} AND status = 'not_tested') AS not_tested`,
  );
  if (!state || state.waiting || state.draws < (round.subjects === 'both' ? 2 : 1)) return;
  const counted = await queryRows<{ outcome: Outcome; n: number }>(
    change.tx,
    sql`SELECT outcome::text AS outcome, count(*)::int AS n FROM urine_tests WHERE round_id = ${round.id} GROUP BY outcome`,
  );
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, counted.find((c) => c.outcome === o)?.n ?? 0])) as Record<
    Outcome,
    number
  >;
  await urineRoundClosed.emit(
    change,
    {
      subject: { type: 'urine_round', id: round.id },
      facilityIds: [round.facilityId],
      once: `${urineRoundClosed.type}:${round.id}`,
    },
    {
      round_id: round.id,
      facility_id: round.facilityId,
      tested_on: round.testedOn,
      reason: round.reason,
      tested: counted.reduce((sum, c) => sum + c.n, 0),
      not_tested: state.not_tested,
      outcomes,
    },
  );
}
