import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { facilityReach } from '../../core/access.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import { fieldSentence, type Localized } from '../../http/messages.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import { principalOf, requireRole } from '../../http/principal.ts';
import { Problem } from '../../http/problem.ts';
import { IdParams } from '../../http/schemas.ts';
import { actorOf, expectedVersion, performWrite } from '../../http/write.ts';
import {
  ApiClient,
  ApiClientCreate,
  ApiClientCreated,
  ApiClientPage,
  ApiClientUpdate,
  ColleagueListQuery,
  ColleaguePage,
  ListQuery,
  Me,
  RevokeRequest,
  RevokeResponse,
  TokenRequest,
  TokenResponse,
  User,
  UserCreate,
  UserListQuery,
  UserPage,
  UserUpdate,
} from './schemas.ts';
import {
  createApiClient,
  createUser,
  getApiClient,
  getUser,
  issueToken,
  listApiClients,
  listColleagues,
  listUsers,
  revokeRefreshToken,
  toApiClientDto,
  toColleagueDto,
  toUserDto,
  updateApiClient,
  updateUser,
} from './service.ts';
import { MemoryFailureStore, SignInThrottle } from './throttle.ts';

const tags = ['Access'];
// The last display name seen (which may hold "|" but no NUL), then the id.
const COLLEAGUE_CURSOR = /^[^\0]*\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The OAuth 2 endpoints take forms (RFC 6749) as well as JSON.
const FORM_OR_JSON = ['application/json', 'application/x-www-form-urlencoded'];

