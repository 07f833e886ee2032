import { and, desc, eq, lt } from 'drizzle-orm';
import type { FacilityReach } from '../../core/access.ts';
import { type Executor, queryRows, sql } from '../../db/client.ts';
import { inReach } from '../../db/filters.ts';
import { auditEvents } from './tables.ts';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  facilityId?: string;
  action?: string;
  beforeSeq?: number;
  limit: number;
}

/** Newest first. Callers limited to some facilities see only events tied to those facilities. */
export async function listAuditEvents(db: Executor, reach: FacilityReach, filter: AuditFilter) {
  const where = [inReach(auditEvents.facilityId, reach)];
  if (filter.entityType) where.push(eq(auditEvents.entityType, filter.entityType));
  if (filter.entityId) where.push(eq(auditEvents.entityId, filter.entityId));
  if (filter.facilityId) where.push(eq(auditEvents.facilityId, filter.facilityId));
  if (filter.action) where.push(eq(auditEvents.action, filter.action));
  if (filter.beforeSeq !== undefined) where.push(lt(auditEvents.seq, filter.beforeSeq));
  return db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.seq))
    .limit(filter.limit + 1);
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  first_broken: { seq: number; id: string; reason: 'hash_mismatch' | 'broken_link' } | null;
}

/** Recomputes every hash in one pass and reports the first event whose content or link does not match. */
export async function verifyChain(db: Executor): Promise<ChainReport> {
  const rows = await queryRows<{ checked: string; seq: string | null; id: string | null; reason: string | null }>(
    db,
    sql`WITH chain AS (
          SELECT e.seq, e.id, e.hash, e.prev_hash, audit_event_hash(e) AS expected,
                 coalesce(lag(e.hash) OVER (ORDER BY e.seq), '') AS previous
            FROM audit_events e),
        broken AS (
          SELECT seq, id, CASE WHEN hash <> expected THEN 'hash_mismatch' ELSE 'broken_link' END AS reason
            FROM chain WHERE hash <> expected OR prev_hash <> previous
           ORDER BY seq LIMIT 1)
        SELECT (SELECT count(*) FROM audit_events)::text AS checked, b.seq::text AS seq, b.id::text AS id, b.reason
          FROM (SELECT 1) one LEFT JOIN broken b ON true`,
  );
  const row = rows[0];
  const checked = Number(row?.checked ?? 0);
  if (!row?.seq || !row.id || !row.reason) return { ok: true, checked, first_broken: null };
  return {
    ok: false,
    checked,
    first_broken: { seq: Number(row.seq), id: row.id, reason: row.reason as 'hash_mismatch' | 'broken_link' },
  };
}
