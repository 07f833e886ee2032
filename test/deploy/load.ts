import type { Answer } from './processes.ts';

export interface LoadResult {
  /** Each write acknowledged: its number, and the id its 201 answered. */
  acknowledged: Map<number, string>;
  tries: number;
  retried: number;
}

/**
 * Writes 0 to `writes` - 1, `workers` at a time, as a client that must not lose one: each is tried
 * again (by `send`, with the same Idempotency-Key and body) after a network error, a 5xx or a 409
 * in flight, up to `maxTries`; any other answer but a 201 stops the load.
 */
export async function idempotentLoad(options: {
  writes: number;
  workers: number;
  maxTries: number;
  send(n: number, attempt: number): Promise<Answer>;
  /** Told after each acknowledgement how many there are so far. */
  onAcknowledged?(count: number): void;
}): Promise<LoadResult> {
  const result: LoadResult = { acknowledged: new Map(), tries: 0, retried: 0 };
  let next = 0;

  async function write(n: number) {
    for (let attempt = 0; attempt < options.maxTries; attempt++) {
      result.tries++;
      let res: Answer | undefined;
      try {
        res = await options.send(n, attempt);
      } catch {
        // A network error: the answer may have been lost after the commit, so the same key goes again.
      }
      if (res?.status === 201) {
        result.acknowledged.set(n, res.body.id);
        options.onAcknowledged?.(result.acknowledged.size);
        return;
      }
      if (res && res.status < 500 && res.status !== 409) throw new Error(`write ${n}: ${res.status} ${res.text}`);
      result.retried++;
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 10));
    }
    throw new Error(`write ${n} not acknowledged after ${options.maxTries} tries`);
  }

  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (next < options.writes) await write(next++);
    }),
  );
  return result;
}
