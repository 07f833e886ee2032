import {
  addDays,
  dayEndSql,
  dayStartSql,
  localDate,
  monthsBefore,
  type Period,
  widestInstants,
} from '../../core/calendar/index.ts';
import { type Executor, queryRows, sql } from '../../db/client.ts';
import { coverageByFacility, dueOfficers } from '../trainings/coverage.ts';
import type { IndicatorCode } from './indicators.ts';

/**
 * The raw counts behind every indicator, for many facilities at once: one set-based query per
 * part of the record, each reading only the facilities and the period asked for (the indexes on
 * facility and time), whatever the size of the whole database. Periods are read in each
 * facility's own calendar; "the end of the period" is its last day, or today while it runs.
 */
export interface Counts {
  numerator: number;
  denominator: number | null;
}
export type Measures = Record<IndicatorCode, Counts>;

export interface FacilityClock {
  id: string;
  timezone: string;
}

/** The end of the period in a facility's calendar: its last day, or today while it runs. */
function endOf(period: Period, timezone: string, now: Date): string {
  const today = localDate(now, timezone);
  return today < period.to ? today : period.to;
}

/** Months of the period begun by `upto`: a running quarter in its first month counts one. */
function monthsBegun(period: Period, upto: string): number {
  const months =
    (Number(upto.slice(0, 4)) - Number(period.from.slice(0, 4))) * 12 +
    Number(upto.slice(5, 7)) -
    Number(period.from.slice(5, 7)) +
    1;
  return Math.max(1, Math.min(period.months, months));
}

// The zone of the facility each row is judged for (fp's rows join it as fz).
const zone = sql`fz.timezone`;

// Each facility's period as instants and as local dates, and its "end of the period".
const bounds = (facilities: FacilityClock[], period: Period, now: Date) => {
  const ids = facilities.map((f) => f.id);
  const upto = facilities.map((f) => endOf(period, f.timezone, now));
  // A due date is judged once its day is over: the whole period when it has ended, else up to yesterday.
  const judged = facilities.map((f) => {
    const today = localDate(now, f.timezone);
    return today > period.to ? period.to : addDays(today, -1);
  });
  return sql`fp AS (
    SELECT f.id, f.upto::date AS upto, f.judged::date AS judged,
           ${dayStartSql(period.from, zone)} AS t0,
           ${dayEndSql(period.to, zone)} AS t1,
           ${dayEndSql(sql`f.upto`, zone)} AS u1
      FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(upto)}::text[], ${sql.param(judged)}::text[]) AS f(id, upto, judged)
      JOIN facilities fz ON fz.id = f.id)`;
};

/**
 * The period's instants in the widest zones, as constants: they let the time indexes narrow the
 * rows before each facility's own bounds (computed per row, which an index cannot use) judge them.
 */
function widest(period: Period) {
  const { earliest, latest } = widestInstants(period.from, period.to);
  return { g0: sql`${earliest.toISOString()}::timestamptz`, g1: sql`${latest.toISOString()}::timestamptz` };
}

/**
 * A result that counts its person as positive in the positive rates, as random-testing programmes
 * publish them: a confirmed positive (a presumptive one counts once the lab confirms it), a refusal,
 * or an adulterated or substituted specimen (outcome adulterated). A dilute specimen counts by its
 * drug result (a positive class makes it a presumptive positive, judged by its confirmation); an
 * invalid one counts for nothing unless the person has another valid result in the period.
 */
// Never null (a negative's confirmation is): bool_or and bool_and would skip a null.
export const POSITIVE_CLASS = sql`(t.outcome IN ('refused', 'adulterated') OR t.confirmation IS NOT DISTINCT FROM 'confirmed_positive')`;

type Row = Record<string, number | string>;

async function perFacility(db: Executor, query: ReturnType<typeof sql>): Promise<Map<string, Row>> {
  const rows = await queryRows<Row & { id: string }>(db, query);
  return new Map(rows.map((r) => [r.id, r]));
}

