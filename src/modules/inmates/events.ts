import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Change } from '../../core/change.ts';
import type { DefinedEvent } from '../../core/events.ts';
import { defineEvent } from '../../core/events.ts';
import { uuidv7 } from '../../db/columns.ts';
import { Id, LocalDate } from '../../http/schemas.ts';

// What outside systems are told of this part of the record (the catalogue: modules/events/catalogue.ts).
// A person is named only by id in `people`; the data holds no name nor registration number.

export const inmateAdmitted = defineEvent({
  type: 'inmate.admitted.v1',
  part: 'inmates',
  summary: "A person was entered in a facility's register (by hand or by an import from SDP)",
  data: z.object({
    inmate_id: Id,
    facility_id: Id,
    admission_date: LocalDate,
    status: z.enum(['detained', 'sentenced', 'released']),
  }),
});

export const inmateTransferred = defineEvent({
  type: 'inmate.transferred.v1',
  part: 'inmates',
  summary: 'A person was moved to another facility, which holds them from then on',
  data: z.object({ inmate_id: Id, from_facility_id: Id, to_facility_id: Id, transferred_on: LocalDate }),
});

export const inmateReleased = defineEvent({
  type: 'inmate.released.v1',
  part: 'inmates',
  summary: "A person's stay ended: released (or deceased, with that reason)",
  data: z.object({
    inmate_id: Id,
    facility_id: Id,
    released_on: LocalDate,
    reason: z.enum(['end_of_sentence', 'parole', 'acquitted', 'other', 'deceased']).nullable(),
  }),
});

// biome-ignore lint/suspicious/noExplicitAny: events of every data shape
export const REGISTER_EVENTS: readonly DefinedEvent<any>[] = [inmateAdmitted, inmateTransferred, inmateReleased];

/** An event of one person at one or two facilities, as told by tellEach. */
export interface PersonEvent<S extends z.ZodType<Record<string, unknown>>> {
  inmateId: string;
  facilityIds: string[];
  data: z.input<S>;
}

/**
 * Many people's events of one type in one statement (an import's admissions and releases): each
 * row as the definition's emit would write it, its data parsed by the same schema.
 */
export async function tellEach<S extends z.ZodType<Record<string, unknown>>>(
  change: Change,
  event: DefinedEvent<S>,
  items: PersonEvent<S>[],
): Promise<void> {
  if (items.length === 0) return;
  const param = <T>(pick: (item: PersonEvent<S>) => T) => sql.param(items.map(pick));
  await change.tx.execute(
    sql`INSERT INTO domain_events (id, type, occurred_at, part, subject_type, subject_id, facility_ids,
                                   organisation_ids, province_code, regency, data, people)
        SELECT v.id, ${event.type}, ${change.now.toISOString()}::timestamptz, ${event.part},
               'inmate', v.inmate_id::text, string_to_array(v.facility_ids, ',')::uuid[], '{}'::uuid[], NULL, NULL,
               v.data, jsonb_build_array(jsonb_build_object('type', 'inmate', 'id', v.inmate_id::text))
          FROM unnest(${param(() => uuidv7())}::uuid[], ${param((i) => i.inmateId)}::uuid[],
                      ${param((i) => [...new Set(i.facilityIds)].join(','))}::text[],
                      ${param((i) => JSON.stringify(event.data.parse(i.data)))}::jsonb[])
               WITH ORDINALITY AS v(id, inmate_id, facility_ids, data, n)
         ORDER BY v.n`,
  );
}
