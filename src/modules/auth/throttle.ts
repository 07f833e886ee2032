import type { Redis } from 'ioredis';
import { Problem } from '../../http/problem.ts';

/** What is remembered of one account's (or client's) failed sign-ins. */
export interface FailureEntry {
  /** Attempts let through and not yet followed by a success, in this window. */
  failures: number;
  windowStart: number;
  /** How many times the limit was reached since the entry began: the back-off doubles each time. */
  lockouts: number;
  lockedUntil: number;
  /** When the entry is forgotten: a quiet window after the last attempt or lock. */
  expiresAt: number;
}

/**
 * Where entries live. One method, atomic per key: the memory store runs the change synchronously,
 * the Redis store retries it until it lands on the entry it read. So change may run more than once
 * and must depend on nothing but its argument.
 */
export interface FailureStore {
  /** Applies change to the key's live entry (undefined if none or expired); undefined removes it. */
  update(
    key: string,
    now: number,
    change: (entry: FailureEntry | undefined) => FailureEntry | undefined,
  ): Promise<FailureEntry | undefined>;
}

/**
 * Entries in a Map, at most `max` of them so that made-up names cannot fill memory. Past it, the
 * oldest entry that holds no lock goes first: a flood of made-up names must not push a locked
 * account out and so end its lock early.
 */
export class MemoryFailureStore implements FailureStore {
  #entries = new Map<string, FailureEntry>();
  constructor(
    private readonly max = 100_000,
    /** How many of the oldest entries are looked at for one without a lock. */
    private readonly scan = 1_000,
  ) {}

  async update(key: string, now: number, change: (entry: FailureEntry | undefined) => FailureEntry | undefined) {
    const current = this.#entries.get(key);
    const next = change(current && current.expiresAt > now ? current : undefined);
    this.#entries.delete(key);
    if (next) {
      this.#entries.set(key, next);
      if (this.#entries.size > this.max) this.#evict(now);
    }
    return next;
  }

  #evict(now: number) {
    let looked = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.lockedUntil <= now || entry.expiresAt <= now) {
        this.#entries.delete(key);
        return;
      }
      if (++looked >= this.scan) break;
    }
    // Every entry looked at is locked: the oldest of them has waited longest.
    const oldest = this.#entries.keys().next().value;
    if (oldest !== undefined) this.#entries.delete(oldest);
  }
}

// Writes the new value only if the key still holds the one read (empty: none), with its time to live.
const COMPARE_AND_SET = `
local held = redis.call('GET', KEYS[1]) or ''
if held ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1
`;

// Each failed round means another request's change landed; past this many, answer 503 rather than wait.
const MAX_ROUNDS = 50;

type CompareAndSet = (key: string, read: string, write: string, ttlMs: number) => Promise<number>;

/**
 * Entries in Redis, shared by every process: read, change, then written only if nobody wrote in
 * between (a compare-and-set script), else again. WATCH/MULTI would hold the same promise, but a
 * WATCH belongs to the connection, and the app's one client is shared by concurrent requests: one
 * request's EXEC would drop another's WATCH. Each key lives until its entry's expiresAt. While Redis
 * does not answer, the entries of this process's fallback store stand in: the back-off then holds
 * per process (the limit times the processes at worst) rather than not at all, and sign-ins go on.
 */
export class RedisFailureStore implements FailureStore {
  readonly #compareAndSet: CompareAndSet;
  constructor(
    private readonly redis: Redis,
    private readonly onFault: (err: unknown) => void,
    private readonly fallback: FailureStore = new MemoryFailureStore(),
    private readonly namespace = 'sign-in:',
  ) {
    if (!('failureCompareAndSet' in redis))
      redis.defineCommand('failureCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET });
    this.#compareAndSet = (redis as unknown as { failureCompareAndSet: CompareAndSet }).failureCompareAndSet.bind(
      redis,
    );
  }

  async update(key: string, now: number, change: (entry: FailureEntry | undefined) => FailureEntry | undefined) {
    const at = this.namespace + key;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let read: string;
      try {
        read = (await this.redis.get(at)) ?? '';
      } catch (err) {
        return this.#fallBack(err, key, now, change);
      }
      const current = parse(read);
      const next = change(current && current.expiresAt > now ? current : undefined);
      const write = next && next.expiresAt > now ? JSON.stringify(next) : '';
      // Nothing to write (a lock that holds): the entry read is the answer.
      if (write === read) return next;
      let landed: number;
      try {
        landed = await this.#compareAndSet(at, read, write, next ? next.expiresAt - now : 0);
      } catch (err) {
        return this.#fallBack(err, key, now, change);
      }
      if (landed === 1) return next;
    }
    throw new Problem(503, 'overloaded', {}, { headers: { 'retry-after': '1' } });
  }

  #fallBack(
    err: unknown,
    key: string,
    now: number,
    change: (entry: FailureEntry | undefined) => FailureEntry | undefined,
  ) {
    this.onFault(err);
    return this.fallback.update(key, now, change);
  }
}

function parse(stored: string): FailureEntry | undefined {
  if (!stored) return undefined;
  try {
    return JSON.parse(stored) as FailureEntry;
  } catch {
    // Not written by this store: as good as none.
    return undefined;
  }
}

export interface ThrottlePolicy {
  /** Failures in a window after which sign-ins are refused for a while. */
  limit: number;
  windowMs: number;
  /** The first refusal lasts this long; each later one twice the one before, up to maxLockMs. */
  lockMs: number;
  maxLockMs: number;
}

/**
 * Throttles failed sign-ins per account or client, whoever the caller and wherever from. An attempt
 * counts as a failure when it is let through (so that a burst of concurrent guesses cannot all pass
 * before the first is judged) and a success wipes the record. Past the limit each attempt let
 * through locks again, for twice as long, up to the cap; a quiet window forgets it all. Made-up names
 * are throttled exactly like real ones: the answer says nothing of whether the account exists.
 */
export class SignInThrottle {
  constructor(
    private readonly store: FailureStore,
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number,
  ) {}

  /** Lets an attempt through, counting it as failed until it succeeds; else a 429. */
  async admit(key: string): Promise<void> {
    const { limit, windowMs, lockMs, maxLockMs } = this.policy;
    const now = this.now();
    let refusedFor = 0;
    await this.store.update(key, now, (entry) => {
      refusedFor = 0;
      if (entry && entry.lockedUntil > now) {
        refusedFor = entry.lockedUntil - now;
        return entry;
      }
      const next =
        entry && (entry.lockouts > 0 || now - entry.windowStart < windowMs)
          ? { ...entry }
          : { failures: 0, windowStart: now, lockouts: 0, lockedUntil: 0, expiresAt: 0 };
      next.failures++;
      if (next.failures >= limit) {
        next.lockouts++;
        next.lockedUntil = now + Math.min(lockMs * 2 ** (next.lockouts - 1), maxLockMs);
      }
      next.expiresAt = Math.max(next.lockedUntil, now) + windowMs;
      return next;
    });
    if (refusedFor > 0) {
      const seconds = Math.ceil(refusedFor / 1000);
      throw new Problem(429, 'sign_in_throttled', { seconds }, { headers: { 'retry-after': String(seconds) } });
    }
  }

  /** The attempt succeeded: the record of failures goes. */
  async succeeded(key: string): Promise<void> {
    await this.store.update(key, this.now(), () => undefined);
  }
}
