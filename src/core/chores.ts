import { sql } from 'drizzle-orm';
import { type Change, changeOf } from './change.ts';
import { type Db, queryRows } from './executor.ts';

// Periodic chores (sweeps, purges, events told when a date passes) that run once across every
// process on one database: each process looks now and then, and the first to take a due chore's
// row runs it while holding the row; the others skip it (FOR UPDATE SKIP LOCKED).

export interface Chore {
  /** Unique: names the chore's row in chore_runs. */
  name: string;
  /** How often it is due, by the app's clock. */
  everyMs: number;
  /** The work, in the chore's transaction as the system: rolled back whole if it fails. Answers a count for the log. */
  run(change: Change): Promise<number>;
}

export const HOUR_MS = 3_600_000;

export const SYSTEM = { type: 'system', id: null, role: null, requestId: null } as const;

/** Runs the chore if it is due at `now` and no other process is running it: its count, or null when not run. */
export async function runChore(db: Db, chore: Chore, now: Date): Promise<number | null> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`INSERT INTO chore_runs (name, last_run_at) VALUES (${chore.name}, '-infinity') ON CONFLICT (name) DO NOTHING`,
    );
    const [row] = await queryRows<{ due: boolean }>(
      tx,
      sql`SELECT last_run_at <= ${new Date(now.getTime() - chore.everyMs)} AS due
            FROM chore_runs WHERE name = ${chore.name} FOR UPDATE SKIP LOCKED`,
    );
    if (!row?.due) return null;
    const count = await chore.run(changeOf(tx, { ...SYSTEM }, now));
    await tx.execute(sql`UPDATE chore_runs SET last_run_at = ${now} WHERE name = ${chore.name}`);
    return count;
  });
}
