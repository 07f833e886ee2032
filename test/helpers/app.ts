import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { type SeedResult, seedDemo } from '../../src/db/seed.ts';
import { loadKeyRing } from '../../src/http/keys.ts';
import { checkContract } from './contract.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export const PASSWORD = 'test-password-123';

interface Tap {
  teardown(fn: () => unknown): void;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw payload (for malformed bodies); skips JSON encoding. */
  payload?: string | Buffer;
}

export interface Harness {
  app: FastifyInstance;
  test: TestDatabase;
  world: SeedResult;
  /** An access token for a demo login. */
  login(username: string): Promise<string>;
  /** A request through HTTP, its answer checked against openapi.yaml. */
  call(method: string, url: string, options?: CallOptions): Promise<LightMyRequestResponse>;
  /** Rows of a raw SQL query on this file's database. */
  rows<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  count(table: string, where?: string): Promise<number>;
  /** The statements the app sent to the database while `run` ran, with their parameters. */
  statementsOf(run: () => Promise<unknown>): Promise<{ statement: string; params: unknown[] }[]>;
}

export interface BuildOptions {
  seed?: boolean;
  clock?: () => Date;
  logger?: FastifyBaseLogger;
  /** Another app on this harness's database and demo data (another process of the same service). */
  sharing?: Harness;
}

/**
 * The app on a fresh database of its own with the demo data, closed when the test ends; with
 * `sharing`, on that harness's database, which stays its owner's to drop.
 */
export async function build(t: Tap, env: Record<string, string> = {}, options: BuildOptions = {}): Promise<Harness> {
  const shared = options.sharing;
  const test = shared?.test ?? (await createTestDatabase());
  let app: FastifyInstance | undefined;
  const evidenceDir = mkdtempSync(join(tmpdir(), 'bersinar-evidence-'));
  // Registered first, so that a build that fails still gives its database back.
  t.teardown(async () => {
    await app?.close();
    if (!shared) await test.drop();
    rmSync(evidenceDir, { recursive: true, force: true });
  });
  const world =
    shared?.world ??
    (options.seed === false
      ? { logins: [], organisations: {}, facilities: {} }
      : ((await seedDemo(test.database.db, PASSWORD)) as SeedResult));
  // Event-loop pressure is off in tests: a busy CI machine is not an outage.
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    EVIDENCE_DIR: evidenceDir,
    ...env,
  });
  // JWT_PRIVATE_KEYS or JWT_PRIVATE_KEY as the server reads them; else a key made for this app.
  const keys = loadKeyRing({ keys: config.JWT_PRIVATE_KEYS, pem: config.JWT_PRIVATE_KEY, log: () => undefined });
  const built = await buildApp({
    config,
    database: test.database,
    signingKey: keys.signing,
    verifyingKeys: keys.verifying,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  app = built;
  await built.ready();
  const tokens = new Map<string, string>();

  const call: Harness['call'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload = options.payload;
    if (payload === undefined && options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await built.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    checkContract(method, url, res);
    return res;
  };

  return {
    app: built,
    test,
    world,
    call,
    async login(username) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const res = await call('POST', '/v1/auth/token', {
        body: { grant_type: 'password', username, password: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const token = res.json().access_token as string;
      tokens.set(username, token);
      return token;
    },
    async rows(query, params = []) {
      const { sql } = await import('drizzle-orm');
      const chunks = query.split(/\$\d+/);
      const built = sql.join(
        chunks.map((chunk, i) => (i < params.length ? sql`${sql.raw(chunk)}${params[i]}` : sql.raw(chunk))),
        sql``,
      );
      const result = (await test.database.db.execute(built)) as unknown as { rows: never[] };
      return result.rows;
    },
    async statementsOf(run) {
      const seen: { statement: string; params: unknown[] }[] = [];
      test.watch((statement, params) => seen.push({ statement, params }));
      try {
        await run();
      } finally {
        test.watch(undefined);
      }
      return seen;
    },
    async count(table, where = 'true') {
      const result = (await test.database.db.execute(
        (await import('drizzle-orm')).sql.raw(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`),
      )) as unknown as { rows: { n: number }[] };
      return Number(result.rows[0]?.n ?? 0);
    },
  };
}
