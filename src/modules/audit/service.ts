import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { type Db, type Executor, queryRows, sql, type Tx } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import type { FacilityReach } from '../access/service.ts';
import { auditEvents } from './tables.ts';

export interface Actor {
  type: 'user' | 'api_client' | 'system';
  id: string | null;
  role: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  facilityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** A write in progress: its transaction, who makes it, and how it leaves its audit trail. */
export interface Change {
  tx: Tx;
  actor: Actor;
  audit(entry: AuditEntry): Promise<void>;
}

export function changeOf(tx: Tx, actor: Actor): Change {
  return { tx, actor, audit: (entry) => recordAudit(tx, actor, entry) };
}

/** Appends one event in the caller's transaction; the chain trigger numbers and hashes it. */
export async function recordAudit(tx: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    id: uuidv7(),
    actorType: actor.type,
    actorId: actor.id,
    actorRole: actor.role,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    facilityId: entry.facilityId ?? null,
    requestId: actor.requestId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

/**
 * Events of reads, chained like any other, in one statement whose commit does not wait for the
 * disk. The chain's lock is held until commit, and waiting there for the flush (with a transaction
 * around it, three more round trips) capped the audited reads of the whole country at about 700 a
 * second on the bench machine; as one statement, about 1,600 (bench/README.md). The events reach
 * the disk within wal_writer_delay (200 ms) or with the next durable commit: a crash of the
 * database server inside that window can lose the record of a read, never a write's, and never a
 * link of the chain (the WAL keeps commit order). `db` must be the pool, never a write's
 * transaction: the setting would hold for that whole transaction.
 */
export async function recordReads(db: Db, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(
    (e) =>
      sql`(${uuidv7()}::uuid, ${e.action}, ${e.entityType}, ${e.entityId ?? null}, ${e.facilityId ?? null}::uuid,
           ${e.after === undefined ? null : JSON.stringify(e.after)}::jsonb)`,
  );
  await db.execute(
    sql`INSERT INTO audit_events (id, actor_type, actor_id, actor_role, request_id, action, entity_type, entity_id, facility_id, after)
        SELECT v.id, ${actor.type}, ${actor.id}, ${actor.role}, ${actor.requestId}, v.action, v.entity_type, v.entity_id, v.facility_id, v.after
          FROM (VALUES ${sql.join(rows, sql`, `)}) AS v(id, action, entity_type, entity_id, facility_id, after)
         CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous`,
  );
}

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
  const where: SQL[] = [];
  if (filter.entityType) where.push(eq(auditEvents.entityType, filter.entityType));
  if (filter.entityId) where.push(eq(auditEvents.entityId, filter.entityId));
  if (filter.facilityId) where.push(eq(auditEvents.facilityId, filter.facilityId));
  if (filter.action) where.push(eq(auditEvents.action, filter.action));
  if (filter.beforeSeq !== undefined) where.push(lt(auditEvents.seq, filter.beforeSeq));
  if (!reach.all) where.push(inArray(auditEvents.facilityId, reach.ids.length ? reach.ids : [uuidv7()]));
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
