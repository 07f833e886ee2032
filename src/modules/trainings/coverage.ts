import type { Principal } from '../../core/access.ts';
import { localDate, monthsBefore } from '../../core/calendar/index.ts';
import { type Executor, queryRows, sql } from '../../db/client.ts';
import type { ReportRead } from '../../db/replica.ts';
import { presentPerson } from '../../http/personal-data.ts';
import { facilitiesInReach, getFacility } from '../facilities/service.ts';
import type { SeenBy } from './participants.ts';
import { type CoverageQueryInput, type ProvinceCoverageQueryInput, TOPICS, type TopicValue } from './schemas.ts';
import { trainingReach } from './trainings.ts';

/**
 * Training coverage on a reference date: of the officers in service that day, the share who passed
 * a training that ended in the window (the months before, up to and including the date), per topic
 * and overall. In service on a day: joined on or before it, not yet left (left_on is the first day
 * gone), and not marked inactive (the register keeps no date for that, so an inactive officer is
 * left out of every date's count).
 */

export interface Window {
  on: string;
  from: string;
}

const inService = (w: Window) => sql`o.joined_on <= ${w.on}::date
     AND (o.left_on IS NULL OR o.left_on > ${w.on}::date)
     AND o.status <> 'inactive'`;

// A pass counts when the training ended after the window's start and by the reference date.
const passedIn = (w: Window) => sql`p.post_test_score >= t.pass_mark
     AND t.ends_on > ${w.from}::date AND t.ends_on <= ${w.on}::date`;

