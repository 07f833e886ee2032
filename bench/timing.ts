// How the benchmarks time work without HTTP: the same call in a loop on `workers` concurrent
// workers for a fixed time, its latencies sorted once at the end.

export interface Timed {
  rps: number;
  /** Latency quantiles in milliseconds, to a tenth. */
  p50: number;
  p975: number;
  p99: number;
  errors: number;
}

/** Runs `work` on `workers` concurrent loops for `seconds`; a failed call counts as an error, not a stop. */
export async function timeLoop(work: () => Promise<unknown>, seconds: number, workers: number): Promise<Timed> {
  const until = Date.now() + seconds * 1000;
  const times: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        await work().catch(() => errors++);
        times.push(performance.now() - started);
      }
    }),
  );
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? 0) * 10) / 10;
  return { rps: Math.round(times.length / seconds), p50: at(0.5), p975: at(0.975), p99: at(0.99), errors };
}
