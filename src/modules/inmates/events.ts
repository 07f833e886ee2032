import { z } from 'zod';
import type { DefinedEvent } from '../../core/events.ts';
import { defineEvent } from '../../core/events.ts';
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
