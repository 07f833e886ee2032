import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../core/executor.ts';
import { queryRows } from '../core/executor.ts';
import type { Database } from './client.ts';

// Reports read from the replica while it answers and keeps up; else from the primary, and nothing
// fails for it. Which reads are reports is the routes' choice (README, "Reports from a replica").

export interface ReplicaState {
  status: 'ok' | 'lagging' | 'down';
  /** How far behind the primary the replica's data may be; null when it cannot be told (down, or unknown). */
  lag_seconds: number | null;
  serving: 'replica' | 'primary';
  max_lag_seconds: number;
}

/** Runs a report's reads where reports read: `app.reports.read`, handed to a module's service. */
export type ReportRead = <T>(run: (db: Executor) => Promise<T>) => Promise<T>;

export interface ReportReadsOptions {
  primary: Database;
  replica?: Database | undefined;
  maxLagSeconds: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** What the log keeps of an error: a failed query's message goes on to its parameters. */
  describe: (err: unknown) => object;
  /** How often the replica is looked at in the background. */
  checkEveryMs?: number;
}

/** A check that takes longer than this finds the replica down: it could not serve a report any faster. */
const CHECK_TIMEOUT_MS = 2_000;
/** Primary positions remembered while the replica has not replayed them (one a check). */
const MAX_SAMPLES = 600;

