import type { MouScopeValue } from '../../core/access.ts';
import { type Executor, queryRows, sql } from '../../db/client.ts';
import type { coverageByFacility, dueOfficers } from '../trainings/coverage.ts';
import type { Bounds, FacilityClock, PositiveOutcome } from './predicates.ts';

/**
 * What an indicator file declares (indicators/<code>.ts): its definition as the scorecard and the
 * definitions list show it, the work its records belong to, how it counts, and the records behind it.
 */
type SQL = ReturnType<typeof sql>;

export interface Counts {
  numerator: number;
  denominator: number | null;
}

/**
 * What the indicators read of other modules, handed in by measures.ts rather than imported: the
 * contract's schemas import the registry, and the contract lists its components in the order the
 * modules that declare them load, so the registry must load no other module's schemas.
 */
export interface Modules {
  trainings: {
    coverageByFacility: typeof coverageByFacility;
    dueOfficers: typeof dueOfficers;
  };
}

/** What a count or records query reads with: the bounds, the database, the other modules. */
export interface Reading extends Bounds {
  db: Executor;
  modules: Modules;
}

/**
 * Counts for every facility asked, in one set-based read whatever their number (never one query a
 * facility): a facility without a row counts 0 in every column.
 */
export interface CountSource<K extends string = string> {
  columns: readonly K[];
  read(r: Reading): Promise<Map<string, Record<K, number>>>;
}

/** A count source from one query over `fp`: a row a facility, its id and the columns named. */
export function countQuery<const K extends string>(columns: readonly K[], query: (b: Bounds) => SQL): CountSource<K> {
  return {
    columns,
    async read(reading) {
      const rows = await queryRows<Record<string, string | number>>(
        reading.db,
        sql`WITH ${reading.fp} ${query(reading)}`,
      );
      return new Map(
        rows.map((r) => [
          String(r.id),
          Object.fromEntries(columns.map((c) => [c, Number(r[c] ?? 0)])) as Record<K, number>,
        ]),
      );
    },
  };
}

/**
 * The counts of an on-time share: the rows due in the period (`due` joins them to `fp`), and how
 * many of them were done on time.
 */
export const dueOnTime = (due: (b: Bounds) => SQL, onTime: SQL) =>
  countQuery(
    ['due', 'on_time'],
    (b) => sql`SELECT fp.id::text AS id, count(*) AS due, count(*) FILTER (WHERE ${onTime}) AS on_time
                 FROM ${due(b)} GROUP BY fp.id`,
  );

type RowsOf<T extends readonly CountSource[]> = {
  [I in keyof T]: T[I] extends CountSource<infer K> ? Record<K, number> : never;
};

export interface RecordLink {
  kind: string;
  id: string | null;
  href: string;
  /** For a person counted positive: the result that counts them, and its test. */
  outcome?: PositiveOutcome;
  test_id?: string;
}

/** The records behind an indicator are listed for one facility, at most this many. */
export const RECORDS_LIMIT = 50;

export interface RecordsQuery extends Reading {
  facility: FacilityClock;
  /** A query over `fp`'s one row as links `path/id`, at most RECORDS_LIMIT; other columns it selects ride along. */
  links(kind: string, path: string, query: SQL): Promise<RecordLink[]>;
}

/** What the contract says of an indicator (GET /v1/compliance/indicators), its code aside. */
export interface IndicatorText {
  name: string;
  /** The name in Indonesian, for the scorecard page read in Indonesian. */
  name_id: string;
  definition: string;
  numerator: string;
  denominator: string;
  /** at_least: met when value >= target; at_most: met when value <= target. */
  direction: 'at_least' | 'at_most';
  /** The defaults; SCORECARD_CONFIG may set others. */
  target: number;
  weight: number;
}

export interface IndicatorFile<C extends string, T extends readonly CountSource[]> extends IndicatorText {
  code: C;
  /** A fact, not a target: any one (a numerator above 0) caps the status below bersinar whatever the score. */
  caps?: boolean;
  /** How the printable page shows the value and the target. */
  shown: 'share' | 'number' | 'yes_no';
  /** The work its records belong to: a BNN unit follows them only under an MoU covering it (null: any). */
  purpose: MouScopeValue | null;
  /** The counts it reads (each read once for all indicators), and its figures from their rows. */
  count: { from: T; value: (...rows: RowsOf<T>) => Counts };
  /** The records behind it, for one facility, when it is not met. */
  records: (q: RecordsQuery) => Promise<RecordLink[]> | RecordLink[];
}

/** Keeps an indicator's code as its literal type, so that the registry knows every code. */
export function defineIndicator<const C extends string, const T extends readonly CountSource[]>(
  indicator: IndicatorFile<C, T>,
): IndicatorFile<C, T> {
  return indicator;
}
