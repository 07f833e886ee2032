import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Db, Executor, Tx } from '../core/executor.ts';
import { queryRows } from '../core/executor.ts';
import * as schema from './schema.ts';

// The handle's types live in the kernel, which runs the audit record and the reach queries on it.
export type { Db, Executor, Tx };
export { queryRows };

export interface Database {
  db: Db;
  kind: 'pg' | 'pglite';
  /** Applies the migrations of `folder` (the project's by default; tests give a cut copy). */
  migrate(folder?: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Calls `onNotify` on each NOTIFY on `channel` (told at commit), and once more after a lost
   * connection comes back, since what was notified meanwhile is gone. Answers the way to stop.
   * Absent on a stand-in with no database behind it (the contract's): nothing to listen to there.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface PgOptions {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  logger?: Pick<Logger, 'error' | 'warn'>;
  /** Told of every statement drizzle sends, with its parameters (tests read the plan of what a route runs). */
  logQuery?: QueryLog;
  /** A read replica's pool: every transaction read-only, so that a write sent there by mistake is refused. */
  readOnly?: boolean;
}

export type QueryLog = (statement: string, params: unknown[]) => void;

const drizzleOptions = (logQuery: QueryLog | undefined) => (logQuery ? { schema, logger: { logQuery } } : { schema });

export function openPg(options: PgOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    // The server enforces statement_timeout only if it hears the query: a silent network needs a client limit too.
    query_timeout: options.statementTimeoutMs + 1_000,
    application_name: options.readOnly ? 'bersinar-reports' : 'bersinar',
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client losing its server emits here; unhandled, it would end the process.
  pool.on('error', (err) => options.logger?.error({ err }, 'idle database connection lost'));
  // A client lent out (to a transaction) whose connection ends emits 'error' too: unhandled, the same.
  pool.on('connect', (client) =>
    client.on('error', (err) => options.logger?.error({ err }, 'database connection lost')),
  );
  const db = drizzlePg(pool, drizzleOptions(options.logQuery)) as unknown as Db;
  // Building a drizzle instance walks the whole schema's relations: once per pooled connection, not per transaction.
  const onClient = new WeakMap<pg.PoolClient, Tx>();
  const txOn = (client: pg.PoolClient): Tx => {
    let tx = onClient.get(client);
    if (!tx) {
      tx = drizzlePg(client, drizzleOptions(options.logQuery)) as unknown as Tx;
      onClient.set(client, tx);
    }
    return tx;
  };
  // drizzle-orm 0.45 runs BEGIN outside its try/finally and releases a client without its error
  // (drizzle-team/drizzle-orm#6023, #6114): a failed BEGIN leaks the client and a dead one returns
  // to the pool. Transactions here hold their client themselves and release a broken one for good.
  (db as unknown as { transaction: unknown }).transaction = async (fn: (tx: Tx) => Promise<unknown>) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const run = (text: string) =>
      client.query(text).catch((err: Error) => {
        broken = err;
        throw err;
      });
    try {
      await run('BEGIN');
      try {
        const result = await fn(txOn(client));
        await run('COMMIT');
        return result;
      } catch (err) {
        if (!broken) await run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      client.release(broken);
    }
  };
  return {
    db,
    kind: 'pg',
    async migrate(folder = migrationsFolder) {
      // One migrator at a time across replicas: a session lock held on one dedicated connection.
      const client = await pool.connect();
      // What a migration reports it left as it was (a WARNING) belongs in this log, not only the server's.
      const onNotice = (notice: { severity?: string; message?: string }) => {
        if (notice.severity === 'WARNING') options.logger?.warn({ notice: notice.message }, 'migration warning');
      };
      client.on('notice', onNotice);
      try {
        await client.query('SELECT pg_advisory_lock(4242000000)');
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: folder });
      } finally {
        client.off('notice', onNotice);
        await client.query('SELECT pg_advisory_unlock(4242000000)').catch(() => undefined);
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
    listen: (channel, onNotify) => listenPg(options, channel, onNotify),
  };
}

/** LISTEN on a connection of its own (a pooled one would be lent out and reset), reconnecting when lost. */
async function listenPg(options: PgOptions, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delayMs = 500;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: 'bersinar-listen',
    });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    next.on('error', (err) => {
      options.logger?.warn({ err, channel }, 'listening connection lost');
      lost(next);
    });
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
    } catch (err) {
      await next.end().catch(() => undefined);
      throw err;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    delayMs = 500;
  };
  const lost = (which: pg.Client) => {
    if (client !== which || stopped) return;
    client = undefined;
    which.end().catch(() => undefined);
    again();
  };
  const again = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        () => onNotify(),
        (err: unknown) => {
          options.logger?.warn({ err, channel }, 'listening connection not restored');
          delayMs = Math.min(delayMs * 2, 30_000);
          again();
        },
      );
    }, delayMs);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const last = client;
    client = undefined;
    await last?.end().catch(() => undefined);
  };
}

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps it in memory. */
export async function openPglite(dataDir?: string, logQuery?: QueryLog): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // btree_gist: the exclusion constraints that refuse double bookings (rehab sessions).
  const options = { extensions: { btree_gist } };
  const client = dataDir ? new PGlite(join(resolve(dataDir), 'pglite'), options) : new PGlite(options);
  await client.waitReady;
  const db = drizzlePglite(client, drizzleOptions(logQuery)) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async migrate(folder = migrationsFolder) {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: folder });
    },
    async ping() {
      await client.query('SELECT 1');
    },
    async close() {
      await client.close();
    },
    async listen(channel, onNotify) {
      const stop = await client.listen(channel, () => onNotify());
      return async () => {
        // Closing the database first ends its listeners with it.
        if (!client.closed) await stop();
      };
    },
  };
}

/**
 * `column IN ids` as one array parameter: drizzle's inArray binds a parameter per id, and binding a
 * batch's thousand ids cost more than the query.
 */
export function inIds(column: SQLWrapper, ids: readonly string[]): SQL {
  return sql`${column} = ANY(${sql.param(ids)}::uuid[])`;
}

export { sql };
