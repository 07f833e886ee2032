import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type EventRecord, recordEvent, recordEvents } from './events.ts';
import type { Db, Executor, Tx } from './executor.ts';

// Who acts, the write in progress, and the audit record it leaves. The audit module reads and
// verifies the trail; writing it belongs here, where http/ and db/ reach it too.

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
  /** When the write happens, by the app's clock: what its rows are stamped with (updated_at and the like). */
  now: Date;
  audit(entry: AuditEntry): Promise<void>;
  /** Writes a domain event in this transaction (core/events.ts): told to outside systems if it commits. */
  emit(event: EventRecord): Promise<boolean>;
  /** Many domain events in one statement. */
  emitMany(events: EventRecord[]): Promise<number>;
}

export function changeOf(tx: Tx, actor: Actor, now: Date): Change {
  return {
    tx,
    actor,
    now,
    audit: (entry) => recordAudit(tx, actor, entry),
    emit: (event) => recordEvent(tx, now, event),
    emitMany: (events) => recordEvents(tx, now, events),
  };
}

// A JSON value as a parameter; absent and null both store SQL NULL.
const jsonOrNull = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** Appends one event in the caller's transaction; the chain trigger numbers and hashes it. */
export async function recordAudit(tx: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.execute(
    sql`INSERT INTO audit_events (id, actor_type, actor_id, actor_role, action, entity_type, entity_id, facility_id,
                                  request_id, before, after)
        VALUES (${uuidv7()}, ${actor.type}, ${actor.id}, ${actor.role}, ${entry.action}, ${entry.entityType},
                ${entry.entityId}, ${entry.facilityId ?? null}, ${actor.requestId},
                ${jsonOrNull(entry.before)}::jsonb, ${jsonOrNull(entry.after)}::jsonb)`,
  );
}

/**
 * Events of reads, chained like any other, in one statement whose commit does not wait for the
 * disk. The chain's lock is held until commit, and waiting there for the flush (with a transaction
 * around it, three more round trips) capped the audited reads of the whole country; as one
 * statement they go more than twice as fast (bench/README.md holds the figures). The events reach
 * the disk within wal_writer_delay or with the next durable commit: a crash of the
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