export async function measure(
  db: Executor,
  facilities: FacilityClock[],
  period: Period,
  now: Date,
  trainingMonths: number,
): Promise<Map<string, Measures>> {
  const result = new Map<string, Measures>();
  if (facilities.length === 0) return result;
  const fp = bounds(facilities, period, now);
  const { g0, g1 } = widest(period);
  // For a few facilities the positives and enrolments of their own people are read; for many (a
  // national ranking) reading each set once whole is cheaper than narrowing it first.
  const ids = sql.param(facilities.map((f) => f.id));
  const onlyTheirs = (clause: ReturnType<typeof sql>) => (facilities.length <= 50 ? clause : sql``);
  // One after another: on a transaction's single connection queries cannot overlap.
  const queries = [
    // Inmates held at any time in the period; of those held at its end, the ones rehabilitation is
    // for (a narcotics_user case, or a confirmed positive by then), and how many of them are enrolled.
    // The few positives and enrolments are joined as sets (hash joins), not looked up row by row.
    sql`WITH ${fp}
        SELECT fp.id::text AS id, count(DISTINCT p.inmate_id) AS held,
               count(*) FILTER (WHERE h.at_end AND (i.case_type = 'narcotics_user' OR ps.inmate_id IS NOT NULL)) AS users,
               count(*) FILTER (WHERE h.at_end AND (i.case_type = 'narcotics_user' OR ps.inmate_id IS NOT NULL)
                                  AND en.inmate_id IS NOT NULL) AS enrolled
          FROM fp
          JOIN inmate_placements p ON p.facility_id = fp.id
           AND p.from_date <= ${period.to}::date AND (p.until_date IS NULL OR p.until_date >= ${period.from}::date)
          JOIN inmates i ON i.id = p.inmate_id
          CROSS JOIN LATERAL (SELECT p.from_date <= fp.upto AND (p.until_date IS NULL OR p.until_date > fp.upto) AS at_end) h
          LEFT JOIN (SELECT t.subject_id AS inmate_id, min(t.collected_at) AS first FROM urine_tests t
                      WHERE t.subject_type = 'inmate' AND t.confirmation = 'confirmed_positive' AND t.collected_at < ${g1}
                        ${onlyTheirs(sql`AND t.subject_id IN (SELECT q.inmate_id FROM inmate_placements q WHERE q.facility_id = ANY(${ids}::uuid[]))`)}
                      GROUP BY t.subject_id) ps ON ps.inmate_id = p.inmate_id AND ps.first < fp.u1
          LEFT JOIN (SELECT e.inmate_id, min(e.enrolled_on) AS first FROM rehab_enrolments e
                      WHERE e.status IN ('active', 'completed')
                        ${onlyTheirs(sql`AND e.facility_id = ANY(${ids}::uuid[])`)}
                      GROUP BY e.inmate_id) en
            ON en.inmate_id = p.inmate_id AND en.first <= fp.upto
         GROUP BY fp.id`,
    sql`WITH ${fp}
          SELECT fp.id::text AS id, count(*) AS officers FROM fp
            JOIN officers o ON o.facility_id = fp.id AND o.joined_on <= ${period.to}::date
             AND (o.left_on IS NULL OR o.left_on > ${period.from}::date) AND o.status <> 'inactive'
           GROUP BY fp.id`,
    // One row a person tested in the period: tested at all (coverage), judged (a valid result:
    // anything but invalid) and positive (POSITIVE_CLASS). The rates count people, not tests.
    sql`WITH ${fp}
          SELECT s.id, count(*) FILTER (WHERE s.subject_type = 'inmate') AS inmates_tested,
                 count(*) FILTER (WHERE s.subject_type = 'inmate' AND s.judged) AS inmates_judged,
                 count(*) FILTER (WHERE s.subject_type = 'inmate' AND s.positive) AS inmates_positive,
                 count(*) FILTER (WHERE s.subject_type = 'officer' AND EXISTS (
                   SELECT 1 FROM officers o WHERE o.id = s.subject_id AND o.joined_on <= ${period.to}::date
                      AND (o.left_on IS NULL OR o.left_on > ${period.from}::date) AND o.status <> 'inactive')) AS officers_tested,
                 count(*) FILTER (WHERE s.subject_type = 'officer' AND s.positive) AS officers_positive
            FROM (SELECT fp.id::text AS id, t.subject_type, t.subject_id,
                         bool_or(t.outcome <> 'invalid') AS judged, bool_or(${POSITIVE_CLASS}) AS positive
                    FROM fp JOIN urine_tests t ON t.facility_id = fp.id AND t.collected_at >= fp.t0 AND t.collected_at < fp.t1
                     AND t.collected_at >= ${g0} AND t.collected_at < ${g1}
                   GROUP BY fp.id, t.subject_type, t.subject_id) s
           GROUP BY s.id`,
    sql`WITH ${fp}
          SELECT fp.id::text AS id, count(*) AS held, count(*) FILTER (WHERE n.narcotics_found) AS narcotics
            FROM fp JOIN inspections n ON n.facility_id = fp.id AND n.started_at >= fp.t0 AND n.started_at < fp.t1
             AND n.started_at >= ${g0} AND n.started_at < ${g1}
             AND n.status <> 'draft'
           GROUP BY fp.id`,
    // Done by the end of the due date: closed_at where it was recorded, else the last change.
    sql`WITH ${fp}
          SELECT fp.id::text AS id, count(*) AS due,
                 count(*) FILTER (WHERE a.status IN ('done', 'verified')
                   AND coalesce(a.closed_at, a.updated_at) < ${dayEndSql(sql`a.due_date`, zone)}) AS on_time
            FROM fp JOIN facilities fz ON fz.id = fp.id
            JOIN corrective_actions a ON a.facility_id = fp.id
             AND a.due_date BETWEEN ${period.from}::date AND fp.judged
           WHERE EXISTS (SELECT 1 FROM inspections n WHERE n.id = a.inspection_id AND n.status <> 'draft')
           GROUP BY fp.id`,
    sql`WITH ${fp}
          SELECT fp.id::text AS id, count(*) AS ended, count(*) FILTER (WHERE e.status = 'completed') AS completed
            FROM fp JOIN rehab_enrolments e ON e.facility_id = fp.id AND e.status IN ('completed', 'withdrawn')
             AND e.ended_on BETWEEN ${period.from}::date AND fp.upto
           GROUP BY fp.id`,
    sql`WITH ${fp}
          SELECT fp.id::text AS id, count(*) AS due, count(*) FILTER (WHERE c.assessed_on <= c.assessment_due) AS on_time
            FROM fp JOIN follow_up_cases c ON c.facility_id = fp.id AND c.kind = 'assessment'
             AND c.assessment_due BETWEEN ${period.from}::date AND fp.judged
           GROUP BY fp.id`,
    sql`WITH ${fp}
          SELECT fp.id::text AS id, count(*) AS mous FROM fp
            JOIN mou_facilities mf ON mf.facility_id = fp.id
            JOIN mous m ON m.id = mf.mou_id AND m.signed_on IS NOT NULL
             AND fp.upto BETWEEN m.valid_from AND m.valid_until
             AND (m.terminated_at IS NULL OR m.terminated_at >= fp.u1)
           GROUP BY fp.id`,
    // Campaigns are recorded once held, on the local date of their place: inside a facility, its calendar.
    sql`WITH ${fp}
          SELECT fp.id::text AS id, count(*) AS held FROM fp
            JOIN campaigns c ON c.facility_id = fp.id AND c.held_on BETWEEN ${period.from}::date AND fp.upto
           GROUP BY fp.id`,
  ];
  const results: Map<string, Row>[] = [];
  for (const query of queries) results.push(await perFacility(db, query));
  const [population, staff, urine, inspections, actions, rehab, cases, mous, campaigns] = results as [
    Map<string, Row>,
    Map<string, Row>,
    Map<string, Row>,
    Map<string, Row>,
    Map<string, Row>,
    Map<string, Row>,
    Map<string, Row>,
    Map<string, Row>,
    Map<string, Row>,
  ];
  // Training coverage on each facility's end of the period: a few distinct dates at most.
  const byDay = new Map<string, string[]>();
  for (const f of facilities) {
    const on = endOf(period, f.timezone, now);
    byDay.set(on, [...(byDay.get(on) ?? []), f.id]);
  }
  const trained = new Map<string, { officers: number; trained: number }>();
  for (const [on, ids] of byDay) {
    const counts = await coverageByFacility(db, ids, { on, from: monthsBefore(on, trainingMonths) });
    for (const [id, c] of counts) trained.set(id, c);
  }

  const n = (row: Row | undefined, key: string) => Number(row?.[key] ?? 0);
  for (const f of facilities) {
    const pop = population.get(f.id);
    const u = urine.get(f.id);
    const insp = inspections.get(f.id);
    const act = actions.get(f.id);
    const reh = rehab.get(f.id);
    const cas = cases.get(f.id);
    const tr = trained.get(f.id);
    result.set(f.id, {
      inmate_test_coverage: { numerator: n(u, 'inmates_tested'), denominator: n(pop, 'held') },
      officer_test_coverage: { numerator: n(u, 'officers_tested'), denominator: n(staff.get(f.id), 'officers') },
      inmate_positive_rate: { numerator: n(u, 'inmates_positive'), denominator: n(u, 'inmates_judged') },
      officer_positive: { numerator: n(u, 'officers_positive'), denominator: null },
      inspections_per_month: {
        numerator: n(insp, 'held'),
        denominator: monthsBegun(period, endOf(period, f.timezone, now)),
      },
      inspections_with_narcotics: { numerator: n(insp, 'narcotics'), denominator: null },
      actions_closed_on_time: { numerator: n(act, 'on_time'), denominator: n(act, 'due') },
      officers_trained: { numerator: tr?.trained ?? 0, denominator: tr?.officers ?? 0 },
      users_in_rehab: { numerator: n(pop, 'enrolled'), denominator: n(pop, 'users') },
      rehab_completion: { numerator: n(reh, 'completed'), denominator: n(reh, 'ended') },
      cases_assessed_on_time: { numerator: n(cas, 'on_time'), denominator: n(cas, 'due') },
      awareness_campaigns: {
        numerator: n(campaigns.get(f.id), 'held'),
        denominator: monthsBegun(period, endOf(period, f.timezone, now)),
      },
      active_mou: { numerator: n(mous.get(f.id), 'mous') > 0 ? 1 : 0, denominator: null },
    });
  }
  return result;
}

