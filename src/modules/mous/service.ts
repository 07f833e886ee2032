import { sql } from 'drizzle-orm';
import { localDateSql } from '../../core/calendar/index.ts';
import { organisations } from '../organisations/tables.ts';
import type { MouStatusValue } from './dto.ts';
import { mous } from './tables.ts';

// What other modules ask of MoUs: the status of one on a day. The operations on MoUs are in mous.ts.

/** The BNN unit's local date at `now`: the day an MoU's dates are read against. */
export function mouToday(now: Date) {
  return localDateSql(now, sql`${organisations.timezone}`);
}

/** An MoU's status at `now`: the unit's local date that day decides whether it is in force. */
export function mouStatus(now: Date) {
  const today = mouToday(now);
  return sql<MouStatusValue>`CASE
  WHEN ${mous.terminatedAt} IS NOT NULL THEN 'terminated'
  WHEN ${mous.signedOn} IS NULL OR ${today} < ${mous.validFrom} THEN 'draft'
  WHEN ${today} > ${mous.validUntil} THEN 'expired'
  ELSE 'active' END`;
}
