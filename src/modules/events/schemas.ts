import { z } from 'zod';
import { EVENT_TYPES } from './catalogue.ts';
import { EventEnvelope } from './envelope.ts';

export const EventFeedQuery = z.strictObject({
  after: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'next_cursor of the previous page; absent: from the oldest event kept' }),
  types: z
    .string()
    .max(4000)
    .transform((v) => v.split(','))
    .pipe(z.array(z.enum(EVENT_TYPES as [string, ...string[]])))
    .optional()
    .meta({ description: 'Comma-separated event types to keep, e.g. inspection.signed_off.v1' }),
  limit: z.coerce.number().int().min(1).max(500).default(100).meta({ description: 'Page size, 1 to 500' }),
});

export const EventFeedPage = z
  .object({
    data: z.array(EventEnvelope),
    next_cursor: z.string().meta({ description: 'Pass as after to read on; kept even when no event came' }),
    has_more: z.boolean().meta({ description: 'Whether more events can be read at once' }),
  })
  .meta({ id: 'EventFeedPage' });
