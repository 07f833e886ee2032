import { bigint, boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Append-only and hash-chained. The sequence number, previous hash and hash are set by a database
// trigger under a lock (see migrations/*_audit_chain.sql), so that chain order equals commit order;
// UPDATE, DELETE and TRUNCATE are refused by triggers. Partitioned by month of occurred_at (see
// migrations/*_audit_partitions.sql): the key is part of the primary key, and seq stays unique
// because one sequence draws it.
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).notNull().default(0),
    id: uuid('id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type').notNull(), // user, api_client, system
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    facilityId: uuid('facility_id'),
    requestId: text('request_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull().default(''),
    hash: text('hash').notNull().default(''),
  },
  (t) => [
    primaryKey({ name: 'audit_events_pkey', columns: [t.seq, t.occurredAt] }),
    index('audit_events_entity_idx').on(t.entityType, t.entityId, t.seq),
    index('audit_events_facility_idx').on(t.facilityId, t.seq),
  ],
);

// The chain's last link, one row kept by the chain trigger under its lock: the next event links to
// it without searching every month's partition for the highest seq.
export const auditChainHead = pgTable('audit_chain_head', {
  one: boolean('one').primaryKey().default(true),
  seq: bigint('seq', { mode: 'number' }),
  id: uuid('id'),
  hash: text('hash').notNull().default(''),
});

// What each partition held when the chain last verified whole: a later walk must find the same
// event at last_seq, with the same hash, and as many events up to it. Appended, never rewritten.
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    partition: text('partition').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    lastId: uuid('last_id').notNull(),
    lastHash: text('last_hash').notNull(),
    events: bigint('events', { mode: 'number' }).notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partition, t.lastSeq] })],
);
