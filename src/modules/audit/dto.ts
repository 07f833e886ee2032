import { expandIds } from '../../core/compact-ids.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { auditEvents } from './tables.ts';

// Rows to answers. before/after may hold copies of personal data: callers without personal_data see neither.

export type AuditEventRow = typeof auditEvents.$inferSelect;

export function toAuditEventDto(e: AuditEventRow, seesPeople: boolean) {
  return {
    seq: e.seq,
    id: e.id,
    occurred_at: isoNotNull(e.occurredAt),
    actor_type: e.actorType,
    actor_id: e.actorId,
    actor_role: e.actorRole,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    facility_id: e.facilityId,
    request_id: e.requestId,
    before: seesPeople ? e.before : null,
    after: seesPeople ? presentAfter(e.after) : null,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** A read event keeps its ids compact (core/compact-ids.ts); the trail answers them as UUIDs, under `ids`. */
function presentAfter(after: unknown): unknown {
  if (!after || typeof after !== 'object' || !('ids_b64' in after)) return after;
  const { ids_b64: compact, ...rest } = after as Record<string, unknown>;
  const ids = expandIds(compact);
  return ids ? { ids, ...rest } : after;
}
