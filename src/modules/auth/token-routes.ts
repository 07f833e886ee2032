import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { issuesAt } from '../../http/errors.ts';
import { fieldSentence, type Localized } from '../../http/messages.ts';
import { principalOf } from '../../http/principal.ts';
import { Problem } from '../../http/problem.ts';
import type { Router } from '../../http/router.ts';
import { actorOf } from '../../http/write.ts';
import { clearRefreshCookie, refreshCookieOf, requireCsrfHeader, setRefreshCookie } from './refresh-cookie.ts';
import {
  CookieFormHeaders,
  Me,
  REFRESH_COOKIE,
  RevokeRequest,
  RevokeResponse,
  refreshCookieHeader,
  refreshCookieParameter,
  TokenRequest,
  TokenResponse,
  tags,
} from './schemas.ts';
import { MemoryFailureStore, RedisFailureStore, SignInThrottle } from './throttle.ts';
import { describeCaller, type Grant, issueToken, revokeToken, type TokenSettings } from './token.ts';

// The OAuth 2 endpoints take forms (RFC 6749) as well as JSON.
const FORM_OR_JSON = ['application/json', 'application/x-www-form-urlencoded'];

const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).meta({
  examples: [{ keys: [{ kty: 'EC', crv: 'P-256', x: '...', y: '...', kid: '...', alg: 'ES256', use: 'sig' }] }],
});

/** How this app signs, how long its tokens last, and its sign-in throttle (one per app). */
function tokenSettings(r: Router): TokenSettings {
  const { config } = r;
  return {
    sign: (claims) => r.jwt.sign(claims),
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    throttle: new SignInThrottle(
      // Shared by every process when Redis is set (REDIS_URL), else this process's own.
      r.redis ? new RedisFailureStore(r.redis, (err) => r.redisFault(err)) : new MemoryFailureStore(),
      {
        limit: config.SIGN_IN_FAILURE_LIMIT,
        windowMs: config.SIGN_IN_FAILURE_WINDOW_SECONDS * 1000,
        lockMs: config.SIGN_IN_LOCK_SECONDS * 1000,
        maxLockMs: config.SIGN_IN_MAX_LOCK_SECONDS * 1000,
      },
      () => r.now().getTime(),
    ),
    now: () => r.now(),
  };
}

/** The signing keys, the token and revocation endpoints, and who am I: each its schema and one call. */
export function tokenRoutes(r: Router) {
  const { config } = r;
  const settings = tokenSettings(r);

  r.get(
    '/.well-known/jwks.json',
    {
      config: { auth: false },
      schema: {
        tags,
        operationId: 'getJwks',
        summary: 'Public signing keys',
        description:
          'The ES256 public keys that verify access tokens this service issues (RFC 7517): the key that signs now, the next one during a rotation, and previous ones until their tokens expire.',
        security: [],
        response: { 200: Jwks },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      // The next key is published before any process signs with it, and previous keys until their tokens expire.
      return { keys: [r.keyRing.signing, ...r.keyRing.verifying].map((key) => key.jwk as Record<string, unknown>) };
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
        description: `OAuth 2.0 token endpoint: grant_type password (staff), client_credentials (outside systems, with scopes) or refresh_token (rotating: a spent refresh token presented again revokes its whole family). JSON or form-encoded. Rate-limited per address; after repeated failures an account or client id is refused for a while (429 sign_in_throttled with Retry-After), whether or not it exists. Cookie form, for a browser that keeps its access token in memory: a password grant with refresh_token_delivery cookie, and a refresh grant without refresh_token, answer the refresh token only as the cookie ${REFRESH_COOKIE} (HttpOnly, Secure, SameSite=Strict, Path=/v1/auth) and need an X-Requested-With header; a refused cookie is cleared.`,
        security: [],
        consumes: FORM_OR_JSON,
        headers: CookieFormHeaders,
        ...({ cookies: refreshCookieParameter } as object),
        body: TokenRequest,
        response: {
          200: TokenResponse.meta({
            headers: refreshCookieHeader(
              'The cookie form only: the next refresh token, for its lifetime (REFRESH_TOKEN_TTL_DAYS); cleared when the cookie is refused',
              '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c11.c2VjcmV0',
              2_592_000,
            ),
          } as never),
        },
      },
      preValidation: async (request) => clientFromBasic(request),
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { body } = request;
      const cookieForm =
        (body.grant_type === 'password' && body.refresh_token_delivery === 'cookie') ||
        (body.grant_type === 'refresh_token' && body.refresh_token === undefined);
      if (!cookieForm) return issueToken(r.db, settings, body as Grant, actorOf(request));
      let grant: Grant = body as Grant;
      if (body.grant_type === 'refresh_token') {
        grant = { grant_type: 'refresh_token', refresh_token: cookieOrMissing(request, 'refresh_token') };
      }
      requireCsrfHeader(request);
      try {
        const { refresh_token, ...answer } = await issueToken(r.db, settings, grant, actorOf(request));
        if (refresh_token) setRefreshCookie(reply, refresh_token, config.REFRESH_TOKEN_TTL_DAYS * 86_400);
        return answer;
      } catch (err) {
        // A refresh token refused (spent, revoked, expired) is of no more use to the browser.
        if (body.grant_type === 'refresh_token') clearRefreshCookie(reply);
        throw err;
      }
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
        description: `Signs out: revokes the refresh token and every token of its family (RFC 7009). Unknown tokens answer revoked: false. Without token in the body, the ${REFRESH_COOKIE} cookie is revoked and cleared (needs an X-Requested-With header).`,
        security: [],
        consumes: FORM_OR_JSON,
        headers: CookieFormHeaders,
        ...({ cookies: refreshCookieParameter } as object),
        body: RevokeRequest,
        response: {
          200: RevokeResponse.meta({
            headers: refreshCookieHeader('The cookie form only: the cookie cleared', '', 0),
          } as never),
        },
      },
    },
    async (request, reply) => {
      const { token } = request.body;
      if (token !== undefined) return revokeToken(r.db, token, actorOf(request), r.now());
      const presented = cookieOrMissing(request, 'token');
      requireCsrfHeader(request);
      const answer = await revokeToken(r.db, presented, actorOf(request), r.now());
      clearRefreshCookie(reply);
      return answer;
    },
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
    async (request) => describeCaller(r.db, principalOf(request), r.now()),
  );
}

/**
 * The refresh cookie, for a request whose body has no token. Without it either, the answer is the
 * one a body lacking the field always had: 400 naming the field as required.
 */
function cookieOrMissing(request: FastifyRequest, field: 'refresh_token' | 'token'): string {
  const cookie = refreshCookieOf(request);
  if (cookie) return cookie;
  const missing = z.strictObject({ [field]: z.string() }).safeParse({});
  throw new Problem(400, 'validation_failed', {}, { errors: issuesAt('body', missing.error?.issues ?? []) });
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
