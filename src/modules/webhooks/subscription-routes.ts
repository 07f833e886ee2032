import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import {
  ListQuery,
  tags,
  WebhookSubscription,
  WebhookSubscriptionCreate,
  WebhookSubscriptionPage,
  WebhookSubscriptionUpdate,
  WebhookSubscriptionWithSecret,
} from './schemas.ts';
import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  readSubscription,
  rotateSecret,
  updateSubscription,
  type WebhookSettings,
} from './subscriptions.ts';

const WHO = 'API clients with the webhooks scope, their own subscriptions alone; anyone else 403.';

/** /v1/webhook-subscriptions: an API client's own subscriptions. */
export async function subscriptionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const settings = (): WebhookSettings => ({
    secretsKey: app.secretsKey,
    allowPrivate: app.config.WEBHOOK_ALLOW_PRIVATE,
    overlapHours: app.config.WEBHOOK_SECRET_OVERLAP_HOURS,
  });

  r.get(
    '/v1/webhook-subscriptions',
    {
      schema: {
        tags,
        operationId: 'listWebhookSubscriptions',
        summary: 'List webhook subscriptions',
        description: WHO,
        querystring: ListQuery,
        response: { 200: WebhookSubscriptionPage },
      },
    },
    async (request) => listSubscriptions(app.db, principalOf(request), request.query),
  );

  r.get(
    '/v1/webhook-subscriptions/:subscriptionId',
    {
      schema: {
        tags,
        operationId: 'getWebhookSubscription',
        summary: 'Get a webhook subscription',
        description: `${WHO} Shows whether it is disabled, since when and why; never its secret.`,
        params: IdParams('subscriptionId'),
        response: { 200: WebhookSubscription },
      },
    },
    async (request) => readSubscription(app.db, principalOf(request), request.params.subscriptionId),
  );

  r.post(
    '/v1/webhook-subscriptions',
    {
      // The answer holds a secret: never kept for replays.
      config: { idempotency: 'off' },
      schema: {
        tags,
        operationId: 'createWebhookSubscription',
        summary: 'Subscribe to events',
        description: `${WHO} Deliveries are signed as Standard Webhooks says, with the secret in the answer, shown this once (so Idempotency-Key is not honoured here). The URL must be https and may not lead into a private, loopback or reserved network (422 at /url naming why).`,
        body: WebhookSubscriptionCreate,
        response: { 201: WebhookSubscriptionWithSecret },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, app.db, async (change) => {
        const body = await createSubscription(change, principalOf(request), request.body, settings());
        return { status: 201, body, headers: { location: `/v1/webhook-subscriptions/${body.id}` } };
      }),
  );

  r.patch(
    '/v1/webhook-subscriptions/:subscriptionId',
    {
      schema: {
        tags,
        operationId: 'updateWebhookSubscription',
        summary: 'Update a webhook subscription',
        description: `${WHO} url, event_types, facility_id, description; status active re-enables a disabled subscription and clears its reason, disabled pauses it. Requires If-Match.`,
        params: IdParams('subscriptionId'),
        body: WebhookSubscriptionUpdate,
        response: { 200: WebhookSubscription },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, app.db, async (change) => {
        const body = await updateSubscription(
          change,
          principalOf(request),
          request.params.subscriptionId,
          () => expectedVersion(request),
          request.body,
          settings(),
        );
        return { status: 200, body };
      }),
  );

  r.delete(
    '/v1/webhook-subscriptions/:subscriptionId',
    {
      schema: {
        tags,
        operationId: 'deleteWebhookSubscription',
        summary: 'Delete a webhook subscription',
        description: `${WHO} Its deliveries and their log go with it.`,
        params: IdParams('subscriptionId'),
        response: { 204: z.null().meta({ description: 'Deleted' }) },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, app.db, async (change) => {
        await deleteSubscription(change, principalOf(request), request.params.subscriptionId);
        return { status: 204, body: undefined };
      }),
  );

  r.post(
    '/v1/webhook-subscriptions/:subscriptionId/rotate-secret',
    {
      // The answer holds a secret: never kept for replays.
      config: { idempotency: 'off' },
      schema: {
        tags,
        operationId: 'rotateWebhookSecret',
        summary: "Rotate a webhook subscription's secret",
        description: `${WHO} A new secret, shown this once (so Idempotency-Key is not honoured here). The previous one also signs deliveries until previous_secret_until, WEBHOOK_SECRET_OVERLAP_HOURS from now, so that the receiver can move over; one kept from an earlier rotation is dropped.`,
        params: IdParams('subscriptionId'),
        response: { 200: WebhookSubscriptionWithSecret },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, app.db, async (change) => {
        const body = await rotateSecret(change, principalOf(request), request.params.subscriptionId, settings());
        return { status: 200, body };
      }),
  );
}
