import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from '../core/access.ts';
import { forbidden } from './problem.ts';

export type { Principal, Role };

/** The claims of an access token this service issues (and that a trusted outside issuer must carry). */
export interface AccessClaims {
  sub: string;
  typ: 'user' | 'api_client';
  role: Role;
  org: string | null;
  fac: string | null;
  scope: string;
}

export function principalOf(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (!principal) throw new Error('route without authentication asked for a principal');
  return principal;
}

/** The role may not do this at all: 403. (A record outside the caller's reach is a 404 instead.) */
export function requireRole(request: FastifyRequest, ...roles: Role[]): Principal {
  const principal = principalOf(request);
  if (!roles.includes(principal.role)) throw forbidden();
  return principal;
}

export function hasScope(principal: Principal, scope: string): boolean {
  return principal.scopes.includes(scope);
}
