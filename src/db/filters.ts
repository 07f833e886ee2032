import { type AnyColumn, gte, inArray, type SQL, sql } from 'drizzle-orm';
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
