import { z } from 'zod';
import { fieldSentence } from '../../http/messages.ts';
import { Id, PageQuery, pageOf, Timestamp, text } from '../../http/schemas.ts';
import { EVENT_TYPES } from '../events/catalogue.ts';

/** One array for every operation of the module: the contract names it once and refers to it. */
export const tags = ['Events and webhooks'];

// A type outside the catalogue is refused by name, in the caller's language (src/http/errors.ts
// words the issue again from its params); the contract lists the types in its webhooks section.
const EventType = z
  .string()
  .max(100)
  .superRefine((type, ctx) => {
    if (EVENT_TYPES.includes(type)) return;
    const params = { text: 'unknown_event_type', type };
    ctx.addIssue({ code: 'custom', message: fieldSentence('unknown_event_type', params).en, params, input: type });
  })
  .meta({ description: 'An event type of the webhooks section', example: 'inspection.signed_off.v1' });

const EventTypes = z
  .array(EventType)
  .min(1)
  .max(200)
  .refine((types) => new Set(types).size === types.length, {
    message: fieldSentence('not_repeated', { field: 'event_types' }).en,
    params: { text: 'not_repeated', field: 'event_types' },
  });

const Url = z.url().max(2000).meta({
  description:
    'Where deliveries are POSTed: https, no user name or password, not a private, loopback or reserved address',
  example: 'https://receiver.example.org/bersinar',
});

const Description = text({ min: 1, max: 500, multiline: true });

const example = {
  id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c21',
  url: 'https://receiver.example.org/bersinar',
  event_types: ['inspection.signed_off.v1'],
  facility_id: null,
  description: 'Dasbor sidak Kanwil',
  status: 'active',
  disabled_reason: null,
  disabled_at: null,
  previous_secret_until: null,
  version: 1,
  created_at: '2024-12-13T02:30:00.000Z',
  updated_at: '2024-12-13T02:30:00.000Z',
};

export const WebhookSubscription = z
  .object({
    id: Id,
    url: z.string(),
    event_types: z.array(z.string()),
    facility_id: Id.nullable().meta({ description: 'Only events of this facility; null: every event in reach' }),
    description: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    disabled_reason: z.string().nullable().meta({
      description: 'Why it is disabled: by_owner when its client disabled it; else set by the delivery of webhooks',
    }),
    disabled_at: Timestamp.nullable(),
    previous_secret_until: Timestamp.nullable().meta({
      description: 'After a rotation, until when the previous secret also signs deliveries',
    }),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'WebhookSubscription',
    description: "An API client's subscription: its secret is never shown again after creation or rotation",
    examples: [example],
  });

const SECRET_EXAMPLE = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export const WebhookSubscriptionWithSecret = WebhookSubscription.extend({
  secret: z.string().meta({
    description:
      'The signing secret (Standard Webhooks, whsec_ and base64), shown this once: only an encrypted copy is kept',
  }),
}).meta({ id: 'WebhookSubscriptionWithSecret', examples: [{ ...example, secret: SECRET_EXAMPLE }] });

export const WebhookSubscriptionCreate = z
  .strictObject({
    url: Url,
    event_types: EventTypes,
    facility_id: Id.optional().meta({ description: 'A facility in the client reach: only its events' }),
    description: Description.optional(),
  })
  .meta({
    id: 'WebhookSubscriptionCreate',
    examples: [{ url: 'https://receiver.example.org/bersinar', event_types: ['inspection.signed_off.v1'] }],
  });

export const WebhookSubscriptionUpdate = z
  .strictObject({
    url: Url.optional(),
    event_types: EventTypes.optional(),
    facility_id: Id.nullable().optional().meta({ description: 'null: every facility in reach' }),
    description: Description.nullable().optional(),
    status: z
      .enum(['active', 'disabled'])
      .optional()
      .meta({ description: 'active re-enables a disabled subscription and clears its reason; disabled pauses it' }),
  })
  .meta({ id: 'WebhookSubscriptionUpdate', examples: [{ status: 'active' }] });

export const WebhookSubscriptionPage = pageOf(WebhookSubscription).meta({ id: 'WebhookSubscriptionPage' });
export const ListQuery = z.strictObject({ ...PageQuery });

export type WebhookSubscriptionDto = z.infer<typeof WebhookSubscription>;
export type WebhookSubscriptionCreateInput = z.infer<typeof WebhookSubscriptionCreate>;
export type WebhookSubscriptionUpdateInput = z.infer<typeof WebhookSubscriptionUpdate>;
export type ListQueryInput = z.infer<typeof ListQuery>;
