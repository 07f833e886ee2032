import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { MouScopeValue } from '../../core/access.ts';
import { localDate, type Period, parsePeriod, periodOf, previousPeriod } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import { isoNotNull } from '../../http/dto.ts';
import { fieldSentence, type Localized } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { Problem, refuse } from '../../http/problem.ts';
import type { facilities } from '../facilities/tables.ts';
import { scorecardPeriodClosed } from './events.ts';
import type { Figures, FiguresCache } from './figures.ts';
import { type IndicatorCode, indicatorOf, type ScorecardRules } from './indicators.ts';
import { type Measures, measure, type RecordLink, recordsBehind } from './measures.ts';
import { scorecardSnapshots } from './tables.ts';

type Facility = typeof facilities.$inferSelect;
export type Status = 'bersinar' | 'menuju_bersinar' | 'belum_bersinar';

export interface IndicatorResult {
  code: IndicatorCode;
  name: string;
  value: number | null;
  numerator: number;
  denominator: number | null;
  target: number;
  direction: 'at_least' | 'at_most';
  met: boolean | null;
  weight: number;
  points: number | null;
  records?: RecordLink[];
}

export interface Scorecard {
  facility_id: string;
  facility_name: string;
  province_code: string;
  period: string;
  from: string;
  to: string;
  complete: boolean;
  score: number;
  status: Status;
  capped_by: IndicatorCode[];
  indicators: IndicatorResult[];
}

export interface Context {
  rules: ScorecardRules;
  trainingMonths: number;
  now: Date;
  /** The process's figures under their data versions; without it every figure is read afresh. */
  figures?: FiguresCache | undefined;
}

/** A period code of the request, or the quarter holding today; never one that has not begun (400). */
export function periodFrom(
  code: string | undefined,
  timezone: string,
  now: Date,
  where: 'querystring' | 'body' = 'querystring',
): Period {
  const today = localDate(now, timezone);
  const period = code ? parsePeriod(code) : periodOf('quarter', today);
  const refuse = (detail: Localized) =>
    new Problem(400, 'validation_failed', {}, { errors: [{ in: where, pointer: '/period', detail }] });
  if (!period) throw refuse(fieldSentence('period_code'));
  if (period.from > today) throw refuse(fieldSentence('period_not_begun', { code: period.code }));
  return period;
}

const round = (n: number, places = 4) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * A scorecard from measures: each indicator's value against its target, its points when met,
 * the score (points over the weights of the indicators that apply: one without a denominator to
 * judge, like a completion rate with no enrolment ended, is left out rather than failed), the
 * status by the configured thresholds, and the caps.
 */
export function score(facility: Facility, period: Period, m: Measures, ctx: Context): Scorecard {
  const indicators = ctx.rules.indicators.map((ind): IndicatorResult => {
    const { numerator, denominator } = m[ind.code];
    const exact = denominator === null ? numerator : denominator > 0 ? numerator / denominator : null;
    const value = exact === null ? null : round(exact);
    // Judged on the exact ratio: 0.29997 does not reach a 0.3 target by rounding.
    const met = exact === null ? null : ind.direction === 'at_least' ? exact >= ind.target : exact <= ind.target;
    return {
      code: ind.code,
      name: ind.name,
      value,
      numerator,
      denominator,
      target: ind.target,
      direction: ind.direction,
      met,
      weight: ind.weight,
      points: met === null ? null : met ? ind.weight : 0,
    };
  });
  const applicable = indicators.filter((i) => i.met !== null);
  const weights = applicable.reduce((n, i) => n + i.weight, 0);
  const total = weights === 0 ? 0 : round((applicable.reduce((n, i) => n + (i.points ?? 0), 0) / weights) * 100, 1);
  // A cap is a fact, not a target: one officer positive or one find caps the status whatever is configured.
  const cappedBy = indicators.filter((i) => ctx.rules.caps.includes(i.code) && i.numerator > 0).map((i) => i.code);
  const { bersinar, menuju_bersinar } = ctx.rules.thresholds;
  let status: Status = total >= bersinar ? 'bersinar' : total >= menuju_bersinar ? 'menuju_bersinar' : 'belum_bersinar';
  if (status === 'bersinar' && cappedBy.length) status = 'menuju_bersinar';
  return {
    facility_id: facility.id,
    facility_name: facility.name,
    province_code: facility.provinceCode,
    period: period.code,
    from: period.from,
    to: period.to,
    complete: localDate(ctx.now, facility.timezone) > period.to,
    score: total,
    status,
    capped_by: cappedBy,
    indicators,
  };
}

