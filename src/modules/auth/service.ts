import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, gt, isNull, type SQL, sql } from 'drizzle-orm';
import { type Actor, type Change, recordAudit } from '../../core/change.ts';
import type { Db, Executor } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import { isoNotNull } from '../../http/dto.ts';
import { type Localized, reasonOf, reasons } from '../../http/messages.ts';
import type { AccessClaims, Principal, Role } from '../../http/principal.ts';
import { forbidden, notFound, Problem, ruleViolated, violated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { findFacilities } from '../facilities/service.ts';
import { findOrganisation } from '../organisations/service.ts';
import { decoyHash, hashSecret, verifySecret } from './passwords.ts';
import type { ApiClientDto, ColleagueDto, TokenRequestInput, TokenResponseDto, UserDto } from './schemas.ts';
import { apiClients, refreshTokens, users } from './tables.ts';
import type { SignInThrottle } from './throttle.ts';

type UserRow = typeof users.$inferSelect;
type ApiClientRow = typeof apiClients.$inferSelect;

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

export async function issueToken(
  db: Db,
  settings: TokenSettings,
  input: TokenRequestInput,
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

/** Revokes the family of a refresh token; unknown tokens are ignored (RFC 7009). */
export async function revokeRefreshToken(db: Db, presented: string, actor: Actor, now: Date): Promise<boolean> {
  const [id, secret] = presented.split('.');
  if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) return false;
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, id));
    if (!row || !sameHash(row.secretHash, secret)) return false;
    await revokeFamily(tx, row, actor, 'auth.refresh_token_revoked', now);
    return true;
  });
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

// ---- users and API clients (administrators) ----

export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    username: row.username,
    display_name: row.displayName,
    role: row.role,
    organisation_id: row.organisationId,
    facility_id: row.facilityId,
    active: row.active,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

export function toApiClientDto(row: ApiClientRow): ApiClientDto {
  return {
    id: row.id,
    client_id: row.clientId,
    name: row.name,
    scopes: row.scopes as ApiClientDto['scopes'],
    organisation_id: row.organisationId,
    active: row.active,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

export async function getUser(db: Executor, id: string): Promise<UserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row) throw notFound('user');
  return row;
}

export async function listUsers(
  db: Executor,
  filter: { role?: UserRow['role']; facilityId?: string; organisationId?: string; after?: string; limit: number },
) {
  const where: SQL[] = [];
  if (filter.role) where.push(eq(users.role, filter.role));
  if (filter.facilityId) where.push(eq(users.facilityId, filter.facilityId));
  if (filter.organisationId) where.push(eq(users.organisationId, filter.organisationId));
  if (filter.after) where.push(gt(users.id, filter.after));
  return db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.id))
    .limit(filter.limit + 1);
}

// ---- colleagues (every staff user) ----

export interface ColleagueFilter {
  role?: UserRow['role'];
  q?: string;
  /** The last name and id of the previous page. */
  after?: { name: string; id: string };
  limit: number;
}

/**
 * The active users a caller works with, so that their ids can be named (a facilitator, an owner):
 * facility roles see their facility's users, the others their organisation's, administrators all.
 * Outside systems have no colleagues. Names only, not a named read of a record: not audited.
 */
export async function listColleagues(db: Executor, principal: Principal, filter: ColleagueFilter) {
  if (principal.kind !== 'user' || principal.role === 'api_client') throw forbidden();
  const where: SQL[] = [eq(users.active, true)];
  if (principal.role === 'facility_staff' || principal.role === 'facility_head') {
    if (!principal.facilityId) return [];
    where.push(eq(users.facilityId, principal.facilityId));
  } else if (principal.role !== 'admin') {
    if (!principal.organisationId) return [];
    where.push(eq(users.organisationId, principal.organisationId));
  }
  if (filter.role) where.push(eq(users.role, filter.role));
  if (filter.q) where.push(sql`strpos(lower(${users.displayName}), lower(${filter.q})) > 0`);
  if (filter.after)
    where.push(sql`(${users.displayName}, ${users.id}) > (${filter.after.name}, ${filter.after.id}::uuid)`);
  return db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.displayName), asc(users.id))
    .limit(filter.limit + 1);
}

export const toColleagueDto = (row: { id: string; displayName: string; role: UserRow['role'] }): ColleagueDto => ({
  id: row.id,
  display_name: row.displayName,
  role: row.role,
});

