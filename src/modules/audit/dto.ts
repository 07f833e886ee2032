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
    after: seesPeople ? e.after : null,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}
