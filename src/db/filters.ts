import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * Case-blind "starts with", written so that an index on lower(column) text_pattern_ops serves it;
 * %, _ and \ in what the user typed match themselves.
 */
export function startsWith(column: AnyColumn, prefix: string): SQL {
  return sql`lower(${column}) LIKE ${`${prefix.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}`;
}
