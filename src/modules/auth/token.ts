import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { facilityReach } from '../../core/access.ts';
import { type Actor, recordAudit } from '../../core/change.ts';
import type { Db, Executor } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import { type Localized, reasonOf, reasons } from '../../http/messages.ts';
import type { AccessClaims, Principal } from '../../http/principal.ts';
import { Problem } from '../../http/problem.ts';
import { toMeDto, type UserRow } from './dto.ts';
import { decoyHash, verifySecret } from './passwords.ts';
import type { TokenRequestInput, TokenResponseDto } from './schemas.ts';
import { apiClients, refreshTokens, users } from './tables.ts';
import type { SignInThrottle } from './throttle.ts';

// Tokens: signing in (a password or a client's secret), refreshing, signing out, and who the
// bearer of an access token is.

/** Staff act on records and see names of the people in their reach. */
export const STAFF_SCOPES = ['read', 'write', 'personal_data'];

export interface TokenSettings {
  sign: (claims: AccessClaims) => string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** Failed password and client-secret attempts, per username and per client id. */
  throttle: SignInThrottle;
  /** The app's clock: refresh tokens are issued, spent and expire by it. */
  now: () => Date;
}

/** A grant as the service takes it: a refresh grant's token from the body or from the cookie. */
export type Grant =
  | Exclude<TokenRequestInput, { grant_type: 'refresh_token' }>
  | { grant_type: 'refresh_token'; refresh_token: string };

export async function issueToken(
  db: Db,
  settings: TokenSettings,
  input: Grant,
  actor: Actor,
): Promise<TokenResponseDto> {
  switch (input.grant_type) {
    case 'password':
      return passwordGrant(db, settings, input.username, input.password);
    case 'client_credentials':
      return clientGrant(db, settings, input.client_id, input.client_secret, input.scope);
    case 'refresh_token':
      return refreshGrant(db, settings, input.refresh_token, actor);
  }
}

const invalidGrant = (reason: Localized) => new Problem(400, 'invalid_grant', { reason });

async function passwordGrant(db: Db, settings: TokenSettings, username: string, password: string) {
  // Keyed on the name given, known or not, so that the throttle does not tell which names exist.
  const key = `user:${username}`;
  await settings.throttle.admit(key);
  const [user] = await db.select().from(users).where(eq(users.username, username));
  const ok = await verifySecret(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok || !user.active) throw invalidGrant(reasons.wrong_credentials);
  await settings.throttle.succeeded(key);
  return db.transaction(async (tx) => {
    const refresh = await newRefreshToken(tx, settings, user.id, uuidv7());
    return accessFor(settings, user, refresh);
  });
}

async function clientGrant(db: Db, settings: TokenSettings, clientId: string, secret: string, scope?: string) {
  const key = `client:${clientId}`;
  await settings.throttle.admit(key);
  const [client] = await db.select().from(apiClients).where(eq(apiClients.clientId, clientId));
  const ok = await verifySecret(secret, client?.secretHash ?? (await decoyHash()));
  if (!client || !ok || !client.active)
    throw new Problem(401, 'invalid_client', {}, { headers: { 'www-authenticate': 'Basic' } });
  await settings.throttle.succeeded(key);
  const requested: string[] = scope ? scope.split(' ').filter(Boolean) : client.scopes;
  const beyond = requested.filter((s) => !client.scopes.includes(s));
  if (beyond.length) throw invalidGrant(reasonOf.scope_not_granted(beyond.join(' ')));
  const claims: AccessClaims = {
    sub: client.id,
    typ: 'api_client',
    role: 'api_client',
    org: client.organisationId,
    fac: null,
    scope: requested.join(' '),
  };
  return {
    access_token: settings.sign(claims),
    token_type: 'Bearer' as const,
    expires_in: settings.accessTokenTtlSeconds,
    scope: claims.scope,
  };
}

/**
 * Rotation: a refresh token is spent on use and the next one of its family issued. A spent token
 * presented again means it leaked: the whole family is revoked, and that revocation is kept.
 */
async function refreshGrant(db: Db, settings: TokenSettings, presented: string, actor: Actor) {
  const [id, secret] = presented.split('.');
  if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw invalidGrant(reasons.malformed_refresh_token);
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, id)).for('update');
    if (!row || !sameHash(row.secretHash, secret)) return { error: 'unknown_refresh_token' } as const;
    if (row.revokedAt) return { error: 'refresh_token_revoked' } as const;
    const now = settings.now();
    if (row.spentAt) {
      await revokeFamily(tx, row, actor, 'auth.refresh_token_reused', now);
      return { error: 'refresh_token_reused' } as const;
    }
    if (row.expiresAt <= now) return { error: 'refresh_token_expired' } as const;
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId));
    if (!user?.active) return { error: 'account_disabled' } as const;
    await tx.update(refreshTokens).set({ spentAt: now }).where(eq(refreshTokens.id, row.id));
    const refresh = await newRefreshToken(tx, settings, user.id, row.familyId);
    return { token: accessFor(settings, user, refresh) } as const;
  });
  if (outcome.error) throw invalidGrant(reasons[outcome.error]);
  return outcome.token;
}

/** Signing out: revokes the family of a refresh token; unknown tokens are ignored (RFC 7009). */
export async function revokeToken(db: Db, presented: string, actor: Actor, now: Date): Promise<{ revoked: boolean }> {
  const [id, secret] = presented.split('.');
  if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) return { revoked: false };
  const revoked = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, id));
    if (!row || !sameHash(row.secretHash, secret)) return false;
    await revokeFamily(tx, row, actor, 'auth.refresh_token_revoked', now);
    return true;
  });
  return { revoked };
}

/** Who am I: the caller as the token names them, with the facilities in their reach. */
export async function describeCaller(db: Executor, principal: Principal, now: Date) {
  return toMeDto(principal, await facilityReach(db, principal, now));
}

/** Ends every session of a token's family, and says so in the audit trail. */
async function revokeFamily(
  tx: Executor,
  row: { familyId: string; userId: string },
  actor: Actor,
  action: 'auth.refresh_token_reused' | 'auth.refresh_token_revoked',
  now: Date,
) {
  await tx
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
  await recordAudit(
    tx,
    { ...actor, type: 'user', id: row.userId, role: null },
    { action, entityType: 'user', entityId: row.userId, after: { family_id: row.familyId, revoked: true } },
  );
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function sameHash(stored: string, secret: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(sha256(secret));
  return a.length === b.length && timingSafeEqual(a, b);
}

// The secret is random; a fast hash suffices (unlike passwords).
async function newRefreshToken(
  tx: Executor,
  settings: TokenSettings,
  userId: string,
  familyId: string,
): Promise<string> {
  const id = uuidv7();
  const secret = randomBytes(32).toString('base64url');
  await tx.insert(refreshTokens).values({
    id,
    familyId,
    userId,
    secretHash: sha256(secret),
    expiresAt: new Date(settings.now().getTime() + settings.refreshTokenTtlDays * 86_400_000),
  });
  return `${id}.${secret}`;
}

function accessFor(settings: TokenSettings, user: UserRow, refreshToken: string): TokenResponseDto {
  const claims: AccessClaims = {
    sub: user.id,
    typ: 'user',
    role: user.role,
    org: user.organisationId,
    fac: user.facilityId,
    scope: STAFF_SCOPES.join(' '),
  };
  return {
    access_token: settings.sign(claims),
    token_type: 'Bearer',
    expires_in: settings.accessTokenTtlSeconds,
    refresh_token: refreshToken,
    scope: claims.scope,
  };
}
