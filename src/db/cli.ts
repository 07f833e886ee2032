import pino from 'pino';
import { loadConfig } from '../config.ts';
import { loadLivingDemo } from '../demo/living.ts';
import { loadSigningKey } from '../http/keys.ts';
import { openConfiguredDatabase } from './open.ts';
import { seedDemo } from './seed.ts';

// npm run db:migrate | db:seed [-- --demo] — against DATABASE_URL, else the embedded database under DATA_DIR.
// seed loads the minimal demo set (places, MoUs, logins); --demo adds the living demo on top of it.
const command = process.argv[2];
const living = process.argv.slice(3).includes('--demo');
const config = loadConfig();
const logger = pino({ level: config.LOG_LEVEL });
const database = await openConfiguredDatabase(config, logger);
try {
  await database.migrate();
  logger.info('database migrated');
  if (command === 'seed') {
    const result = await seedDemo(database.db, config.DEMO_PASSWORD);
    if (result) logger.info({ logins: result.logins }, 'demo data loaded; every login uses DEMO_PASSWORD');
    else logger.info('the database already holds data: demo data not loaded');
    if (result && living) {
      // Its tokens live only inside this process: a key of its own does.
      const signingKey = loadSigningKey({ log: () => undefined });
      const demo = await loadLivingDemo({
        config,
        database,
        signingKey,
        password: config.DEMO_PASSWORD,
        world: result,
      });
      logger.info(demo, 'living demo loaded');
    }
  } else if (command !== 'migrate') {
    throw new Error(`unknown command ${command}; use migrate or seed [--demo]`);
  }
} finally {
  await database.close();
}
