import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { notFound, refuse } from '../../http/problem.ts';
import type { OrganisationRow } from './dto.ts';
import { organisations } from './tables.ts';

// What other modules ask of organisations: one by id, or those a request names. The operations on
// organisations themselves are in organisations.ts.

type Row = OrganisationRow;

export async function findOrganisation(db: Executor, id: string): Promise<Row | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row;
}

export async function getOrganisation(db: Executor, id: string): Promise<Row> {
  const row = await findOrganisation(db, id);
  if (!row) throw notFound('organisation');
  return row;
}

/**
 * The organisations a request names (organisers, participants, an assessor), in the order named;
 * a 422 at `pointer` listing those that do not exist.
 */
export async function namedOrganisations(db: Executor, ids: readonly string[], pointer: string): Promise<Row[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select()
    .from(organisations)
    .where(inArray(organisations.id, [...ids]));
  const missing = ids.filter((id) => !found.some((o) => o.id === id));
  if (missing.length) {
    refuse(pointer, 'organisation_unknown', { missing: missing.join(', ') });
  }
  return ids.map((id) => found.find((o) => o.id === id) as Row);
}
