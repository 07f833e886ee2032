import { z } from 'zod';
import type { DefinedEvent } from '../../core/events.ts';
import { defineEvent } from '../../core/events.ts';
import { Id } from '../../http/schemas.ts';

// What outside systems are told of this part of the record (the catalogue: modules/events/catalogue.ts).

export const scorecardPeriodClosed = defineEvent({
  type: 'scorecard.period_closed.v1',
  part: 'facilities',
  summary:
    "A facility's scorecard for a period was closed as it stood: revision 1, or a later revision after the records were corrected",
  data: z.object({
    snapshot_id: Id,
    facility_id: Id,
    period: z.string(),
    revision: z.number().int().min(1),
    score: z.number(),
    status: z.enum(['bersinar', 'menuju_bersinar', 'belum_bersinar']),
    previous_score: z.number().nullable().meta({ description: "The previous revision's score; null for revision 1" }),
  }),
});

// biome-ignore lint/suspicious/noExplicitAny: events of every data shape
export const SCORECARD_EVENTS: readonly DefinedEvent<any>[] = [scorecardPeriodClosed];
