import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, migrationsFolder, openPg, openPglite, type QueryLog } from '../../src/db/client.ts';

/**
 * A fresh database for one test file, from (in order) TEST_DATABASE_URL, a testcontainers
 * PostgreSQL when a Docker engine answers, or the embedded PGlite (with a notice).
 * On a server, each file's database is cloned from a migrated template, made once per migration set.
 */
export interface TestDatabase {
  database: Database;
  kind: 'server' | 'pglite';
  /** A connection string to this file's database (servers only), for tests that need their own connections. */
  url?: string;
  drop(): Promise<void>;
  /** Hands every statement the app sends from now on to `log`; undefined stops it. */
  watch(log: QueryLog | undefined): void;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  let watcher: QueryLog | undefined;
  const logQuery: QueryLog = (statement, params) => watcher?.(statement, params);
  const watch = (log: QueryLog | undefined) => {
    watcher = log;
  };
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { ...(await cloneFromTemplate(url, logQuery, async () => undefined)), watch };
  if (process.env.CI) throw new Error('CI runs on a PostgreSQL server: set TEST_DATABASE_URL (see .ci/run)');
  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    const cloned = await cloneFromTemplate(container.getConnectionUri(), logQuery, async () => {
      await container.stop();
    });
    return { ...cloned, watch };
  }
  if (!process.env.BERSINAR_PGLITE_NOTICE) {
    process.env.BERSINAR_PGLITE_NOTICE = '1';
    console.error('# no TEST_DATABASE_URL and no Docker: tests run on the embedded PGlite; races are skipped');
  }
  const database = await openPglite(undefined, logQuery);
  await database.migrate();
  return { database, kind: 'pglite', drop: () => database.close(), watch };
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json'))
      hash.update(file).update(readFileSync(join(migrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function cloneFromTemplate(
  adminUrl: string,
  logQuery: QueryLog,
  after: () => Promise<void>,
): Promise<Omit<TestDatabase, 'watch'>> {
  const template = `bersinar_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // One process builds the template; the others wait on the lock and then find it.
    await admin.query('SELECT pg_advisory_lock(4242000100)');
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (!rowCount) {
        const building = `${template}_build`;
        await admin.query(`DROP DATABASE IF EXISTS ${building}`);
        await admin.query(`CREATE DATABASE ${building}`);
        const db = openPg({
          url: withDatabase(adminUrl, building),
          poolMax: 1,
          statementTimeoutMs: 60_000,
          connectTimeoutMs: 5_000,
        });
        await db.migrate();
        await db.close();
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(4242000100)');
    }
    const name = `bersinar_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err) {
        // Two clones at once may collide on the template; wait and retry.
        if (attempt > 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
    const url = withDatabase(adminUrl, name);
    const database = openPg({ url, poolMax: 10, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000, logQuery });
    return {
      database,
      kind: 'server',
      url,
      async drop() {
        await database.close();
        const dropper = new pg.Client({ connectionString: adminUrl });
        await dropper.connect();
        try {
          await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await dropper.end();
          await after();
        }
      },
    };
  } finally {
    await admin.end();
  }
}