/** A WAL position ('16/B374D848') as a number that compares. */
export function lsnOf(text: string): bigint {
  const [hi = '0', lo = '0'] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/**
 * The replica's lag, told without writing anything: each check notes where the primary's WAL stands
 * (with the time), and the replica is as fresh as the latest position it has replayed. An idle
 * primary writes no commits, so the last replayed commit's age alone would grow with nothing
 * missing; it is used only as a bound when the positions tell less (just started, or behind).
 */
export function lagOf(
  samples: { at: number; lsn: bigint }[],
  replayed: bigint,
  replayAgeSeconds: number | null,
  now: number,
  current: { at: number; lsn: bigint } | undefined,
): number | null {
  if (current && replayed >= current.lsn) return 0;
  let covered: number | undefined;
  for (const s of samples) if (s.lsn <= replayed) covered = s.at;
  const bounds = [covered === undefined ? null : (now - covered) / 1000, replayAgeSeconds].filter(
    (n): n is number => n !== null && Number.isFinite(n),
  );
  return bounds.length ? Math.max(0, Math.min(...bounds)) : null;
}

export class ReportReads {
  private serving: 'replica' | 'primary' = 'primary';
  private last: ReplicaState | null;
  private checkedAt = 0;
  private samples: { at: number; lsn: bigint }[] = [];
  private running: Promise<ReplicaState | null> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The primary's system identifier, once read: a replica must share it. */
  private primarySystem: string | undefined;
  /** Said once each time the replica stops answering, not at every look. */
  private toldDown = false;

  constructor(private readonly options: ReportReadsOptions) {
    this.last = options.replica
      ? { status: 'down', lag_seconds: null, serving: 'primary', max_lag_seconds: options.maxLagSeconds }
      : null;
  }

  /** The handle reports read from now: the replica's while it serves, else the primary's. */
  db(): Db {
    return this.serving === 'replica' && this.options.replica ? this.options.replica.db : this.options.primary.db;
  }

  /**
   * Runs a report's reads on the replica while it serves; one that fails there on a database fault
   * (the replica went away between checks) runs again on the primary. A refusal (an HTTP answer) is
   * the caller's. `run` writes nothing: audit events go to the primary, after its reads.
   */
  async read<T>(run: (db: Db) => Promise<T>): Promise<T> {
    const replica = this.options.replica;
    if (this.serving !== 'replica' || !replica) return run(this.options.primary.db);
    try {
      return await run(replica.db);
    } catch (err) {
      if (typeof (err as { status?: unknown }).status === 'number') throw err;
      this.switchTo(
        'primary',
        { err: this.options.describe(err) },
        'the replica failed a report: reports read from the primary',
      );
      void this.check();
      return run(this.options.primary.db);
    }
  }

  /** The replica's state as last checked; null with no replica. */
  state(): ReplicaState | null {
    return this.last;
  }

  /** The state, checked again first when the last check is older than `maxAgeMs`. */
  async fresh(maxAgeMs: number): Promise<ReplicaState | null> {
    if (!this.options.replica) return null;
    if (Date.now() - this.checkedAt > maxAgeMs) await this.check();
    return this.last;
  }

  /** Looks at the replica now (one look at a time); returns its state. */
  check(): Promise<ReplicaState | null> {
    if (!this.options.replica) return Promise.resolve(null);
    this.running ??= this.look().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Checks once, then every few seconds until stopped. */
  async start(): Promise<void> {
    if (!this.options.replica) return;
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.checkEveryMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async look(): Promise<ReplicaState> {
    const replica = this.options.replica as Database;
    const max = this.options.maxLagSeconds;
    // The primary's position first: whatever the replica has replayed past it was there by then.
    let current: { at: number; lsn: bigint } | undefined;
    try {
      const at = Date.now();
      const [row] = await queryRows<{ lsn: string; system: string }>(
        this.options.primary.db,
        sql`SELECT pg_current_wal_lsn()::text AS lsn, (SELECT system_identifier::text FROM pg_control_system()) AS system`,
      );
      if (row) {
        current = { at, lsn: lsnOf(row.lsn) };
        this.primarySystem = row.system;
      }
    } catch {
      // The primary down is readiness's concern; the replica is judged on what was noted before.
    }
    let state: ReplicaState;
    try {
      const [row] = await withTimeout(
        queryRows<{ standby: boolean; replayed: string | null; replay_age: number | null; system: string }>(
          replica.db,
          sql`SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed,
                     extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 AS replay_age,
                     (SELECT system_identifier::text FROM pg_control_system()) AS system`,
        ),
        CHECK_TIMEOUT_MS,
      );
      if (!row?.standby || row.replayed === null) throw new Error('not a standby: it replays no primary');
      // A standby left from an earlier primary (one made anew, or restored) compares its positions
      // with another history: however far along it looks, it holds other data.
      if (this.primarySystem && row.system !== this.primarySystem)
        throw new Error('a standby of another primary: its system identifier differs');
      const replayed = lsnOf(row.replayed);
      if (current) this.samples.push(current);
      const age = row.replay_age === null ? null : Number(row.replay_age);
      const lag = lagOf(this.samples, replayed, age, Date.now(), current);
      // Positions already replayed tell nothing more than the latest of them.
      const firstMissing = this.samples.findIndex((s) => s.lsn > replayed);
      const keepFrom = firstMissing < 0 ? this.samples.length - 1 : Math.max(0, firstMissing - 1);
      this.samples = this.samples.slice(Math.max(keepFrom, this.samples.length - MAX_SAMPLES));
      const ok = lag !== null && lag <= max;
      state = {
        status: ok ? 'ok' : 'lagging',
        // Rounded up, so that a lag told past the limit reads past it.
        lag_seconds: lag === null ? null : Math.ceil(lag * 10) / 10,
        serving: ok ? 'replica' : 'primary',
        max_lag_seconds: max,
      };
    } catch (err) {
      if (current) this.samples.push(current);
      this.samples = this.samples.slice(-MAX_SAMPLES);
      state = { status: 'down', lag_seconds: null, serving: 'primary', max_lag_seconds: max };
      if (!this.toldDown) this.options.log.warn({ err: this.options.describe(err) }, 'the replica does not answer');
      this.toldDown = true;
    }
    if (state.status !== 'down') this.toldDown = false;
    this.checkedAt = Date.now();
    this.last = state;
    this.switchTo(
      state.serving,
      { replica: state.status, lag_seconds: state.lag_seconds, max_lag_seconds: max },
      state.serving === 'replica'
        ? 'reports read from the replica'
        : `reports read from the primary: the replica is ${state.status}`,
    );
    return state;
  }

  private switchTo(serving: 'replica' | 'primary', detail: object, message: string) {
    if (serving === this.serving) return;
    this.serving = serving;
    if (this.last) this.last = { ...this.last, serving };
    if (serving === 'replica') this.options.log.info(detail, message);
    else this.options.log.warn(detail, message);
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
