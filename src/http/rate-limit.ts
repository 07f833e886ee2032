import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import './auth.ts'; // declares app.authenticate, which the API budget keys on
import { Problem } from './problem.ts';

export interface RateLimitOptions {
  /** Requests per caller per window on the API; 0 turns the budget off. */
  apiMax: number;
  apiWindow: string;
  /** Where the counts live, shared by every process; null keeps them in this process's memory. */
  redis: Redis | null;
  /** Told when the store fails (the request then goes through: see redisPlugin). */
  onStoreFault(err: unknown): void;
}

// Probes, metrics and the docs stay out of the budget: a monitor must never be refused.
const UNLIMITED = /^\/(health\/|metrics$|docs(\/|$)|openapi\.(json|yaml)$)/;

/**
 * @fastify/rate-limit with the draft-spec headers (RateLimit-Limit, -Remaining, -Reset), its 429 as
 * problem+json, routes with a limit of their own (the token endpoint), and a budget per caller on
 * the rest of the API. With Redis the counts are shared by every process; while it does not answer,
 * requests go through uncounted (fail open): refusing them all would make Redis the service's single
 * point of failure, and sign-ins stay guarded meanwhile by the per-account back-off in each process.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, opts: RateLimitOptions) => {
    await app.register(rateLimit, {
      global: false,
      enableDraftSpec: true,
      ...(opts.redis ? { redis: opts.redis, nameSpace: 'rate-limit:' } : {}),
      // The token endpoint's own limit: a store that fails lets the request through.
      skipOnError: true,
      errorResponseBuilder: (_request, context) => {
        // The plugin words the wait in English ("1 minute"): Indonesian counts the seconds.
        const seconds = Math.ceil(context.ttl / 1000);
        throw new Problem(
          429,
          'too_many_requests',
          { after: context.after, seconds },
          { headers: { 'retry-after': String(seconds) } },
        );
      },
    });
    if (opts.apiMax === 0) return;
    // Errors come to the hook below, which tells of them before letting the request through.
    const limit = app.rateLimit({
      max: opts.apiMax,
      timeWindow: opts.apiWindow,
      keyGenerator: callerOf,
      skipOnError: false,
    });
    // An app-wide hook, ahead of authentication: a flood of bad tokens is counted too.
    app.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions;
      // An unknown path counts too (against its address): probing for routes is not free.
      if ((route.url && UNLIMITED.test(route.url)) || route.config?.rateLimit !== undefined) return;
      try {
        await limit.call(app, request, reply);
      } catch (err) {
        if (err instanceof Problem) throw err;
        opts.onStoreFault(err);
      }
    });
  },
  { name: 'rate-limit' },
);

/** The token's subject when it is good, else the address (a bad token counts against its address). */
async function callerOf(request: FastifyRequest): Promise<string> {
  if (request.routeOptions.config?.auth !== false && request.headers.authorization?.startsWith('Bearer ')) {
    try {
      const principal = await request.server.authenticate(request);
      return `${principal.kind}:${principal.id}`;
    } catch {
      // Refused by authentication right after; meanwhile it counts against the address.
    }
  }
  return `ip:${normalizeIP(request.ip)}`;
}