/** The figures of many facilities: those kept under their current versions, the others read in one set. */
function figuresOf(db: Executor, list: Facility[], period: Period, ctx: Context): Promise<Figures> {
  const clocks = list.map((f) => ({ id: f.id, timezone: f.timezone }));
  if (ctx.figures) return ctx.figures.measures(db, clocks, period, ctx.now, ctx.trainingMonths);
  return measure(db, clocks, period, ctx.now, ctx.trainingMonths).then((measures) => ({ measures, stamps: new Map() }));
}

/** Scorecards of many facilities for one period, from one set of set-based queries. */
export async function scorecards(db: Executor, list: Facility[], period: Period, ctx: Context): Promise<Scorecard[]> {
  const { measures } = await figuresOf(db, list, period, ctx);
  return list.map((f) => score(f, period, measures.get(f.id) as Measures, ctx));
}

/**
 * One facility's scorecard, with the records behind each indicator not met — those the caller may
 * follow (`mayList` says, by the work they belong to: a BNN unit sees them only under an MoU covering it).
 */
export async function facilityScorecard(
  db: Executor,
  facility: Facility,
  period: Period,
  ctx: Context,
  mayList: (purpose: MouScopeValue | null) => Promise<boolean>,
) {
  const { measures, stamps } = await figuresOf(db, [facility], period, ctx);
  const card = score(facility, period, measures.get(facility.id) as Measures, ctx);
  const clock = { id: facility.id, timezone: facility.timezone };
  const stamp = stamps.get(facility.id);
  for (const ind of card.indicators) {
    if (ind.met === false && (await mayList(indicatorOf(ind.code).purpose))) {
      ind.records =
        ctx.figures && stamp
          ? await ctx.figures.records(db, clock, period, ctx.now, ind.code, ctx.trainingMonths, stamp)
          : await recordsBehind(db, clock, period, ctx.now, ind.code, ctx.trainingMonths);
    }
  }
  return card;
}

// ---------------------------------------------------------------------------------------------
// Snapshots

type SnapshotRow = typeof scorecardSnapshots.$inferSelect;

export function snapshotMeta(row: SnapshotRow) {
  return {
    revision: row.revision,
    taken_at: isoNotNull(row.takenAt),
    taken_by: row.takenBy,
    score: Number(row.score),
    status: row.status as Status,
  };
}

/** The latest snapshot of a facility's period, or the one in force at `asOf`. */
export async function snapshotOf(db: Executor, facilityId: string, period: string, asOf?: Date) {
  const where = [eq(scorecardSnapshots.facilityId, facilityId), eq(scorecardSnapshots.period, period)];
  if (asOf) where.push(lte(scorecardSnapshots.takenAt, asOf));
  const [row] = await db
    .select()
    .from(scorecardSnapshots)
    .where(and(...where))
    .orderBy(desc(scorecardSnapshots.revision))
    .limit(1);
  return row;
}

// What a revision compares: the values, not when they were computed.
export const comparable = (card: Scorecard) =>
  JSON.stringify({
    score: card.score,
    status: card.status,
    indicators: card.indicators.map((i) => [i.code, i.numerator, i.denominator, i.target, i.weight]),
  });

/**
 * Closes a period for the facilities given: each one's scorecard as it stands is stored as
 * revision 1, or, when the records have been corrected since the last closing, as the next
 * revision (with the previous one's score beside it). Unchanged ones are left as they are.
 * Only a period that has ended everywhere given may be closed.
 */
