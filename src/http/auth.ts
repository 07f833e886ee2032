import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type KeyRing, KeysUnavailable, RemoteKeySet } from './keys.ts';
import { type Localized, reasons } from './messages.ts';
import type { AccessClaims, Principal, Role } from './principal.ts';
import { Problem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** The caller a request's bearer token names, checked once per request; a 401 Problem otherwise. */
    authenticate(request: FastifyRequest): Promise<Principal>;
  }
  interface FastifyContextConfig {
    /** false for the few routes anyone may call (health, docs, token). */
    auth?: boolean;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

export interface AuthOptions {
  /** The current key signs; a token naming any key of the ring (by kid) is verified with that key. */
  keys: KeyRing;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  trusted?: { issuer: string; jwksUrl: string; audience: string; timeoutMs: number; refetchAfterMs: number };
  /** The service's clock, in ms: when the outside issuer's keys may be fetched again. */
  now: () => number;
}

// fast-jwt checks exp, iss and aud only when a token carries them: a token must carry all three.
const REQUIRED_CLAIMS = ['exp', 'iss', 'aud'];

const ROLES = new Set<Role>([
  'admin',
  'regional_viewer',
  'facility_staff',
  'facility_head',
  'bnn_officer',
  'regional_government_officer',
  'api_client',
]);

export const authPlugin = fp(
  async (app: FastifyInstance, opts: AuthOptions) => {
    // The public key of each key we sign or have signed with, by kid: our token must name one of them.
    const ours = new Map([opts.keys.signing, ...opts.keys.verifying].map((key) => [key.kid, key.publicPem]));
    const signingPublic = opts.keys.signing.publicPem;
    await app.register(jwt, {
      secret: {
        private: opts.keys.signing.privatePem,
        // Called (request, decoded token) by @fastify/jwt, unlike its typing. The kid is checked against
        // `ours` before verifying; an outside issuer's token brings its own key.
        public: ((_request: FastifyRequest, token: { header?: { kid?: string } }) =>
          Promise.resolve(ours.get(token.header?.kid ?? '') ?? signingPublic)) as never,
      },
      // The key callback above is handed the token decoded this way: with its header, and so its kid.
      decode: { complete: true },
      sign: {
        algorithm: 'ES256',
        iss: opts.issuer,
        aud: opts.audience,
        kid: opts.keys.signing.kid,
        expiresIn: opts.accessTokenTtlSeconds,
      },
      // Only our algorithm, issuer and audience: no 'none', no HMAC-with-public-key confusion.
      // Verified tokens are cached (fast-jwt LRU, bounded by each token's exp): ES256 checks are costly.
      verify: {
        algorithms: ['ES256'],
        allowedIss: opts.issuer,
        allowedAud: opts.audience,
        requiredClaims: REQUIRED_CLAIMS,
        cache: 1000,
      },
    });
    const trusted = opts.trusted;
    // The outside issuer's keys come from its configured JWKS URL, cached.
    const jwks = trusted
      ? new RemoteKeySet({
          url: trusted.jwksUrl,
          timeoutMs: trusted.timeoutMs,
          refetchAfterMs: trusted.refetchAfterMs,
          maxAgeMs: 10 * 60_000,
          now: opts.now,
          onFailure: (err) =>
            app.log.warn({ err, url: trusted.jwksUrl }, 'the trusted issuer JWKS could not be fetched'),
        })
      : undefined;

    // Checked once per request, whoever asks first (the rate limit keys on the caller too).
    const checked = new WeakMap<FastifyRequest, Promise<Principal>>();
    app.decorate('authenticate', (request: FastifyRequest) => {
      let principal = checked.get(request);
      if (!principal) {
        principal = authenticate(request);
        principal.catch(() => undefined);
        checked.set(request, principal);
      }
      return principal;
    });
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config?.auth === false) return;
      if (!request.routeOptions.url) return; // unknown route: the not-found handler answers
      request.principal = await app.authenticate(request);
    });

    async function authenticate(request: FastifyRequest): Promise<Principal> {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw unauthenticated(reasons.no_bearer_token);
      let claims: AccessClaims;
      try {
        const token = header.slice(7).trim();
        const decoded = app.jwt.decode<{ header: { kid?: string; alg?: string }; payload: { iss?: string } }>(token, {
          complete: true,
        });
        if (trusted && jwks && decoded?.payload?.iss === trusted.issuer) {
          const { kid, alg } = decoded.header;
          const key = await jwks.publicKey(kid, alg);
          claims = await request.jwtVerify<AccessClaims>({
            key,
            algorithms: ['ES256', 'RS256'],
            allowedIss: trusted.issuer,
            allowedAud: trusted.audience,
            requiredClaims: REQUIRED_CLAIMS,
          } as never);
        } else {
          if (!decoded?.header?.kid || !ours.has(decoded.header.kid))
            throw unauthenticated(reasons.unknown_signing_key);
          claims = await request.jwtVerify<AccessClaims>();
        }
      } catch (err) {
        if (err instanceof Problem) throw err;
        if (err instanceof KeysUnavailable) {
          // Not the caller's fault: their token may be good, we cannot check it now.
          const after = String(Math.ceil((trusted?.refetchAfterMs ?? 0) / 1000));
          throw new Problem(503, 'issuer_unavailable', {}, { headers: { 'retry-after': after } });
        }
        const code = (err as { code?: string }).code ?? '';
        throw unauthenticated(code.includes('EXPIRED') ? reasons.token_expired : reasons.token_not_valid);
      }
      if (!claims.sub || !ROLES.has(claims.role)) throw unauthenticated(reasons.token_lacks_claims);
      return {
        kind: claims.typ === 'api_client' ? 'api_client' : 'user',
        id: claims.sub,
        role: claims.role,
        organisationId: claims.org ?? null,
        facilityId: claims.fac ?? null,
        scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
      };
    }
  },
  { name: 'auth' },
);

function unauthenticated(reason: Localized) {
  return new Problem(401, 'unauthenticated', { reason }, { headers: { 'www-authenticate': 'Bearer' } });
}
