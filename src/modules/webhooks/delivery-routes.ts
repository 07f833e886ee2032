import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Change } from '../../core/change.ts';
import { type Db, type Executor, queryRows } from '../../core/executor.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import { type Principal, principalOf } from '../../http/principal.ts';
import { notFound } from '../../http/problem.ts';
import { performWrite } from '../../http/write.ts';
import {
  DeliveryListQuery,
  DeliveryParams,
  SubscriptionParams,
  WebhookDelivery,
  WebhookDeliveryPage,
} from './delivery-schemas.ts';
import { sqlUuidv7 } from './dispatch.ts';
import { ownSubscription } from './subscriptions.ts';

const tags = ['Events and webhooks'];
const OWNER_ONLY = 'Only the API client that owns the subscription, with the webhooks scope; 404 for anyone else.';

/** A subscription's delivery log, redelivery by hand and the test ping. */
export async function deliveryRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/webhook-subscriptions/:subscriptionId/deliveries',
    {
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: "List a subscription's deliveries",
        description: `Newest first, each with its tries (status code, latency, the answer's first bytes). ${OWNER_ONLY}`,
        params: SubscriptionParams,
        querystring: DeliveryListQuery,
        response: { 200: WebhookDeliveryPage },
      },
    },
    async (request) => {
      await ownSubscription(app.db, principalOf(request), request.params.subscriptionId);
      return listDeliveries(app.db, request.params.subscriptionId, request.query);
    },
  );

  r.post(
    '/v1/webhook-subscriptions/:subscriptionId/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags,
        operationId: 'redeliverWebhook',
        summary: 'Send a delivery again',
        description: `Makes the delivery pending again now, with the same webhook-id, and a fresh retry schedule; sent by the next round (while the subscription is active). ${OWNER_ONLY}`,
        params: DeliveryParams,
        response: { 202: WebhookDelivery },
      },
    },
    async (request, reply) => {
      const { subscriptionId, deliveryId } = request.params;
      await ownSubscription(app.db, principalOf(request), subscriptionId);
      const answer = await performWrite(request, reply, app.db, async (change) => ({
        status: 202,
        body: await redeliver(change, subscriptionId, deliveryId),
      }));
      app.wakeWebhooks();
      return answer;
    },
  );

  r.post(
    '/v1/webhook-subscriptions/:subscriptionId/ping',
    {
      schema: {
        tags,
        operationId: 'pingWebhook',
        summary: 'Send a test delivery',
        description: `A delivery of type ping (data: the subscription id), signed like any other, sent by the next round. ${OWNER_ONLY}`,
        params: SubscriptionParams,
        response: { 202: WebhookDelivery },
      },
    },
    async (request, reply) => {
      const { subscriptionId } = request.params;
      await ownSubscription(app.db, principalOf(request), subscriptionId);
      const answer = await performWrite(request, reply, app.db, async (change) => ({
        status: 202,
        body: await ping(change, subscriptionId),
      }));
      app.wakeWebhooks();
      return answer;
    },
  );
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string | null;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  next_attempt_at: Date | string | null;
  created_at: Date | string;
  last_attempt_at: Date | string | null;
  completed_at: Date | string | null;
  attempts: {
    attempted_at: string;
    status_code: number | null;
    error: string | null;
    latency_ms: number;
    response_excerpt: string | null;
  }[];
}

const iso = (v: Date | string) => new Date(v).toISOString();
const isoOrNull = (v: Date | string | null) => (v === null ? null : iso(v));

function toDto(row: DeliveryRow): z.output<typeof WebhookDelivery> {
  return {
    id: row.id,
    subscription_id: row.subscription_id,
    message_id: `msg_${row.id}`,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    next_attempt_at: row.status === 'pending' ? isoOrNull(row.next_attempt_at) : null,
    created_at: iso(row.created_at),
    last_attempt_at: isoOrNull(row.last_attempt_at),
    completed_at: isoOrNull(row.completed_at),
    attempts: row.attempts.map((a) => ({ ...a, attempted_at: iso(a.attempted_at) })),
  };
}

/** The deliveries (with their tries) matching `where`, newest first. */
const selectDeliveries = (where: ReturnType<typeof sql>, limit: number) =>
  sql`SELECT d.id, d.subscription_id, d.event_id, d.event_type, d.status, d.next_attempt_at, d.created_at,
             d.last_attempt_at, d.completed_at,
             coalesce((SELECT json_agg(json_build_object(
                        'attempted_at', a.attempted_at, 'status_code', a.status_code, 'error', a.error,
                        'latency_ms', a.latency_ms, 'response_excerpt', a.response_excerpt)
                        ORDER BY a.attempted_at, a.id)
                         FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts
        FROM webhook_deliveries d
       WHERE ${where}
       ORDER BY d.created_at DESC, d.id DESC
       LIMIT ${limit}`;

const DELIVERY_CURSOR = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\|[0-9a-f-]{36}$/;

async function listDeliveries(db: Db, subscriptionId: string, query: z.output<typeof DeliveryListQuery>) {
  const after = decodeKeyCursor(query.cursor, DELIVERY_CURSOR);
  const conditions = [sql`d.subscription_id = ${subscriptionId}`];
  if (query.status) conditions.push(sql`d.status = ${query.status}`);
  if (after) {
    const [at, id] = after as [string, string];
    conditions.push(sql`(d.created_at, d.id) < (${new Date(at)}::timestamptz, ${id}::uuid)`);
  }
  const rows = await queryRows<DeliveryRow>(db, selectDeliveries(sql.join(conditions, sql` AND `), query.limit + 1));
  return keysetPage(rows, query.limit, (row) => [iso(row.created_at), row.id], toDto);
}

async function deliveryOf(tx: Executor, id: string): Promise<z.output<typeof WebhookDelivery>> {
  const [row] = await queryRows<DeliveryRow>(tx, selectDeliveries(sql`d.id = ${id}`, 1));
  if (!row) throw notFound('webhook delivery');
  return toDto(row);
}

/** Pending again now, with a fresh schedule; a delivery being sent now keeps its lease. */
async function redeliver(change: Change, subscriptionId: string, deliveryId: string) {
  const [row] = await queryRows<{ id: string }>(
    change.tx,
    sql`UPDATE webhook_deliveries
           SET status = 'pending', attempts = 0, next_attempt_at = ${change.now}, completed_at = NULL
         WHERE id = ${deliveryId} AND subscription_id = ${subscriptionId}
        RETURNING id`,
  );
  if (!row) throw notFound('webhook delivery');
  await change.audit({
    action: 'webhook_delivery.redelivered',
    entityType: 'webhook_delivery',
    entityId: deliveryId,
    after: { subscription_id: subscriptionId },
  });
  return deliveryOf(change.tx, deliveryId);
}

async function ping(change: Change, subscriptionId: string) {
  const [row] = await queryRows<{ id: string }>(
    change.tx,
    sql`INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, status, next_attempt_at, created_at)
        VALUES (${sqlUuidv7}, ${subscriptionId}, NULL, 'ping', 'pending', ${change.now}, ${change.now})
        RETURNING id`,
  );
  const id = (row as { id: string }).id;
  await change.audit({
    action: 'webhook_subscription.pinged',
    entityType: 'webhook_subscription',
    entityId: subscriptionId,
    after: { delivery_id: id },
  });
  return deliveryOf(change.tx, id);
}
