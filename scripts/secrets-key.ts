import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { loadSigningKey, secretsKeyOf } from '../src/http/keys.ts';

// Prints the secrets key the service uses now, in the form SECRETS_KEY takes. A deployment that
// ran without SECRETS_KEY has it drawn from its signing key: setting SECRETS_KEY to this value
// before a rotation keeps its webhook secrets and feed cursors readable.

const config = loadConfig();
if (config.SECRETS_KEY) {
  process.stdout.write(`${config.SECRETS_KEY}\n`);
} else {
  const embedded = !config.DATABASE_URL;
  if (!config.JWT_PRIVATE_KEY && !embedded) {
    process.stderr.write(
      'secrets-key: neither SECRETS_KEY nor JWT_PRIVATE_KEY is set: the service makes a new key each run, so nothing it sealed outlives a restart; choose a new SECRETS_KEY (openssl rand -base64 32).\n',
    );
    process.exit(2);
  }
  const signingKey = loadSigningKey({
    pem: config.JWT_PRIVATE_KEY,
    file: embedded ? join(config.DATA_DIR, 'jwt-es256.pem') : undefined,
    log: (msg) => process.stderr.write(`secrets-key: ${msg}\n`),
  });
  process.stdout.write(`${secretsKeyOf(undefined, signingKey).toString('base64')}\n`);
}
