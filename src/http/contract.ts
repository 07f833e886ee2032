import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { loadSigningKey } from './keys.ts';

/** The app with no database behind it: enough to render the contract. */
export async function buildContractApp() {
  const database: Database = {
    db: undefined as never,
    kind: 'pg',
    migrate: async () => undefined,
    ping: async () => undefined,
    close: async () => undefined,
  };
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database, signingKey: loadSigningKey({ log: () => undefined }) });
  await app.ready();
  return app;
}
