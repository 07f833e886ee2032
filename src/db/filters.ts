import { type AnyColumn, asc, gt, gte, inArray, type SQL, sql } from 'drizzle-orm';
import type { FacilityReach } from '../core/access.ts';

/**
 * Case-blind "starts with", written so that an index on lower(column) text_pattern_ops serves it;
 * %, _ and \ in what the user typed match themselves.
 */
export function startsWith(column: AnyColumn, prefix: string): SQL {
  return sql`lower(${column}) LIKE ${`${prefix.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}`;
}

/**
 * Rows of the facilities a caller reaches: no condition for all, none matching for an empty
 * reach (so a list needs no early return). `and()` drops the undefined.
 */
export function inReach(facilityColumn: AnyColumn, reach: FacilityReach): SQL | undefined {
  if (reach.all) return undefined;
  return reach.ids.length === 0 ? sql`false` : inArray(facilityColumn, reach.ids);
}

/** Rows stamped at or after a moment (a list's updated_since); no condition without one. */
export function updatedSince(column: AnyColumn, value: string | undefined): SQL | undefined {
  return value === undefined ? undefined : gte(column, new Date(value));
}

/** The stamp a list is ordered by before its id: a timestamptz, or a date. */
export interface Stamp {
  column: AnyColumn;
  type: 'timestamptz' | 'date';
}

/**
 * A list's keyset order: by id alone, or by a stamp then id, each served by an index ending in
 * (…, stamp, id). `after` keeps the rows past a cursor's position; `at` reads the stamp as the
 * cursor holds it (an instant to the microsecond in UTC, or a date), so that equal stamps split
 * across pages lose and repeat no row.
 */
export function keysetOrder(
  id: AnyColumn,
  keyset: { after?: string | undefined; at?: string | undefined },
  stamp?: Stamp,
) {
  if (!stamp) {
    return {
      after: keyset.after === undefined ? undefined : gt(id, keyset.after),
      orderBy: [asc(id)],
      at: sql<string | null>`null`,
    };
  }
  const type = sql.raw(stamp.type);
  return {
    after:
      keyset.after === undefined || keyset.at === undefined
        ? undefined
        : sql`(${stamp.column}, ${id}) > (${keyset.at}::${type}, ${keyset.after}::uuid)`,
    orderBy: [asc(stamp.column), asc(id)],
    at:
      stamp.type === 'date'
        ? sql<string | null>`to_char(${stamp.column}, 'YYYY-MM-DD')`
        : sql<string | null>`to_char(${stamp.column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  };
}
