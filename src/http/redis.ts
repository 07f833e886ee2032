import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { loggableError } from './errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared store of the limits (REDIS_URL), or null: each process keeps its own in memory. */
    redis: Redis | null;
    /** Tells of a failed call to Redis: logged once per outage, since every request would repeat it. */
    redisFault(err: unknown): void;
  }
}

export interface RedisOptions {
  url: string | undefined;
  keyPrefix: string;
}

// A limit is checked on every request: it must answer at once or be skipped, never keep one waiting.
const CONNECT_TIMEOUT_MS = 2_000;
const COMMAND_TIMEOUT_MS = 500;

/**
 * One ioredis client per app, made from REDIS_URL, closed with the app. While Redis is away commands
 * fail at once (no offline queue) and the client keeps reconnecting in the background; its errors
 * are listened to, so that an outage never ends the process.
 */
export const redisPlugin = fp(
  async (app: FastifyInstance, opts: RedisOptions) => {
    let healthy = true;
    const fault = (err: unknown) => {
      if (!healthy) return;
      healthy = false;
      app.log.warn(
        { err: loggableError(err) },
        'Redis does not answer: rate limits are skipped and sign-in failures are counted in this process until it does',
      );
    };
    app.decorate('redisFault', fault);
    if (!opts.url) {
      app.decorate('redis', null);
      return;
    }
    const client = new Redis(opts.url, {
      keyPrefix: opts.keyPrefix,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    client.on('error', fault);
    client.on('ready', () => {
      if (healthy) return;
      healthy = true;
      app.log.info('Redis answers again: the limits are shared once more');
    });
    app.decorate('redis', client);
    app.addHook('onClose', async () => {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    });
    // Waits for the first connection so that the first requests share their limits; a Redis that is
    // down at start is an outage like any other, not a reason to refuse to start.
    await client.connect().catch(fault);
  },
  { name: 'redis' },
);

export const LimitsStoreWarning = z.object({
  code: z.literal('limits_store_unavailable'),
  detail: z.string(),
});

/**
 * For /health/ready: a Redis that does not answer is a warning, not a 503. The limits then hold per
 * process, and every replica shares the one Redis: refusing readiness would take them all out of
 * the load balancer for a store the service can run without.
 */
export async function limitsStoreWarnings(app: FastifyInstance): Promise<z.infer<typeof LimitsStoreWarning>[]> {
  if (!app.redis) return [];
  try {
    await app.redis.ping();
    return [];
  } catch (err) {
    app.redisFault(err);
    return [
      {
        code: 'limits_store_unavailable',
        detail:
          'Redis (REDIS_URL) does not answer: rate limits are skipped and failed sign-ins are counted per process until it does.',
      },
    ];
  }
}
