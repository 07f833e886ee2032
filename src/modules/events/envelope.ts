import { z } from 'zod';

// An event as the feed shows it and a webhook carries it.
import { Id, Timestamp } from '../../http/schemas.ts';

export const EventPerson = z
  .object({
    type: z.enum(['inmate', 'officer']),
    id: Id,
    pseudonym: z.string(),
    name: z.string().nullable().meta({ description: 'Only with the personal_data scope; else null' }),
    registration_number: z.string().nullable().meta({ description: "An inmate's, with personal_data" }),
    nip: z.string().nullable().meta({ description: "An officer's NIP, with personal_data" }),
  })
  .meta({ id: 'EventPerson' });

export const EventEnvelope = z
  .object({
    id: Id.meta({ description: 'The same in the feed and on every delivery of the event' }),
    type: z.string().meta({ description: 'name.verb.vN from the catalogue' }),
    occurred_at: Timestamp,
    subject: z.object({ type: z.string(), id: z.string() }),
    facility_ids: z.array(Id),
    data: z.record(z.string(), z.unknown()),
    people: z.array(EventPerson),
  })
  .meta({ id: 'DomainEvent' });
