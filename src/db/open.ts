import { join } from 'node:path';
import type { Logger } from 'pino';
import { type Database, openPg, openPglite } from './client.ts';

/** The settings (config.ts) that choose and size the database. */
export interface DatabaseSettings {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  DB_POOL_MAX: number;
  DB_STATEMENT_TIMEOUT_MS: number;
  DB_CONNECT_TIMEOUT_MS: number;
  DATABASE_REPLICA_URL?: string | undefined;
}

/** The configured database: PostgreSQL via pg when DATABASE_URL is set, else PGlite under DATA_DIR. */
export async function openConfiguredDatabase(config: DatabaseSettings, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) {
    return openPg({
      url: config.DATABASE_URL,
      poolMax: config.DB_POOL_MAX,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      logger,
    });
  }
  logger.info({ dataDir: config.DATA_DIR }, 'no DATABASE_URL: using the embedded PostgreSQL (PGlite)');
  return openPglite(join(config.DATA_DIR));
}

/**
 * The read replica's pool when DATABASE_REPLICA_URL is set: for reports only (db/replica.ts chooses
 * when), never migrated, read-only. A replica of the embedded database cannot exist: refused.
 */
export function openReplicaDatabase(config: DatabaseSettings, logger: Logger): Database | undefined {
  if (!config.DATABASE_REPLICA_URL) return undefined;
  if (!config.DATABASE_URL)
    throw new Error('DATABASE_REPLICA_URL needs DATABASE_URL: the embedded database has no replica');
  return openPg({
    url: config.DATABASE_REPLICA_URL,
    poolMax: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    logger,
    readOnly: true,
  });
}