export async function closePeriod(
  change: Change,
  principal: Principal,
  list: Facility[],
  period: Period,
  ctx: Context,
) {
  const open = list.filter((f) => localDate(ctx.now, f.timezone) <= period.to);
  if (open.length) {
    refuse('/period', 'scorecard_period_not_ended', { code: period.code });
  }
  // Afresh, in the closing's transaction: what is stored is what the records say now.
  const cards = await scorecards(change.tx, list, period, { ...ctx, figures: undefined });
  const latest = await queryRows<{ facility_id: string; revision: number; body: Scorecard }>(
    change.tx,
    sql`SELECT DISTINCT ON (facility_id) facility_id::text AS facility_id, revision, body
          FROM scorecard_snapshots
         WHERE period = ${period.code} AND facility_id = ANY(${sql.param(list.map((f) => f.id))}::uuid[])
         ORDER BY facility_id, revision DESC`,
  );
  const byFacility = new Map(latest.map((r) => [r.facility_id, r]));
  const counts = { closed: 0, revised: 0, unchanged: 0 };
  const rows: (typeof scorecardSnapshots.$inferInsert)[] = [];
  for (const card of cards) {
    const before = byFacility.get(card.facility_id);
    if (before && comparable(before.body) === comparable(card)) {
      counts.unchanged++;
      continue;
    }
    if (before) counts.revised++;
    else counts.closed++;
    rows.push({
      id: uuidv7(),
      facilityId: card.facility_id,
      period: period.code,
      revision: (before?.revision ?? 0) + 1,
      score: String(card.score),
      status: card.status,
      body: { ...card, revision_of: before ? { revision: before.revision, score: before.body.score } : null },
      takenBy: principal.id,
    });
  }
  if (rows.length) await change.tx.insert(scorecardSnapshots).values(rows);
  for (const row of rows) {
    await change.audit({
      action: row.revision === 1 ? 'scorecard.closed' : 'scorecard.revised',
      entityType: 'scorecard',
      entityId: null,
      facilityId: row.facilityId,
      after: { period: row.period, revision: row.revision, score: Number(row.score), status: row.status },
    });
    const snapshotId = row.id as string;
    await scorecardPeriodClosed.emit(
      change,
      { subject: { type: 'scorecard_snapshot', id: snapshotId }, facilityIds: [row.facilityId] },
      {
        snapshot_id: snapshotId,
        facility_id: row.facilityId,
        period: row.period,
        revision: row.revision,
        score: Number(row.score),
        status: row.status as Status,
        previous_score: byFacility.get(row.facilityId)?.body.score ?? null,
      },
    );
  }
  return { period: period.code, ...counts };
}

// ---------------------------------------------------------------------------------------------
// Ranking

/**
 * Every facility in reach, ranked by score, with the change since the previous period. A previous
 * period that was closed is compared as it was reported (its latest revision, one indexed read);
 * only facilities without a closing for it are computed afresh.
 */
export async function ranking(db: Executor, list: Facility[], period: Period, ctx: Context) {
  const prior = previousPeriod(period);
  const snapshots = await queryRows<{ facility_id: string; period: string; score: string; status: Status }>(
    db,
    sql`SELECT DISTINCT ON (facility_id, period) facility_id::text AS facility_id, period, score::text AS score, status
          FROM scorecard_snapshots
         WHERE period IN (${period.code}, ${prior.code}) AND facility_id = ANY(${sql.param(list.map((f) => f.id))}::uuid[])
         ORDER BY facility_id, period, revision DESC`,
  );
  const closed = snapshots.filter((c) => c.period === prior.code);
  const closedNow = new Map(
    snapshots.filter((c) => c.period === period.code).map((c) => [c.facility_id, Number(c.score)]),
  );
  const reported = new Set(closed.map((c) => c.facility_id));
  const [now, computed] = await Promise.all([
    scorecards(db, list, period, ctx),
    scorecards(
      db,
      list.filter((f) => !reported.has(f.id)),
      prior,
      ctx,
    ),
  ]);
  const before = [
    ...computed.map((c) => ({ facility_id: c.facility_id, score: c.score, status: c.status })),
    ...closed.map((c) => ({ facility_id: c.facility_id, score: Number(c.score), status: c.status })),
  ];
  const previous = new Map(before.map((c) => [c.facility_id, c]));
  const sorted = [...now].sort((a, b) => b.score - a.score || a.facility_name.localeCompare(b.facility_name));
  let rank = 0;
  let last: number | undefined;
  return sorted.map((card, i) => {
    if (card.score !== last) rank = i + 1;
    last = card.score;
    const prev = previous.get(card.facility_id);
    return {
      rank,
      facility_id: card.facility_id,
      facility_name: card.facility_name,
      province_code: card.province_code,
      score: card.score,
      status: card.status,
      capped_by: card.capped_by,
      closed_score: closedNow.get(card.facility_id) ?? null,
      previous_score: prev?.score ?? null,
      previous_status: prev?.status ?? null,
      change: prev ? round(card.score - prev.score, 1) : null,
    };
  });
}
