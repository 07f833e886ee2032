import { z } from 'zod';
import { keyRingFrom } from './http/keys.ts';
import { scorecardRules } from './modules/compliance/indicators.ts';
import { kotanInstrument } from './modules/kotan/instrument.ts';
import { cutoffsFrom } from './modules/urine/cutoffs.ts';

// Every setting the service reads, parsed once. The README's table of settings mirrors this list.
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Loopback unless told otherwise: the demo logins share a published password. The image sets 0.0.0.0.
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  // Reports (closed scorecards, rankings, coverage, the change feed) read here while it keeps up (db/replica.ts).
  DATABASE_REPLICA_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  DEMO_PASSWORD: z.string().min(8).default('bersinar-demo-2026'),
  SEED_DEMO: bool.optional(),
  JWT_PRIVATE_KEY: z.string().optional(),
  // JSON {"current", "next", "previous": […]} of PEMs, for rotating without downtime (http/keys.ts).
  JWT_PRIVATE_KEYS: z.string().optional(),
  // 32 bytes, base64: seals the change feed's cursors and encrypts webhook secrets at rest.
  SECRETS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // Tests and the demo send webhooks to this machine; a deployment never should.
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // The background sender; unset, on everywhere but NODE_ENV=test, where tests run rounds themselves.
  WEBHOOK_WORKER: bool.optional(),
  WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce.number().int().min(0).max(720).default(24),
  JWT_ISSUER: z.string().default('https://bersinar.local'),
  JWT_AUDIENCE: z.string().default('bersinar-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  TRUSTED_ISSUER: z.string().optional(),
  TRUSTED_ISSUER_JWKS_URL: z.url().optional(),
  TRUSTED_ISSUER_AUDIENCE: z.string().optional(),
  TRUSTED_ISSUER_JWKS_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(3_000),
  TRUSTED_ISSUER_JWKS_REFETCH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  AUTH_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(20),
  AUTH_RATE_LIMIT_WINDOW: z.string().default('1 minute'),
  API_RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(1200),
  API_RATE_LIMIT_WINDOW: z.string().default('1 minute'),
  SIGN_IN_FAILURE_LIMIT: z.coerce.number().int().min(1).default(5),
  SIGN_IN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  SIGN_IN_LOCK_SECONDS: z.coerce.number().int().min(1).default(60),
  SIGN_IN_MAX_LOCK_SECONDS: z.coerce.number().int().min(1).default(900),
  // Shared limits across processes (the API budget, the token endpoint's, the sign-in back-off); else memory.
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  // Several deployments (and the tests) may share one Redis: every key starts with this.
  REDIS_KEY_PREFIX: z.string().max(64).default('bersinar:'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  IMPORT_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(10_485_760),
  CORS_ORIGINS: z.string().default(''),
  EVIDENCE_DIR: z.string().optional(),
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).default(26_214_400),
  // Evidence in object storage (AWS S3, MinIO, R2) when a bucket is named; else on disk under EVIDENCE_DIR.
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_PREFIX: z.string().default('evidence/'),
  URINE_CUTOFFS: z.string().optional(),
  URINE_CONFIRMATION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  ASSESSMENT_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(14),
  // Over the shipped decrees (src/core/calendar): a year named here replaces that year's list.
  NATIONAL_HOLIDAYS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.iso.date())),
  URINE_DRAW_EXCLUDE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  // How far back a rehab session already held may be written up.
  REHAB_RECORD_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  SCORECARD_CONFIG: z.string().optional(),
  KOTAN_CONFIG: z.string().optional(),
  TRAINING_PASS_MARK: z.coerce.number().min(0).max(100).default(70),
  TRAINING_COVERAGE_MONTHS: z.coerce.number().int().min(1).max(60).default(12),
  // At least as long as a report may wait offline before its client sends it again (a week).
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(1).default(168),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(2_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  TRUST_PROXY: bool.default(false),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Settings that stop the start: each names the variable and what is wrong with it. */
export class ConfigError extends Error {
  constructor(readonly issues: { setting: string; problem: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.setting}: ${i.problem}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset (as docker compose passes `${X:-}`).
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = ConfigSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ setting: i.path.join('.'), problem: i.message })));
  }
  const config = parsed.data;
  if (!config.S3_ACCESS_KEY_ID !== !config.S3_SECRET_ACCESS_KEY) {
    const missing = config.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    throw new ConfigError([{ setting: missing, problem: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together' }]);
  }
  if (config.TRUSTED_ISSUER && !config.TRUSTED_ISSUER_JWKS_URL) {
    throw new ConfigError([{ setting: 'TRUSTED_ISSUER_JWKS_URL', problem: 'required when TRUSTED_ISSUER is set' }]);
  }
  if (config.JWT_PRIVATE_KEYS) {
    if (config.JWT_PRIVATE_KEY) {
      throw new ConfigError([
        { setting: 'JWT_PRIVATE_KEYS', problem: 'set JWT_PRIVATE_KEY or JWT_PRIVATE_KEYS, not both' },
      ]);
    }
    try {
      keyRingFrom(config.JWT_PRIVATE_KEYS);
    } catch (err) {
      throw new ConfigError([{ setting: 'JWT_PRIVATE_KEYS', problem: (err as Error).message }]);
    }
    // Drawn from the signing key otherwise: the rotation would lose the cursors and webhook secrets.
    if (!config.SECRETS_KEY) {
      throw new ConfigError([
        {
          setting: 'SECRETS_KEY',
          problem:
            'required when JWT_PRIVATE_KEYS is set: otherwise it is drawn from the signing key, which a rotation changes. A deployment that ran without it sets it to `npm run secrets-key` (the key in use, which keeps its webhook secrets and feed cursors); a new one to `openssl rand -base64 32`',
        },
      ]);
    }
  }
  // The JSON settings are checked now, so that a bad one stops the start rather than a later request.
  for (const [setting, check] of [
    ['SCORECARD_CONFIG', () => scorecardRules(config.SCORECARD_CONFIG)],
    ['KOTAN_CONFIG', () => kotanInstrument(config.KOTAN_CONFIG)],
    ['URINE_CUTOFFS', () => cutoffsFrom(config.URINE_CUTOFFS)],
  ] as const) {
    try {
      check();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const problem = message.replace(/^(Invalid configuration:\s*)?\w+:\s*/, '');
      throw new ConfigError([{ setting, problem }]);
    }
  }
  return config;
}
