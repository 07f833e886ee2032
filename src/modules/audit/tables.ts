import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Append-only and hash-chained. The sequence number, previous hash and hash are set by a database
// trigger under a lock (see migrations/*_audit_chain.sql), so that chain order equals commit order;
// UPDATE, DELETE and TRUNCATE are refused by triggers.
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().default(0),
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
    index('audit_events_entity_idx').on(t.entityType, t.entityId, t.seq),
    index('audit_events_facility_idx').on(t.facilityId, t.seq),
  ],
);
