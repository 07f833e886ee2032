import { join } from 'node:path';
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { buildApp, REDACT } from './app.ts';
import { loadConfig } from './config.ts';
import { holidayCalendar } from './core/calendar/holidays.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { seedDemo } from './db/seed.ts';
import { loadSigningKey } from './http/keys.ts';
import { purgeExpiredIdempotencyKeys } from './http/write.ts';
import { openUnconfirmedCases, recountProvisionalDueDates } from './modules/urine/cases.ts';

const startedAt = performance.now();
const config = loadConfig();
const logger = pino({ level: config.LOG_LEVEL, redact: { paths: REDACT, censor: '[redacted]' } });
const embedded = !config.DATABASE_URL;

const database = await openConfiguredDatabase(config, logger);
await database.migrate();
logger.info('database migrated');

// Demo data: by default only on the embedded database, and only when it is empty.
if (config.SEED_DEMO ?? embedded) {
  const seeded = await seedDemo(database.db, config.DEMO_PASSWORD);
  if (seeded)
    logger.info({ logins: seeded.logins, password: 'DEMO_PASSWORD (see README)' }, 'demo data loaded; demo logins');
}

const signingKey = loadSigningKey({
  pem: config.JWT_PRIVATE_KEY,
  file: embedded ? join(config.DATA_DIR, 'jwt-es256.pem') : undefined,
  log: (msg) => logger.warn(msg),
});

const app = await buildApp({ config, database, signingKey, logger });
// Hourly chores: forget expired idempotency answers; open the cases of presumptive positives left unconfirmed.
const chores = async () => {
  await purgeExpiredIdempotencyKeys(database.db).catch((err) => logger.warn({ err }, 'idempotency purge failed'));
  await openUnconfirmedCases(database.db, new Date(), config.URINE_CONFIRMATION_DAYS, {
    workingDays: config.ASSESSMENT_WORKING_DAYS,
    calendar: holidayCalendar(config.NATIONAL_HOLIDAYS),
  })
    .then((opened) => opened && logger.info({ opened }, 'follow-up cases opened for unconfirmed positives'))
    .catch((err) => logger.warn({ err }, 'follow-up sweep failed'));
  await recountProvisionalDueDates(database.db, new Date(), {
    workingDays: config.ASSESSMENT_WORKING_DAYS,
    calendar: holidayCalendar(config.NATIONAL_HOLIDAYS),
  })
    .then((recounted) => recounted && logger.info({ recounted }, 'provisional due dates counted again'))
    .catch((err) => logger.warn({ err }, 'due date recount failed'));
};
void chores();
const purge = setInterval(chores, 3_600_000);
purge.unref();

// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish, then close the database.
closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'closing after an error');
  else logger.info({ signal }, 'closing');
  clearInterval(purge);
  await app.close();
  await database.close();
});

await app.listen({ port: config.PORT, host: config.HOST });
logger.info({ ms: Math.round(performance.now() - startedAt) }, 'ready');
