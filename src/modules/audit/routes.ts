import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HOUR_MS } from '../../core/chores.ts';
import { principalOf } from '../../http/principal.ts';
import { listAuditEvents, verifyChain } from './events.ts';
import { makeAuditMonths } from './months.ts';
import { AuditListQuery, AuditPage, ChainReport } from './schemas.ts';

const tags = ['Audit'];

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.addChore({ name: 'audit-months', everyMs: HOUR_MS, run: makeAuditMonths });

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
    async (request) => listAuditEvents(db, principalOf(request), request.query, app.now()),
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
    async (request) => verifyChain(db, principalOf(request)),
  );
}
