import type { Period } from '../../core/calendar/index.ts';
import { type Executor, queryRows, sql } from '../../db/client.ts';
import { coverageByFacility, dueOfficers } from '../trainings/coverage.ts';
import {
  type CountSource,
  type Counts,
  type Modules,
  RECORDS_LIMIT,
  type RecordLink,
  type RecordsQuery,
} from './define.ts';
import { INDICATORS, type IndicatorCode, indicatorOf } from './indicators.ts';
import { boundsOf, type FacilityClock } from './predicates.ts';

export type { Counts, RecordLink } from './define.ts';

/**
 * Every indicator's counts for many facilities at once: each count source the indicators read is
 * read once, in one set-based query for all the facilities asked (never one a facility), and each
 * indicator takes its figures from the rows of its facility.
 */
export type Measures = Record<IndicatorCode, Counts>;

type Row = Record<string, number>;

const MODULES: Modules = { trainings: { coverageByFacility, dueOfficers } };

export async function measure(
  db: Executor,
  facilities: FacilityClock[],
  period: Period,
  now: Date,
  trainingMonths: number,
): Promise<Map<string, Measures>> {
  const result = new Map<string, Measures>();
  if (facilities.length === 0) return result;
  const reading = { ...boundsOf(facilities, period, now, trainingMonths), db, modules: MODULES };
  // One after another: on a transaction's single connection queries cannot overlap.
  const read = new Map<CountSource, Map<string, Row>>();
  for (const indicator of INDICATORS) {
    for (const source of indicator.count.from) {
      if (!read.has(source)) read.set(source, await source.read(reading));
    }
  }
  const zeros = (source: CountSource) => Object.fromEntries(source.columns.map((c) => [c, 0]));
  for (const f of facilities) {
    const figures = INDICATORS.map((indicator) => {
      const rows = indicator.count.from.map((source) => read.get(source)?.get(f.id) ?? zeros(source));
      // Each file types its rows by the sources it names; here they are read alike.
      const value = indicator.count.value as (...rows: Row[]) => Counts;
      return [indicator.code, value(...rows)];
    });
    result.set(f.id, Object.fromEntries(figures) as Measures);
  }
  return result;
}

/**
 * The records behind an indicator that is not met, for one facility: the people not tested, the
 * positive tests, the inspections that found narcotics, the actions closed late, and so on — at
 * most RECORDS_LIMIT of each, as links a client can follow.
 */
export async function recordsBehind(
  db: Executor,
  facility: FacilityClock,
  period: Period,
  now: Date,
  code: IndicatorCode,
  trainingMonths: number,
): Promise<RecordLink[]> {
  const indicator = indicatorOf(code);
  const bounds = boundsOf([facility], period, now, trainingMonths);
  const query: RecordsQuery = {
    ...bounds,
    db,
    modules: MODULES,
    facility,
    async links(kind, path, select) {
      const rows = await queryRows<{ id: string }>(db, sql`WITH ${bounds.fp} ${select} LIMIT ${RECORDS_LIMIT}`);
      return rows.map(({ id, ...rest }) => ({ kind, id, href: `${path}/${id}`, ...rest }));
    },
  };
  return indicator.records(query);
}
