import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '../../http/problem.ts';

const tags = ['Service'];
const Health = z.object({ status: z.literal('ok') }).meta({ examples: [{ status: 'ok' }] });

export async function healthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/health/live',
    {
      config: { auth: false },
      schema: {
        tags,
        operationId: 'getLiveness',
        summary: 'Liveness',
        description: 'The process answers. Never touches the database.',
        security: [],
        response: { 200: Health },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  r.get(
    '/health/ready',
    {
      config: { auth: false },
      schema: {
        tags,
        operationId: 'getReadiness',
        summary: 'Readiness',
        description: 'The database answers; 503 with Retry-After when it does not.',
        security: [],
        response: { 200: Health },
      },
    },
    async () => {
      try {
        await app.database.ping();
      } catch {
        throw new Problem(503, 'database_unavailable', {}, { headers: { 'retry-after': '5' } });
      }
      return { status: 'ok' as const };
    },
  );
}
