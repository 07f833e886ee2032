import { z } from 'zod';
import { Id, PageQuery, pageOf, Timestamp } from '../../http/schemas.ts';

// The delivery log as its owner reads it.

export const DeliveryStatus = z.enum(['pending', 'succeeded', 'failed']).meta({
  description:
    'pending: to be tried (again) at next_attempt_at; succeeded: a 2xx came back; failed: every try on the schedule failed',
});

export const WebhookAttempt = z
  .object({
    attempted_at: Timestamp,
    status_code: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when none came" }),
    error: z
      .string()
      .nullable()
      .meta({ description: 'Why no answer came: timeout, refused address, connection error' }),
    latency_ms: z.number().int(),
    response_excerpt: z.string().nullable().meta({ description: "The answer's first 512 bytes" }),
  })
  .meta({ id: 'WebhookAttempt' });

export const WebhookDelivery = z
  .object({
    id: Id,
    subscription_id: Id,
    message_id: z.string().meta({ description: 'The webhook-id header: the same on every try and redelivery' }),
    event_id: Id.nullable().meta({ description: 'The domain event delivered; null for a ping' }),
    event_type: z.string().meta({ description: 'The event type, or ping' }),
    status: DeliveryStatus,
    next_attempt_at: Timestamp.nullable(),
    created_at: Timestamp,
    last_attempt_at: Timestamp.nullable(),
    completed_at: Timestamp.nullable(),
    attempts: z.array(WebhookAttempt).meta({ description: 'Every try, oldest first' }),
  })
  .meta({ id: 'WebhookDelivery' });

export const WebhookDeliveryPage = pageOf(WebhookDelivery).meta({ id: 'WebhookDeliveryPage' });

export const DeliveryListQuery = z.strictObject({
  ...PageQuery,
  status: DeliveryStatus.optional(),
});

export const SubscriptionParams = z.strictObject({ subscriptionId: Id });
export const DeliveryParams = z.strictObject({ subscriptionId: Id, deliveryId: Id });
