import { createHash } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import stringify from 'safe-stable-stringify';
import { type Actor, type Change, changeOf } from '../core/change.ts';
import { type Db, type Executor, queryRows } from '../core/executor.ts';
import { idempotencyKeys } from '../db/tables.ts';
import { Problem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** POST routes honour Idempotency-Key unless 'off'; 'required' refuses a POST without one. */
    idempotency?: 'optional' | 'required' | 'off';
  }
}

export interface WriteResult<T> {
  status: number;
  body: T;
  headers?: Record<string, string>;
}

export interface WriteOptions {
  /** What stands for the body in the key's request hash when the route reads its body itself (a streamed upload). */
  content?: unknown;
  /**
   * Wait for a request under the same key that is writing now, then answer as it did, instead of a
   * 409: for a route that has already taken in a body and checked the key before (keptAnswer).
   */
  wait?: boolean;
  /** Runs when the answer is the kept one, before it is sent (to let go of what the resend brought). */
  onReplay?: () => Promise<void>;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function actorOf(request: FastifyRequest): Actor {
  const p = request.principal;
  return {
    type: p ? p.kind : 'system',
    id: p?.id ?? null,
    role: p?.role ?? null,
    requestId: request.id,
  };
}

/**
 * Runs a write in one transaction with its audit events and, for a POST with an Idempotency-Key,
 * the stored answer: a retry with the same key and body gets the first answer, another body 422,
 * and a retry while the first is still running 409. Nothing is stored unless the write commits.
 */
export async function performWrite<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  write: (change: Change) => Promise<WriteResult<T>>,
  options: WriteOptions = {},
): Promise<FastifyReply> {
  const actor = actorOf(request);
  const { key, principal, requestHash } = idempotencyOf(request, 'content' in options ? options.content : request.body);
  const ttlHours = request.server.config.IDEMPOTENCY_TTL_HOURS;

  const outcome = await db.transaction(async (tx) => {
    if (key) {
      await lockKey(tx, principal, key, options.wait ?? false);
      const earlier = await storedAnswer(tx, principal, key, requestHash);
      if (earlier) return { replayed: true, ...earlier, body: earlier.body as T };
    }
    const result = await write(changeOf(tx, actor, request.server.now()));
    if (key) {
      const answer = JSON.stringify(result.body ?? null);
      await tx
        .insert(idempotencyKeys)
        .values({
          principal,
          key,
          requestHash,
          responseStatus: result.status,
          responseBody: answer,
          responseHeaders: result.headers ?? {},
          expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
        })
        .onConflictDoUpdate({
          // an expired record under the same key is replaced
          target: [idempotencyKeys.principal, idempotencyKeys.key],
          set: {
            requestHash,
            responseStatus: result.status,
            responseBody: answer,
            responseHeaders: result.headers ?? {},
            createdAt: new Date(),
            expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
          },
        });
    }
    return { replayed: false, ...result, headers: result.headers ?? {} };
  });

  if (outcome.replayed) await options.onReplay?.();
  for (const [name, value] of Object.entries(outcome.headers)) reply.header(name, value);
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(outcome.status).send(outcome.body);
}

/** One request under a caller's key at a time: another running now is a 409, or is waited for. */
async function lockKey(tx: Executor, principal: string, key: string, wait: boolean) {
  const name = `${principal} ${key}`;
  if (wait) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`);
    return;
  }
  const [lock] = await queryRows<{ locked: boolean }>(
    tx,
    sql`SELECT pg_try_advisory_xact_lock(hashtextextended(${name}, 0)) AS locked`,
  );
  if (!lock?.locked) throw new Problem(409, 'idempotency_in_flight', {}, { headers: { 'retry-after': '1' } });
}

function idempotencyOf(request: FastifyRequest, content: unknown = request.body) {
  const key = idempotencyKeyOf(request);
  const actor = actorOf(request);
  const principal = `${actor.type}:${actor.id ?? 'anonymous'}`;
  const requestHash = key
    ? createHash('sha256')
        .update(`${request.method} ${request.url}\n${stringify(content ?? null)}`)
        .digest('hex')
    : '';
  return { key, principal, requestHash };
}

/**
 * For a route that reads its body itself (a streamed upload), before it reads it: a 409 when a
 * request under the same key is writing now, else whether an answer is kept under the key. Which
 * answer, or a 422 for other content, is told by performWrite once the content is known.
 */
export async function keptAnswer(request: FastifyRequest, db: Db): Promise<boolean> {
  const { key, principal } = idempotencyOf(request, null);
  if (!key) return false;
  return db.transaction(async (tx) => {
    await lockKey(tx, principal, key, false);
    const [kept] = await tx.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(liveKey(principal, key));
    return Boolean(kept);
  });
}

/** The caller's record under the key, while it is kept. */
const liveKey = (principal: string, key: string) =>
  and(
    eq(idempotencyKeys.principal, principal),
    eq(idempotencyKeys.key, key),
    gt(idempotencyKeys.expiresAt, new Date()),
  );

/** The answer kept for this caller and key, if any; another body under the same key is a 422. */
async function storedAnswer(db: Executor, principal: string, key: string, requestHash: string) {
  const [earlier] = await db.select().from(idempotencyKeys).where(liveKey(principal, key));
  if (!earlier) return undefined;
  if (earlier.requestHash !== requestHash) throw new Problem(422, 'idempotency_key_reused');
  return {
    status: earlier.responseStatus,
    body: JSON.parse(earlier.responseBody ?? 'null') as unknown,
    headers: earlier.responseHeaders,
  };
}

/**
 * A retry is answered before the route looks at the world again: after a transfer, say, the person
 * is no longer in the caller's facility, and the route's own checks would answer 404 to a retry.
 * A multipart body is not read yet here (the route streams it), so its route answers retries itself.
 */
export const replayPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST' || request.headers['idempotency-key'] === undefined || !request.principal) return;
      if (/^multipart\//i.test(request.headers['content-type'] ?? '')) return;
      const { key, principal, requestHash } = idempotencyOf(request);
      if (!key) return;
      const earlier = await storedAnswer(app.db, principal, key, requestHash);
      if (!earlier) return;
      for (const [name, value] of Object.entries(earlier.headers)) reply.header(name, value);
      reply.header('idempotent-replayed', 'true');
      return reply.code(earlier.status).send(earlier.body);
    });
  },
  { name: 'idempotency-replay' },
);

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  if (request.method !== 'POST') return undefined;
  const mode = request.routeOptions.config?.idempotency ?? 'optional';
  if (mode === 'off') return undefined;
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) {
    if (mode === 'required') throw new Problem(400, 'idempotency_key_required');
    return undefined;
  }
  if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) throw new Problem(400, 'idempotency_key_invalid');
  return raw;
}

/** Removes answers past their time (an hourly chore): how many. */
export async function purgeExpiredIdempotencyKeys(db: Executor, now: Date): Promise<number> {
  const gone = await queryRows(db, sql`DELETE FROM idempotency_keys WHERE expires_at < ${now} RETURNING 1`);
  return gone.length;
}

// Routes no longer set it by hand: the etag plugin answers every versioned record with it.
export { etag } from './etag.ts';

/** The version the client last read, from If-Match: required on updates (428), stale is 412 later. */
export function expectedVersion(request: FastifyRequest): number {
  const raw = request.headers['if-match'];
  if (raw === undefined || raw === '') throw new Problem(428, 'precondition_required');
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(String(raw).trim());
  if (!match?.[1]) throw new Problem(412, 'precondition_failed', { current: '?' });
  return Number(match[1]);
}
