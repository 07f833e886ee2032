import { join } from 'node:path';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyMetrics from 'fastify-metrics';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Clock } from './core/calendar/index.ts';
import { HOUR_MS } from './core/chores.ts';
import type { Database, Db } from './db/client.ts';
import { uuidv7 } from './db/columns.ts';
import { ReportReads } from './db/replica.ts';
import { authPlugin } from './http/auth.ts';
import { choresPlugin } from './http/chores.ts';
import { consoleRoutes } from './http/console.ts';
import { csvExportPlugin } from './http/csv-export.ts';
import { clientErrorHandler, errorsPlugin, frameworkErrorHandler, loggableError } from './http/errors.ts';
import { etagPlugin } from './http/etag.ts';
import { csvPlugin } from './http/import.ts';
import { jsonPlugin } from './http/json.ts';
import { type KeyRing, type SigningKey, secretsKeyOf } from './http/keys.ts';
import { refuseStrayMultipart } from './http/multipart.ts';
import { openapiPlugin } from './http/openapi.ts';
import { Problem } from './http/problem.ts';
import { rateLimitPlugin } from './http/rate-limit.ts';
import { redisPlugin } from './http/redis.ts';
import { HELMET, securityHeaders } from './http/security.ts';
import { purgeExpiredIdempotencyKeys, replayPlugin } from './http/write.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { campaignRoutes } from './modules/campaigns/routes.ts';
import { complianceRoutes } from './modules/compliance/routes.ts';
import { coordinationRoutes } from './modules/coordination/routes.ts';
import { eventRoutes } from './modules/events/routes.ts';
import { facilityRoutes } from './modules/facilities/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { inmateRoutes } from './modules/inmates/routes.ts';
import { type EvidenceStore, LocalEvidenceStore } from './modules/inspections/evidence-store.ts';
import { inspectionRoutes } from './modules/inspections/routes.ts';
import { S3EvidenceStore } from './modules/inspections/s3-evidence-store.ts';
import { kotanRoutes } from './modules/kotan/routes.ts';
import { mouRoutes } from './modules/mous/routes.ts';
import { officerRoutes } from './modules/officers/routes.ts';
import { organisationRoutes } from './modules/organisations/routes.ts';
import { rehabRoutes } from './modules/rehab/routes.ts';
import { trainingRoutes } from './modules/trainings/routes.ts';
import { urineRoutes } from './modules/urine/routes.ts';
import { webhookRoutes } from './modules/webhooks/routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    db: Db;
    /** The key that signs access tokens (keyRing.signing). */
    signingKey: SigningKey;
    /** Every key of the service: the one that signs and those that verify only; JWKS publishes all. */
    keyRing: KeyRing;
    /** Seals the feed's cursors and encrypts webhook secrets (http/keys.ts, secretsKeyOf). */
    secretsKey: Buffer;
    evidenceStore: EvidenceStore;
    /** Where reports read: the replica while it keeps up, else the primary (db/replica.ts). */
    reports: ReportReads;
    /** The service's clock: tests set it to judge dates (overdue actions) at a chosen instant. */
    now(): Date;
  }
}

export interface AppDeps {
  config: Config;
  database: Database;
  /** The read replica's pool (DATABASE_REPLICA_URL), opened and closed by the caller. */
  replica?: Database | undefined;
  /** The current key: signs. */
  signingKey: SigningKey;
  /** Verify-only keys (JWT_PRIVATE_KEYS' next and previous): published, and their tokens accepted. */
  verifyingKeys?: SigningKey[];
  evidenceStore?: EvidenceStore;
  /** The service's clock; the real one unless a test sets it. */
  clock?: Clock;
  /** A pino logger to use; else one is made from LOG_LEVEL. */
  logger?: FastifyBaseLogger;
}

// Secrets and personal data never reach the logs.
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.client_secret',
  '*.refresh_token',
  '*.access_token',
  '*.token',
];

