import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import buildGetJwks from 'get-jwks';
import type { SigningKey } from './keys.ts';
import type { AccessClaims, Principal, Role } from './principal.ts';
import { Problem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
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
  key: SigningKey;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  trusted?: { issuer: string; jwksUrl: string; audience: string };
}

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
    await app.register(jwt, {
      secret: { private: opts.key.privatePem, public: opts.key.publicPem },
      sign: {
        algorithm: 'ES256',
        iss: opts.issuer,
        aud: opts.audience,
        kid: opts.key.kid,
        expiresIn: opts.accessTokenTtlSeconds,
      },
      // Only our algorithm, issuer and audience: no 'none', no HMAC-with-public-key confusion.
      // Verified tokens are cached (fast-jwt LRU, bounded by each token's exp): ES256 checks are costly.
      verify: { algorithms: ['ES256'], allowedIss: opts.issuer, allowedAud: opts.audience, cache: 1000 },
    });
    const trusted = opts.trusted;
    // The outside issuer's keys come from its configured JWKS URL, cached.
    const jwksUrl = trusted ? new URL(trusted.jwksUrl) : undefined;
    const jwks = jwksUrl
      ? buildGetJwks({ max: 20, ttl: 10 * 60_000, jwksPath: jwksUrl.pathname + jwksUrl.search })
      : undefined;

    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config?.auth === false) return;
      if (!request.routeOptions.url) return; // unknown route: the not-found handler answers
      request.principal = await authenticate(request);
    });

    async function authenticate(request: FastifyRequest): Promise<Principal> {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw unauthenticated('no bearer token');
      let claims: AccessClaims;
      try {
        const token = header.slice(7).trim();
        const decoded = app.jwt.decode<{ header: { kid?: string; alg?: string }; payload: { iss?: string } }>(token, {
          complete: true,
        });
        if (trusted && jwks && decoded?.payload?.iss === trusted.issuer) {
          const { kid, alg } = decoded.header;
          claims = await request.jwtVerify<AccessClaims>({
            key: async () => jwks.getPublicKey({ kid, alg, domain: jwksUrl?.origin }),
            algorithms: ['ES256', 'RS256'],
            allowedIss: trusted.issuer,
            allowedAud: trusted.audience,
          } as never);
        } else {
          claims = await request.jwtVerify<AccessClaims>();
        }
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        throw unauthenticated(code.includes('EXPIRED') ? 'token expired' : 'token not valid');
      }
      if (!claims.sub || !ROLES.has(claims.role)) throw unauthenticated('token lacks subject or role');
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

function unauthenticated(reason: string) {
  return new Problem(401, 'unauthenticated', { reason }, { headers: { 'www-authenticate': 'Bearer' } });
}
