import { and, asc, eq, gt, isNull, type SQL, sql } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import type { Principal, Role } from '../../http/principal.ts';
import { forbidden, notFound, ruleViolated, violated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { findFacilities } from '../facilities/service.ts';
import { findOrganisation } from '../organisations/service.ts';
import { toColleagueDto, toUserDto, type UserRow } from './dto.ts';
import { hashSecret } from './passwords.ts';
import type { ColleagueListQueryInput, UserDto, UserListQueryInput } from './schemas.ts';
import { refreshTokens, users } from './tables.ts';

// Staff users: administrators keep them in full; every staff user finds their colleagues.

/** Users and API clients are the administrators' alone: 403 for anyone else, before anything else. */
export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw forbidden();
}

async function loadUser(db: Executor, id: string): Promise<UserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row) throw notFound('user');
  return row;
}

export async function listUsers(db: Executor, principal: Principal, query: UserListQueryInput) {
  requireAdmin(principal);
  const { after, limit } = keysetOf(query);
  const where: (SQL | undefined)[] = [updatedSince(users.updatedAt, query.updated_since)];
  if (query.role) where.push(eq(users.role, query.role));
  if (query.facility_id) where.push(eq(users.facilityId, query.facility_id));
  if (query.organisation_id) where.push(eq(users.organisationId, query.organisation_id));
  if (after) where.push(gt(users.id, after));
  const rows = await db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.id))
    .limit(limit + 1);
  return page(rows, limit, (row) => row.id, toUserDto);
}

export async function readUser(db: Executor, principal: Principal, id: string): Promise<UserDto> {
  requireAdmin(principal);
  return toUserDto(await loadUser(db, id));
}

// The last display name seen (which may hold "|" but no NUL), then the id.
const COLLEAGUE_CURSOR = /^[^\0]*\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The active users a caller works with, so that their ids can be named (a facilitator, an owner):
 * facility roles see their facility's users, the others their organisation's, administrators all.
 * Outside systems have no colleagues (403, after an unreadable cursor's 400). Names only, not a
 * named read of a record: not audited.
 */
export async function listColleagues(db: Executor, principal: Principal, query: ColleagueListQueryInput) {
  const key = decodeKeyCursor(query.cursor, COLLEAGUE_CURSOR);
  if (principal.kind !== 'user' || principal.role === 'api_client') throw forbidden();
  const where: (SQL | undefined)[] = [eq(users.active, true), updatedSince(users.updatedAt, query.updated_since)];
  if (principal.role === 'facility_staff' || principal.role === 'facility_head') {
    if (!principal.facilityId) return keysetPage([], query.limit, () => [], toColleagueDto);
    where.push(eq(users.facilityId, principal.facilityId));
  } else if (principal.role !== 'admin') {
    if (!principal.organisationId) return keysetPage([], query.limit, () => [], toColleagueDto);
    where.push(eq(users.organisationId, principal.organisationId));
  }
  if (query.role) where.push(eq(users.role, query.role));
  if (query.q) where.push(sql`strpos(lower(${users.displayName}), lower(${query.q})) > 0`);
  if (key) {
    const name = key.slice(0, -1).join('|');
    const id = key[key.length - 1] as string;
    where.push(sql`(${users.displayName}, ${users.id}) > (${name}, ${id}::uuid)`);
  }
  const rows = await db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.displayName), asc(users.id))
    .limit(query.limit + 1);
  return keysetPage(rows, query.limit, (row) => [row.displayName, row.id], toColleagueDto);
}

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
  principal: Principal,
  input: {
    username: string;
    display_name: string;
    password: string;
    role: Role;
    organisation_id?: string;
    facility_id?: string;
  },
): Promise<UserDto> {
  requireAdmin(principal);
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
  const answer = toUserDto(row);
  await change.audit({
    action: 'user.created',
    entityType: 'user',
    entityId: row.id,
    facilityId: row.facilityId,
    after: answer,
  });
  return answer;
}

/**
 * Name, password, active. `expectedVersion` is read after the role check, so that a refused
 * caller gets 403 whether or not they sent If-Match.
 */
export async function updateUser(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: () => number,
  input: { display_name?: string; password?: string; active?: boolean },
): Promise<UserDto> {
  requireAdmin(principal);
  const expected = expectedVersion();
  const before = await loadUser(change.tx, id);
  checkVersion(before.version, expected);
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
  const answer = toUserDto(row);
  await change.audit({
    action: 'user.updated',
    entityType: 'user',
    entityId: id,
    facilityId: row.facilityId,
    before: toUserDto(before),
    after: { ...answer, password_changed: Boolean(input.password) },
  });
  return answer;
}
