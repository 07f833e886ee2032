import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp, LOG_OPTIONS } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import type { Database } from './db/client.ts';
import { openConfiguredDatabase, openReplicaDatabase } from './db/open.ts';
import { type SeedResult, seedDemo } from './db/seed.ts';
import { loadLivingDemo } from './demo/living.ts';
import { keySourceOf, loadKeyRing } from './http/keys.ts';

const startedAt = performance.now();
/** How often a process looks for chores that are due. */
const CHORE_LOOK_MS = 5 * 60_000;

/** A start that cannot go on: one line naming the setting at fault and what to do. */
class StartFailure extends Error {}

/** Runs one step of the start; a failure becomes the sentence `explain` makes of it. */
async function step<T>(run: () => T | Promise<T>, explain: (reason: string, err: unknown) => string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new StartFailure(explain(reasonOf(err), err), { cause: err });
  }
}

/** The first line of what went wrong, and its code (a driver's or the system's). */
function reasonOf(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; errors?: { code?: unknown; message?: unknown }[] };
  // A connection refused on every address of a host comes as an AggregateError without a message.
  const inner = e.errors?.[0];
  const message = String(e.message || inner?.message || e.code || inner?.code || err).split('\n')[0] ?? '';
  const code = e.code ?? inner?.code;
  return code && !message.includes(String(code)) ? `${message} (${code})` : message;
}

/** DATABASE_URL without its password: host, port and database. */
function whereIs(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

let config: Config | undefined;
let database: Database | undefined;
let replica: Database | undefined;
let app: FastifyInstance | undefined;

async function start() {
  const settings = await step(loadConfig, (reason, err) =>
    err instanceof ConfigError
      ? `${err.issues.map((i) => `${i.setting} is not valid: ${i.problem}`).join('; ')}. Fix ${err.issues.length > 1 ? 'them' : 'it'} in the environment (see Configuration in the README).`
      : `the settings cannot be read: ${reason}.`,
  );
  config = settings;
  const logger = pino({ level: settings.LOG_LEVEL, ...LOG_OPTIONS });
  const embedded = !settings.DATABASE_URL;

  database = await step(
    async () => {
      const opened = await openConfiguredDatabase(settings, logger);
      database = opened;
      await opened.migrate();
      return opened;
    },
    (reason) =>
      embedded
        ? `the embedded database under DATA_DIR (${settings.DATA_DIR}) cannot be opened: ${reason}. Set DATA_DIR to a writable directory, or DATABASE_URL to a PostgreSQL server.`
        : `the database at DATABASE_URL (${whereIs(settings.DATABASE_URL ?? '')}) cannot be reached or migrated: ${reason}. Check that PostgreSQL runs there and that DATABASE_URL is right (waited DB_CONNECT_TIMEOUT_MS=${settings.DB_CONNECT_TIMEOUT_MS}).`,
  );
  const db = database;
  logger.info('database migrated');

  // Opened, not reached: a replica down at start only sends reports to the primary until it answers.
  replica = await step(
    () => openReplicaDatabase(settings, logger),
    (reason) => `${reason}. Unset DATABASE_REPLICA_URL, or set DATABASE_URL to the primary it replicates.`,
  );
  const reportsDb = replica;

  // Demo data: by default only on the embedded database, and only when it is empty.
  let seeded: SeedResult | null = null;
  if (settings.SEED_DEMO ?? embedded) {
    seeded = await step(
      () => seedDemo(db.db, settings.DEMO_PASSWORD),
      (reason) => `the demo data cannot be loaded: ${reason}. Set SEED_DEMO=false to start without it.`,
    );
    if (seeded)
      logger.info({ logins: seeded.logins, password: 'DEMO_PASSWORD (see README)' }, 'demo data loaded; demo logins');
  }

  // JWT_PRIVATE_KEYS (a rotation: loadConfig has checked it), else the one key.
  const keys = await step(
    () => loadKeyRing(keySourceOf(settings, (msg) => logger.warn(msg))),
    (reason) =>
      settings.JWT_PRIVATE_KEYS
        ? `JWT_PRIVATE_KEYS is not usable: ${reason}.`
        : settings.JWT_PRIVATE_KEY
          ? `${reason}. Give an EC P-256 private key in PEM (\\n escapes allowed).`
          : `the signing key under DATA_DIR (${settings.DATA_DIR}) cannot be read or made: ${reason}. Check DATA_DIR, or set JWT_PRIVATE_KEY.`,
  );
  const signingKey = keys.signing;

  // The living demo on top of a minimal seed just loaded: inmates, rounds, inspections and the rest.
  if (seeded) {
    const world = seeded;
    const demo = await step(
      () => loadLivingDemo({ config: settings, database: db, signingKey, password: settings.DEMO_PASSWORD, world }),
      (reason) => `the living demo cannot be loaded: ${reason}. Set SEED_DEMO=false to start without it.`,
    );
    logger.info(demo, 'living demo loaded');
  }

  app = await step(
    () =>
      buildApp({
        config: settings,
        database: db,
        replica: reportsDb,
        signingKey,
        verifyingKeys: keys.verifying,
        logger,
      }),
    (reason) => `the service cannot be assembled: ${reason}.`,
  );
  const server = app;

  // The periodic chores (app.runChores): every process looks often, and each chore runs once when due.
  const chores = setInterval(() => void server.runChores(), CHORE_LOOK_MS);
  chores.unref();
  // Ctrl-C or SIGTERM: stop accepting, let requests in flight finish, then close the database.
  closeWithGrace({ delay: settings.SHUTDOWN_GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'closing after an error');
    else logger.info({ signal }, 'closing');
    clearInterval(chores);
    await server.close();
    await reportsDb?.close();
    await db.close();
  });

  await step(
    () => server.listen({ port: settings.PORT, host: settings.HOST }),
    (reason, err) => {
      const code = (err as { code?: string }).code;
      const at = `${settings.HOST}:${settings.PORT}`;
      if (code === 'EADDRINUSE')
        return `PORT ${settings.PORT} is already in use on HOST ${settings.HOST}. Stop what holds it, or set PORT to a free port.`;
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return `HOST ${settings.HOST} is not an address of this machine (${code}). Set HOST to one of its addresses, e.g. 127.0.0.1 or 0.0.0.0.`;
      if (code === 'EACCES')
        return `listening on ${at} is not allowed (EACCES). Set PORT to 1024 or above, or run with the right to bind it.`;
      return `cannot listen on ${at} (set by HOST and PORT): ${reason}.`;
    },
  );
  logger.info({ ms: Math.round(performance.now() - startedAt) }, 'ready');
  void server.runChores();
}

try {
  await start();
} catch (err) {
  // One line a person can act on; the stack only when debugging.
  const line = err instanceof StartFailure ? err.message : `cannot start: ${reasonOf(err)}.`;
  process.stderr.write(`bersinar: ${line}\n`);
  if (config && ['debug', 'trace'].includes(config.LOG_LEVEL)) {
    const cause = err instanceof StartFailure ? err.cause : err;
    process.stderr.write(`${(cause as Error)?.stack ?? String(cause)}\n`);
  }
  await app?.close().catch(() => undefined);
  await replica?.close().catch(() => undefined);
  await database?.close().catch(() => undefined);
  process.exit(1);
}
