import { z } from 'zod';
import { type DefinedEvent, defineEvent } from '../../core/events.ts';
import { Id, LocalDate } from '../../http/schemas.ts';
import { kotanBand } from './tables.ts';

// What outside systems are told of KOTAN assessments (the catalogue: modules/events/catalogue.ts).
// The band enum comes from the table, not schemas.ts, so the catalogue does not reorder the contract.

export const kotanAssessmentRecorded = defineEvent({
  type: 'kotan_assessment.recorded.v1',
  part: 'kotan',
  summary: "A regency's or city's KOTAN assessment for a year was recorded, with its index and band",
  data: z.object({
    kotan_assessment_id: Id,
    province_code: z.string(),
    regency: z.string(),
    year: z.number().int(),
    assessed_on: LocalDate,
    assessor_organisation_id: Id,
    index: z.number(),
    band: z.enum(kotanBand.enumValues),
  }),
});

// biome-ignore lint/suspicious/noExplicitAny: events of every data shape
export const KOTAN_EVENTS: readonly DefinedEvent<any>[] = [kotanAssessmentRecorded];
