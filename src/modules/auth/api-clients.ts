import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, violated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { findOrganisation } from '../organisations/service.ts';
import { type ApiClientRow, toApiClientDto } from './dto.ts';
import { hashSecret } from './passwords.ts';
import type { ApiClientDto, ListQueryInput } from './schemas.ts';
import { apiClients } from './tables.ts';
import { requireAdmin } from './users.ts';

// API clients: the outside systems that sign in with a secret. Administrators only.

async function loadApiClient(db: Executor, id: string): Promise<ApiClientRow> {
  const [row] = await db.select().from(apiClients).where(eq(apiClients.id, id));
  if (!row) throw notFound('API client');
  return row;
}

export async function listApiClients(db: Executor, principal: Principal, query: ListQueryInput) {
  requireAdmin(principal);
  const { after, limit } = keysetOf(query);
  const rows = await db
    .select()
    .from(apiClients)
    .where(and(updatedSince(apiClients.updatedAt, query.updated_since), after ? gt(apiClients.id, after) : undefined))
    .orderBy(asc(apiClients.id))
    .limit(limit + 1);
  return page(rows, limit, (row) => row.id, toApiClientDto);
}

export async function readApiClient(db: Executor, principal: Principal, id: string): Promise<ApiClientDto> {
  requireAdmin(principal);
  return toApiClientDto(await loadApiClient(db, id));
}

/** A new client with a random secret: the answer shows it this once, and only its hash is kept. */
export async function createApiClient(
  change: Change,
  principal: Principal,
  input: { client_id: string; name: string; scopes: string[]; organisation_id?: string },
): Promise<ApiClientDto & { client_secret: string }> {
  requireAdmin(principal);
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
  const answer = toApiClientDto(row);
  await change.audit({
    action: 'api_client.created',
    entityType: 'api_client',
    entityId: row.id,
    after: answer,
  });
  return { ...answer, client_secret: secret };
}

/** Name, scopes, active; `expectedVersion` is read after the role check (403 before 428). */
export async function updateApiClient(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: () => number,
  input: { name?: string; scopes?: string[]; active?: boolean },
): Promise<ApiClientDto> {
  requireAdmin(principal);
  const expected = expectedVersion();
  const before = await loadApiClient(change.tx, id);
  checkVersion(before.version, expected);
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
  const answer = toApiClientDto(row);
  await change.audit({
    action: 'api_client.updated',
    entityType: 'api_client',
    entityId: id,
    before: toApiClientDto(before),
    after: answer,
  });
  return answer;
}
