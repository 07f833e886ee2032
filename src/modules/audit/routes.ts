import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { facilityReach } from '../../core/access.ts';
import { isoNotNull } from '../../http/dto.ts';
import { decodeSeqCursor, page } from '../../http/pagination.ts';
import { seesPersonalData } from '../../http/personal-data.ts';
import { hasScope, requireRole } from '../../http/principal.ts';
import { forbidden } from '../../http/problem.ts';
import { AuditListQuery, AuditPage, ChainReport } from './schemas.ts';
import { listAuditEvents, verifyChain } from './service.ts';
import type { auditEvents } from './tables.ts';

const tags = ['Audit'];

// before/after may hold copies of personal data: callers without personal_data see neither.
const toDto = (e: typeof auditEvents.$inferSelect, seesPeople: boolean) => ({
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
});

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  r.get(
    '/v1/audit-events',
    {
      schema: {
        tags,
        operationId: 'listAuditEvents',
        summary: 'List audit events',
        description:
          'Newest first. Administrators see all; facility heads and regional viewers the events of facilities in their reach; API clients need the audit scope, and see before/after only with personal_data.',
        querystring: AuditListQuery,
        response: { 200: AuditPage },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'admin', 'facility_head', 'regional_viewer', 'api_client');
      if (principal.role === 'api_client' && !hasScope(principal, 'audit')) throw forbidden();
      const q = request.query;
      const reach = await facilityReach(db, principal, app.now());
      const rows = await listAuditEvents(db, reach, {
        entityType: q.entity_type,
        entityId: q.entity_id,
        facilityId: q.facility_id,
        action: q.action,
        beforeSeq: decodeSeqCursor(q.cursor),
        limit: q.limit,
      });
      const seesPeople = seesPersonalData(principal);
      return page(
        rows,
        q.limit,
        (row) => row.seq,
        (row) => toDto(row, seesPeople),
      );
    },
  );

  r.get(
    '/v1/audit-events/verify',
    {
      schema: {
        tags,
        operationId: 'verifyAuditChain',
        summary: 'Verify the audit chain',
        description:
          'Administrators only. Recomputes every event hash and link in order and reports the first event whose content or link to its predecessor does not match.',
        response: { 200: ChainReport },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      return verifyChain(db);
    },
  );
}
