import { addDays, dayEndSql, dayStartSql, localDate, type Period, widestInstants } from '../../core/calendar/index.ts';
import { sql } from '../../db/client.ts';

/**
 * What the scorecard's queries share: each facility's period as bounds (the `fp` rows every query
 * starts from), and the predicates more than one indicator reads — who is in service, who is held,
 * which test or inspection falls in the period, who counts as positive. Periods are read in each
 * facility's own calendar; "the end of the period" is its last day, or today while it runs.
 */
type SQL = ReturnType<typeof sql>;

export interface FacilityClock {
  id: string;
  timezone: string;
}

// The zone of the facility each row is judged for (fp's rows join it as fz).
export const zone = sql`fz.timezone`;

/** The end of the period in a facility's calendar: its last day, or today while it runs. */
export function endOf(period: Period, timezone: string, now: Date): string {
  const today = localDate(now, timezone);
  return today < period.to ? today : period.to;
}

/** Months of the period begun by `upto`: a running quarter in its first month counts one. */
export function monthsBegun(period: Period, upto: string): number {
  const months =
    (Number(upto.slice(0, 4)) - Number(period.from.slice(0, 4))) * 12 +
    Number(upto.slice(5, 7)) -
    Number(period.from.slice(5, 7)) +
    1;
  return Math.max(1, Math.min(period.months, months));
}

/** The facilities and period a read is for, and the bounds every query of it starts from. */
export interface Bounds {
  facilities: FacilityClock[];
  period: Period;
  now: Date;
  /** The training window's length (TRAINING_COVERAGE_MONTHS). */
  trainingMonths: number;
  /**
   * The `fp` CTE: a row a facility with its period as instants (t0, t1), its end of the period as a
   * local date (upto) and the instant that day ends (u1), and the last day whose due dates are judged.
   */
  fp: SQL;
  /**
   * The period's instants in the widest zones, as constants: they let the time indexes narrow the
   * rows before each facility's own bounds (computed per row, which an index cannot use) judge them.
   */
  g0: SQL;
  g1: SQL;
}

export function boundsOf(facilities: FacilityClock[], period: Period, now: Date, trainingMonths: number): Bounds {
  const ids = facilities.map((f) => f.id);
  const upto = facilities.map((f) => endOf(period, f.timezone, now));
  // A due date is judged once its day is over: the whole period when it has ended, else up to yesterday.
  const judged = facilities.map((f) => {
    const today = localDate(now, f.timezone);
    return today > period.to ? period.to : addDays(today, -1);
  });
  const fp = sql`fp AS (
    SELECT f.id, f.upto::date AS upto, f.judged::date AS judged,
           ${dayStartSql(period.from, zone)} AS t0,
           ${dayEndSql(period.to, zone)} AS t1,
           ${dayEndSql(sql`f.upto`, zone)} AS u1
      FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(upto)}::text[], ${sql.param(judged)}::text[]) AS f(id, upto, judged)
      JOIN facilities fz ON fz.id = f.id)`;
  const { earliest, latest } = widestInstants(period.from, period.to);
  return {
    facilities,
    period,
    now,
    trainingMonths,
    fp,
    g0: sql`${earliest.toISOString()}::timestamptz`,
    g1: sql`${latest.toISOString()}::timestamptz`,
  };
}

// ---------------------------------------------------------------------------------------------
// People

/** Officer `o` in service at any time in the period: joined by its end, not gone before it, not inactive. */
export const officerInService = (b: Bounds) =>
  sql`o.joined_on <= ${b.period.to}::date AND (o.left_on IS NULL OR o.left_on > ${b.period.from}::date) AND o.status <> 'inactive'`;

// An open stay never ends: its until_date read as infinity, as the index on (facility, until) keeps it.
const until = sql`coalesce(p.until_date, 'infinity'::date)`;

/** Placement `p` holds its inmate at some time in the period. */
export const heldInPeriod = (b: Bounds) =>
  sql`p.from_date <= ${b.period.to}::date AND ${until} >= ${b.period.from}::date`;

/**
 * Of the placements that hold their inmate in the period (heldInPeriod), `p` is the inmate's first
 * at its facility: one row a person held there, whatever their comings and goings. prev_until is
 * kept by a trigger (see the migration that adds it).
 */
export const firstThereInPeriod = (b: Bounds) => sql`(p.prev_until IS NULL OR p.prev_until < ${b.period.from}::date)`;

/** Placement `p` holds its inmate at the end of the period (`fp.upto`). */
export const heldAtEnd = sql`p.from_date <= fp.upto AND ${until} > fp.upto`;

// ---------------------------------------------------------------------------------------------
// Events in the period

/** Urine test `t` collected at the facility in its period. */
export const collectedInPeriod = (b: Bounds) =>
  sql`t.facility_id = fp.id AND t.collected_at >= fp.t0 AND t.collected_at < fp.t1
      AND t.collected_at >= ${b.g0} AND t.collected_at < ${b.g1}`;

/** Inspection `n` of the facility begun in its period, and not a draft (submitted or signed off). */
export const inspectedInPeriod = (b: Bounds) =>
  sql`n.facility_id = fp.id AND n.started_at >= fp.t0 AND n.started_at < fp.t1
      AND n.started_at >= ${b.g0} AND n.started_at < ${b.g1} AND n.status <> 'draft'`;

// ---------------------------------------------------------------------------------------------
// Who counts as positive

/**
 * A result that counts its person as positive in the positive rates, as random-testing programmes
 * publish them: a confirmed positive (a presumptive one counts once the lab confirms it), a refusal,
 * or an adulterated or substituted specimen (outcome adulterated). A dilute specimen counts by its
 * drug result (a positive class makes it a presumptive positive, judged by its confirmation); an
 * invalid one counts for nothing unless the person has another valid result in the period.
 */
// Never null (a negative's confirmation is): bool_or and bool_and would skip a null.
export const POSITIVE_CLASS = sql`(t.outcome IN ('refused', 'adulterated') OR t.confirmation IS NOT DISTINCT FROM 'confirmed_positive')`;

/** What counts a person as positive in the rates (POSITIVE_CLASS); adulterated includes substituted. */
export type PositiveOutcome = 'confirmed_positive' | 'refused' | 'adulterated';

/**
 * Each person of a kind counted positive in the period, once, with the first result that counts
 * them: rows of id, outcome and test_id, in the order of those results.
 */
export const firstPositives = (b: Bounds, subject: 'inmate' | 'officer') =>
  sql`SELECT id, outcome, test_id FROM (
        SELECT DISTINCT ON (t.subject_id) t.subject_id::text AS id, t.id::text AS test_id, t.collected_at,
               CASE WHEN t.confirmation = 'confirmed_positive' THEN 'confirmed_positive' ELSE t.outcome::text END AS outcome
          FROM fp JOIN urine_tests t ON ${collectedInPeriod(b)} AND t.subject_type = ${subject} AND ${POSITIVE_CLASS}
         ORDER BY t.subject_id, t.collected_at, t.id) first
      ORDER BY collected_at, id`;
