import { and, eq } from 'drizzle-orm';
import type { AnyPgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Executor } from '../core/executor.ts';
import { Problem } from './problem.ts';

// Optimistic concurrency: a client edits the version it read (If-Match), and a write only lands
// on the row it was loaded as, so two editors never silently overwrite each other.

/** A table whose rows carry an id, a version and an update stamp (db/columns.ts). */
export type VersionedTable = PgTable & { id: AnyPgColumn; version: AnyPgColumn; updatedAt: AnyPgColumn };

/** The client read an older version: 412 naming the current one, before any work is done. */
export function checkVersion(current: number, expected: number): void {
  if (current !== expected) throw new Problem(412, 'precondition_failed', { current });
}

/** Another write moved the row between the load and the update: the version is unknown here. */
export const staleVersion = () => new Problem(412, 'precondition_failed', { current: '?' });

/**
 * Updates the row only if it still has the version it was loaded with, bumping that version and
 * stamping the time. Undefined when another write got there first: the caller chooses the refusal.
 */
export async function updateAtVersion<T extends VersionedTable>(
  db: Executor,
  table: T,
  before: { id: string; version: number },
  set: PgUpdateSetSource<T>,
  now: Date,
): Promise<T['$inferSelect'] | undefined> {
  const rows = (await db
    .update(table)
    .set({ ...set, version: before.version + 1, updatedAt: now } as PgUpdateSetSource<T>)
    .where(and(eq(table.id, before.id), eq(table.version, before.version)))
    .returning()) as T['$inferSelect'][];
  return rows[0];
}

/** An update at the version the client read: 412 when another write got there first. */
export async function updateVersioned<T extends VersionedTable>(
  db: Executor,
  table: T,
  before: { id: string; version: number },
  set: PgUpdateSetSource<T>,
  now: Date,
): Promise<T['$inferSelect']> {
  const row = await updateAtVersion(db, table, before, set, now);
  if (!row) throw staleVersion();
  return row;
}
