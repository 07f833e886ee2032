import { loadConfig } from '../src/config.ts';
import { keySourceOf, loadKeyRing, secretsKeyOf } from '../src/http/keys.ts';

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
  const { signing } = loadKeyRing(keySourceOf(config, (msg) => process.stderr.write(`secrets-key: ${msg}\n`)));
  process.stdout.write(`${secretsKeyOf(undefined, signing).toString('base64')}\n`);
}