export interface Counts {
  officers: number;
  trained: number;
  share: number | null;
  topics: { topic: TopicValue; trained: number; share: number | null }[];
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

function countsOf(officers: number, trained: number, byTopic: Map<string, number>): Counts {
  return {
    officers,
    trained,
    share: share(trained, officers),
    topics: TOPICS.map((topic) => {
      const n = byTopic.get(topic) ?? 0;
      return { topic, trained: n, share: share(n, officers) };
    }),
  };
}

/** Counts per facility, in one set-based query whatever the number of facilities. */
export async function coverageByFacility(db: Executor, facilityIds: string[], w: Window): Promise<Map<string, Counts>> {
  const result = new Map<string, Counts>();
  if (facilityIds.length === 0) return result;
  const rows = await queryRows<{
    facility_id: string;
    topic: string | null;
    whole: number;
    n: number;
    trained: number;
  }>(
    db,
    sql`WITH staff AS (
          SELECT o.id, o.facility_id FROM officers o
           WHERE o.facility_id = ANY(${sql.param(facilityIds)}::uuid[]) AND ${inService(w)}),
        -- Driven from the staff, so that the cost follows the facilities asked for, not the whole country.
        recent AS (
          SELECT DISTINCT p.officer_id, t.topic
            FROM staff s JOIN training_participants p ON p.officer_id = s.id JOIN trainings t ON t.id = p.training_id
           WHERE ${passedIn(w)})
        SELECT s.facility_id::text AS facility_id, r.topic::text AS topic, GROUPING(r.topic) AS whole,
               count(DISTINCT s.id)::int AS n, count(DISTINCT r.officer_id)::int AS trained
          FROM staff s LEFT JOIN recent r ON r.officer_id = s.id
         GROUP BY GROUPING SETS ((s.facility_id), (s.facility_id, r.topic))`,
  );
  const totals = new Map<string, { officers: number; trained: number }>();
  const topics = new Map<string, Map<string, number>>();
  for (const row of rows) {
    if (Number(row.whole) === 1) totals.set(row.facility_id, { officers: row.n, trained: row.trained });
    else if (row.topic !== null) {
      const m = topics.get(row.facility_id) ?? new Map<string, number>();
      m.set(row.topic, row.trained);
      topics.set(row.facility_id, m);
    }
  }
  for (const id of facilityIds) {
    const total = totals.get(id) ?? { officers: 0, trained: 0 };
    result.set(id, countsOf(total.officers, total.trained, topics.get(id) ?? new Map()));
  }
  return result;
}

/** Adds up facilities' counts: every officer belongs to one facility, so sums are exact. */
export function sumCounts(parts: Counts[]): Counts {
  const byTopic = new Map<string, number>();
  for (const part of parts) for (const t of part.topics) byTopic.set(t.topic, (byTopic.get(t.topic) ?? 0) + t.trained);
  return countsOf(
    parts.reduce((n, p) => n + p.officers, 0),
    parts.reduce((n, p) => n + p.trained, 0),
    byTopic,
  );
}

export type DueRow = {
  id: string;
  pseudonym: string;
  nip: string;
  name: string;
  position: string;
  unit: string;
  joined_on: string;
  last_trained_on: string | null;
};

/** Officers in service on the date with no pass in the window: never trained first, then the longest ago. */
export async function dueOfficers(db: Executor, facilityId: string, w: Window): Promise<DueRow[]> {
  return queryRows<DueRow>(
    db,
    sql`SELECT o.id::text AS id, o.pseudonym, o.nip, o.name, o.position, o.unit, o.joined_on::text AS joined_on,
               last.ends_on::text AS last_trained_on
          FROM officers o
          LEFT JOIN LATERAL (
            SELECT max(t.ends_on) AS ends_on FROM training_participants p JOIN trainings t ON t.id = p.training_id
             WHERE p.officer_id = o.id AND p.post_test_score >= t.pass_mark AND t.ends_on <= ${w.on}::date) last ON true
         WHERE o.facility_id = ${facilityId} AND ${inService(w)}
           AND NOT EXISTS (SELECT 1 FROM training_participants p JOIN trainings t ON t.id = p.training_id
                            WHERE p.officer_id = o.id AND ${passedIn(w)})
         ORDER BY last.ends_on ASC NULLS FIRST, o.joined_on, o.id`,
  );
}

/** A facility's coverage on a date (today there by default), with the officers who are due. */
export async function facilityCoverage(
  db: Executor,
  principal: Principal,
  now: Date,
  facilityId: string,
  q: CoverageQueryInput,
  months: number,
  seen: SeenBy,
  read: ReportRead,
) {
  const facility = await getFacility(db, await trainingReach(db, principal, now), facilityId);
  const on = q.on ?? localDate(now, facility.timezone);
  const w = { on, from: monthsBefore(on, months) };
  const [counts, due] = await read(async (from) => [
    (await coverageByFacility(from, [facility.id], w)).get(facility.id) as Counts,
    await dueOfficers(from, facility.id, w),
  ]);
  // The read is audited on the primary (seen), once its rows are in hand.
  await seen(due.map((o) => ({ id: o.id, facility_id: facility.id })));
  return {
    facility_id: facility.id,
    on,
    window_months: months,
    window_from: w.from,
    ...counts,
    due: due.map((o) => presentPerson(principal, 'officers', o)),
  };
}

/** Coverage of every facility in reach and its sums per province, on a date (today in WIB by default). */
export async function provinceCoverage(
  db: Executor,
  principal: Principal,
  now: Date,
  q: ProvinceCoverageQueryInput,
  months: number,
  read: ReportRead,
) {
  const on = q.on ?? localDate(now, 'Asia/Jakarta');
  const w = { on, from: monthsBefore(on, months) };
  const list = await facilitiesInReach(db, await trainingReach(db, principal, now), q.province_code);
  const ids = list.map((f) => f.id);
  const counts = await read((from) => coverageByFacility(from, ids, w));
  const facilities = list.map((f) => ({
    facility_id: f.id,
    name: f.name,
    province_code: f.provinceCode,
    ...(counts.get(f.id) ?? sumCounts([])),
  }));
  const codes = [...new Set(facilities.map((f) => f.province_code))].sort();
  const provinces = codes.map((code) => {
    const parts = facilities.filter((f) => f.province_code === code);
    return { province_code: code, facilities: parts.length, ...sumCounts(parts) };
  });
  return { on, window_months: months, window_from: w.from, provinces, facilities };
}
