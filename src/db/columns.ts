import { integer, timestamp, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

// Columns every entity shares. Ids are UUIDv7 made here (PostgreSQL 15 has no uuidv7()).
export const idColumn = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());

export const timestamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// Optimistic concurrency: the ETag of a resource is its version.
export const versionColumn = () => integer('version').notNull().default(1);

export { uuidv7 };
