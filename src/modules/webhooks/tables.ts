import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { apiClients } from '../auth/tables.ts';
import { facilities } from '../facilities/tables.ts';

// An API client's subscription: the events it wants pushed to its URL, signed with its secret
// (encrypted at rest under SECRETS_KEY). After a rotation the previous secret also signs, until
// previous_secret_until, so that the receiver can move over without losing a delivery.
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: idColumn(),
    apiClientId: uuid('api_client_id')
      .notNull()
      .references(() => apiClients.id),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().notNull(),
    facilityId: uuid('facility_id').references(() => facilities.id),
    description: text('description'),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
    status: text('status').$type<'active' | 'disabled'>().notNull().default('active'),
    disabledReason: text('disabled_reason'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    check('webhook_subscriptions_status_ck', sql`${t.status} IN ('active', 'disabled')`),
    index('webhook_subscriptions_client_idx').on(t.apiClientId),
  ],
);

// One event (or a ping) to one subscription: retried with the same id until it succeeds or its
// time runs out. Unique per subscription and event, so that fanning out twice delivers once.
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: idColumn(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    /** The domain event delivered; null for a ping. */
    eventId: uuid('event_id'),
    eventType: text('event_type').notNull(),
    status: text('status').$type<'pending' | 'succeeded' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** While a process is sending it: no other takes it before then. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    check('webhook_deliveries_status_ck', sql`${t.status} IN ('pending', 'succeeded', 'failed')`),
    uniqueIndex('webhook_deliveries_event_key').on(t.subscriptionId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.createdAt),
  ],
);

// Each try of a delivery, for the subscription's delivery log.
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: idColumn(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    statusCode: integer('status_code'),
    /** Why it failed without an answer: timeout, refused address, connection error. */
    error: text('error'),
    latencyMs: integer('latency_ms').notNull(),
    /** The answer's first bytes. */
    responseExcerpt: text('response_excerpt'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attemptedAt)],
);

// How far the fan-out has read the events: one row, taken FOR UPDATE SKIP LOCKED by one process at a time.
export const webhookDispatch = pgTable('webhook_dispatch', {
  name: text('name').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull(),
});
