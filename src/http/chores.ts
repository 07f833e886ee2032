import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Chore, runChore } from '../core/chores.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds a periodic chore (core/chores.ts); modules add theirs when their routes are registered. */
    addChore(chore: Chore): void;
    /** Runs the chores due by the app's clock, each once across processes: their counts by name, for those run. */
    runChores(): Promise<Record<string, number>>;
  }
}

export const choresPlugin = fp(
  async (app: FastifyInstance) => {
    const chores: Chore[] = [];
    app.decorate('addChore', (chore: Chore) => {
      if (chores.some((c) => c.name === chore.name)) throw new Error(`chore ${chore.name} added twice`);
      chores.push(chore);
    });
    app.decorate('runChores', async () => {
      const done: Record<string, number> = {};
      // One at a time, and one failing does not stop the rest: each is tried again when next due.
      for (const chore of chores) {
        try {
          const count = await runChore(app.db, chore, app.now());
          if (count === null) continue;
          done[chore.name] = count;
          if (count > 0) app.log.info({ chore: chore.name, count }, 'chore done');
        } catch (err) {
          app.log.warn({ err, chore: chore.name }, 'chore failed');
        }
      }
      return done;
    });
  },
  { name: 'chores' },
);
