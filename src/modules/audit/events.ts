import { and, desc, eq, lt } from 'drizzle-orm';
import type { z } from 'zod';
import { facilityReach } from '../../core/access.ts';
import { type Executor, queryRows, sql } from '../../db/client.ts';
import { inReach, updatedSince } from '../../db/filters.ts';
import { decodeSeqCursor, page } from '../../http/pagination.ts';
import { seesPersonalData } from '../../http/personal-data.ts';
import { hasScope, type Principal } from '../../http/principal.ts';
import { forbidden } from '../../http/problem.ts';
import { toAuditEventDto } from './dto.ts';
import type { AuditListQuery } from './schemas.ts';
import { auditEvents } from './tables.ts';

// The trail itself: read by those who oversee the facilities it concerns, verified by administrators.

/**
 * Newest first. Administrators see all; facility heads and regional viewers the events of the
 * facilities in their reach; API clients need the audit scope. The role is refused before the cursor is read.
 */
export async function listAuditEvents(
  db: Executor,
  principal: Principal,
  q: z.infer<typeof AuditListQuery>,
  now: Date,
) {
  const mayRead = ['admin', 'facility_head', 'regional_viewer', 'api_client'].includes(principal.role);
  if (!mayRead || (principal.role === 'api_client' && !hasScope(principal, 'audit'))) throw forbidden();
  const reach = await facilityReach(db, principal, now);
  const beforeSeq = decodeSeqCursor(q.cursor);
  const where = [inReach(auditEvents.facilityId, reach)];
  if (q.entity_type) where.push(eq(auditEvents.entityType, q.entity_type));
  if (q.entity_id) where.push(eq(auditEvents.entityId, q.entity_id));
  if (q.facility_id) where.push(eq(auditEvents.facilityId, q.facility_id));
  if (q.action) where.push(eq(auditEvents.action, q.action));
  // Audit events are never changed: when they were written is the stamp to re-sync by.
  where.push(updatedSince(auditEvents.occurredAt, q.updated_since));
  if (beforeSeq !== undefined) where.push(lt(auditEvents.seq, beforeSeq));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.seq))
    .limit(q.limit + 1);
  const seesPeople = seesPersonalData(principal);
  return page(
    rows,
    q.limit,
    (row) => row.seq,
    (row) => toAuditEventDto(row, seesPeople),
  );
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  first_broken: { seq: number; id: string; reason: 'hash_mismatch' | 'broken_link' } | null;
}

/**
 * Administrators only. Recomputes every hash in one pass and reports the first event whose content
 * or link does not match.
 */
export async function verifyChain(db: Executor, principal: Principal): Promise<ChainReport> {
  if (principal.role !== 'admin') throw forbidden();
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