const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).meta({
  examples: [{ keys: [{ kty: 'EC', crv: 'P-256', x: '...', y: '...', kid: '...', alg: 'ES256', use: 'sig' }] }],
});

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const { config } = app;
  const settings = {
    sign: (claims: Parameters<typeof app.jwt.sign>[0]) => app.jwt.sign(claims),
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    throttle: new SignInThrottle(
      new MemoryFailureStore(),
      {
        limit: config.SIGN_IN_FAILURE_LIMIT,
        windowMs: config.SIGN_IN_FAILURE_WINDOW_SECONDS * 1000,
        lockMs: config.SIGN_IN_LOCK_SECONDS * 1000,
        maxLockMs: config.SIGN_IN_MAX_LOCK_SECONDS * 1000,
      },
      () => app.now().getTime(),
    ),
    now: () => app.now(),
  };

  r.get(
    '/.well-known/jwks.json',
    {
      config: { auth: false },
      schema: {
        tags,
        operationId: 'getJwks',
        summary: 'Public signing keys',
        description: 'The ES256 public keys that verify access tokens this service issues (RFC 7517).',
        security: [],
        response: { 200: Jwks },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return { keys: [app.signingKey.jwk as Record<string, unknown>] };
    },
  );

  r.post(
    '/v1/auth/token',
    {
      config: {
        auth: false,
        idempotency: 'off',
        rateLimit: { max: config.AUTH_RATE_LIMIT_MAX, timeWindow: config.AUTH_RATE_LIMIT_WINDOW },
      },
      schema: {
        tags,
        operationId: 'issueToken',
        summary: 'Get an access token',
        description:
          'OAuth 2.0 token endpoint: grant_type password (staff), client_credentials (outside systems, with scopes) or refresh_token (rotating: a spent refresh token presented again revokes its whole family). JSON or form-encoded. Rate-limited per address; after repeated failures an account or client id is refused for a while (429 sign_in_throttled with Retry-After), whether or not it exists.',
        security: [],
        consumes: FORM_OR_JSON,
        body: TokenRequest,
        response: { 200: TokenResponse },
      },
      preValidation: async (request) => clientFromBasic(request),
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return issueToken(db, settings, request.body, actorOf(request));
    },
  );

  r.post(
    '/v1/auth/revoke',
    {
      config: {
        auth: false,
        idempotency: 'off',
        rateLimit: { max: config.AUTH_RATE_LIMIT_MAX, timeWindow: config.AUTH_RATE_LIMIT_WINDOW },
      },
      schema: {
        tags,
        operationId: 'revokeToken',
        summary: 'Revoke a refresh token',
        description:
          'Signs out: revokes the refresh token and every token of its family (RFC 7009). Unknown tokens answer revoked: false.',
        security: [],
        consumes: FORM_OR_JSON,
        body: RevokeRequest,
        response: { 200: RevokeResponse },
      },
    },
    async (request) => ({ revoked: await revokeRefreshToken(db, request.body.token, actorOf(request), app.now()) }),
  );

  r.get(
    '/v1/me',
    {
      schema: {
        tags,
        operationId: 'getMe',
        summary: 'Who am I',
        description: 'The caller as the token names them, with the facilities in their reach.',
        response: { 200: Me },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const reach = await facilityReach(db, p, app.now());
      return {
        kind: p.kind,
        id: p.id,
        role: p.role,
        organisation_id: p.organisationId,
        facility_id: p.facilityId,
        scopes: p.scopes,
        facility_ids: reach.all ? null : reach.ids,
      };
    },
  );

  // ---- users ----
  r.get(
    '/v1/users',
    {
      schema: {
        tags,
        operationId: 'listUsers',
        summary: 'List staff users',
        description:
          'Administrators only, with every field. Other staff find the users of their own organisation or facility at GET /v1/colleagues.',
        querystring: UserListQuery,
        response: { 200: UserPage },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const q = request.query;
      const rows = await listUsers(db, {
        role: q.role,
        facilityId: q.facility_id,
        organisationId: q.organisation_id,
        ...keysetOf(q),
      });
      return page(rows, q.limit, (row) => row.id, toUserDto);
    },
  );

  // A separate path, not a second shape of /v1/users: one schema per operation keeps generated
  // clients' types plain, and the administrators' filters do not apply here.
  r.get(
    '/v1/colleagues',
    {
      schema: {
        tags,
        operationId: 'listColleagues',
        summary: 'List colleagues',
        description:
          "The active users of the caller's own organisation, or for facility staff and heads of their facility (administrators: every active user), with id, display name and role only: to find the id of a facilitator or an owner. Ordered by display name, then id. API clients may not (403).",
        querystring: ColleagueListQuery,
        response: { 200: ColleaguePage },
      },
    },
    async (request) => {
      const q = request.query;
      const key = decodeKeyCursor(q.cursor, COLLEAGUE_CURSOR);
      const rows = await listColleagues(db, principalOf(request), {
        role: q.role,
        q: q.q,
        after: key ? { name: key.slice(0, -1).join('|'), id: key[key.length - 1] as string } : undefined,
        limit: q.limit,
      });
      return keysetPage(rows, q.limit, (row) => [row.displayName, row.id], toColleagueDto);
    },
  );

  r.get(
    '/v1/users/:userId',
    {
      schema: {
        tags,
        operationId: 'getUser',
        summary: 'Get a staff user',
        description: 'Administrators only.',
        params: IdParams('userId'),
        response: { 200: User },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const row = await getUser(db, request.params.userId);
      return toUserDto(row);
    },
  );

  r.post(
    '/v1/users',
    {
      schema: {
        tags,
        operationId: 'createUser',
        summary: 'Create a staff user',
        description:
          'Administrators only. Facility roles name a facility; BNN officers a BNN unit; regional viewers a Kanwil or BNNP. Honours Idempotency-Key.',
        body: UserCreate,
        response: { 201: User },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      return performWrite(request, reply, db, async (change) => {
        const row = await createUser(change, request.body);
        return {
          status: 201,
          body: toUserDto(row),
          headers: { location: `/v1/users/${row.id}` },
        };
      });
    },
  );

  r.patch(
    '/v1/users/:userId',
    {
      schema: {
        tags,
        operationId: 'updateUser',
        summary: 'Update a staff user',
        description:
          'Administrators only: name, password, active. Disabling or a new password revokes the refresh tokens. Requires If-Match.',
        params: IdParams('userId'),
        body: UserUpdate,
        response: { 200: User },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      const version = expectedVersion(request);
      return performWrite(request, reply, db, async (change) => {
        const row = await updateUser(change, request.params.userId, version, request.body);
        return { status: 200, body: toUserDto(row) };
      });
    },
  );

  // ---- API clients ----
  r.get(
    '/v1/api-clients',
    {
      schema: {
        tags,
        operationId: 'listApiClients',
        summary: 'List API clients',
        description: 'Administrators only.',
        querystring: ListQuery,
        response: { 200: ApiClientPage },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const q = request.query;
      const rows = await listApiClients(db, keysetOf(q));
      return page(rows, q.limit, (row) => row.id, toApiClientDto);
    },
  );

  r.get(
    '/v1/api-clients/:clientId',
    {
      schema: {
        tags,
        operationId: 'getApiClient',
        summary: 'Get an API client',
        description: 'Administrators only.',
        params: IdParams('clientId'),
        response: { 200: ApiClient },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const row = await getApiClient(db, request.params.clientId);
      return toApiClientDto(row);
    },
  );

  r.post(
    '/v1/api-clients',
    {
      // The answer holds a secret: never kept for replays.
      config: { idempotency: 'off' },
      schema: {
        tags,
        operationId: 'createApiClient',
        summary: 'Register an API client',
        description:
          'Administrators only. The answer holds the client secret, shown this once, so Idempotency-Key is not honoured here. Without personal_data in its scopes a client sees pseudonymous ids only.',
        body: ApiClientCreate,
        response: { 201: ApiClientCreated },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      return performWrite(request, reply, db, async (change) => {
        const { row, secret } = await createApiClient(change, request.body);
        return {
          status: 201,
          body: { ...toApiClientDto(row), client_secret: secret },
          headers: { location: `/v1/api-clients/${row.id}` },
        };
      });
    },
  );

  r.patch(
    '/v1/api-clients/:clientId',
    {
      schema: {
        tags,
        operationId: 'updateApiClient',
        summary: 'Update an API client',
        description: 'Administrators only: name, scopes, active. Requires If-Match.',
        params: IdParams('clientId'),
        body: ApiClientUpdate,
        response: { 200: ApiClient },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      const version = expectedVersion(request);
      return performWrite(request, reply, db, async (change) => {
        const row = await updateApiClient(change, request.params.clientId, version, request.body);
        return { status: 200, body: toApiClientDto(row) };
      });
    },
  );
}

/**
 * A client may authenticate with HTTP Basic instead of the body (RFC 6749 2.3.1), as Swagger UI
 * and most OAuth libraries do: its credentials go into the body before validation. An empty Basic
 * header (Swagger UI's password flow) says nothing; credentials in both places must agree.
 */
function clientFromBasic(request: FastifyRequest) {
  const header = request.headers.authorization;
  if (!header || !/^basic /i.test(header)) return;
  const body = request.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || body.grant_type !== 'client_credentials') return;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return refuseBasic(fieldSentence('basic_not_pair'));
  let id: string;
  let secret: string;
  try {
    // Both halves are form-urlencoded before they are joined (RFC 6749 2.3.1).
    id = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
    secret = decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' '));
  } catch {
    return refuseBasic(fieldSentence('basic_not_urlencoded'));
  }
  if (!id && !secret) return;
  for (const [field, value] of [
    ['client_id', id],
    ['client_secret', secret],
  ] as const) {
    if (body[field] !== undefined && body[field] !== value) refuseBasic(fieldSentence('basic_differs', { field }));
    body[field] = value;
  }
}

function refuseBasic(detail: Localized): never {
  throw new Problem(400, 'validation_failed', {}, { errors: [{ in: 'headers', pointer: '/authorization', detail }] });
}
