import { sql } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import { queryRows } from '../../db/client.ts';

// The trail's monthly partitions are made ahead of the events that fill them: this month's and the
// next ones by the app's clock. An event outside every month lands in the DEFAULT partition
// (migrations/*_audit_partitions.sql says what becomes of it).
export const MONTHS_AHEAD = 2;

/** Makes the partitions missing from this month to MONTHS_AHEAD months on: answers how many were made. */
export async function makeAuditMonths(change: Change): Promise<number> {
  const rows = await queryRows<{ made: number }>(
    change.tx,
    sql`SELECT count(*) FILTER (WHERE audit_month_partition(m))::int AS made
          FROM generate_series(0, ${MONTHS_AHEAD}) AS n,
               LATERAL (SELECT ${change.now}::timestamptz + make_interval(months => n) AS m) month`,
  );
  return rows[0]?.made ?? 0;
}
