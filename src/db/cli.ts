import pino from 'pino';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from './open.ts';
import { seedDemo } from './seed.ts';

// npm run db:migrate | db:seed — against DATABASE_URL, else the embedded database under DATA_DIR.
const command = process.argv[2];
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
  } else if (command !== 'migrate') {
    throw new Error(`unknown command ${command}; use migrate or seed`);
  }
} finally {
  await database.close();
}
