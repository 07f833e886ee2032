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

/** What one partition held when the walk passed it: its last event and how many it had. */
export interface PartitionTally {
  partition: string;
  events: number;
  lastSeq: number;
  lastId: string;
  lastHash: string;
}

// Events per statement: each batch is one keyset step over the partitions' seq indexes, so that
// memory stays flat however long the trail.
const WALK_BATCH = 5000;

type Broken = NonNullable<ChainReport['first_broken']>;

/**
 * Administrators only. Walks the whole chain in seq order, batch by batch, recomputing every hash
 * and link, and reports the first event whose content or link does not match. The chain head must
 * be found where the trigger left it, and each partition's last checkpoint (audit_checkpoints)
 * where the last verification left it: an edit followed by a rewrite of every later hash is still
 * caught. A whole verification records new checkpoints, unless told not to (a copy checked from
 * the console stays as restored).
 */
export async function verifyChain(
  db: Executor,
  principal: Principal,
  options: { record?: boolean } = {},
): Promise<ChainReport> {
  if (principal.role !== 'admin') throw forbidden();
  const { report, partitions } = await walkChain(db);
  if (report.ok && options.record !== false) await recordCheckpoints(db, partitions);
  return report;
}

/** The walk itself, with what each partition held: no checkpoint is written. */
export async function walkChain(db: Executor): Promise<{ report: ChainReport; partitions: PartitionTally[] }> {
  // The head first: every event up to it has committed, so the walk must meet it.
  const [head] = await queryRows<{ seq: string | null; id: string | null; hash: string }>(
    db,
    sql`SELECT seq::text AS seq, id::text AS id, hash FROM audit_chain_head`,
  );
  const checkpoints = await queryRows<{
    partition: string;
    last_seq: string;
    last_id: string;
    last_hash: string;
    events: string;
  }>(
    db,
    sql`SELECT DISTINCT ON (partition) partition, last_seq::text AS last_seq, last_id::text AS last_id, last_hash,
               events::text AS events
          FROM audit_checkpoints ORDER BY partition, last_seq DESC`,
  );
  // Checkpoints still to meet, in seq order; each is met (or missed) as the walk passes its seq.
  const pending = checkpoints
    .map((c) => ({ ...c, seq: Number(c.last_seq), events: Number(c.events) }))
    .sort((a, b) => a.seq - b.seq);
  const tallies = new Map<string, PartitionTally>();
  let broken: Broken | null = null;
  const breaks = (found: Broken) => {
    if (!broken) broken = found;
  };
  let previous = '';
  let after = 0;
  let checked = 0;
  let headMet = head?.seq == null;
  for (;;) {
    const rows = await queryRows<{
      part: string;
      seq: string;
      id: string;
      prev_hash: string;
      hash: string;
      intact: boolean;
    }>(
      db,
      sql`SELECT e.tableoid::regclass::text AS part, e.seq::text AS seq, e.id::text AS id, e.prev_hash, e.hash,
                 e.hash = audit_event_hash(e) AS intact
            FROM audit_events e WHERE e.seq > ${after} ORDER BY e.seq LIMIT ${WALK_BATCH}`,
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      while (pending[0] && pending[0].seq < seq) {
        const missed = pending.shift() as (typeof pending)[number];
        breaks({ seq: missed.seq, id: missed.last_id, reason: 'broken_link' });
      }
      if (!row.intact) breaks({ seq, id: row.id, reason: 'hash_mismatch' });
      else if (row.prev_hash !== previous) breaks({ seq, id: row.id, reason: 'broken_link' });
      const tally = tallies.get(row.part) ?? { partition: row.part, events: 0, lastSeq: 0, lastId: '', lastHash: '' };
      tally.events += 1;
      tally.lastSeq = seq;
      tally.lastId = row.id;
      tally.lastHash = row.hash;
      tallies.set(row.part, tally);
      if (pending[0]?.seq === seq) {
        const met = pending.shift() as (typeof pending)[number];
        // The event a checkpoint ends on must keep its hash, its partition and as many events before it.
        if (met.partition !== row.part || met.events !== tally.events || met.last_hash !== row.hash)
          breaks({ seq, id: row.id, reason: met.last_hash !== row.hash ? 'hash_mismatch' : 'broken_link' });
      }
      if (head?.seq != null && seq === Number(head.seq)) {
        headMet = true;
        if (row.hash !== head.hash) breaks({ seq, id: row.id, reason: 'hash_mismatch' });
      }
      previous = row.hash;
      after = seq;
      checked += 1;
    }
    if (rows.length < WALK_BATCH) break;
  }
  for (const missed of pending) breaks({ seq: missed.seq, id: missed.last_id, reason: 'broken_link' });
  if (!headMet && head?.seq != null && head.id) breaks({ seq: Number(head.seq), id: head.id, reason: 'broken_link' });
  const first: Broken | null = broken;
  return {
    report: { ok: first === null, checked, first_broken: first },
    partitions: [...tallies.values()],
  };
}

/** Appends each partition's tally as its checkpoint; a database that takes no writes (a standby) keeps none. */
async function recordCheckpoints(db: Executor, partitions: PartitionTally[]): Promise<void> {
  if (partitions.length === 0) return;
  const column = <T>(pick: (p: PartitionTally) => T) => sql.param(partitions.map(pick));
  try {
    await db.execute(
      sql`INSERT INTO audit_checkpoints (partition, last_seq, last_id, last_hash, events)
          SELECT * FROM unnest(${column((p) => p.partition)}::text[], ${column((p) => p.lastSeq)}::bigint[],
                               ${column((p) => p.lastId)}::uuid[], ${column((p) => p.lastHash)}::text[],
                               ${column((p) => p.events)}::bigint[])
          ON CONFLICT (partition, last_seq) DO NOTHING`,
    );
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== '25006') throw err;
  }
}
