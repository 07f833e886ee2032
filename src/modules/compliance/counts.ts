import { sql } from '../../db/client.ts';
import { type CountSource, countQuery } from './define.ts';
import {
  collectedInPeriod,
  endOf,
  firstThereInPeriod,
  heldAtEnd,
  heldInPeriod,
  inspectedInPeriod,
  monthsBegun,
  officerInService,
  POSITIVE_CLASS,
} from './predicates.ts';

/**
 * The counts more than one indicator reads, each one set-based query for all the facilities asked
 * (the indexes on facility and time keep it to them, whatever the size of the whole database).
 * An indicator's own count lives in its file.
 */

/**
 * Inmates held at any time in the period; of those held at its end, the ones rehabilitation is for
 * (a narcotics_user case, or a confirmed positive by then), and how many of them are enrolled.
 * One pass over the index of the stays held in the period: a person is their first stay there in it
 * (firstThereInPeriod), their case type is on the stay; the few people with a confirmed positive or
 * an enrolment are one set, joined whole (a hash join), not looked up row by row.
 */
export const population = countQuery(['held', 'users', 'enrolled'], (b) => {
  // For a few facilities the positives and enrolments of their own people are read; for many (a
  // national ranking) reading each set once whole is cheaper than narrowing it first.
  const ids = sql.param(b.facilities.map((f) => f.id));
  const onlyTheirs = (clause: ReturnType<typeof sql>) => (b.facilities.length <= 50 ? clause : sql``);
  const forRehab = sql`${heldAtEnd} AND (p.narcotics_user OR x.positive < fp.u1)`;
  // Behind OFFSET 0, fp's bounds (u1 an instant in a time zone) are computed once a facility, not
  // on each of its stays, and each facility's stays are its range of the index, whatever the
  // planner would guess of a hash join over the whole table.
  return sql`SELECT fp.id::text AS id, count(*) FILTER (WHERE ${firstThereInPeriod(b)}) AS held,
               count(*) FILTER (WHERE ${forRehab}) AS users,
               count(*) FILTER (WHERE ${forRehab} AND x.enrolled <= fp.upto) AS enrolled
          FROM (SELECT * FROM fp OFFSET 0) fp
          CROSS JOIN LATERAL (SELECT p.* FROM inmate_placements p WHERE p.facility_id = fp.id AND ${heldInPeriod(b)} OFFSET 0) p
          LEFT JOIN (SELECT r.inmate_id, min(r.positive) AS positive, min(r.enrolled) AS enrolled FROM (
                       SELECT t.subject_id AS inmate_id, t.collected_at AS positive, NULL::date AS enrolled FROM urine_tests t
                        WHERE t.subject_type = 'inmate' AND t.confirmation = 'confirmed_positive' AND t.collected_at < ${b.g1}
                          ${onlyTheirs(sql`AND t.subject_id IN (SELECT q.inmate_id FROM inmate_placements q WHERE q.facility_id = ANY(${ids}::uuid[]))`)}
                       UNION ALL
                       SELECT e.inmate_id, NULL, e.enrolled_on FROM rehab_enrolments e
                        WHERE e.status IN ('active', 'completed')
                          ${onlyTheirs(sql`AND e.facility_id = ANY(${ids}::uuid[])`)}) r
                      GROUP BY r.inmate_id) x ON x.inmate_id = p.inmate_id
         GROUP BY fp.id`;
});

/**
 * One row a person tested in the period: tested at all (coverage), judged (a valid result:
 * anything but invalid) and positive (POSITIVE_CLASS). The rates count people, not tests.
 */
export const urine = countQuery(
  ['inmates_tested', 'inmates_judged', 'inmates_positive', 'officers_tested', 'officers_positive'],
  (b) => sql`SELECT s.id, count(*) FILTER (WHERE s.subject_type = 'inmate') AS inmates_tested,
                 count(*) FILTER (WHERE s.subject_type = 'inmate' AND s.judged) AS inmates_judged,
                 count(*) FILTER (WHERE s.subject_type = 'inmate' AND s.positive) AS inmates_positive,
                 count(*) FILTER (WHERE s.subject_type = 'officer' AND EXISTS (
                   SELECT 1 FROM officers o WHERE o.id = s.subject_id AND ${officerInService(b)})) AS officers_tested,
                 count(*) FILTER (WHERE s.subject_type = 'officer' AND s.positive) AS officers_positive
            FROM (SELECT fp.id::text AS id, t.subject_type, t.subject_id,
                         bool_or(t.outcome <> 'invalid') AS judged, bool_or(${POSITIVE_CLASS}) AS positive
                    FROM fp JOIN urine_tests t ON ${collectedInPeriod(b)}
                   GROUP BY fp.id, t.subject_type, t.subject_id) s
           GROUP BY s.id`,
);

/** Inspections begun in the period, and those that found narcotics. */
export const inspections = countQuery(
  ['held', 'narcotics'],
  (b) => sql`SELECT fp.id::text AS id, count(*) AS held, count(*) FILTER (WHERE n.narcotics_found) AS narcotics
            FROM fp JOIN inspections n ON ${inspectedInPeriod(b)}
           GROUP BY fp.id`,
);

/** Months of the period begun by each facility's end of the period: the denominator of a rate per month. */
export const months: CountSource<'begun'> = {
  columns: ['begun'],
  async read(r) {
    return new Map(
      r.facilities.map((f) => [f.id, { begun: monthsBegun(r.period, endOf(r.period, f.timezone, r.now)) }]),
    );
  },
};
