import { z } from 'zod';
import type { DefinedEvent } from '../../core/events.ts';
import { CAMPAIGN_EVENTS } from '../campaigns/events.ts';
import { SCORECARD_EVENTS } from '../compliance/events.ts';
import { COORDINATION_EVENTS } from '../coordination/events.ts';
import { REGISTER_EVENTS } from '../inmates/events.ts';
import { INSPECTION_EVENTS } from '../inspections/events.ts';
import { KOTAN_EVENTS } from '../kotan/events.ts';
import { MOU_EVENTS } from '../mous/events.ts';
import { REHAB_EVENTS } from '../rehab/events.ts';
import { TRAINING_EVENTS } from '../trainings/events.ts';
import { URINE_EVENTS } from '../urine/events.ts';
import { EventEnvelope } from './envelope.ts';

// The catalogue: every event type a module writes, each with the JSON Schema of its data,
// published in openapi.yaml's webhooks section and checked when an event is written.

// biome-ignore lint/suspicious/noExplicitAny: the catalogue holds events of every data shape
export const CATALOGUE: readonly DefinedEvent<any>[] = [
  ...INSPECTION_EVENTS,
  ...URINE_EVENTS,
  ...REHAB_EVENTS,
  ...TRAINING_EVENTS,
  ...MOU_EVENTS,
  ...REGISTER_EVENTS,
  ...SCORECARD_EVENTS,
  ...CAMPAIGN_EVENTS,
  ...COORDINATION_EVENTS,
  ...KOTAN_EVENTS,
];

export const EVENT_TYPES: readonly string[] = CATALOGUE.map((e) => e.type);
const repeated = EVENT_TYPES.filter((type, i) => EVENT_TYPES.indexOf(type) !== i);
if (repeated.length > 0) throw new Error(`event types defined twice: ${repeated.join(', ')}`);

/** The webhooks section of the contract: one entry an event type, its payload as Standard Webhooks sends it. */
export function webhookDocs(): Record<string, unknown> {
  const entries = CATALOGUE.map((event) => {
    const payload = z.object({
      type: z.literal(event.type),
      timestamp: z.iso.datetime(),
      data: EventEnvelope.extend({ type: z.literal(event.type), data: event.data }),
    });
    return [
      event.type,
      {
        post: {
          summary: event.summary,
          description: `Sent to subscriptions that name \`${event.type}\`, signed as Standard Webhooks says (webhook-id, webhook-timestamp, webhook-signature). The same event is in the feed, GET /v1/events.`,
          operationId: `webhook_${event.type.replace(/\./g, '_')}`,
          tags: ['Events and webhooks'],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: asComponent(payload) },
            },
          },
          responses: { '2XX': { description: 'Received: any 2xx answer ends the delivery' } },
        },
      },
    ] as const;
  });
  return Object.fromEntries(entries);
}

/**
 * A payload's JSON Schema for the contract: the shared schemas it names (Id, DomainEvent...) are
 * the document's components, where the feed's route has put them, not $defs of its own.
 */
function asComponent(schema: z.ZodType): unknown {
  const {
    $defs: _defs,
    $schema: _dialect,
    ...rest
  } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' });
  return JSON.parse(JSON.stringify(rest).replaceAll('"#/$defs/', '"#/components/schemas/'));
}