/**
 * What the log keeps of a request: its path and route, and the names of its query parameters.
 * Query values are searches for names, NIPs and registration numbers: personal data, never logged.
 */
export function serializeRequest(request: FastifyRequest) {
  const url = request.url ?? '';
  const at = url.indexOf('?');
  const names = at < 0 ? [] : [...new Set(new URLSearchParams(url.slice(at + 1)).keys())];
  return {
    method: request.method,
    url: at < 0 ? url : url.slice(0, at),
    route: request.routeOptions?.url,
    ...(names.length ? { query: names.slice(0, 20).map((name) => name.slice(0, 64)) } : {}),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** pino options shared by the server's logger and the app's own. */
export const LOG_OPTIONS = {
  redact: { paths: REDACT, censor: '[redacted]' },
  serializers: { req: serializeRequest },
};

// The only routes that read a cookie (the refresh cookie of the auth module).
const COOKIE_PATHS = new Set(['/v1/auth/token', '/v1/auth/revoke']);

// Fastify's own limit on a path parameter, named in the 414 it answers past it.
const MAX_PARAM_LENGTH = 100;

/** Headers of every answer besides helmet's: the request id, and no caching of the API's answers. */
function everyAnswer(request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id);
  // Answers of the API may name people: no cache keeps them, unless a route says otherwise.
  if (request.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
}

function configuredEvidenceStore(config: Config): EvidenceStore {
  if (!config.S3_BUCKET) return new LocalEvidenceStore(config.EVIDENCE_DIR ?? join(config.DATA_DIR, 'evidence'));
  return new S3EvidenceStore({
    bucket: config.S3_BUCKET,
    prefix: config.S3_PREFIX,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
  });
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const headers = securityHeaders(HELMET);
  const app = Fastify({
    ...(deps.logger
      ? { loggerInstance: deps.logger.child({}, { serializers: LOG_OPTIONS.serializers }) }
      : { logger: { level: config.LOG_LEVEL, ...LOG_OPTIONS } }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // A client's X-Request-Id is kept when it looks like one (it ends up in the audit trail); else ours.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : uuidv7();
    },
    connectionTimeout: 30_000,
    requestTimeout: 60_000,
    keepAliveTimeout: 72_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler(headers, MAX_PARAM_LENGTH, everyAnswer),
    clientErrorHandler: clientErrorHandler(headers),
  });
  // JSON (and forms, for the token endpoint) only: anything else is a 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  app.decorate('database', deps.database);
  app.decorate('db', deps.database.db);
  const keyRing: KeyRing = { signing: deps.signingKey, verifying: deps.verifyingKeys ?? [] };
  // Several keys mean a rotation: a secrets key drawn from the signing key would change with it.
  if (keyRing.verifying.length > 0 && !config.SECRETS_KEY)
    throw new Error('SECRETS_KEY must be set with verify-only keys');
  app.decorate('signingKey', deps.signingKey);
  app.decorate('keyRing', keyRing);
  app.decorate('secretsKey', secretsKeyOf(config.SECRETS_KEY, deps.signingKey));
  // Evidence in object storage when a bucket is named, else on local disk.
  const evidenceStore = deps.evidenceStore ?? configuredEvidenceStore(config);
  app.decorate('evidenceStore', evidenceStore);
  // A store the app made is the app's to close; one given to it is its giver's.
  if (!deps.evidenceStore) app.addHook('onClose', async () => evidenceStore.close?.());
  app.decorate('now', deps.clock ?? (() => new Date()));
  const reports = new ReportReads({
    primary: deps.database,
    replica: deps.replica,
    maxLagSeconds: config.REPLICA_MAX_LAG_SECONDS,
    log: app.log,
    describe: loggableError,
  });
  app.decorate('reports', reports);
  app.addHook('onReady', () => reports.start());
  app.addHook('onClose', async () => reports.stop());
  app.addHook('onSend', async (request, reply) => {
    everyAnswer(request, reply);
  });

  // Ecosystem plugins first, then our own cross-cutting ones, then the modules.
  await app.register(errorsPlugin, { bodyLimit: config.BODY_LIMIT_BYTES, fileLimit: config.EVIDENCE_MAX_BYTES });
  // helmet's ESM and CommonJS typings differ; the options are the same object.
  await app.register(helmet, HELMET as never);
  const corsOptions = {
    origin: config.CORS_ORIGINS ? config.CORS_ORIGINS.split(',').map((o) => o.trim()) : false,
    exposedHeaders: [
      'etag',
      'location',
      'x-request-id',
      'retry-after',
      'idempotent-replayed',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ],
  };
  // A console on another origin sends the refresh cookie with credentials: allowed where it is read only.
  await app.register(cors, {
    delegator: (request, done) =>
      done(null, { ...corsOptions, credentials: COOKIE_PATHS.has((request.url ?? '').split('?')[0] ?? '') }),
  });
  await app.register(jsonPlugin);
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: config.EVIDENCE_MAX_BYTES, files: 1, fields: 10, parts: 11 } });
  app.addHook('onRequest', refuseStrayMultipart);
  await app.register(csvPlugin, { bodyLimit: config.IMPORT_BODY_LIMIT_BYTES });
  await app.register(redisPlugin, { url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  await app.register(rateLimitPlugin, {
    apiMax: config.API_RATE_LIMIT_MAX,
    apiWindow: config.API_RATE_LIMIT_WINDOW,
    redis: app.redis,
    onStoreFault: (err) => app.redisFault(err),
  });
  if (config.MAX_EVENT_LOOP_DELAY_MS > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: config.MAX_EVENT_LOOP_DELAY_MS,
      retryAfter: 5,
      exposeStatusRoute: false,
      pressureHandler: () => {
        throw new Problem(503, 'overloaded', {}, { headers: { 'retry-after': '5' } });
      },
    });
  }
  // fastify-metrics is CommonJS with a default export.
  const metrics = ((fastifyMetrics as unknown as { default?: unknown }).default ??
    fastifyMetrics) as typeof fastifyMetrics.default;
  await app.register(metrics, {
    endpoint: { url: '/metrics', config: { auth: false }, schema: { hide: true } } as never,
    // prom-client's registry is process-wide: a second app (tests, reloads) starts it afresh.
    clearRegisterOnInit: true,
  });
  await app.register(openapiPlugin);
  await app.register(authPlugin, {
    keys: keyRing,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    trusted:
      config.TRUSTED_ISSUER && config.TRUSTED_ISSUER_JWKS_URL
        ? {
            issuer: config.TRUSTED_ISSUER,
            jwksUrl: config.TRUSTED_ISSUER_JWKS_URL,
            audience: config.TRUSTED_ISSUER_AUDIENCE ?? config.JWT_AUDIENCE,
            timeoutMs: config.TRUSTED_ISSUER_JWKS_TIMEOUT_MS,
            refetchAfterMs: config.TRUSTED_ISSUER_JWKS_REFETCH_SECONDS * 1000,
          }
        : undefined,
    now: () => app.now().getTime(),
  });

  await app.register(replayPlugin);
  await app.register(choresPlugin);
  await app.register(csvExportPlugin);
  app.addChore({
    name: 'idempotency-purge',
    everyMs: HOUR_MS,
    run: (change) => purgeExpiredIdempotencyKeys(change.tx, change.now),
  });
  await app.register(etagPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(organisationRoutes);
  await app.register(facilityRoutes);
  await app.register(mouRoutes);
  await app.register(inmateRoutes);
  await app.register(officerRoutes);
  await app.register(inspectionRoutes);
  await app.register(urineRoutes);
  await app.register(trainingRoutes);
  await app.register(rehabRoutes);
  await app.register(complianceRoutes);
  await app.register(campaignRoutes);
  await app.register(coordinationRoutes);
  await app.register(kotanRoutes);
  await app.register(auditRoutes);
  await app.register(eventRoutes);
  await app.register(webhookRoutes);
  await app.register(consoleRoutes);
  return app;
}
