import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The ETag of a record is its version: the value a client sends back in If-Match. */
export function etag(version: number): string {
  return `"${version}"`;
}

/** A record answered with its version (a page of them is not one record). */
function versionOf(payload: unknown): number | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || 'data' in payload) return undefined;
  const version = (payload as { version?: unknown }).version;
  return typeof version === 'number' ? version : undefined;
}

/**
 * Every successful answer that is one versioned record carries its version as ETag, the rule the
 * contract states for such responses: reads, creations, updates and idempotent replays alike.
 */
export const etagPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preSerialization', async (_request, reply, payload) => {
      const status = reply.statusCode;
      const version = status >= 200 && status < 300 ? versionOf(payload) : undefined;
      if (version !== undefined) reply.header('etag', etag(version));
      return payload;
    });
  },
  { name: 'etag' },
);
