import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HOUR_MS } from '../../core/chores.ts';
import { pruneEvents, readFeed } from './feed.ts';
import { EventFeedPage, EventFeedQuery } from './schemas.ts';

const tags = ['Events and webhooks'];

export async function eventRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.addChore({
    name: 'events-prune',
    everyMs: HOUR_MS,
    run: (change) => pruneEvents(change.tx, change.now, app.config.EVENT_RETENTION_DAYS),
  });

  r.get(
    '/v1/events',
    {
      schema: {
        tags,
        operationId: 'listEvents',
        summary: 'Read the change feed',
        description:
          "The caller's domain events in commit order: those of records in its reach now. Pass next_cursor as after to read on; an event committed late is never behind a cursor already given. People are named only with personal_data (and that read is audited); else shown by pseudonym. Events are kept EVENT_RETENTION_DAYS.",
        querystring: EventFeedQuery,
        response: { 200: EventFeedPage },
      },
    },
    async (request) =>
      readFeed(app.db, request, request.query, app.now(), app.secretsKey, (run) => app.reports.read(run)),
  );
}