/** What counts a person as positive in the rates (POSITIVE_CLASS); adulterated includes substituted. */
export type PositiveOutcome = 'confirmed_positive' | 'refused' | 'adulterated';

export interface RecordLink {
  kind: string;
  id: string | null;
  href: string;
  /** For a person counted positive: the result that counts them, and its test. */
  outcome?: PositiveOutcome;
  test_id?: string;
}

const LIMIT = 50;

/**
 * The records behind an indicator that is not met, for one facility: the people not tested, the
 * positive tests, the inspections that found narcotics, the actions closed late, and so on — at
 * most 50 of each, as links a client can follow.
 */
export async function recordsBehind(
  db: Executor,
  facility: FacilityClock,
  period: Period,
  now: Date,
  code: IndicatorCode,
  trainingMonths: number,
): Promise<RecordLink[]> {
  const fp = bounds([facility], period, now);
  const { g0, g1 } = widest(period);
  const links = async (kind: string, path: string, query: ReturnType<typeof sql>) =>
    (await queryRows<{ id: string }>(db, sql`WITH ${fp} ${query} LIMIT ${LIMIT}`)).map((r) => ({
      kind,
      id: r.id,
      href: `${path}/${r.id}`,
    }));
  switch (code) {
    case 'inmate_test_coverage':
      return links(
        'inmate_not_tested',
        '/v1/inmates',
        sql`SELECT DISTINCT p.inmate_id::text AS id FROM fp JOIN inmate_placements p ON p.facility_id = fp.id
             AND p.from_date <= ${period.to}::date AND (p.until_date IS NULL OR p.until_date >= ${period.from}::date)
           WHERE NOT EXISTS (SELECT 1 FROM urine_tests t WHERE t.facility_id = fp.id AND t.subject_type = 'inmate'
                               AND t.subject_id = p.inmate_id AND t.collected_at >= fp.t0 AND t.collected_at < fp.t1
                               AND t.collected_at >= ${g0} AND t.collected_at < ${g1})
           ORDER BY id`,
      );
    case 'officer_test_coverage':
      return links(
        'officer_not_tested',
        '/v1/officers',
        sql`SELECT o.id::text AS id FROM fp JOIN officers o ON o.facility_id = fp.id AND o.joined_on <= ${period.to}::date
             AND (o.left_on IS NULL OR o.left_on > ${period.from}::date) AND o.status <> 'inactive'
           WHERE NOT EXISTS (SELECT 1 FROM urine_tests t WHERE t.facility_id = fp.id AND t.subject_type = 'officer'
                               AND t.subject_id = o.id AND t.collected_at >= fp.t0 AND t.collected_at < fp.t1
                               AND t.collected_at >= ${g0} AND t.collected_at < ${g1})
           ORDER BY id`,
      );
    case 'inmate_positive_rate':
    case 'officer_positive': {
      // Each person counted positive, once, with the first result in the period that counts them.
      const type = code === 'officer_positive' ? 'officer' : 'inmate';
      const rows = await queryRows<{ id: string; test_id: string; outcome: PositiveOutcome }>(
        db,
        sql`WITH ${fp}
            SELECT id, test_id, outcome FROM (
              SELECT DISTINCT ON (t.subject_id) t.subject_id::text AS id, t.id::text AS test_id, t.collected_at,
                     CASE WHEN t.confirmation = 'confirmed_positive' THEN 'confirmed_positive' ELSE t.outcome::text END AS outcome
                FROM fp JOIN urine_tests t ON t.facility_id = fp.id
                 AND t.collected_at >= fp.t0 AND t.collected_at < fp.t1
                 AND t.collected_at >= ${g0} AND t.collected_at < ${g1}
                 AND t.subject_type = ${type} AND ${POSITIVE_CLASS}
               ORDER BY t.subject_id, t.collected_at, t.id) first
            ORDER BY collected_at, id LIMIT ${LIMIT}`,
      );
      return rows.map((r) => ({
        kind: `${type}_positive`,
        id: r.id,
        href: `/v1/${type}s/${r.id}`,
        outcome: r.outcome,
        test_id: r.test_id,
      }));
    }
    case 'inspections_per_month':
      return [{ kind: 'inspections', id: null, href: `/v1/facilities/${facility.id}/inspections` }];
    case 'inspections_with_narcotics':
      return links(
        'inspection_with_narcotics',
        '/v1/inspections',
        sql`SELECT n.id::text AS id FROM fp JOIN inspections n ON n.facility_id = fp.id AND n.narcotics_found
             AND n.status <> 'draft' AND n.started_at >= fp.t0 AND n.started_at < fp.t1
             AND n.started_at >= ${g0} AND n.started_at < ${g1}
           ORDER BY n.started_at, id`,
      );
    case 'actions_closed_on_time':
      return links(
        'action_not_closed_on_time',
        '/v1/corrective-actions',
        sql`SELECT a.id::text AS id FROM fp JOIN facilities fz ON fz.id = fp.id
            JOIN corrective_actions a ON a.facility_id = fp.id AND a.due_date BETWEEN ${period.from}::date AND fp.judged
           WHERE EXISTS (SELECT 1 FROM inspections n WHERE n.id = a.inspection_id AND n.status <> 'draft') AND NOT (a.status IN ('done', 'verified')
                      AND coalesce(a.closed_at, a.updated_at) < ${dayEndSql(sql`a.due_date`, zone)})
           ORDER BY a.due_date, id`,
      );
    case 'officers_trained': {
      const on = endOf(period, facility.timezone, now);
      const due = await dueOfficers(db, facility.id, { on, from: monthsBefore(on, trainingMonths) });
      return due.slice(0, LIMIT).map((o) => ({ kind: 'officer_due_training', id: o.id, href: `/v1/officers/${o.id}` }));
    }
    case 'users_in_rehab':
      return links(
        'inmate_not_in_rehab',
        '/v1/inmates',
        sql`SELECT DISTINCT p.inmate_id::text AS id FROM fp JOIN inmate_placements p ON p.facility_id = fp.id
             AND p.from_date <= fp.upto AND (p.until_date IS NULL OR p.until_date > fp.upto)
            JOIN inmates i ON i.id = p.inmate_id
           WHERE (i.case_type = 'narcotics_user' OR EXISTS (SELECT 1 FROM urine_tests t WHERE t.subject_type = 'inmate'
                    AND t.subject_id = p.inmate_id AND t.confirmation = 'confirmed_positive' AND t.collected_at < fp.u1
                    AND t.collected_at < ${g1}))
             AND NOT EXISTS (SELECT 1 FROM rehab_enrolments e WHERE e.inmate_id = p.inmate_id
                               AND e.status IN ('active', 'completed') AND e.enrolled_on <= fp.upto)
           ORDER BY id`,
      );
    case 'rehab_completion':
      return links(
        'enrolment_withdrawn',
        '/v1/rehab-enrolments',
        sql`SELECT e.id::text AS id FROM fp JOIN rehab_enrolments e ON e.facility_id = fp.id AND e.status = 'withdrawn'
             AND e.ended_on BETWEEN ${period.from}::date AND fp.upto
           ORDER BY e.ended_on, id`,
      );
    case 'cases_assessed_on_time':
      return links(
        'case_not_assessed_on_time',
        '/v1/follow-up-cases',
        sql`SELECT c.id::text AS id FROM fp JOIN follow_up_cases c ON c.facility_id = fp.id AND c.kind = 'assessment'
             AND c.assessment_due BETWEEN ${period.from}::date AND fp.judged
           WHERE c.assessed_on IS NULL OR c.assessed_on > c.assessment_due
           ORDER BY c.assessment_due, id`,
      );
    case 'awareness_campaigns':
      return [{ kind: 'campaigns', id: null, href: `/v1/campaigns?facility_id=${facility.id}` }];
    case 'active_mou':
      return [{ kind: 'mous', id: null, href: `/v1/mous?facility_id=${facility.id}` }];
  }
}