/** Each role belongs somewhere: facility roles to a facility, BNN officers to a BNN unit, regional government officers to a regional government, viewers to a Kanwil or BNNP. */
async function checkAffiliation(db: Executor, role: Role, organisationId?: string, facilityId?: string) {
  const fail = (en: string, id: string, pointer: string) => {
    throw ruleViolated(en, id, pointer);
  };
  if (role === 'facility_staff' || role === 'facility_head') {
    if (!facilityId || organisationId)
      fail(
        'Facility roles need facility_id and no organisation_id.',
        'Peran fasilitas memerlukan facility_id tanpa organisation_id.',
        '/facility_id',
      );
    const [facility] = await findFacilities(db, [facilityId as string]);
    if (!facility)
      fail('facility_id names no facility.', 'facility_id tidak merujuk fasilitas mana pun.', '/facility_id');
    return;
  }
  if (role === 'admin') {
    if (facilityId)
      fail('An administrator belongs to no facility.', 'Administrator tidak terikat pada fasilitas.', '/facility_id');
    return;
  }
  if (!organisationId || facilityId)
    fail(
      'This role needs organisation_id and no facility_id.',
      'Peran ini memerlukan organisation_id tanpa facility_id.',
      '/organisation_id',
    );
  const org = await findOrganisation(db, organisationId as string);
  const fits =
    role === 'bnn_officer'
      ? org?.type === 'bnn'
      : role === 'regional_government_officer'
        ? org?.type === 'regional_government'
        : org?.type === 'kanwil' || (org?.type === 'bnn' && org.bnnLevel === 'province');
  if (!fits) {
    const [en, id] =
      role === 'bnn_officer'
        ? ['A BNN officer belongs to a BNN unit.', 'Petugas BNN harus berada di unit BNN.']
        : role === 'regional_government_officer'
          ? [
              'A regional government officer belongs to a regional government.',
              'Petugas pemerintah daerah harus berada di pemerintah daerah.',
            ]
          : ['A regional viewer belongs to a Kanwil or a BNNP.', 'Peninjau wilayah harus berada di Kanwil atau BNNP.'];
    fail(en, id, '/organisation_id');
  }
}

export async function createUser(
  change: Change,
  input: {
    username: string;
    display_name: string;
    password: string;
    role: Role;
    organisation_id?: string;
    facility_id?: string;
  },
): Promise<UserRow> {
  if (input.role === 'api_client') throw violated('account_not_staff_role', {}, '/role');
  await checkAffiliation(change.tx, input.role, input.organisation_id, input.facility_id);
  const [row] = await change.tx
    .insert(users)
    .values({
      username: input.username,
      displayName: input.display_name,
      passwordHash: await hashSecret(input.password),
      role: input.role as UserRow['role'],
      organisationId: input.organisation_id ?? null,
      facilityId: input.facility_id ?? null,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'user.created',
    entityType: 'user',
    entityId: row.id,
    facilityId: row.facilityId,
    after: toUserDto(row),
  });
  return row;
}

export async function updateUser(
  change: Change,
  id: string,
  expectedVersion: number,
  input: { display_name?: string; password?: string; active?: boolean },
): Promise<UserRow> {
  const before = await getUser(change.tx, id);
  checkVersion(before.version, expectedVersion);
  const row = await updateVersioned(
    change.tx,
    users,
    before,
    {
      displayName: input.display_name ?? before.displayName,
      passwordHash: input.password ? await hashSecret(input.password) : before.passwordHash,
      active: input.active ?? before.active,
    },
    change.now,
  );
  if (input.active === false || input.password) {
    // A disabled account or a changed password ends every session that could be refreshed.
    await change.tx
      .update(refreshTokens)
      .set({ revokedAt: change.now })
      .where(and(eq(refreshTokens.userId, id), isNull(refreshTokens.revokedAt)));
  }
  await change.audit({
    action: 'user.updated',
    entityType: 'user',
    entityId: id,
    facilityId: row.facilityId,
    before: toUserDto(before),
    after: { ...toUserDto(row), password_changed: Boolean(input.password) },
  });
  return row;
}

export async function getApiClient(db: Executor, id: string): Promise<ApiClientRow> {
  const [row] = await db.select().from(apiClients).where(eq(apiClients.id, id));
  if (!row) throw notFound('API client');
  return row;
}

export async function listApiClients(db: Executor, filter: { after?: string; limit: number }) {
  return db
    .select()
    .from(apiClients)
    .where(filter.after ? gt(apiClients.id, filter.after) : undefined)
    .orderBy(asc(apiClients.id))
    .limit(filter.limit + 1);
}

export async function createApiClient(
  change: Change,
  input: { client_id: string; name: string; scopes: string[]; organisation_id?: string },
): Promise<{ row: ApiClientRow; secret: string }> {
  if (input.organisation_id && !(await findOrganisation(change.tx, input.organisation_id))) {
    throw violated('account_organisation_id_names_organisation', {}, '/organisation_id');
  }
  const secret = randomBytes(32).toString('base64url');
  const [row] = await change.tx
    .insert(apiClients)
    .values({
      clientId: input.client_id,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      organisationId: input.organisation_id ?? null,
      secretHash: await hashSecret(secret),
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'api_client.created',
    entityType: 'api_client',
    entityId: row.id,
    after: toApiClientDto(row),
  });
  return { row, secret };
}

export async function updateApiClient(
  change: Change,
  id: string,
  expectedVersion: number,
  input: { name?: string; scopes?: string[]; active?: boolean },
): Promise<ApiClientRow> {
  const before = await getApiClient(change.tx, id);
  checkVersion(before.version, expectedVersion);
  const row = await updateVersioned(
    change.tx,
    apiClients,
    before,
    {
      name: input.name ?? before.name,
      scopes: input.scopes ? [...new Set(input.scopes)] : before.scopes,
      active: input.active ?? before.active,
    },
    change.now,
  );
  await change.audit({
    action: 'api_client.updated',
    entityType: 'api_client',
    entityId: id,
    before: toApiClientDto(before),
    after: toApiClientDto(row),
  });
  return row;
}
